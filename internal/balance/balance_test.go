package balance

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// fixture is a region with one college teaching welding (15.02.08, four
// courses) and one employer; the counts are chosen so that every figure can
// be computed by hand:
//
//	courses now 100, 80, 80, 50: progression 0.8, 1.0, 0.625;
//	graduates of each of the last three years 40: graduation 40/50 = 0.8;
//	so every course graduates 40, and a first-year student 0.8·1·0.625·0.8 = 0.4.
func fixture() Input {
	spec := Specialty{Code: "15.02.08", Name: "Технология машиностроения", Group: "15.00.00", GroupName: "Машиностроение", Level: SPO, Years: 4}
	in := Input{
		Now:         time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC),
		SchoolYear:  2026,
		Specialties: map[string]Specialty{spec.Code: spec},
		Orgs:        map[int64]string{7: "Политехнический техникум"},
	}
	for c, n := range map[int]int{1: 100, 2: 80, 3: 80, 4: 50} {
		in.Enrolment = append(in.Enrolment, Enrolment{OrgID: 7, Specialty: spec.Code, Course: c, GraduationYear: 2026 + 5 - c, Count: n})
	}
	for _, y := range []int{2024, 2025, 2026} {
		in.Graduated = append(in.Graduated, Graduated{OrgID: 7, Specialty: spec.Code, Year: y, Count: 40})
	}
	in.Capacity = []Capacity{{OrgID: 7, OrgName: "Политехнический техникум", Specialty: spec.Code, Capacity: 150, Plan: 120}}
	return in
}

// withDemand adds a flat vacancy history of 10 work places a month for three
// years, an employer's needs of 10 in a year and 30 in three, and 30 workers
// of 60 and older and 50 of 55–59.
func withDemand(in Input) Input {
	key := Key{Group: "15.00.00", Level: SPO}
	for m := 0; m < 36; m++ {
		in.Vacancies = append(in.Vacancies, VacancyMonth{Month: time.Date(2023, 11+time.Month(m), 1, 0, 0, 0, 0, time.UTC), Key: key, Places: 10, Vacancies: 5})
	}
	in.Needs = []Need{
		{EmployerID: 3, Specialty: "15.02.08", BaseYear: 2026, Horizon: 1, Count: 10},
		{EmployerID: 3, Specialty: "15.02.08", BaseYear: 2026, Horizon: 3, Count: 30},
		// An older declaration of the same employer gives way to the newer one.
		{EmployerID: 3, Specialty: "15.02.08", BaseYear: 2024, Horizon: 3, Count: 500},
	}
	in.Ages = []Age{{Key: key, Band: Over60, Year: 2026, Employed: 30}, {Key: key, Band: From55, Year: 2026, Employed: 50}, {Key: key, Band: From45, Year: 2026, Employed: 400}}
	return in
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestRatesAndSupply(t *testing.T) {
	res, err := Compute(fixture(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Rates.Specialty["15.02.08"]
	if r.From != "specialty" || !near(r.Graduation, 0.8) || len(r.Progression) != 3 ||
		!near(r.Progression[0], 0.8) || !near(r.Progression[1], 1) || !near(r.Progression[2], 0.625) {
		t.Fatalf("rates: %+v", r)
	}
	if s := r.Survival(1, 4); !near(s, 0.4) {
		t.Errorf("survival of a first-year student = %v, want 0.4", s)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("rows: %d", len(res.Rows))
	}
	// 2027–2030 from today's four courses, 40 each; 2031–2033 from the plan of 120 admitted a year, 48 each.
	want := []float64{40, 40, 40, 40, 48, 48, 48}
	for i, c := range res.Rows[0].Cells {
		if c.Year != 2027+i || !near(c.Supply, want[i]) {
			t.Errorf("supply %d = %v, want %v", c.Year, c.Supply, want[i])
		}
	}
}

func TestDemandAndGap(t *testing.T) {
	res, err := Compute(withDemand(fixture()), nil)
	if err != nil {
		t.Fatal(err)
	}
	row := res.Rows[0]
	// A flat history is forecast flat: 120 a year, with intervals of no width.
	// Declared: 10, interpolated 20, 30 and held. Replacement: 30/3 in
	// 2027–2029, 50/5 in 2030–2034; the 45–54 stay at work.
	decl := []float64{10, 20, 30, 30, 30, 30, 30}
	repl := []float64{10, 10, 10, 10, 10, 10, 10}
	for i, c := range row.Cells {
		if !near(c.Vacancies.Mean, 120) || !near(c.Vacancies.Hi95, 120) {
			t.Errorf("%d: vacancy flow %+v, want 120", c.Year, c.Vacancies)
		}
		if !near(c.Declared, decl[i]) || !near(c.Replacement, repl[i]) {
			t.Errorf("%d: declared %v replacement %v, want %v and %v", c.Year, c.Declared, c.Replacement, decl[i], repl[i])
		}
		if !near(c.Demand.Mean, 120+decl[i]+repl[i]) || !near(c.Gap, c.Supply-c.Demand.Mean) {
			t.Errorf("%d: demand %v gap %v", c.Year, c.Demand.Mean, c.Gap)
		}
	}
	if !strings.Contains(row.Note, "одинаковы") {
		t.Errorf("a constant series should say so: %q", row.Note)
	}
	if row.Accuracy == nil || row.Accuracy.Origins != 1 || row.Accuracy.SMAPE != 0 {
		t.Errorf("accuracy of a flat history: %+v (%s)", row.Accuracy, row.AccuracyNote)
	}
	if an := row.Annual; an == nil || an.SMAPE != 0 || an.NaiveSMAPE != 0 {
		t.Errorf("annual accuracy of a flat history: %+v", an)
	}
	if got := res.Totals[0].Gap; !near(got, 40-140) {
		t.Errorf("total gap 2027 = %v, want −100", got)
	}
}

func TestProposalsWithinCapacity(t *testing.T) {
	in := withDemand(fixture())
	in.MaxChange = 0.5 // the limit of a year's change is not what this test is about
	res, err := Compute(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Only the campaigns of 2027–2029 graduate within the horizon (2031–2033).
	// In 2031 demand is 120+30+10 = 160 against 48: 112 short. The college can
	// admit 30 more (150 − 120), which graduates 12: admit the 150, 100 stay short.
	if len(res.Proposals) != 3 {
		t.Fatalf("proposals: %+v", res.Proposals)
	}
	for _, p := range res.Proposals {
		if p.Proposed != 150 || p.Current != 120 || p.Proposed > p.Capacity || p.GraduationYear != p.AdmissionYear+4 {
			t.Errorf("proposal %+v", p)
		}
	}
	var plan Plan
	for _, p := range res.Plans {
		if p.Year == 2031 {
			plan = p
		}
	}
	if !near(plan.GapBefore, -112) || !near(plan.GapAfter, -100) || !near(plan.Unclosed, 100) || plan.Reason == "" {
		t.Errorf("plan of 2031: %+v", plan)
	}
}

func TestProposalsCutSurplus(t *testing.T) {
	in := fixture()
	key := Key{Group: "15.00.00", Level: SPO}
	for m := 0; m < 36; m++ {
		in.Vacancies = append(in.Vacancies, VacancyMonth{Month: time.Date(2023, 11+time.Month(m), 1, 0, 0, 0, 0, time.UTC), Key: key, Places: 3})
	}
	in.MaxChange = 0.5
	res, err := Compute(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Demand 36 a year against 48: cut by 12 graduates, 30 admissions (at 0.4 each).
	if len(res.Proposals) != 3 {
		t.Fatalf("proposals: %+v", res.Proposals)
	}
	for _, p := range res.Proposals {
		if p.Proposed != 90 || p.Change() != -30 {
			t.Errorf("proposal %+v, want 90", p)
		}
	}
}

func TestScenario(t *testing.T) {
	in := withDemand(fixture())
	sc := &Scenario{Name: "Новый завод", Admissions: []AdmissionChange{{OrgID: 7, Specialty: "15.02.08", FromYear: 2028, Admissions: 150}},
		Needs: []NeedChange{{Employer: "Судоремонтный завод", Specialty: "15.02.08", Horizon: 3, Count: 25}}}
	base, _ := Compute(in, nil)
	res, err := Compute(in, sc)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range res.Rows[0].Cells {
		b := base.Rows[0].Cells[i]
		wantSupply, wantDemand := b.Supply, b.Demand.Mean
		if c.Year >= 2032 { // admitted from 2028 on
			wantSupply = 60
		}
		if c.Year == 2029 {
			wantDemand += 25
		}
		if !near(c.Supply, wantSupply) || !near(c.Demand.Mean, wantDemand) {
			t.Errorf("%d: supply %v demand %v, want %v and %v", c.Year, c.Supply, c.Demand.Mean, wantSupply, wantDemand)
		}
	}
	bad := []struct {
		sc   Scenario
		want string
	}{
		{Scenario{Name: "x", Admissions: []AdmissionChange{{OrgID: 7, Specialty: "15.02.08", FromYear: 2028, Admissions: 151}}}, "больше вместимости"},
		{Scenario{Name: "x", Admissions: []AdmissionChange{{OrgID: 7, Specialty: "15.02.08", FromYear: 2028, Admissions: -1}}}, "отрицательным"},
		{Scenario{Name: "x", Admissions: []AdmissionChange{{OrgID: 7, Specialty: "15.02.08", FromYear: 2040, Admissions: 10}}}, "вне горизонта"},
		{Scenario{Name: "x", Admissions: []AdmissionChange{{OrgID: 8, Specialty: "15.02.08", FromYear: 2028, Admissions: 10}}}, "не ведёт подготовку"},
		{Scenario{Name: "x", Needs: []NeedChange{{Specialty: "15.02.08", Horizon: 8, Count: 10}}}, "от 1 до 7 лет"},
		{Scenario{Name: "x", Needs: []NeedChange{{Specialty: "15.02.08", Horizon: 3, Count: -4}}}, "положительным"},
		{Scenario{Name: " ", Needs: []NeedChange{{Specialty: "15.02.08", Horizon: 3, Count: 4}}}, "назовите"},
	}
	for _, b := range bad {
		_, err := Compute(in, &b.sc)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), b.want) {
			t.Errorf("%+v: %v, want %q", b.sc, err, b.want)
		}
	}
}

func TestShortSeriesFallsBack(t *testing.T) {
	in := fixture()
	key := Key{Group: "15.00.00", Level: SPO}
	for m, v := range []int{4, 7, 5, 9, 6} {
		in.Vacancies = append(in.Vacancies, VacancyMonth{Month: time.Date(2026, 6+time.Month(m), 1, 0, 0, 0, 0, time.UTC), Key: key, Places: v})
	}
	res, err := Compute(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	row := res.Rows[0]
	if !strings.Contains(row.Note, "короче") || row.Accuracy != nil || !strings.Contains(row.AccuracyNote, "коротка") {
		t.Errorf("note %q, accuracy %+v %q", row.Note, row.Accuracy, row.AccuracyNote)
	}
	if c := row.Cells[0]; c.Vacancies.Mean <= 0 || c.Vacancies.Lo80 > c.Vacancies.Mean || c.Vacancies.Hi80 < c.Vacancies.Mean {
		t.Errorf("forecast of a short series: %+v", c.Vacancies)
	}
}

func TestBacktestOnLongHistory(t *testing.T) {
	in := fixture()
	key := Key{Group: "15.00.00", Level: SPO}
	for m := 0; m < 60; m++ {
		season := 1 + 0.3*math.Sin(2*math.Pi*float64(m)/12)
		in.Vacancies = append(in.Vacancies, VacancyMonth{Month: time.Date(2021, 11+time.Month(m), 1, 0, 0, 0, 0, time.UTC), Key: key,
			Places: int(math.Round((20 + 0.2*float64(m)) * season))})
	}
	res, err := Compute(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := res.Rows[0].Accuracy
	if a == nil || a.Origins != 12 || a.Horizon != 12 || !(a.SMAPE > 0 && a.SMAPE < 30) {
		t.Fatalf("accuracy: %+v (%s)", a, res.Rows[0].AccuracyNote)
	}
	if an := res.Rows[0].Annual; an == nil || an.Origins != 12 || an.NaiveSMAPE <= 0 || an.SMAPE > 15 {
		t.Errorf("annual accuracy of a growing seasonal series: %+v", an)
	}
	if len(res.Rows[0].History) != 60 || res.Rows[0].Forecast[0].Month != time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("history %d months, forecast from %v", len(res.Rows[0].History), res.Rows[0].Forecast[0].Month)
	}
}

func TestRows(t *testing.T) {
	in := fixture()
	orgs := map[string]Org{"4101000001": {ID: 3, Name: "Завод", Kind: "employer"}}
	now := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		cells []string
		want  string
	}{
		{[]string{"4101000001", "15.02.08", "3", "12"}, ""},
		{[]string{"4101000001", "15.02.08", "9", "12"}, "от 1 до 7 лет"},
		{[]string{"4101000001", "15.02.08", "3", "-5"}, "отрицательным"},
		{[]string{"4101000001", "15.02.08", "3", ""}, "не указано"},
		{[]string{"4101000001", "99.99.99", "3", "5"}, "не найдена"},
		{[]string{"4101000009", "15.02.08", "3", "5"}, "не найдена в регионе"},
	}
	for _, c := range cases {
		n, err := needRow(systemScope(), in, fileRow(2, []string{"inn", "specialty", "horizon", "count"}, c.cells), orgs, now)
		switch {
		case c.want == "" && (err != nil || n.Count != 12 || n.BaseYear != 2026 || n.EmployerID != 3):
			t.Errorf("%v: %+v %v", c.cells, n, err)
		case c.want != "" && (err == nil || !strings.Contains(apperr.Text(err), c.want)):
			t.Errorf("%v: %v, want %q", c.cells, err, c.want)
		}
	}
	for s, want := range map[string]Band{"60+": Over60, "55–59 лет": From55, "до 30": Under30, "30-44": From30} {
		if b, err := ParseBand(s); err != nil || b != want {
			t.Errorf("band %q = %q %v", s, b, err)
		}
	}
	if _, err := ParseBand("старики"); err == nil {
		t.Error("an unknown band was read")
	}
}

// fileRow is a row as a reader hands it over, with its whole numbers read.
func fileRow(line int, keys, cells []string) FileRow {
	r := FileRow{Line: line, Cells: map[string]string{}, Ints: map[string]int{}, NotInt: map[string]error{}}
	for i, k := range keys {
		r.Cells[k] = cells[i]
		if cells[i] == "" {
			continue
		}
		if n, err := strconv.Atoi(cells[i]); err != nil {
			r.NotInt[k] = err
		} else {
			r.Ints[k] = n
		}
	}
	return r
}

func systemScope() auth.Scope { return auth.SystemScope("41") }
