package api

import (
	"net/http"
	"strings"
	"testing"

	"marshrut/internal/history"
)

// TestGuidanceEventEdit changes events through PUT: the organiser and the
// region edit, others are refused; a past event keeps its day and cannot
// have fewer places than pupils recorded; every saved edit is in the
// event's history, which only those who may edit read.
func TestGuidanceEventEdit(t *testing.T) {
	e := newEnv(t)
	second := e.addPupil(t, e.f.school, "Вторых", 9)
	event := map[string]any{"kind": "excursion", "title": "Экскурсия на судоремонтный завод", "held_on": "2026-10-15",
		"place": "Петропавловск-Камчатский", "grade_from": 8, "grade_to": 11, "hours": 4, "capacity": 10}
	create := func(body map[string]any) (eventCardDTO, string) {
		t.Helper()
		res := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/events", body: body})
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		ev := decodeJSON[eventCardDTO](t, res)
		return ev, Prefix + "/guidance/events/" + itoa(ev.ID)
	}
	_, pastPath := create(event)
	_, nextPath := create(merged(event, map[string]any{"held_on": "2026-11-20", "title": "Профпроба «Сварщик»"}))
	if res := e.do(t, req{as: "school1", method: "POST", path: pastPath + "/participants",
		body: map[string]any{"learner_ids": []int64{e.f.pupil.ID, second.ID}}}); res.status != http.StatusOK {
		t.Fatalf("record: %d %s", res.status, res.body)
	}
	historyOf := func(as, path string) []history.Entry {
		t.Helper()
		res := e.get(t, as, path+"/history")
		if res.status != http.StatusOK {
			t.Fatalf("history as %s: %d %s", as, res.status, res.body)
		}
		return decodeJSON[struct{ Items []history.Entry }](t, res).Items
	}
	if h := historyOf("school1", nextPath); len(h) != 0 {
		t.Fatalf("a new event's history: %+v", h)
	}

	// The organiser moves the coming event and gives it more hours.
	edited := merged(event, map[string]any{"held_on": "2026-11-22", "title": "Профпроба «Сварщик»", "hours": 6})
	res := e.do(t, req{as: "school1", method: "PUT", path: nextPath, body: edited})
	if res.status != http.StatusOK {
		t.Fatalf("update: %d %s", res.status, res.body)
	}
	if got := decodeJSON[eventCardDTO](t, res); got.HeldOn == nil || *got.HeldOn != "2026-11-22" || got.Hours != 6 || got.Organiser == "" {
		t.Errorf("updated event %+v", got)
	}
	// Saved again as it is: no new entry.
	if res := e.do(t, req{as: "school1", method: "PUT", path: nextPath, body: edited}); res.status != http.StatusOK {
		t.Fatalf("same save: %d %s", res.status, res.body)
	}
	h := historyOf("minobr", nextPath)
	if len(h) != 1 || h[0].Login != "school1" || len(h[0].Changes) != 2 ||
		h[0].Changes[0] != (history.Change{Field: "Дата проведения", Old: "20.11.2026", New: "22.11.2026"}) ||
		h[0].Changes[1] != (history.Change{Field: "Академических часов", Old: "4", New: "6"}) {
		t.Errorf("history %+v", h)
	}

	// The past event: refused edits change nothing.
	for _, c := range []struct {
		name, field, msg string
		over             map[string]any
	}{
		{"another day", "held_on", "уже прошло 15.10.2026", map[string]any{"held_on": "2026-10-16"}},
		{"fewer places than pupils", "capacity", "указано мест 1, отмечено участников 2", map[string]any{"capacity": 1}},
		{"id of another event", "id", "не совпадает", map[string]any{"id": 999}},
	} {
		res := e.do(t, req{as: "school1", method: "PUT", path: pastPath, body: merged(event, c.over)})
		if res.status != http.StatusBadRequest || res.err().Field != c.field || !strings.Contains(res.err().Message, c.msg) {
			t.Errorf("%s: %d %s, want 400 on %s with %q", c.name, res.status, res.body, c.field, c.msg)
		}
	}
	if got := decodeJSON[eventCardDTO](t, e.get(t, "school1", pastPath)); *got.HeldOn != "2026-10-15" || got.Capacity != 10 || got.Participants != 2 {
		t.Errorf("refused edits changed the event: %+v", got)
	}
	if h := historyOf("school1", pastPath); len(h) != 0 {
		t.Errorf("refused edits left a record: %+v", h)
	}

	// Others neither edit nor read the history; a missing event is not found.
	for _, as := range []string{"kpt", "rybprom", "federal", "smirnov"} {
		if res := e.do(t, req{as: as, method: "PUT", path: nextPath, body: edited}); res.status != http.StatusForbidden {
			t.Errorf("%s edits the school's event: %d %s", as, res.status, res.body)
		}
		if res := e.get(t, as, nextPath+"/history"); res.status != http.StatusForbidden {
			t.Errorf("%s reads the history: %d %s", as, res.status, res.body)
		}
	}
	if res := e.do(t, req{as: "minobr", method: "PUT", path: Prefix + "/guidance/events/999999", body: edited}); res.status != http.StatusNotFound {
		t.Errorf("a missing event: %d %s", res.status, res.body)
	}
	// The region edits any event; organiser_id 0 keeps the organiser.
	res = e.do(t, req{as: "minobr", method: "PUT", path: pastPath, body: merged(event, map[string]any{"hours": 5})})
	if res.status != http.StatusOK || decodeJSON[eventCardDTO](t, res).OrganiserID != e.f.school.ID {
		t.Errorf("the region's edit: %d %s", res.status, res.body)
	}
	if h := historyOf("school1", pastPath); len(h) != 1 || h[0].Login != "minobr" {
		t.Errorf("the region's edit in the history: %+v", h)
	}
}
