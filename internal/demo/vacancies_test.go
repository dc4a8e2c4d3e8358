package demo

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"marshrut/internal/classifier"
	"marshrut/internal/org"
	"marshrut/internal/store"
	"marshrut/internal/vacancy"
)

var vacancyDay = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

var _ VacancyLoader = (*store.Loader)(nil)

func TestVacancyBranches(t *testing.T) {
	cw, err := vacancy.LoadCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, br branch) {
		if br.perEmployer <= 0 || len(br.jobs) == 0 {
			t.Errorf("%s: %v vacancies an employer, %d jobs", name, br.perEmployer, len(br.jobs))
		}
		titles := map[string]bool{}
		for _, j := range br.jobs {
			if titles[j.title] {
				t.Errorf("%s: %q twice", name, j.title)
			}
			titles[j.title] = true
			if _, ok := cw.Sphere(j.sphere); !ok {
				t.Errorf("%s %q: sphere %q is not in the crosswalk", name, j.title, j.sphere)
			}
			if j.min < 30 || j.max < j.min || j.max > 600 || j.places < 1 || j.weight <= 0 || !j.edu.Valid() || j.duty == "" {
				t.Errorf("%s %q: %+v", name, j.title, j)
			}
		}
	}
	for _, s := range sectors {
		br, ok := branches[s.okved]
		if !ok {
			t.Errorf("sector %s has no vacancies", s.okved)
		}
		check(s.okved, br)
	}
	for _, okved := range []string{"85.14", "85.21", "85.22"} {
		check(okved, branches[okved])
	}
	check("common", fallback)
}

// captured keeps what a generation wrote.
type captured struct {
	Loader // the people's methods are not called
	items  []vacancy.Item
}

func (c *captured) UpsertVacancies(items []vacancy.Item) (vacancy.Upserted, error) {
	c.items = append(c.items, items...)
	return vacancy.Upserted{Inserted: len(items)}, nil
}

// vacancyEmployers makes one organisation of every branch, half of them in a
// remote settlement, with valid ИНН and ОГРН.
func vacancyEmployers() []org.Organisation {
	g := &gen{opt: Options{Region: "41"}, rng: rand.New(rand.NewPCG(1, 2))}
	var out []org.Organisation
	okveds := append(ActivityCodes(), "99.99")
	for i, okved := range okveds {
		addr := "Петропавловск-Камчатский, ул. Ленинская, д. 1"
		if i%2 == 1 {
			addr = "Тиличики, ул. Молодёжная, д. 3"
		}
		out = append(out, org.Organisation{ID: int64(i + 1), RegionCode: "41", Kind: org.Employer, Name: fmt.Sprintf("ООО «Пример %d»", i+1),
			INN: g.inn(), OGRN: g.ogrn(), Address: addr, Lat: 53.02, Lon: 158.64, OKVED: okved})
	}
	return out
}

func TestGenerateVacancies(t *testing.T) {
	ctx := context.Background()
	emps := vacancyEmployers()
	run := func(seed uint64) []vacancy.Item {
		c := &captured{}
		n, err := GenerateVacancies(ctx, c, Options{Seed: seed, Region: "41", Now: vacancyDay}, emps)
		if err != nil {
			t.Fatal(err)
		}
		if n != len(c.items) {
			t.Fatalf("reported %d vacancies, wrote %d", n, len(c.items))
		}
		return c.items
	}
	a, b, c := run(7), run(7), run(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different vacancies")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("two seeds gave the same vacancies")
	}
	if len(a) < len(emps) {
		t.Fatalf("%d vacancies for %d organisations", len(a), len(emps))
	}
	ids := map[string]bool{}
	linked, closed, manual := 0, 0, 0
	for _, it := range a {
		v := it.Vacancy
		if ids[v.ID] {
			t.Errorf("id %s twice", v.ID)
		}
		ids[v.ID] = true
		if err := v.Validate(); err != nil {
			t.Errorf("%s %q: %v", v.ID, v.Title, err)
		}
		if v.SalaryMin < 30000 || v.SalaryMin > 700000 || (v.SalaryMax != 0 && v.SalaryMax < v.SalaryMin) || v.SalaryMin%500 != 0 {
			t.Errorf("%q: salary %d–%d", v.Title, v.SalaryMin, v.SalaryMax)
		}
		if v.CreatedAt.After(vacancyDay) || v.ModifiedAt.Before(v.CreatedAt) || v.ModifiedAt.After(vacancyDay) ||
			vacancyDay.Sub(v.CreatedAt) > 125*24*time.Hour {
			t.Errorf("%q: created %v, modified %v", v.Title, v.CreatedAt, v.ModifiedAt)
		}
		if v.Source == vacancy.Trudvsem && !strings.HasSuffix(v.URL, "/"+v.EmployerOGRN+"/"+v.ID) {
			t.Errorf("%q: url %s", v.Title, v.URL)
		}
		if len(it.Links) > 0 {
			linked++
		}
		for _, l := range it.Links {
			if l.VacancyID != v.ID || l.Reason == "" {
				t.Errorf("%q: link %+v", v.Title, l)
			}
		}
		if v.Closed {
			closed++
		}
		if v.Source == vacancy.Manual {
			manual++
		}
	}
	if linked < len(a)*9/10 {
		t.Errorf("only %d of %d vacancies are linked to a specialty", linked, len(a))
	}
	if closed == 0 || closed > len(a)/4 || manual == 0 || manual > len(a)/4 {
		t.Errorf("%d closed and %d entered by hand of %d", closed, manual, len(a))
	}
	// A fishing company offers the fleet's jobs, and its sailors link to marine groups.
	fleet := 0
	for _, it := range a {
		if it.Vacancy.EmployerINN == emps[indexOf(emps, "03.11")].INN {
			fleet++
			if !strings.Contains(branchTitles("03.11"), "|"+it.Vacancy.Title+"|") && !strings.Contains(branchTitles(""), "|"+it.Vacancy.Title+"|") {
				t.Errorf("a fishing company offers %q", it.Vacancy.Title)
			}
		}
	}
	if fleet == 0 {
		t.Error("the fishing company offers nothing")
	}
}

func indexOf(emps []org.Organisation, okved string) int {
	for i, e := range emps {
		if e.OKVED == okved {
			return i
		}
	}
	return -1
}

// branchTitles lists the titles of a branch ("" for the common ones) as |a|b|.
func branchTitles(okved string) string {
	jobs := common
	if okved != "" {
		jobs = branches[okved].jobs
	}
	var b strings.Builder
	b.WriteString("|")
	for _, j := range jobs {
		b.WriteString(j.title + "|")
	}
	return b.String()
}

func TestGenVacancies(t *testing.T) {
	emps := vacancyEmployers()
	sch := emps[0]
	sch.Kind, sch.OKVED, sch.Name = org.School, "85.14", "МБОУ «Средняя школа № 1»"
	c := &captured{}
	g := &gen{opt: Options{Seed: 3, Region: "41", Now: vacancyDay}, ctx: context.Background(), load: c,
		employers: []employer{{Organisation: emps[1]}}, schools: [][]school{{{Organisation: sch}}}}
	if err := g.vacancies(); err != nil {
		t.Fatal(err)
	}
	bySchool := 0
	for _, it := range c.items {
		if it.Vacancy.EmployerName == sch.Name {
			bySchool++
			if !strings.Contains(branchTitles("85.14")+branchTitles(""), "|"+it.Vacancy.Title+"|") {
				t.Errorf("a school offers %q", it.Vacancy.Title)
			}
		}
	}
	if bySchool == 0 || bySchool == len(c.items) {
		t.Errorf("%d of %d vacancies are the school's", bySchool, len(c.items))
	}
	// A loader of people only gets no vacancies and no error.
	g.load = struct{ Loader }{}
	if err := g.vacancies(); err != nil {
		t.Error(err)
	}
}

// The vacancies of the generated demo region, in the database.
func TestDemoRegionVacancies(t *testing.T) {
	engines := map[string]string{"sqlite": filepath.Join(t.TempDir(), "demo.db")}
	if dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN"); dsn != "" {
		engines["postgres"] = vacancySchema(t, dsn)
	}
	for name, dsn := range engines {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.Open(ctx, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			b, err := classifier.LoadBuiltin()
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SeedClassifiers(ctx, b); err != nil {
				t.Fatal(err)
			}
			opt := Options{Seed: 11, Learners: 3000, Region: "41", Now: vacancyDay}
			if err := s.Load(ctx, func(l *store.Loader) error { _, err := Generate(ctx, l, opt); return err }); err != nil {
				t.Fatal(err)
			}
			var orgs []org.Organisation
			for _, k := range []org.Kind{org.Employer, org.School, org.College, org.University} {
				for off := 0; ; off += 500 {
					list, _, err := s.Orgs.Organisations(ctx, org.Filter{Kind: k, Limit: 500, Offset: off})
					if err != nil {
						t.Fatal(err)
					}
					orgs = append(orgs, list...)
					if len(list) < 500 {
						break
					}
				}
			}
			// Generate may write vacancies of its own: those of another seed
			// come beside them.
			_, before, err := s.Vacancies.Vacancies(ctx, vacancy.Filter{WithClosed: true, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			opt.Seed += 1000
			var n int
			if err := s.Load(ctx, func(l *store.Loader) error { n, err = GenerateVacancies(ctx, l, opt, orgs); return err }); err != nil {
				t.Fatal(err)
			}
			// 300 employers, about a hundred schools and a dozen colleges.
			t.Logf("%d vacancies for %d organisations", n, len(orgs))
			if n < 1500 || n > 6000 {
				t.Errorf("%d vacancies for %d organisations; want a few thousand", n, len(orgs))
			}
			_, total, err := s.Vacancies.Vacancies(ctx, vacancy.Filter{RegionCode: "41", WithClosed: true, Limit: 1})
			if err != nil || total != before+n {
				t.Fatalf("%d vacancies stored (%v), %d generated beside %d", total, err, n, before)
			}
			for _, f := range []vacancy.Filter{{GroupCode: "26.00.00"}, {SpecialtyCode: "34.02.01"}, {GroupCode: "44.00.00"}, {SpecialtyCode: "22.02.06"}} {
				f.RegionCode = "41"
				if _, k, err := s.Vacancies.Vacancies(ctx, f); err != nil || k == 0 {
					t.Errorf("no vacancy for %+v (%v)", f, err)
				}
			}
			// The same seed again changes nothing.
			again := &counting{}
			if err := s.Load(ctx, func(l *store.Loader) error {
				again.l = l
				_, err := GenerateVacancies(ctx, again, opt, orgs)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if again.up != (vacancy.Upserted{Unchanged: n}) {
				t.Errorf("a second generation did %+v, want %d unchanged", again.up, n)
			}
		})
	}
}

type counting struct {
	l  *store.Loader
	up vacancy.Upserted
}

func (c *counting) UpsertVacancies(items []vacancy.Item) (vacancy.Upserted, error) {
	up, err := c.l.UpsertVacancies(items)
	c.up.Inserted += up.Inserted
	c.up.Updated += up.Updated
	c.up.Unchanged += up.Unchanged
	return up, err
}

// vacancySchema makes an empty PostgreSQL schema for one test and returns a
// DSN whose search_path points at it.
func vacancySchema(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("MARSHRUT_TEST_POSTGRES_DSN is set but PostgreSQL does not answer: %v", err)
	}
	schema := fmt.Sprintf("t_demo_vac_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
