package api

import (
	"net/http"
	"strings"
	"testing"

	"marshrut/internal/history"
)

type historyDTO struct {
	Items []history.Entry `json:"items"`
}

// A programme of active measures is edited with PUT by the region and the
// centre that manages it; the edit is kept field by field and read at
// …/history by them alone; a refused edit changes and records nothing.
func TestMeasureProgrammeEditByAPI(t *testing.T) {
	e := withMeasures(t)
	prog := map[string]any{"name": "Повар", "provider_name": "АНО ДПО «Профи»", "customer": "b2g",
		"profession": "Повар", "hours": 144, "format": "mixed", "price": 25000}
	res := e.do(t, req{as: "czn-elizovo", method: "POST", path: Prefix + "/measures/programmes", body: prog})
	if res.status != http.StatusCreated {
		t.Fatalf("programme: %d %s", res.status, res.body)
	}
	p := decodeJSON[measureProgrammeDTO](t, res)
	path := Prefix + "/measures/programmes/" + itoa(p.ID)
	if h := decodeJSON[historyDTO](t, e.get(t, "czn-elizovo", path+"/history")); len(h.Items) != 0 {
		t.Errorf("a new programme's history: %+v", h)
	}
	edit := merged(prog, map[string]any{"hours": 160, "price": 30000})
	res = e.do(t, req{as: "czn-elizovo", method: "PUT", path: path, body: edit})
	if got := decodeJSON[measureProgrammeDTO](t, res); res.status != http.StatusOK || got.Hours != 160 || got.Price != 30000 {
		t.Fatalf("edit: %d %s", res.status, res.body)
	}
	for _, who := range []string{"kpt", "rybprom"} {
		if res := e.do(t, req{as: who, method: "PUT", path: path, body: edit}); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
			t.Errorf("%s edits the programme: %d", who, res.status)
		}
	}
	if res := e.do(t, req{as: "minobr", method: "PUT", path: path, body: merged(edit, map[string]any{"hours": 8})}); res.status != http.StatusBadRequest {
		t.Errorf("8 hours: %d %s", res.status, res.body)
	}
	res = e.get(t, "minobr", path+"/history")
	h := decodeJSON[historyDTO](t, res)
	if res.status != http.StatusOK || len(h.Items) != 1 || h.Items[0].Login != "czn-elizovo" || len(h.Items[0].Changes) != 2 ||
		h.Items[0].Changes[1] != (history.Change{Field: "Стоимость обучения одного человека", Old: "25 000 ₽", New: "30 000 ₽"}) {
		t.Errorf("history: %d %s", res.status, res.body)
	}
	if res := e.get(t, "kpt", path+"/history"); res.status != http.StatusNotFound && res.status != http.StatusForbidden {
		t.Errorf("a college reads the history: %d", res.status)
	}
	// Once people are enrolled the price stays: 409, nothing recorded.
	res = e.do(t, req{as: "czn-elizovo", method: "POST", path: path + "/groups", body: map[string]any{"name": "П-1", "starts_on": "2026-11-01", "ends_on": "2027-02-01", "capacity": 10}})
	if res.status != http.StatusCreated {
		t.Fatalf("group: %d %s", res.status, res.body)
	}
	g := decodeJSON[measureGroupDTO](t, res)
	res = e.do(t, req{as: "czn-elizovo", method: "POST", path: Prefix + "/measures/groups/" + itoa(g.ID) + "/enrolments",
		body: map[string]any{"category": "unemployed", "last_name": "Орлов", "first_name": "Иван", "birth_year": 1990}})
	if res.status != http.StatusCreated {
		t.Fatalf("enrol: %d %s", res.status, res.body)
	}
	res = e.do(t, req{as: "czn-elizovo", method: "PUT", path: path, body: merged(edit, map[string]any{"price": 35000})})
	if res.status != http.StatusConflict || !strings.Contains(res.err().Message, "30 000") {
		t.Errorf("a new price with people enrolled: %d %s", res.status, res.body)
	}
	if h := decodeJSON[historyDTO](t, e.get(t, "czn-elizovo", path+"/history")); len(h.Items) != 1 {
		t.Errorf("a refused edit was recorded: %+v", h)
	}
}

// A mentor is read, edited and their history read by API; with an active
// pair the college stays.
func TestMentorEditByAPI(t *testing.T) {
	e := withProgrammes(t)
	res := e.do(t, req{as: "rybprom", method: "POST", path: Prefix + "/mentorship/mentors", body: map[string]any{"org_id": e.f.college.ID, "kind": "staff",
		"full_name": "Петров Олег Иванович", "position": "механик", "capacity": 1}})
	if res.status != http.StatusCreated {
		t.Fatalf("mentor: %d %s", res.status, res.body)
	}
	m := decodeJSON[mentorDTO](t, res)
	path := Prefix + "/mentorship/mentors/" + itoa(m.ID)
	if got := decodeJSON[mentorDTO](t, e.get(t, "kpt", path)); got.FullName != m.FullName {
		t.Errorf("the college reads %+v", got)
	}
	if res := e.get(t, "kmk", path); res.status != http.StatusNotFound {
		t.Errorf("another college reads the mentor: %d", res.status)
	}
	edit := map[string]any{"org_id": e.f.college.ID, "kind": "staff", "full_name": "Петров Олег Иванович", "position": "главный механик", "capacity": 2}
	res = e.do(t, req{as: "rybprom", method: "PUT", path: path, body: edit})
	if got := decodeJSON[mentorDTO](t, res); res.status != http.StatusOK || got.Position != "главный механик" || got.Capacity != 2 {
		t.Fatalf("edit: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "kmk", method: "PUT", path: path, body: edit}); res.status != http.StatusNotFound {
		t.Errorf("another college edits the mentor: %d", res.status)
	}
	if res := e.do(t, req{as: "smirnov", method: "PUT", path: path, body: edit}); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
		t.Errorf("a learner edits the mentor: %d", res.status)
	}
	// A pair: the mentor's college now stays.
	res = e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/mentorship/programmes", body: map[string]any{"form": "employer_student", "title": "Наставники на производстве", "year": 2026}})
	pr := decodeJSON[programmeDTO](t, res)
	res = e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/mentorship/programmes/" + itoa(pr.ID) + "/pairs", body: map[string]any{
		"start": "2026-11-01", "planned_end": "2027-06-30", "goals": "Практика", "pairs": []map[string]any{{"mentor_id": m.ID, "learner_id": e.f.extra[0].ID}}}})
	if res.status != http.StatusCreated {
		t.Fatalf("pair: %d %s", res.status, res.body)
	}
	res = e.do(t, req{as: "minobr", method: "PUT", path: path, body: merged(edit, map[string]any{"org_id": e.f.college2.ID, "employer_id": e.f.empl.ID})})
	if res.status != http.StatusConflict || !strings.Contains(res.err().Message, "действующая пара") {
		t.Errorf("a new college with an active pair: %d %s", res.status, res.body)
	}
	res = e.get(t, "kpt", path+"/history")
	h := decodeJSON[historyDTO](t, res)
	want := []history.Change{{Field: "Должность", Old: "механик", New: "главный механик"}, {Field: "Наставляемых одновременно", Old: "1", New: "2"}}
	if res.status != http.StatusOK || len(h.Items) != 1 || h.Items[0].Login != "rybprom" || len(h.Items[0].Changes) != 2 ||
		h.Items[0].Changes[0] != want[0] || h.Items[0].Changes[1] != want[1] {
		t.Errorf("history: %d %s", res.status, res.body)
	}
	if res := e.get(t, "smirnov", path+"/history"); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
		t.Errorf("a learner reads the history: %d", res.status)
	}
}
