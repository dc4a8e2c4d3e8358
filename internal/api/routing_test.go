package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"marshrut/internal/routing"
	"marshrut/internal/vacancy"
)

// Vacancies of «Работа России» for the routing tests, linked to the
// fixture's specialties.
const (
	// welderID suits the graduate (22.02.06) at the fixture's employer.
	welderID = "d0000000-0000-11ee-8000-000000000001"
	// engineerID is linked to 22.02.06 but asks higher education, which the
	// graduate of a college lacks.
	engineerID = "d0000000-0000-11ee-8000-000000000002"
	// nurseID suits the medical college's student (34.02.01), who graduates
	// next year and so is a candidate of this year's runs.
	nurseID = "d0000000-0000-11ee-8000-000000000003"
)

const hospital = "ГБУЗ «Елизовская районная больница»"

// addVacancies stores the vacancies; the routing service reads them once per
// two minutes of its clock, which stands still, so a test adds them first.
func (e *env) addVacancies(t *testing.T) {
	t.Helper()
	item := func(id, employer, inn, title string, edu vacancy.Education, salMin, salMax int, code, reason string) vacancy.Item {
		return vacancy.Item{
			Vacancy: vacancy.Vacancy{ID: id, Source: vacancy.Trudvsem, RegionCode: "41", EmployerName: employer, EmployerINN: inn,
				Title: title, SalaryMin: salMin, SalaryMax: salMax, Education: edu, WorkPlaces: 1, CreatedAt: today},
			Links: []vacancy.Link{{SpecialtyCode: code, GroupCode: code[:2] + ".00.00", Kind: vacancy.ByOccupation, Score: 0.9, Reason: reason}},
		}
	}
	_, err := e.store.Vacancies.UpsertVacancies(context.Background(), []vacancy.Item{
		item(welderID, e.f.empl.Name, e.f.empl.INN, "Электрогазосварщик", vacancy.EduSPO, 70000, 90000, "22.02.06", "профессия «электрогазосварщик»"),
		item(engineerID, e.f.empl.Name, e.f.empl.INN, "Инженер-технолог сварочного производства", vacancy.EduHigher, 90000, 0, "22.02.06",
			"профессия «инженер-технолог»"),
		item(nurseID, hospital, "", "Медицинская сестра", vacancy.EduSPO, 55000, 65000, "34.02.01", "профессия «медицинская сестра»"),
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkScore checks that a side's score is the sum of its components, each within its maximum.
func checkScore(t *testing.T, side string, s scoreDTO, keys ...string) {
	t.Helper()
	sum := 0
	var got []string
	for _, c := range s.Components {
		if c.Points < 0 || c.Points > c.Max || c.Title == "" {
			t.Errorf("%s: component %+v", side, c)
		}
		sum += c.Points
		got = append(got, c.Key)
	}
	if sum != s.Total || s.Total == 0 {
		t.Errorf("%s: total %d, components add up to %d", side, s.Total, sum)
	}
	if strings.Join(got, ",") != strings.Join(keys, ",") {
		t.Errorf("%s: components %v, want %v", side, got, keys)
	}
}

func TestRecommendations(t *testing.T) {
	e := newEnv(t)
	e.addVacancies(t)
	path := Prefix + "/learners/" + itoa(e.f.graduate.ID) + "/recommendations"
	res := e.get(t, "kpt", path)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	rec := decodeJSON[recommendationsDTO](t, res)
	if rec.LearnerID != e.f.graduate.ID || rec.SpecialtyCode != "22.02.06" || len(rec.Items) != 1 {
		t.Fatalf("recommendations %+v", rec)
	}
	it := rec.Items[0]
	if it.VacancyID != welderID || it.Title != "Электрогазосварщик" || it.Employer != e.f.empl.Name || it.SalaryMin != 70000 ||
		it.SalaryMax != 90000 || it.Travel != "neighbouring" {
		t.Errorf("recommendation %+v", it)
	}
	checkScore(t, "graduate", it.Graduate, "pay", "distance", "specialty", "level", "ddo")
	checkScore(t, "employer", it.EmployerView, "specialty", "grades", "practice", "exam", "mentor", "contract")
	for _, want := range []string{"зарплата 80\u202f000\u00a0₽", "в соседнем муниципалитете", "по специальности 22.02.06: профессия «электрогазосварщик»"} {
		if !strings.Contains(it.Reasons, want) {
			t.Errorf("reasons %q lack %q", it.Reasons, want)
		}
	}
	// The engineer's vacancy is linked to the specialty but not for a college graduate.
	if len(rec.Unsuitable) != 1 || rec.Unsuitable["вакансия требует высшего образования"] != 1 {
		t.Errorf("unsuitable %v", rec.Unsuitable)
	}

	// A learner with nothing suitable gets empty lists, not null.
	res = e.get(t, "minobr", Prefix+"/learners/"+itoa(e.f.student.ID)+"/recommendations")
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"items":[]`) || !strings.Contains(string(res.body), `"unsuitable":{}`) {
		t.Errorf("no recommendations: %d %s", res.status, res.body)
	}
	for _, c := range []struct {
		name, as, path string
		status         int
	}{
		{"another college's graduate", "kmk", path, http.StatusNotFound},
		{"another learner", "smirnov", path, http.StatusNotFound},
		{"unknown learner", "minobr", Prefix + "/learners/999999/recommendations", http.StatusNotFound},
		{"wrong limit", "minobr", path + "?limit=0", http.StatusBadRequest},
		{"wrong id", "minobr", Prefix + "/learners/x/recommendations", http.StatusBadRequest},
	} {
		if res := e.get(t, c.as, c.path); res.status != c.status || res.err().Message == "" {
			t.Errorf("%s: %d %s, want %d", c.name, res.status, res.body, c.status)
		}
	}
}

func TestApplicants(t *testing.T) {
	e := newEnv(t)
	e.addVacancies(t)
	path := Prefix + "/vacancies/" + nurseID + "/applicants"
	get := func(as string) applicantsDTO {
		t.Helper()
		res := e.get(t, as, path)
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", as, res.status, res.body)
		}
		return decodeJSON[applicantsDTO](t, res)
	}

	// Only the region, employment centres and the vacancy's own employer see
	// its candidates: a pupil, a student, a college and the federal operator
	// could recognise a classmate by specialty, grades, exam and practice.
	for _, as := range []string{"federal", "smirnov", "kmk", "kpt", "school1"} {
		if res := e.get(t, as, path); res.status != http.StatusForbidden || strings.Contains(string(res.body), "34.02.01") {
			t.Errorf("%s sees the applicants of any vacancy: %d %s", as, res.status, res.body)
		}
	}
	// Another employer's vacancy is answered as a missing one.
	missing := e.get(t, "rybprom", Prefix+"/vacancies/no-such-vacancy/applicants")
	if res := e.get(t, "rybprom", path); res.status != http.StatusNotFound || string(res.body) != string(missing.body) {
		t.Errorf("an employer sees another's applicants: %d %s", res.status, res.body)
	}
	if res := e.get(t, "rybprom", Prefix+"/vacancies/"+welderID+"/applicants"); res.status != http.StatusOK {
		t.Errorf("the employer's own vacancy: %d %s", res.status, res.body)
	}
	if res := e.get(t, "czn-elizovo", path); res.status != http.StatusOK {
		t.Errorf("the employment centre: %d %s", res.status, res.body)
	}
	app := get("minobr")
	if app.VacancyID != nurseID || app.Title != "Медицинская сестра" || app.Employer != hospital || app.WorkPlaces != 1 || len(app.Items) != 1 {
		t.Fatalf("applicants %+v", app)
	}
	it := app.Items[0]
	if it.LearnerID == nil || *it.LearnerID != e.f.other.ID || it.Name == nil || *it.Name != "Кузнецова Анна" || it.SpecialtyCode != "34.02.01" ||
		!strings.Contains(it.Reasons, "специальность 34.02.01 совпадает") {
		t.Errorf("the region's applicant %+v", it)
	}
	checkScore(t, "employer", it.EmployerView, "specialty", "grades", "practice", "exam", "mentor", "contract")
	checkScore(t, "graduate", it.Graduate, "pay", "distance", "specialty", "level", "ddo")
	// The welder's vacancy has no candidate of this year's runs.
	if got := e.get(t, "minobr", Prefix+"/vacancies/"+welderID+"/applicants"); got.status != http.StatusOK || !strings.Contains(string(got.body), `"items":[]`) {
		t.Errorf("no applicants: %d %s", got.status, got.body)
	}
	for _, c := range []struct {
		name, path string
		status     int
	}{
		{"unknown vacancy", Prefix + "/vacancies/no-such-vacancy/applicants", http.StatusNotFound},
		{"id with a space", Prefix + "/vacancies/a%20b/applicants", http.StatusBadRequest},
		{"wrong limit", path + "?limit=many", http.StatusBadRequest},
	} {
		if res := e.get(t, "minobr", c.path); res.status != c.status || res.err().Message == "" {
			t.Errorf("%s: %d %s, want %d", c.name, res.status, res.body, c.status)
		}
	}
}

func TestRoutingRun(t *testing.T) {
	e := newEnv(t)
	e.addVacancies(t)
	start := func(as string, body any) response {
		t.Helper()
		return e.do(t, req{as: as, method: "POST", path: Prefix + "/routing/runs", body: body})
	}
	decide := func(as string, id int64, status string) response {
		t.Helper()
		return e.do(t, req{as: as, method: "POST", path: Prefix + "/routing/proposals/" + itoa(id), body: map[string]any{"status": status}})
	}

	// Only the region and employment centres run the routing.
	if res := start("kpt", map[string]any{"mode": "stable"}); res.status != http.StatusForbidden || res.err().Code != "forbidden" {
		t.Errorf("a college starts a run: %d %s", res.status, res.body)
	}
	for _, c := range []struct {
		name  string
		body  any
		field string
	}{
		{"no mode", map[string]any{"round": 1}, "mode"},
		{"unknown mode", map[string]any{"mode": "greedy"}, "mode"},
		{"negative round", map[string]any{"mode": "stable", "round": -1}, "round"},
		{"negative seed", map[string]any{"mode": "stable", "seed": -5}, "seed"},
		{"unknown field", map[string]any{"mode": "stable", "region": "41"}, "region"},
	} {
		if res := start("minobr", c.body); res.status != http.StatusBadRequest || res.err().Field != c.field {
			t.Errorf("%s: %d %s, want 400 on %s", c.name, res.status, res.body, c.field)
		}
	}
	if list := decodeJSON[items[runDTO]](t, e.get(t, "minobr", Prefix+"/routing/runs")); len(list.Items) != 0 {
		t.Fatalf("refused starts left runs: %+v", list.Items)
	}

	// A stable run: the one candidate of the year gets the nurse's vacancy.
	res := start("minobr", map[string]any{"mode": "stable", "round": 1, "seed": 7})
	if res.status != http.StatusAccepted {
		t.Fatalf("start: %d %s", res.status, res.body)
	}
	run := decodeJSON[runDTO](t, res)
	if res.header.Get("Location") != Prefix+"/routing/runs/"+itoa(run.ID) {
		t.Errorf("Location %q", res.header.Get("Location"))
	}
	if run.Status != "finished" || run.Mode != "stable" || run.Round != 1 || run.Seed != 7 || run.GraduationYear != 2026 ||
		run.Candidates != 1 || run.Matched != 1 || run.Blocking != 0 || run.FirstChoiceShare != 1 || run.Welfare <= 0 ||
		run.OptimalWelfare < run.Welfare || run.PriceOfStability < 1 || run.FinishedAt == nil || run.Error != "" {
		t.Errorf("run %s", res.body)
	}
	// The figures are counts: every role reads them.
	if got := decodeJSON[runDTO](t, e.get(t, "federal", Prefix+"/routing/runs/"+itoa(run.ID))); got.ID != run.ID || got.Matched != 1 {
		t.Errorf("the run for the federal operator: %+v", got)
	}
	if list := decodeJSON[items[runDTO]](t, e.get(t, "czn-elizovo", Prefix+"/routing/runs")); len(list.Items) != 1 || list.Items[0].ID != run.ID {
		t.Errorf("runs %+v", list.Items)
	}

	proposals := func(as, query string) list[proposalDTO] {
		t.Helper()
		res := e.get(t, as, Prefix+"/routing/runs/"+itoa(run.ID)+"/proposals"+query)
		if res.status != http.StatusOK {
			t.Fatalf("proposals: %d %s", res.status, res.body)
		}
		return decodeJSON[list[proposalDTO]](t, res)
	}
	page := proposals("minobr", "")
	if page.Total != 1 || len(page.Items) != 1 {
		t.Fatalf("proposals %+v", page)
	}
	p := page.Items[0]
	if p.RunID != run.ID || p.LearnerID != e.f.other.ID || p.Learner != "Кузнецова Анна" || p.SpecialtyCode != "34.02.01" ||
		p.VacancyID == nil || *p.VacancyID != nurseID || p.Employer != hospital || p.Choice != 1 || p.Status != "proposed" ||
		p.Reasons == "" || p.DecidedAt != nil {
		t.Errorf("proposal %+v", p)
	}
	if got := proposals("federal", ""); got.Total != 0 {
		t.Errorf("the federal operator sees proposals: %+v", got)
	}
	if got := proposals("minobr", "?status=sent"); got.Total != 0 {
		t.Errorf("sent before sending: %+v", got)
	}

	// Accepted before being sent: refused, nothing changes.
	if res := decide("minobr", p.ID, "accepted"); res.status != http.StatusConflict || res.err().Code != "conflict" {
		t.Errorf("accepted before sent: %d %s", res.status, res.body)
	}
	if res := decide("kpt", p.ID, "sent"); res.status != http.StatusForbidden {
		t.Errorf("a college sends: %d %s", res.status, res.body)
	}
	for _, status := range []string{"", "unmatched", "maybe"} {
		if res := decide("minobr", p.ID, status); res.status != http.StatusBadRequest || res.err().Field != "status" {
			t.Errorf("decision %q: %d %s", status, res.status, res.body)
		}
	}
	if got := proposals("minobr", "?status=proposed"); got.Total != 1 {
		t.Errorf("refusals changed the proposal: %+v", got)
	}

	// Sent, then accepted: the graduate is at work with the vacancy's employer.
	if res := decide("minobr", p.ID, "sent"); res.status != http.StatusNoContent {
		t.Fatalf("send: %d %s", res.status, res.body)
	}
	if got := proposals("minobr", "?status=sent"); got.Total != 1 || got.Items[0].DecidedAt == nil {
		t.Errorf("sent: %+v", got)
	}
	if res := decide("minobr", p.ID, "accepted"); res.status != http.StatusNoContent {
		t.Fatalf("accept: %d %s", res.status, res.body)
	}
	card := decodeJSON[cardDTO](t, e.get(t, "minobr", Prefix+"/learners/"+itoa(e.f.other.ID)))
	if card.CurrentOutcome != "employed" || len(card.Outcomes) != 1 || card.Outcomes[0].EmployerName != hospital || card.Outcomes[0].Source != "matching" {
		t.Errorf("accepted graduate's card: current %q, outcomes %+v", card.CurrentOutcome, card.Outcomes)
	}
	if res := decide("minobr", p.ID, "declined"); res.status != http.StatusConflict {
		t.Errorf("declined after acceptance: %d %s", res.status, res.body)
	}
	// «Направлено» counts every proposal sent, accepted ones too: never fewer than those hired.
	if got := decodeJSON[runDTO](t, e.get(t, "minobr", Prefix+"/routing/runs/"+itoa(run.ID))); got.Accepted != 1 || got.Sent != 1 {
		t.Errorf("run after acceptance: %+v", got)
	}

	// A second run while one runs is refused.
	busy := routing.Run{RegionCode: "41", Round: 2, Mode: routing.Stable, Seed: 1, GraduationYear: 2026}
	if err := e.store.Routing.StartRun(context.Background(), &busy); err != nil {
		t.Fatal(err)
	}
	if res := start("minobr", map[string]any{"mode": "optimal", "round": 2}); res.status != http.StatusConflict || !strings.Contains(res.err().Message, "уже идёт") {
		t.Errorf("a second run while one runs: %d %s", res.status, res.body)
	}
	if got := decodeJSON[runDTO](t, e.get(t, "minobr", Prefix+"/routing/runs/"+itoa(busy.ID))); got.Status != "running" || got.FinishedAt != nil {
		t.Errorf("running run %+v", got)
	}

	for _, c := range []struct {
		name, path string
		status     int
	}{
		{"unknown run", Prefix + "/routing/runs/999999", http.StatusNotFound},
		{"proposals of an unknown run", Prefix + "/routing/runs/999999/proposals", http.StatusNotFound},
		{"unknown status", Prefix + "/routing/runs/" + itoa(run.ID) + "/proposals?status=maybe", http.StatusBadRequest},
	} {
		if res := e.get(t, "minobr", c.path); res.status != c.status || res.err().Message == "" {
			t.Errorf("%s: %d %s, want %d", c.name, res.status, res.body, c.status)
		}
	}
	if res := decide("minobr", 999999, "sent"); res.status != http.StatusNotFound {
		t.Errorf("unknown proposal: %d %s", res.status, res.body)
	}
}

// TestTravelNames keeps the names of the API in step with routing.Travel.
func TestTravelNames(t *testing.T) {
	for tr, want := range map[routing.Travel]string{routing.SameMunicipality: "same", routing.Neighbouring: "neighbouring", routing.Relocation: "relocation"} {
		if got := travelName(tr); got != want {
			t.Errorf("travel %d is %q, want %q", tr, got, want)
		}
	}
}
