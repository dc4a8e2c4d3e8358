package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"marshrut/internal/risk"
)

// riskEnv is the API environment with the early warning wired.
func riskEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.deps.Risk = risk.NewService(e.store.Risks, &syncJobs{}, func() time.Time { return today })
	e.srv.Config.Handler = asCaller(t, e.f.users, New(e.deps))
	return e
}

func TestRiskAccessAndRefusals(t *testing.T) {
	e := riskEnv(t)
	// No model yet: a Russian 404, not an empty object.
	if res := e.get(t, "minobr", Prefix+"/risk/model"); res.status != http.StatusNotFound || !strings.Contains(res.err().Message, "модель") {
		t.Errorf("model before training: %d %s", res.status, res.body)
	}
	// Who sees scores: not an employer, a school, a learner or the federal operator.
	for _, who := range []string{"rybprom", "school1", "smirnov", "federal"} {
		if res := e.get(t, who, Prefix+"/risk/scores"); res.status != http.StatusForbidden {
			t.Errorf("%s reads scores: %d", who, res.status)
		}
	}
	if res := e.get(t, "kpt", Prefix+"/risk/scores?threshold=1.5"); res.status != http.StatusBadRequest {
		t.Errorf("threshold 1.5: %d %s", res.status, res.body)
	}
	if res := e.get(t, "kpt", Prefix+"/risk/scores"); res.status != http.StatusOK || !strings.Contains(string(res.body), `"items":[]`) {
		t.Errorf("empty list: %d %s", res.status, res.body)
	}
	// Training is the region's; a college is refused, an unknown kind is a 400.
	if res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/risk/train", body: map[string]any{}}); res.status != http.StatusForbidden {
		t.Errorf("college trains: %d", res.status)
	}
	if res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/risk/train", body: map[string]any{"kind": "forest"}}); res.status != http.StatusBadRequest {
		t.Errorf("unknown kind: %d", res.status)
	}
	// Scoring without a model is refused before a job starts.
	if res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/risk/score", body: map[string]any{}}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "не обучена") {
		t.Errorf("score without a model: %d %s", res.status, res.body)
	}
}

func TestRiskCaseByAPI(t *testing.T) {
	e := riskEnv(t)
	open := func(as string, id int64) response {
		return e.do(t, req{as: as, method: "POST", path: Prefix + "/risk/cases", body: map[string]any{"learner_id": id, "note": "звонок"}})
	}
	if res := open("kpt", e.f.graduate.ID); res.status != http.StatusForbidden {
		t.Errorf("a college opens a case: %d", res.status)
	}
	// The centre of the graduate's municipality opens it; the student of another municipality is not found.
	if res := open("czn-elizovo", e.f.student.ID); res.status != http.StatusNotFound {
		t.Errorf("a learner of another municipality: %d %s", res.status, res.body)
	}
	res := open("czn-elizovo", e.f.graduate.ID)
	if res.status != http.StatusCreated {
		t.Fatalf("open: %d %s", res.status, res.body)
	}
	c := decodeJSON[caseDTO](t, res)
	if c.Status != "open" || c.LearnerID != e.f.graduate.ID || res.header.Get("Location") == "" {
		t.Fatalf("case %+v", c)
	}
	if res := open("czn-elizovo", e.f.graduate.ID); res.status != http.StatusConflict {
		t.Errorf("second open case: %d", res.status)
	}
	path := Prefix + "/risk/cases/" + itoa(c.ID)
	if res := e.do(t, req{as: "czn-elizovo", method: "POST", path: path + "/actions", body: map[string]any{"kind": "party", "on": today.AddDate(0, 0, -1).Format("2006-01-02")}}); res.status != http.StatusBadRequest {
		t.Errorf("unknown action: %d", res.status)
	}
	if res := e.do(t, req{as: "czn-elizovo", method: "POST", path: path + "/actions", body: map[string]any{"kind": "vacancy", "on": today.AddDate(0, 0, -1).Format("2006-01-02"), "note": "сварщик"}}); res.status != http.StatusCreated {
		t.Fatalf("action: %d %s", res.status, res.body)
	}
	res = e.do(t, req{as: "czn-elizovo", method: "POST", path: path + "/close", body: map[string]any{"outcome": "employed"}})
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "employer_name") {
		t.Errorf("closed as employed without the employer: %d %s", res.status, res.body)
	}
	res = e.do(t, req{as: "czn-elizovo", method: "POST", path: path + "/close", body: map[string]any{"outcome": "employed",
		"employer_name": "ООО «Камчатка-Строй»", "since": today.AddDate(0, 0, -1).Format("2006-01-02")}})
	if res.status != http.StatusOK {
		t.Fatalf("close: %d %s", res.status, res.body)
	}
	c = decodeJSON[caseDTO](t, res)
	if c.Status != "closed" || c.Outcome != "employed" || len(c.Actions) != 1 || c.ClosedAt == nil {
		t.Errorf("closed %+v", c)
	}
	// The college reads its graduate's case; the other college does not find it.
	if res := e.get(t, "kpt", path); res.status != http.StatusOK {
		t.Errorf("college reads its graduate's case: %d", res.status)
	}
	if res := e.get(t, "kmk", path); res.status != http.StatusNotFound {
		t.Errorf("another college reads the case: %d", res.status)
	}
	// The graduate's employment history got the centre's record.
	res = e.get(t, "kpt", Prefix+"/learners/"+itoa(e.f.graduate.ID)+"/outcomes")
	if !strings.Contains(string(res.body), `"employed"`) || !strings.Contains(string(res.body), "случая") {
		t.Errorf("outcomes after the case: %s", res.body)
	}
	lr := decodeJSON[learnerRiskDTO](t, e.get(t, "kpt", Prefix+"/learners/"+itoa(e.f.graduate.ID)+"/risk"))
	if lr.Score != nil || len(lr.Cases) != 1 || len(lr.Missing) == 0 {
		t.Errorf("learner's risk %+v", lr)
	}
}
