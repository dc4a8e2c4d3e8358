package imports_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange/trudvsem"
	"marshrut/internal/imports"
	"marshrut/internal/store"
	"marshrut/internal/vacancy"
)

const trudvsemDir = "/work/shared/data/trudvsem/"

var _ imports.VacancyLoader = (*store.Loader)(nil)

// vacancyStores runs fn on a fresh SQLite database always, and on a fresh
// PostgreSQL schema when MARSHRUT_TEST_POSTGRES_DSN is set.
func vacancyStores(t *testing.T, fn func(t *testing.T, st *store.Store, im *imports.Importer)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		st := openVacancyStore(t, filepath.Join(t.TempDir(), "vac.db"))
		fn(t, st, vacancyImporter(st))
	})
	dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN")
	if dsn == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		st := openVacancyStore(t, vacancySchema(t, dsn))
		fn(t, st, vacancyImporter(st))
	})
}

func vacancyImporter(st *store.Store) *imports.Importer {
	return imports.New(st.Reference, func(ctx context.Context, fn func(imports.Loader) error) error {
		return st.Load(ctx, func(l *store.Loader) error { return fn(l) })
	})
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
	schema := fmt.Sprintf("t_vac_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
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

func openVacancyStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SeedClassifiers(ctx, b); err != nil {
		t.Fatal(err)
	}
	return st
}

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(trudvsemDir + name)
	if err != nil {
		t.Skipf("no shared sample %s (%v)", name, err)
	}
	return b
}

func importVacancies(t *testing.T, im *imports.Importer, data []byte, name string, format trudvsem.Format, opt imports.Options) imports.Report {
	t.Helper()
	rep, err := im.Vacancies(context.Background(), bytes.NewReader(data), name, format, opt)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	if rep.Rows != rep.Created+rep.Updated+rep.Unchanged+rep.Rejected+rep.Skipped {
		t.Errorf("%d records, but %d created + %d updated + %d unchanged + %d rejected + %d skipped", rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Rejected, rep.Skipped)
	}
	sum := 0
	for _, n := range rep.SkippedBy {
		sum += n
	}
	if sum != rep.Skipped {
		t.Errorf("skipped %d, but by region %v", rep.Skipped, rep.SkippedBy)
	}
	return rep
}

func countVacancies(t *testing.T, st *store.Store) int {
	t.Helper()
	_, n, err := st.Vacancies.Vacancies(context.Background(), vacancy.Filter{WithClosed: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type counts struct{ rows, created, updated, unchanged, rejected, skipped int }

func countsOf(r imports.Report) counts {
	return counts{r.Rows, r.Created, r.Updated, r.Unchanged, r.Rejected, r.Skipped}
}

// The one real record of the open-data dataset: a vacancy of the Tula region.
func TestVacanciesDatasetSample(t *testing.T) {
	data := readSample(t, "opendata_dataset_vacancy_sample.json")
	const id = "66ee0782-a01e-11ea-94f4-bf2cfe8c828d"
	vacancyStores(t, func(t *testing.T, st *store.Store, im *imports.Importer) {
		ctx := context.Background()
		opt := imports.Options{Region: "71"}

		dry := importVacancies(t, im, data, "sample.json", "", imports.Options{Region: "71", DryRun: true})
		if got := countsOf(dry); got != (counts{rows: 1, created: 1}) || !dry.DryRun {
			t.Errorf("dry run: %+v", got)
		}
		if n := countVacancies(t, st); n != 0 {
			t.Fatalf("a dry run wrote %d vacancies", n)
		}

		rep := importVacancies(t, im, data, "sample.json", trudvsem.Dataset, opt)
		if got := countsOf(rep); got != (counts{rows: 1, created: 1}) {
			t.Fatalf("first import: %+v, issues %v", got, rep.Issues)
		}
		v, err := st.Vacancies.Vacancy(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Title != "Аппаратчик 5 разряда" || v.RegionCode != "71" || v.SalaryMin != 23000 || v.EmployerINN != "7113067263" ||
			v.Education != vacancy.EduSPO || v.ModifiedAt.IsZero() || v.WorkPlaces != 2 {
			t.Errorf("stored vacancy: %+v", v)
		}
		links, err := st.Vacancies.Links(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(links) == 0 {
			t.Fatal("no links stored")
		}
		for _, l := range links {
			if l.Reason == "" || l.VacancyID != id {
				t.Errorf("link without a reason: %+v", l)
			}
		}
		if !strings.Contains(links[0].Reason, "Производство") && !strings.Contains(links[0].Reason, "Аппаратчик") {
			t.Errorf("the surest link does not say why: %q", links[0].Reason)
		}

		again := importVacancies(t, im, data, "sample.json", trudvsem.Dataset, opt)
		if got := countsOf(again); got != (counts{rows: 1, unchanged: 1}) {
			t.Errorf("second import: %+v", got)
		}

		// A later date_modify replaces the vacancy; a dry run of it reports
		// the update and writes nothing.
		newer := bytes.Replace(data, []byte(`"date_modify": "2024-03-06T10:16:02+0300"`), []byte(`"date_modify": "2024-04-01T09:00:00+0300"`), 1)
		newer = bytes.Replace(newer, []byte(`"salary_min": 23000`), []byte(`"salary_min": 31000`), 1)
		if bytes.Equal(newer, data) {
			t.Fatal("the sample changed: date_modify or salary_min not found")
		}
		dry = importVacancies(t, im, newer, "sample.json", trudvsem.Dataset, imports.Options{Region: "71", DryRun: true})
		if got := countsOf(dry); got != (counts{rows: 1, updated: 1}) {
			t.Errorf("dry run of a newer version: %+v", got)
		}
		if v, _ := st.Vacancies.Vacancy(ctx, id); v.SalaryMin != 23000 {
			t.Errorf("a dry run changed the salary to %d", v.SalaryMin)
		}
		upd := importVacancies(t, im, newer, "sample.json", trudvsem.Dataset, opt)
		if got := countsOf(upd); got != (counts{rows: 1, updated: 1}) {
			t.Errorf("newer version: %+v", got)
		}
		if v, _ := st.Vacancies.Vacancy(ctx, id); v.SalaryMin != 31000 || !v.CreatedAt.Equal(time.Date(2022, 2, 20, 1, 40, 38, 0, time.UTC)) {
			t.Errorf("after the update: salary %d, created %v", v.SalaryMin, v.CreatedAt)
		}
		// The older file no longer changes anything.
		old := importVacancies(t, im, data, "sample.json", trudvsem.Dataset, opt)
		if got := countsOf(old); got != (counts{rows: 1, unchanged: 1}) {
			t.Errorf("older version after the newer: %+v", got)
		}

		// Another region keeps nothing of the file, and finds no fault in it.
		other := importVacancies(t, im, data, "sample.json", trudvsem.Dataset, imports.Options{Region: "41"})
		if got := countsOf(other); got != (counts{rows: 1, skipped: 1}) || len(other.Issues) != 0 || other.SkippedBy["71"] != 1 {
			t.Errorf("import into another region: %+v, issues %+v, skipped %v", got, other.Issues, other.SkippedBy)
		}
	})
}

// 88 real vacancies of 32 regions, flattened from the API to CSV.
func TestVacanciesCSVSample(t *testing.T) {
	data := readSample(t, "trudvsem_vacancies_sample.csv")
	// What the reader makes of the file: Moscow's valid records, by id.
	moscow := map[string]bool{}
	rows, faultyMoscow := 0, 0
	err := trudvsem.Read(bytes.NewReader(data), trudvsem.CSV, func(n int, v vacancy.Vacancy, err error) error {
		rows++
		switch {
		case err != nil && v.RegionCode == "77":
			faultyMoscow++
		case err != nil:
		case v.RegionCode == "77":
			moscow[v.ID] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != 88 || len(moscow) < 10 {
		t.Fatalf("the sample has %d records, %d of Moscow", rows, len(moscow))
	}
	foreign := regexp.MustCompile(`^вакансия другого региона \(\d\d\)$`)
	vacancyStores(t, func(t *testing.T, st *store.Store, im *imports.Importer) {
		ctx := context.Background()
		opt := imports.Options{Region: "77"}
		var progress []int
		opt.Progress = func(n int) { progress = append(progress, n) }
		rep := importVacancies(t, im, data, "trudvsem_vacancies_sample.csv", "", opt)
		if got := countsOf(rep); got != (counts{rows: 88, created: len(moscow), rejected: faultyMoscow, skipped: 88 - len(moscow) - faultyMoscow}) {
			t.Fatalf("first import: %+v, want %d created; issues %+v", got, len(moscow), rep.Issues)
		}
		if len(progress) == 0 || progress[len(progress)-1] != 88 {
			t.Errorf("progress told %v", progress)
		}
		for _, is := range rep.Issues {
			if foreign.MatchString(is.Reason) {
				t.Errorf("a record of another region told as a fault: %+v", is)
			}
			if is.Line < 1 || is.Line > 88 {
				t.Errorf("issue with record number %d: %+v", is.Line, is)
			}
		}
		if len(rep.SkippedBy) < 20 || rep.SkippedBy["77"] != 0 {
			t.Errorf("skipped by region: %v", rep.SkippedBy)
		}
		if n := countVacancies(t, st); n != len(moscow) {
			t.Errorf("%d vacancies stored, want %d", n, len(moscow))
		}
		list, _, err := st.Vacancies.Vacancies(ctx, vacancy.Filter{RegionCode: "77", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		linked := 0
		for _, v := range list {
			if !moscow[v.ID] || v.Source != vacancy.Trudvsem || !strings.HasPrefix(v.URL, "https://trudvsem.ru/vacancy/card/") {
				t.Errorf("stored vacancy %s %q from %s", v.ID, v.Title, v.URL)
			}
			links, err := st.Vacancies.Links(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(links) > 0 {
				linked++
			}
			for _, l := range links {
				if l.Reason == "" {
					t.Errorf("vacancy %s: link %s without a reason", v.ID, l.Code())
				}
			}
		}
		if linked == 0 {
			t.Error("no Moscow vacancy got a link to a specialty")
		}

		again := importVacancies(t, im, data, "trudvsem_vacancies_sample.csv", trudvsem.CSV, imports.Options{Region: "77"})
		if got := countsOf(again); got != (counts{rows: 88, unchanged: len(moscow), rejected: faultyMoscow, skipped: 88 - len(moscow) - faultyMoscow}) {
			t.Errorf("second import: %+v", got)
		}
	})
}

// datasetLine is a record of the open-data dataset as one line of JSON Lines.
func datasetLine(id, region, title, modified string, salary int) string {
	return fmt.Sprintf(`{"id":%q,"vacancy_name":%q,"state_region_code":"%s00000000000","company":{"name":"ООО «Камчатрыбпром»","inn":"4101000011"},`+
		`"salary_min":%d,"professionalSphereName":"Рабочие специальности","date_create":"2026-10-01T09:00:00+1200","date_modify":%q}`,
		id, title, region, salary, modified)
}

func vacancyID(k int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", k) }

// A hand-made file: faults with their record numbers, other regions, and the
// same vacancy twice, within a batch and across batches.
func TestVacanciesRecords(t *testing.T) {
	const n = 2101
	var b strings.Builder
	for k := 1; k <= n; k++ {
		id, mod, salary, region, title := vacancyID(k), "2026-10-02T10:00:00+1200", 60000, "41", "Электрогазосварщик"
		switch k {
		case 3: // the vacancy of record 2 again, modified earlier: refused
			id, mod = vacancyID(2), "2026-10-01T10:00:00+1200"
		case 5: // no title
			title = ""
		case 6: // another region
			region = "25"
		case 7: // another region, and faulty: told as another region
			region, title = "25", ""
		case n: // the vacancy of record 1, in the next batch, modified later: it wins
			id, mod, salary = vacancyID(1), "2026-10-09T10:00:00+1200", 80000
		}
		b.WriteString(datasetLine(id, region, title, mod, salary))
		b.WriteByte('\n')
	}
	data := []byte(b.String())
	vacancyStores(t, func(t *testing.T, st *store.Store, im *imports.Importer) {
		ctx := context.Background()
		rep := importVacancies(t, im, data, "kamchatka.jsonl", "", imports.Options{Region: "41"})
		// Records 1, 3 and 5 are rejected, 6 and 7 skipped; ids 3, 5, 6, 7 and n never stand.
		if got := countsOf(rep); got != (counts{rows: n, created: n - 5, rejected: 3, skipped: 2}) || rep.SkippedBy["25"] != 2 {
			t.Fatalf("import: %+v, issues %+v", got, rep.Issues)
		}
		want := map[int]string{
			1: "принята запись 2101",
			3: "принята запись 2",
			5: "не указано название вакансии",
		}
		if len(rep.Issues) != len(want) {
			t.Errorf("issues %+v", rep.Issues)
		}
		for _, is := range rep.Issues {
			if w, ok := want[is.Line]; !ok || !strings.Contains(is.Reason, w) {
				t.Errorf("record %d: %q, want a reason with %q", is.Line, is.Reason, w)
			}
		}
		if v, err := st.Vacancies.Vacancy(ctx, vacancyID(1)); err != nil || v.SalaryMin != 80000 {
			t.Errorf("vacancy of records 1 and %d: salary %d, %v; want the later version's 80000", n, v.SalaryMin, err)
		}
		if v, err := st.Vacancies.Vacancy(ctx, vacancyID(2)); err != nil || !v.ModifiedAt.Equal(time.Date(2026, 10, 1, 22, 0, 0, 0, time.UTC)) {
			t.Errorf("vacancy of records 2 and 3: modified %v, %v; want the version of record 2", v.ModifiedAt, err)
		}
		if _, err := st.Vacancies.Vacancy(ctx, vacancyID(6)); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a vacancy of another region was stored: %v", err)
		}

		// Again: the vacancy of record 1 is unchanged in the first batch, and
		// the version of record 2101 is the stored one.
		again := importVacancies(t, im, data, "kamchatka.jsonl", trudvsem.Dataset, imports.Options{Region: "41"})
		if got := countsOf(again); got != (counts{rows: n, unchanged: n - 5, rejected: 3, skipped: 2}) {
			t.Errorf("second import: %+v", got)
		}

		// A version of record 1 older than the stored one is unchanged; a
		// later one in the next batch updates it: one update, not two outcomes.
		first := datasetLine(vacancyID(1), "41", "Электрогазосварщик", "2026-10-09T10:00:00+1200", 80000)
		last := datasetLine(vacancyID(1), "41", "Электрогазосварщик", "2026-10-10T10:00:00+1200", 90000)
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		lines[0], lines[n-1] = first, last
		third := importVacancies(t, im, []byte(strings.Join(lines, "\n")), "kamchatka.jsonl", trudvsem.Dataset, imports.Options{Region: "41"})
		if got := countsOf(third); got != (counts{rows: n, updated: 1, unchanged: n - 6, rejected: 3, skipped: 2}) {
			t.Errorf("third import: %+v, issues %+v", got, third.Issues)
		}
		if v, _ := st.Vacancies.Vacancy(ctx, vacancyID(1)); v.SalaryMin != 90000 {
			t.Errorf("salary %d after the third import, want 90000", v.SalaryMin)
		}
	})
}

func TestVacanciesRefusals(t *testing.T) {
	st := openVacancyStore(t, filepath.Join(t.TempDir(), "vac.db"))
	im := vacancyImporter(st)
	ctx := context.Background()
	line := []byte(datasetLine(vacancyID(1), "41", "Повар", "2026-10-02T10:00:00+1200", 50000) + "\n")

	if _, err := im.Vacancies(ctx, bytes.NewReader(line), "v.jsonl", trudvsem.Dataset, imports.Options{}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("no region: %v, want Invalid", err)
	}
	if _, err := im.Vacancies(ctx, strings.NewReader("это не вакансии"), "v.txt", "", imports.Options{Region: "41"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("not a file of vacancies: %v, want Invalid", err)
	}
	if _, err := im.Vacancies(ctx, strings.NewReader(`{"vacancies":[]}`), "v.json", trudvsem.Dataset, imports.Options{Region: "41"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("no records: %v, want Invalid", err)
	}
	// A file broken after its first records writes nothing of them.
	broken := append(append([]byte(nil), line...), []byte(`{"id": "x", "vacancy_name": [}`)...)
	if _, err := im.Vacancies(ctx, bytes.NewReader(broken), "v.jsonl", trudvsem.Dataset, imports.Options{Region: "41"}); err == nil {
		t.Error("a broken file was accepted")
	}
	if n := countVacancies(t, st); n != 0 {
		t.Errorf("a failed import wrote %d vacancies", n)
	}
	// A loader that cannot write vacancies is refused with a clear error.
	plain := imports.New(st.Reference, func(ctx context.Context, fn func(imports.Loader) error) error {
		return fn(plainLoader{})
	})
	_, err := plain.Vacancies(ctx, bytes.NewReader(line), "v.jsonl", trudvsem.Dataset, imports.Options{Region: "41"})
	if err == nil || !strings.Contains(err.Error(), "не умеет записывать вакансии") {
		t.Errorf("a loader without vacancies: %v", err)
	}
}

// plainLoader is a Loader of other imports only.
type plainLoader struct{ imports.Loader }
