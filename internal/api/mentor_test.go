package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/cluster"
	"marshrut/internal/mentor"
)

// withProgrammes adds the services of mentorship and clusters to the test
// API and an expert user ("expert1") to its users.
func withProgrammes(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	clock := func() time.Time { return today }
	e.deps.Mentor = mentor.NewService(e.store.Mentorship, nil, clock)
	e.deps.Cluster = cluster.NewService(e.store.Clusters, clock)
	u := auth.User{Login: "expert1", Name: "Эксперт Первый", Role: auth.Expert, RegionCode: "41"}
	if err := e.store.Auth.CreateUser(context.Background(), &u, "not a hash"); err != nil {
		t.Fatal(err)
	}
	e.f.users[u.Login] = u
	e.srv.Close()
	e.srv = httptest.NewServer(asCaller(t, e.f.users, New(e.deps)))
	t.Cleanup(e.srv.Close)
	return e
}

func TestOpenAPIProgrammeSchemas(t *testing.T) {
	d := loadDoc(t)
	for schema, v := range map[string]any{
		"Programme": programmeDTO{}, "ProgrammeList": items[programmeDTO]{}, "Mentor": mentorDTO{}, "MentorPage": list[mentorDTO]{},
		"Pair": pairDTO{}, "PairPage": list[pairDTO]{}, "PairList": items[pairDTO]{}, "Meeting": meetingDTO{}, "Feedback": feedbackDTO{},
		"PairCard": pairCardDTO{}, "PairProposal": pairProposalDTO{}, "PairProposalList": items[pairProposalDTO]{}, "PairChoice": choiceDTO{},
		"PairsRequest": pairsRequest{}, "FinishRequest": finishRequest{}, "MentorCoverage": mentorCoverageDTO{}, "MentorFormRow": formRowDTO{},
		"GraduatesEmployment": graduatesDTO{}, "MentorFigures": mentorFiguresDTO{},
		"OrgRef": orgRefDTO{}, "ClusterFunding": fundingDTO{}, "ClusterEquipment": equipmentDTO{}, "Cluster": clusterDTO{}, "ClusterList": items[clusterDTO]{},
		"ClusterValue": valueDTO{}, "ClusterKPIs": kpisDTO{}, "ValueRequest": valueRequest{}, "Criterion": criterionDTO{}, "Criteria": criteriaDTO{},
		"Expert": expertDTO{}, "Assignment": assignmentDTO{}, "DefenceResult": resultDTO{}, "Defence": defenceDTO{}, "DefenceList": items[defenceDTO]{},
		"DefenceRequest": defenceRequest{}, "CommissionRequest": commissionRequest{}, "Mark": markDTO{}, "SheetRequest": sheetRequest{}, "SignRequest": signRequest{},
	} {
		got := properties(t, d, lookup(d, "#/components/schemas/"+schema))
		if want := jsonNames(reflect.TypeOf(v)); !slices.Equal(got, want) {
			t.Errorf("schema %s has %v;\nthe type has %v", schema, got, want)
		}
	}
	enum := func(name string) []string {
		var out []string
		for _, v := range lookup(d, "#/components/schemas/"+name)["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	for name, want := range map[string][]string{
		"MentorshipForm": names(mentor.Forms()), "MentorKind": names(mentor.Kinds()), "PairStatus": names(mentor.Statuses()),
		"FeedbackSide": {string(mentor.MenteeSide), string(mentor.MentorSide)}, "Industry": names(cluster.Industries()),
		"ClusterKind": names(cluster.Kinds()), "ClusterIndicator": names(cluster.Indicators()),
	} {
		if got := enum(name); !slices.Equal(got, want) {
			t.Errorf("%s: openapi.json has %v, the code %v", name, got, want)
		}
	}
}

func countMentorPairs(t *testing.T, e *env) int {
	t.Helper()
	return decodeJSON[list[pairDTO]](t, e.get(t, "minobr", Prefix+"/mentorship/pairs")).Total
}

func TestMentorshipAPI(t *testing.T) {
	e := withProgrammes(t)
	res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/mentorship/programmes", body: map[string]any{"form": "employer_student", "title": "Наставники на производстве", "year": 2026}})
	if res.status != http.StatusCreated {
		t.Fatalf("programme: %d %s", res.status, res.body)
	}
	prog := decodeJSON[programmeDTO](t, res)
	if prog.OrgID != e.f.college.ID {
		t.Errorf("programme of %d", prog.OrgID)
	}
	if res := e.do(t, req{as: "smirnov", method: "POST", path: Prefix + "/mentorship/programmes", body: map[string]any{"form": "pupil_pupil", "title": "x", "year": 2026}}); res.status != http.StatusForbidden {
		t.Errorf("a learner makes a programme: %d %s", res.status, res.body)
	}
	res = e.do(t, req{as: "rybprom", method: "POST", path: Prefix + "/mentorship/mentors", body: map[string]any{"org_id": e.f.college.ID, "kind": "staff",
		"full_name": "Петров Олег Иванович", "specialty_code": "15.02.08", "capacity": 1}})
	if res.status != http.StatusCreated {
		t.Fatalf("mentor: %d %s", res.status, res.body)
	}
	m := decodeJSON[mentorDTO](t, res)
	props := decodeJSON[items[pairProposalDTO]](t, e.get(t, "kpt", Prefix+"/mentorship/programmes/"+itoa(prog.ID)+"/proposals"))
	if len(props.Items) != 1 || props.Items[0].MentorID != m.ID {
		t.Fatalf("proposals %+v", props)
	}
	pairs := map[string]any{"start": "2026-11-01", "planned_end": "2027-06-30", "goals": "Подготовка к демонстрационному экзамену",
		"pairs": []map[string]any{{"mentor_id": m.ID, "learner_id": e.f.extra[0].ID}, {"mentor_id": m.ID, "learner_id": e.f.extra[1].ID}}}
	if res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/mentorship/programmes/" + itoa(prog.ID) + "/pairs", body: pairs}); res.status != http.StatusConflict {
		t.Errorf("over capacity: %d %s", res.status, res.body)
	}
	foreign := merged(pairs, map[string]any{"pairs": []map[string]any{{"mentor_id": m.ID, "learner_id": e.f.other.ID}}})
	if res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/mentorship/programmes/" + itoa(prog.ID) + "/pairs", body: foreign}); res.status != http.StatusNotFound {
		t.Errorf("a student of another college: %d %s", res.status, res.body)
	}
	if n := countMentorPairs(t, e); n != 0 {
		t.Fatalf("refused pairs were written: %d", n)
	}
	one := merged(pairs, map[string]any{"pairs": []map[string]any{{"mentor_id": m.ID, "learner_id": e.f.extra[0].ID}}})
	res = e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/mentorship/programmes/" + itoa(prog.ID) + "/pairs", body: one})
	if res.status != http.StatusCreated {
		t.Fatalf("pair: %d %s", res.status, res.body)
	}
	p := decodeJSON[items[pairDTO]](t, res).Items[0]
	res = e.do(t, req{as: "rybprom", method: "POST", path: Prefix + "/mentorship/pairs/" + itoa(p.ID) + "/meetings", body: map[string]any{"held_on": "2026-11-01", "minutes": 60, "topic": "Знакомство"}})
	if card := decodeJSON[pairCardDTO](t, res); res.status != http.StatusCreated || len(card.MeetingLog) != 1 || card.Employer == "" {
		t.Errorf("meeting: %d %s", res.status, res.body)
	}
	if res := e.get(t, "kmk", Prefix+"/mentorship/pairs/"+itoa(p.ID)); res.status != http.StatusNotFound {
		t.Errorf("another college reads the pair: %d", res.status)
	}
	fig := decodeJSON[mentorFiguresDTO](t, e.get(t, "kpt", Prefix+"/mentorship/figures"))
	if fig.Total.Mentored != 1 || fig.Total.AtEnterprise != 1 || fig.Total.FullTime != 4 || fig.Meetings != 1 {
		t.Errorf("figures %+v", fig.Total)
	}
}

func TestClusterAPI(t *testing.T) {
	e := withProgrammes(t)
	body := map[string]any{"name": "Кластер машиностроения", "industry": "mechanical", "kind": "edu_industrial", "year": 2024, "base_org_id": e.f.college.ID,
		"employers": []map[string]any{{"id": e.f.empl.ID}}, "specialties": []string{"15.02.08"},
		"funding": []map[string]any{{"year": 2025, "federal": 100000000, "regional": 0, "employers": 12000000}}, "members": []any{}, "equipment": []any{}}
	if res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/clusters", body: body}); res.status != http.StatusForbidden {
		t.Errorf("a college adds a cluster: %d %s", res.status, res.body)
	}
	res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/clusters", body: body})
	if res.status != http.StatusCreated {
		t.Fatalf("cluster: %d %s", res.status, res.body)
	}
	c := decodeJSON[clusterDTO](t, res)
	kpis := decodeJSON[kpisDTO](t, e.get(t, "rybprom", Prefix+"/clusters/"+itoa(c.ID)+"/kpis?year=2025"))
	for _, v := range kpis.Values {
		if v.Indicator == "cofinancing" && (v.Value == nil || *v.Value != 12000000 || v.Source != "data") {
			t.Errorf("co-financing %+v", v)
		}
	}
	criteria := decodeJSON[criteriaDTO](t, e.get(t, "minobr", Prefix+"/cluster-criteria?year=2026"))
	if criteria.ID != 0 || len(criteria.Criteria) == 0 {
		t.Fatalf("default criteria %+v", criteria)
	}
	bad := criteria
	bad.Criteria = slices.Clone(criteria.Criteria)
	bad.Criteria[0].Weight++
	if res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/cluster-criteria", body: bad}); res.status != http.StatusBadRequest {
		t.Errorf("weights that do not add up: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/cluster-defences", body: map[string]any{"year": 2026}}); res.status != http.StatusBadRequest {
		t.Errorf("a defence without saved criteria: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/cluster-criteria", body: criteria}); res.status != http.StatusCreated {
		t.Fatalf("criteria: %d %s", res.status, res.body)
	}
	res = e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/cluster-defences", body: map[string]any{"year": 2026}})
	if res.status != http.StatusCreated {
		t.Fatalf("defence: %d %s", res.status, res.body)
	}
	d := decodeJSON[defenceDTO](t, res)
	dpath := Prefix + "/cluster-defences/" + itoa(d.ID)
	expert := e.f.users["expert1"]
	sheet := func(score int) map[string]any {
		var marks []map[string]any
		for _, cr := range d.Criteria.Criteria {
			marks = append(marks, map[string]any{"criterion": cr.Key, "score": score})
		}
		return map[string]any{"cluster_id": c.ID, "marks": marks}
	}
	if res := e.do(t, req{as: "expert1", method: "PUT", path: dpath + "/scores", body: sheet(5)}); res.status != http.StatusForbidden {
		t.Errorf("a cluster not assigned: %d %s", res.status, res.body)
	}
	commission := map[string]any{"experts": []int64{expert.ID}, "assignments": []map[string]any{{"cluster_id": c.ID, "user_id": expert.ID}}}
	if res := e.do(t, req{as: "minobr", method: "PUT", path: dpath + "/commission", body: commission}); res.status != http.StatusOK {
		t.Fatalf("commission: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "expert1", method: "PUT", path: dpath + "/scores", body: sheet(99)}); res.status != http.StatusBadRequest {
		t.Errorf("a score out of range: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "expert1", method: "PUT", path: dpath + "/scores", body: sheet(5)}); res.status != http.StatusOK {
		t.Fatalf("scores: %d %s", res.status, res.body)
	}
	if got := decodeJSON[defenceDTO](t, e.get(t, "expert1", dpath)); len(got.Results) != 0 {
		t.Errorf("the expert sees the ranking before signing: %+v", got.Results)
	}
	res = e.do(t, req{as: "minobr", method: "POST", path: dpath + "/sign", body: map[string]any{"chair": "Иванов И. И."}})
	if got := decodeJSON[defenceDTO](t, res); res.status != http.StatusOK || got.Status != "signed" || len(got.Results) != 1 || got.Results[0].Score != 50 {
		t.Fatalf("sign: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "expert1", method: "PUT", path: dpath + "/scores", body: sheet(10)}); res.status != http.StatusConflict {
		t.Errorf("a change after signing: %d %s", res.status, res.body)
	}
}
