package demo_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/cluster"
	"marshrut/internal/demo"
	"marshrut/internal/store"
)

// The default region of seed 1 is generated once for the tests that read it.
var (
	defaultOnce  sync.Once
	defaultStore *store.Store
	defaultSum   demo.Summary
	defaultPath  string
	defaultErr   error
	defaultDir   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if defaultStore != nil {
		defaultStore.Close()
	}
	if defaultDir != "" {
		os.RemoveAll(defaultDir)
	}
	os.Exit(code)
}

// defaultRegion is the calibrated region of seed 1, with the defences of its
// clusters, and a read-only connection to its database for the checks.
func defaultRegion(t *testing.T) (*store.Store, demo.Summary, *sql.DB) {
	t.Helper()
	defaultOnce.Do(func() {
		ctx := context.Background()
		if defaultDir, defaultErr = os.MkdirTemp("", "demo-realism"); defaultErr != nil {
			return
		}
		defaultPath = filepath.Join(defaultDir, "demo.db")
		s, err := store.Open(ctx, defaultPath, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			defaultErr = err
			return
		}
		defaultStore = s
		if defaultErr = s.Migrate(ctx); defaultErr != nil {
			return
		}
		b, err := classifier.LoadBuiltin()
		if err != nil {
			defaultErr = err
			return
		}
		if defaultErr = s.SeedClassifiers(ctx, b); defaultErr != nil {
			return
		}
		defaultErr = s.Load(ctx, func(l *store.Loader) error {
			defaultSum, err = demo.Generate(ctx, l, demo.Options{Seed: 1, Region: "41", Now: genDay})
			return err
		})
		if defaultErr != nil {
			return
		}
		// The commission needs its users: the ministry and three experts.
		var users []auth.User
		for _, u := range []auth.User{{Login: "region", Name: "Министерство", Role: auth.Region}, {Login: "expert", Name: "Эксперт", Role: auth.Expert},
			{Login: "expert2", Name: "Эксперт", Role: auth.Expert}, {Login: "expert3", Name: "Эксперт", Role: auth.Expert}} {
			u.RegionCode = "41"
			if defaultErr = s.Auth.CreateUser(ctx, &u, "x"); defaultErr != nil {
				return
			}
			users = append(users, u)
		}
		svc := cluster.NewService(s.Clusters, func() time.Time { return genDay })
		defaultErr = demo.Commission(ctx, svc, users[0], users[1], users[2:], 11)
	})
	if defaultErr != nil {
		t.Fatal(defaultErr)
	}
	db, err := sql.Open("sqlite", "file:"+defaultPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return defaultStore, defaultSum, db
}

// rows runs a query and scans each row into the pointers scan gives.
func rows(t *testing.T, db *sql.DB, q string, each func(scan func(...any))) {
	t.Helper()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		each(func(dest ...any) {
			if err := rs.Scan(dest...); err != nil {
				t.Fatal(err)
			}
		})
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
}

// Organisations have the sizes of their kind and place: colleges differ by
// their programmes, the arts college and the Palana branch are small, the
// regional centre does not hold every school and the remote districts have
// their villages' schools; names are spelt right.
func TestDemoSizesByKindAndPlace(t *testing.T) {
	_, _, db := defaultRegion(t)
	students := map[string]int{}
	rows(t, db, `SELECT o.name, count(*) FROM learner l JOIN organisation o ON o.id = l.org_id
		WHERE l.status = 'student' AND o.kind = 'college' GROUP BY o.name`, func(scan func(...any)) {
		var name string
		var n int
		scan(&name, &n)
		students[name] = n
	})
	small, large := math.MaxInt, 0
	for name, n := range students {
		small, large = min(small, n), max(large, n)
		if strings.Contains(name, "искусств") && n > 400 {
			t.Errorf("%s: %d students, a college of arts has a few hundred", name, n)
		}
		if strings.Contains(name, "филиал") && n > 250 {
			t.Errorf("%s: %d students, a branch in Palana has about a hundred", name, n)
		}
	}
	if len(students) < 8 || large < 4*small {
		t.Errorf("colleges of %d to %d students: sizes do not follow the programmes (%v)", small, large, students)
	}

	schools := map[string]int{}
	pupils := map[string]int{}
	total := 0
	rows(t, db, `SELECT m.name, count(DISTINCT o.id), count(l.id) FROM organisation o JOIN municipality m ON m.id = o.municipality_id
		LEFT JOIN learner l ON l.org_id = o.id AND l.status = 'pupil' WHERE o.kind = 'school' GROUP BY m.name`, func(scan func(...any)) {
		var name string
		var s, p int
		scan(&name, &s, &p)
		schools[name], pupils[name] = s, p
		total += p
	})
	if n := schools["Петропавловск-Камчатский городской округ"]; n < 25 || n > 45 {
		t.Errorf("%d schools in Петропавловск-Камчатский, the city has about 35", n)
	}
	for _, m := range []string{"Олюторский муниципальный район", "Пенжинский муниципальный район", "Карагинский муниципальный район",
		"Тигильский муниципальный район", "Усть-Камчатский муниципальный округ", "Мильковский муниципальный округ"} {
		if schools[m] < 3 {
			t.Errorf("%s: %d schools, its villages have their own", m, schools[m])
		}
	}
	// Pupils follow the population: the city about 55 %, the Aleutian district a fraction of a percent.
	share := func(m string) float64 { return float64(pupils[m]) / float64(total) }
	if s := share("Петропавловск-Камчатский городской округ"); s < 0.5 || s > 0.62 {
		t.Errorf("Петропавловск-Камчатский has %.1f%% of the pupils", 100*s)
	}
	if s := share("Алеутский муниципальный округ"); s > 0.005 || s == 0 {
		t.Errorf("the Aleutian district has %.2f%% of the pupils", 100*s)
	}

	misspelt := regexp.MustCompile(`скск|[бвгджзклмнпрстфхцчшщ]кская`)
	rows(t, db, `SELECT name FROM organisation`, func(scan func(...any)) {
		var name string
		scan(&name)
		if misspelt.MatchString(strings.ToLower(name)) {
			t.Errorf("misspelt name %q", name)
		}
	})
}

// Classes are of real size: one a grade in a village, several of 20 to 28 in
// a town school; no class of more than 30.
func TestDemoClassSizes(t *testing.T) {
	_, _, db := defaultRegion(t)
	type class struct {
		school, settlement string
		schoolSize, grade  int
		n                  int
	}
	var classes []class
	rows(t, db, `SELECT o.name, o.address, s.size, l.grade, count(*) FROM learner l JOIN organisation o ON o.id = l.org_id
		JOIN (SELECT org_id, count(*) size FROM learner WHERE status = 'pupil' GROUP BY org_id) s ON s.org_id = o.id
		WHERE l.status = 'pupil' GROUP BY o.name, o.address, s.size, l.grade, l.study_group`, func(scan func(...any)) {
		var c class
		scan(&c.school, &c.settlement, &c.schoolSize, &c.grade, &c.n)
		c.settlement, _, _ = strings.Cut(c.settlement, ",")
		classes = append(classes, c)
	})
	perGrade := map[string]int{}
	town, townN := 0, 0
	for _, c := range classes {
		if c.n > 30 {
			t.Errorf("%s: a class of %d pupils in grade %d", c.school, c.n, c.grade)
		}
		key := fmt.Sprintf("%s/%d", c.school, c.grade)
		perGrade[key]++
		if c.schoolSize < 150 && perGrade[key] > 1 {
			t.Errorf("%s (%d pupils): %d classes in grade %d; a village school has one", c.school, c.schoolSize, perGrade[key], c.grade)
		}
		if slices.Contains([]string{"Петропавловск-Камчатский", "Елизово", "Вилючинск"}, c.settlement) {
			town += c.n
			townN++
		}
	}
	if townN == 0 {
		t.Fatal("no classes in towns")
	}
	if mean := float64(town) / float64(townN); mean < 20 || mean > 28 {
		t.Errorf("town classes of %.1f pupils on average, want 20–28", mean)
	}
}

// Cohorts differ by year, students leave between courses, and programmes
// have the courses of their standard: no fourth course of «Лечебное дело»
// admitted after the 11th grade, no fifth of a bachelor's programme.
func TestDemoCohorts(t *testing.T) {
	_, sum, db := defaultRegion(t)
	byYear := map[int]int{}
	rows(t, db, `SELECT graduation_year, count(*) FROM learner WHERE status = 'graduate' GROUP BY graduation_year`, func(scan func(...any)) {
		var y, n int
		scan(&y, &n)
		byYear[y] = n
	})
	if len(byYear) != 3 {
		t.Fatalf("graduates of %d years, want 3: %v", len(byYear), byYear)
	}
	lo, hi := math.MaxInt, 0
	for _, n := range byYear {
		lo, hi = min(lo, n), max(hi, n)
	}
	if hi-lo < sum.Graduates/300 {
		t.Errorf("graduates by year %v: the same every year", byYear)
	}
	byCourse := map[int]int{}
	rows(t, db, `SELECT l.course, count(*) FROM learner l JOIN organisation o ON o.id = l.org_id
		WHERE l.status = 'student' AND o.kind = 'college' GROUP BY l.course`, func(scan func(...any)) {
		var c, n int
		scan(&c, &n)
		byCourse[c] = n
	})
	if !(byCourse[1] > byCourse[2] && byCourse[2] > byCourse[3]) {
		t.Errorf("college students by course %v: no one leaves between courses", byCourse)
	}
	longest := map[string]int{}
	rows(t, db, `SELECT specialty_code, max(course) FROM learner WHERE status = 'student' GROUP BY specialty_code`, func(scan func(...any)) {
		var code string
		var c int
		scan(&code, &c)
		longest[code] = c
	})
	for code, want := range map[string]int{"31.02.01": 3, "33.02.01": 3, "43.01.09": 3, "38.02.01": 3, "26.02.03": 4, "44.03.01": 4, "26.05.05": 6} {
		if longest[code] != want {
			t.Errorf("specialty %s: the last course is %d, the standard has %d", code, longest[code], want)
		}
	}
}

// Guidance is held on working days over the school year, and some of it is
// planned in the months ahead.
func TestDemoCalendar(t *testing.T) {
	_, _, db := defaultRegion(t)
	ahead, past := 0, 0
	months := map[time.Month]bool{}
	rows(t, db, `SELECT kind, title, held_on FROM guidance_event`, func(scan func(...any)) {
		var kind, title, held string
		scan(&kind, &title, &held)
		d, err := time.Parse("2006-01-02", held[:10])
		if err != nil {
			t.Fatalf("event %q on %q", title, held)
		}
		if wd := d.Weekday(); wd == time.Sunday || wd == time.Saturday {
			t.Errorf("%s «%s» on %s, a %s", kind, title, held, wd)
		}
		if d.After(genDay) {
			ahead++
		} else {
			past++
			months[d.Month()] = true
		}
	})
	if ahead == 0 || past == 0 {
		t.Errorf("%d events ahead and %d held: the calendar should have both", ahead, past)
	}
	if len(months) < 3 {
		t.Errorf("events held in %d months only", len(months))
	}
}

// Employers offer, need and anchor only what their branch hires: no pharmacy
// orders bricklayers, no fish plant offers agronomy; a cluster buys its
// industry's equipment, employers co-fund it, and a defence ranks only the
// clusters that existed in its year.
func TestDemoIndustryFit(t *testing.T) {
	_, _, db := defaultRegion(t)
	check := func(what, q string) {
		n := 0
		rows(t, db, q, func(scan func(...any)) {
			var name, okved, spec string
			scan(&name, &okved, &spec)
			n++
			if !slices.Contains(demo.Hires(okved), spec) {
				t.Errorf("%s: %s (ОКВЭД %s) — %s, not of its branch", what, name, okved, spec)
			}
		})
		if n == 0 {
			t.Errorf("%s: none", what)
		}
	}
	check("targeted offer", `SELECT o.name, o.okved, t.specialty_code FROM targeted_offer t JOIN organisation o ON o.id = t.employer_id`)
	check("declared need", `SELECT o.name, o.okved, n.specialty_code FROM employer_need n JOIN organisation o ON o.id = n.employer_id`)
	check("practice", `SELECT o.name, o.okved, s.specialty_code FROM learner_stage s JOIN organisation o ON o.id = s.org_id
		WHERE s.kind = 'practice' LIMIT 2000`)

	// Each anchor employer hires one of its cluster's specialties.
	specs := map[int64][]string{}
	rows(t, db, `SELECT cluster_id, specialty_code FROM cluster_specialty`, func(scan func(...any)) {
		var id int64
		var code string
		scan(&id, &code)
		specs[id] = append(specs[id], code)
	})
	rows(t, db, `SELECT c.id, c.name, o.name, o.okved FROM cluster_org co JOIN cluster c ON c.id = co.cluster_id
		JOIN organisation o ON o.id = co.org_id WHERE o.kind = 'employer'`, func(scan func(...any)) {
		var id int64
		var cl, name, okved string
		scan(&id, &cl, &name, &okved)
		if !slices.ContainsFunc(demo.Hires(okved), func(s string) bool { return slices.Contains(specs[id], s) }) {
			t.Errorf("%s: anchor employer %s (ОКВЭД %s) hires none of its specialties %v", cl, name, okved, specs[id])
		}
	})
	foreign := map[string]*regexp.Regexp{
		"health":  regexp.MustCompile(`(?i)судов|рыб|станок|навигац`),
		"fishery": regexp.MustCompile(`(?i)пациент|аптек|гостинич`),
		"it":      regexp.MustCompile(`(?i)пациент|судов|рыб`),
	}
	rows(t, db, `SELECT c.industry, e.name FROM cluster_equipment e JOIN cluster c ON c.id = e.cluster_id`, func(scan func(...any)) {
		var industry, name string
		scan(&industry, &name)
		if re, ok := foreign[industry]; ok && re.MatchString(name) {
			t.Errorf("the %s cluster bought «%s»", industry, name)
		}
	})
	rows(t, db, `SELECT c.name, f.year, f.employers FROM cluster_funding f JOIN cluster c ON c.id = f.cluster_id`, func(scan func(...any)) {
		var name string
		var year int
		var employers int64
		scan(&name, &year, &employers)
		if employers <= 0 {
			t.Errorf("%s: no employer co-funding in %d", name, year)
		}
	})
	ranked := 0
	rows(t, db, `SELECT c.name, c.year, d.year FROM cluster_assignment a JOIN cluster c ON c.id = a.cluster_id
		JOIN cluster_defence d ON d.id = a.defence_id`, func(scan func(...any)) {
		var name string
		var created, defence int
		scan(&name, &created, &defence)
		ranked++
		if created > defence {
			t.Errorf("%s, created in %d, is ranked in the defence of %d", name, created, defence)
		}
	})
	if ranked == 0 {
		t.Error("no cluster ranked in any defence")
	}
}

// Mentors of graduates were assigned in their last year, not chosen by how
// they fared after it: every graduation year has mentored graduates, and
// among them the employed are not much more common than among the others
// (the mentor's own effect and the practice that brings one are a few
// points; choosing the mentored by outcome made ten and more).
func TestDemoMentorsBeforeOutcomes(t *testing.T) {
	_, _, db := defaultRegion(t)
	type tally struct{ mentored, mentoredWork, other, otherWork int }
	byYear := map[int]*tally{}
	rows(t, db, `SELECT l.graduation_year, EXISTS (SELECT 1 FROM mentor_pair p WHERE p.learner_id = l.id),
		l.outcome_6m IN ('employed', 'self_employed', 'studying', 'military', 'parental_leave')
		FROM learner l WHERE l.status = 'graduate' AND l.study_form = 'full_time' AND l.outcome_6m IS NOT NULL AND l.outcome_6m != ''`, func(scan func(...any)) {
		var y int
		var mentored, work bool
		scan(&y, &mentored, &work)
		if byYear[y] == nil {
			byYear[y] = &tally{}
		}
		tl := byYear[y]
		if mentored {
			tl.mentored++
			if work {
				tl.mentoredWork++
			}
		} else {
			tl.other++
			if work {
				tl.otherWork++
			}
		}
	})
	if len(byYear) < 2 {
		t.Fatalf("six-month outcomes of %d graduation years", len(byYear))
	}
	for y, tl := range byYear {
		if tl.mentored < 100 || tl.other < 100 {
			t.Errorf("graduates of %d: %d mentored, %d not", y, tl.mentored, tl.other)
			continue
		}
		a, b := float64(tl.mentoredWork)/float64(tl.mentored), float64(tl.otherWork)/float64(tl.other)
		if a-b > 0.09 {
			t.Errorf("graduates of %d: %.0f%% of the mentored at work against %.0f%%: mentors chosen by outcome", y, 100*a, 100*b)
		}
	}
}
