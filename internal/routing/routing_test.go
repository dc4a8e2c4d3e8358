package routing

import (
	"strings"
	"testing"

	"marshrut/internal/ddo"
	"marshrut/internal/vacancy"
)

// Petropavlovsk-Kamchatsky, Yelizovo (about 30 km) and Ust-Kamchatsk (about 400 km).
var (
	ppk    = [2]float64{53.0245, 158.6433}
	elizov = [2]float64{53.1873, 158.3810}
	ust    = [2]float64{56.2167, 162.4833}
)

func welder() *Candidate {
	return &Candidate{LearnerID: 1, SpecialtyCode: "22.02.06", MunicipalityID: 1, Lat: ppk[0], Lon: ppk[1], AvgGrade: 4.5, DemoExam: 80,
		PracticeINNs: []string{"4101000011"}}
}

func place(muni int64, at [2]float64, links ...vacancy.Link) *Place {
	return &Place{VacancyID: "v", EmployerINN: "4101000011", MunicipalityID: muni, Lat: at[0], Lon: at[1], SalaryMin: 70000, SalaryMax: 90000,
		Education: vacancy.EduSPO, WorkPlaces: 2, Links: links}
}

var exact = vacancy.Link{SpecialtyCode: "22.02.06", GroupCode: "22.00.00", Score: 1, Reason: "сварщик"}
var group = vacancy.Link{GroupCode: "22.00.00", Score: 0.6, Reason: "металлургия"}

func TestCompatible(t *testing.T) {
	c := welder()
	tests := []struct {
		name string
		p    *Place
		ok   bool
		why  string
		trav Travel
	}{
		{"same municipality, exact specialty", place(1, ppk, exact), true, "", SameMunicipality},
		{"neighbouring", place(2, elizov, group), true, "", Neighbouring},
		{"far without relocation", place(3, ust, exact), false, "переезд не рассматривается", 0},
		{"no link", place(1, ppk, vacancy.Link{GroupCode: "34.00.00"}), false, "не связана", 0},
		{"higher education", func() *Place { p := place(1, ppk, exact); p.Education = vacancy.EduHigher; return p }(), false, "высшего", 0},
		{"no places", func() *Place { p := place(1, ppk, exact); p.WorkPlaces = 0; return p }(), false, "нет свободных мест", 0},
	}
	for _, tt := range tests {
		pair, ok, why := Compatible(c, tt.p)
		if ok != tt.ok || !strings.Contains(why, tt.why) || ok && pair.Travel != tt.trav {
			t.Errorf("%s: %v %q travel %d", tt.name, ok, why, pair.Travel)
		}
	}
	c.Relocate = true
	if pair, ok, _ := Compatible(c, place(3, ust, exact)); !ok || pair.Travel != Relocation || pair.KM < 300 || pair.KM > 500 {
		t.Errorf("relocation: %v, %.0f km", ok, pair.KM)
	}
}

func TestScores(t *testing.T) {
	c := welder()
	near, _, _ := Compatible(c, place(1, ppk, exact))
	far, _, _ := Compatible(c, place(2, elizov, group))
	near.Score(60000)
	far.Score(60000)
	if near.Graduate.Total <= far.Graduate.Total || near.Employer.Total <= far.Employer.Total {
		t.Errorf("the exact nearby vacancy does not score higher: %d/%d vs %d/%d", near.Graduate.Total, near.Employer.Total, far.Graduate.Total, far.Employer.Total)
	}
	for _, s := range []Score{near.Graduate, near.Employer} {
		sum := 0
		for _, c := range s.Components {
			if c.Points < 0 || c.Points > c.Max {
				t.Errorf("component %s: %d of %d", c.Key, c.Points, c.Max)
			}
			sum += c.Points
		}
		if sum != s.Total || s.Total > 1000 {
			t.Errorf("total %d, components %d", s.Total, sum)
		}
	}
	why := near.Employer.Reasons()
	for _, want := range []string{"практику у этого работодателя", "средний балл 4.5", "80 баллов"} {
		if !strings.Contains(why, want) {
			t.Errorf("employer's reasons %q lack %q", why, want)
		}
	}
	if !strings.Contains(near.Graduate.Reasons(), "в своём муниципалитете") {
		t.Errorf("graduate's reasons %q", near.Graduate.Reasons())
	}
	// Pay below the graduate's expectation is said so and scores less.
	c.MinSalary = 120000
	near.Score(60000)
	if !strings.Contains(near.Graduate.Reasons(), "ниже ожидаемой") {
		t.Errorf("pay below expectation: %q", near.Graduate.Reasons())
	}
	// A target contract with the employer and a technics-leaning ДДО.
	c.ContractINN = "4101000011"
	a, _ := ddo.ParseAnswers(strings.Repeat("b", 20))
	r := ddo.Score(a)
	c.DDO = &r
	near.Score(60000)
	if !near.Holds() || !strings.Contains(near.Employer.Reasons(), "целевой договор") {
		t.Errorf("contract not seen: %q", near.Employer.Reasons())
	}
}

func TestDistance(t *testing.T) {
	if d := Distance(ppk[0], ppk[1], elizov[0], elizov[1]); d < 20 || d > 40 {
		t.Errorf("Petropavlovsk–Yelizovo %.1f km", d)
	}
	if d := Distance(ppk[0], ppk[1], ppk[0], ppk[1]); d != 0 {
		t.Errorf("distance to itself %.3f", d)
	}
}

func TestRoubles(t *testing.T) {
	for n, want := range map[int]string{0: "0\u00a0₽", 950: "950\u00a0₽", 127250: "127\u202f250\u00a0₽", 1000000: "1\u202f000\u202f000\u00a0₽"} {
		if got := roubles(n); got != want {
			t.Errorf("roubles(%d) = %q, want %q", n, got, want)
		}
	}
}
