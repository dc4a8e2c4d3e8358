package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEventEditForm edits an event through its pages: the form comes
// prefilled, a saved edit returns to the event with «Изменения сохранены»
// and its history; a refused edit shows the form again with the reason and
// saves nothing; another organisation gets no form.
func TestEventEditForm(t *testing.T) {
	e := setup(t)
	c, code, _ := e.login(t, "college", password)
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	csrf := func(page string) string {
		m := reCSRF.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no csrf token in the form")
		}
		return m[1]
	}
	_, page := get(t, c, e.srv.URL+"/guidance/events/new")
	past := time.Now().AddDate(0, 0, -10).Format("2006-01-02")
	form := url.Values{"csrf": {csrf(page)}, "kind": {"meeting"}, "title": {"День открытых дверей"}, "held_on": {past},
		"place": {"Учебный корпус"}, "grade_from": {"8"}, "grade_to": {"11"}, "hours": {"2"}, "capacity": {"30"}}
	code, _ = post(t, c, e.srv.URL+"/guidance/events", form)
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	_, list := get(t, c, e.srv.URL+"/guidance?mine=1")
	m := regexp.MustCompile(`href="/guidance/events/(\d+)"`).FindStringSubmatch(list)
	if m == nil {
		t.Fatal("the new event is not in the list")
	}
	event := e.srv.URL + "/guidance/events/" + m[1]

	code, page = get(t, c, event+"/edit")
	if code != http.StatusOK || !strings.Contains(page, "Изменение мероприятия") || !strings.Contains(page, `value="День открытых дверей"`) ||
		!strings.Contains(page, `action="/guidance/events/`+m[1]+`"`) || !strings.Contains(page, "Мероприятие прошло") {
		t.Fatalf("edit form: %d %.300s", code, page)
	}
	form.Set("csrf", csrf(page))
	form.Set("hours", "3")
	req, _ := http.NewRequest("POST", event, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/guidance/events/"+m[1]+"?done=saved") {
		t.Fatalf("save: %d → %s", resp.StatusCode, loc)
	}
	_, page = get(t, c, e.srv.URL+loc)
	for _, want := range []string{"Изменения сохранены.", "История изменений", "Академических часов", `href="/guidance/events/` + m[1] + `/edit"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the event's page after the edit lacks %q", want)
		}
	}

	// A past event keeps its day: the form comes back with the reason.
	form.Set("held_on", time.Now().AddDate(0, 0, 5).Format("2006-01-02"))
	code, page = post(t, c, event, form)
	if code != http.StatusBadRequest || !strings.Contains(page, "дату проведения прошедшего мероприятия изменить нельзя") {
		t.Errorf("a past event moved: %d %.300s", code, page)
	}
	if _, page = get(t, c, event); strings.Count(page, "Академических часов") != 2 {
		t.Errorf("a refused edit changed the history: %d entries of hours", strings.Count(page, "Академических часов")-1)
	}

	// The region sees the history and the link; the federal operator neither.
	r, _, _ := e.login(t, "region", password)
	if _, page = get(t, r, event); !strings.Contains(page, "История изменений") {
		t.Error("the region does not see the history")
	}
	f, _, _ := e.login(t, "federal", password)
	if _, page = get(t, f, event); strings.Contains(page, "История изменений") || strings.Contains(page, "/edit") {
		t.Error("the federal operator sees the history or the edit link")
	}
	if code, _ = get(t, f, event+"/edit"); code != http.StatusForbidden {
		t.Errorf("the federal operator's edit form: %d", code)
	}
}
