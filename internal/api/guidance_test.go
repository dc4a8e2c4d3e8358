package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// addSchool adds a school of the region in municipality muni.
func (e *env) addSchool(t *testing.T, name string, muni int64) org.Organisation {
	t.Helper()
	o := org.Organisation{RegionCode: "41", Kind: org.School, Name: name, MunicipalityID: muni}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Orgs.CreateOrganisation(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// addPupil adds a pupil of grade to the school.
func (e *env) addPupil(t *testing.T, school org.Organisation, lastName string, grade int) learner.Learner {
	t.Helper()
	l := learner.Learner{RegionCode: "41", LastName: lastName, FirstName: "Иван", Sex: "м", BirthDate: date(2020-grade, 3, 1),
		Status: learner.Pupil, OrgID: school.ID, MunicipalityID: school.MunicipalityID, Grade: grade}
	if err := l.Validate(today); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Learners.CreateLearner(context.Background(), auth.SystemScope("41"), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

// coverageOf reads the coverage as the user sees it.
func (e *env) coverageOf(t *testing.T, as, query string) coverageDTO {
	t.Helper()
	res := e.get(t, as, Prefix+"/guidance/coverage"+query)
	if res.status != http.StatusOK {
		t.Fatalf("coverage as %s: %d %s", as, res.status, res.body)
	}
	return decodeJSON[coverageDTO](t, res)
}

// TestGuidanceParticipation follows an event of a school: it is created, its
// participants are recorded all or none, and the coverage follows.
func TestGuidanceParticipation(t *testing.T) {
	e := newEnv(t)
	school2 := e.addSchool(t, "МБОУ «Средняя школа № 2»", e.f.muni2.ID)
	stranger := e.addPupil(t, school2, "Чужаков", 9)
	young := e.addPupil(t, e.f.school, "Младшев", 6)

	event := map[string]any{"kind": "excursion", "title": "Экскурсия на судоремонтный завод", "held_on": "2026-10-15",
		"place": "Петропавловск-Камчатский", "grade_from": 8, "grade_to": 11, "hours": 4, "specialty_code": "15.02.08"}
	// A school organises only in its own name.
	other := merged(event, map[string]any{"organiser_id": e.f.college.ID})
	if res := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/events", body: other}); res.status != http.StatusBadRequest ||
		res.err().Field != "organiser_id" {
		t.Errorf("a school names another organiser: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/events", body: merged(event, map[string]any{"grade_from": 10, "grade_to": 8})}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "меньше класса «с»") {
		t.Errorf("grades the wrong way round: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "federal", method: "POST", path: Prefix + "/guidance/events", body: event}); res.status != http.StatusForbidden {
		t.Errorf("the federal operator creates an event: %d %s", res.status, res.body)
	}
	res := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/events", body: event})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	ev := decodeJSON[eventCardDTO](t, res)
	if ev.ID == 0 || ev.OrganiserID != e.f.school.ID || ev.Organiser == "" || ev.HeldOn == nil || *ev.HeldOn != "2026-10-15" ||
		ev.Specialty == "" || ev.Bookings == nil || ev.Participants != 0 {
		t.Errorf("created event %+v", ev)
	}
	if loc := res.header.Get("Location"); loc != Prefix+"/guidance/events/"+itoa(ev.ID) {
		t.Errorf("Location = %q", loc)
	}
	evPath := Prefix + "/guidance/events/" + itoa(ev.ID)

	// Everyone of the region sees the event in the list of the school year.
	page := decodeJSON[list[eventDTO]](t, e.get(t, "federal", Prefix+"/guidance/events?year=2026&kind=excursion"))
	if page.Total != 1 || page.Items[0].ID != ev.ID {
		t.Errorf("events of 2026/27: %+v", page)
	}
	if page := decodeJSON[list[eventDTO]](t, e.get(t, "minobr", Prefix+"/guidance/events?year=2025")); page.Total != 0 || page.Items == nil {
		t.Errorf("events of 2025/26: %+v", page)
	}
	if res := e.get(t, "minobr", Prefix+"/guidance/events?kind=lecture"); res.status != http.StatusBadRequest || res.err().Field != "kind" {
		t.Errorf("unknown kind: %d %s", res.status, res.body)
	}

	before := e.coverageOf(t, "school1", "")
	if before.SchoolYear != "2026/27" || before.Year != 2026 || before.By != "school" || before.Total.Pupils != 2 ||
		before.Total.Reached != 0 || len(before.Rows) != 1 || before.Rows[0].ID != e.f.school.ID {
		t.Fatalf("coverage before: %+v", before)
	}

	// All or nothing: a pupil of another school, or of a grade the event is
	// not for, refuses the whole list, and the refusal names the pupil.
	for _, c := range []struct {
		name string
		ids  []int64
		msg  string
	}{
		{"pupil of another school", []int64{e.f.pupil.ID, stranger.ID}, "обучающийся " + itoa(stranger.ID) + " не найден среди обучающихся, доступных вам"},
		{"grade out of range", []int64{e.f.pupil.ID, young.ID}, "Младшев Иван учится в 6 классе, а мероприятие для 8–11 классов"},
		{"a student", []int64{e.f.pupil.ID, e.f.student.ID}, "не найден"},
		{"empty list", []int64{}, "отметьте хотя бы одного"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.do(t, req{as: "school1", method: "POST", path: evPath + "/participants", body: map[string]any{"learner_ids": c.ids}})
			if res.status != http.StatusBadRequest || res.err().Code != "invalid" || !strings.Contains(res.err().Message, c.msg) {
				t.Errorf("got %d %s, want 400 with %q", res.status, res.body, c.msg)
			}
			if got := decodeJSON[eventCardDTO](t, e.get(t, "school1", evPath)); got.Participants != 0 {
				t.Errorf("a refused list recorded %d participants", got.Participants)
			}
		})
	}
	if cov := e.coverageOf(t, "school1", ""); cov.Total.Reached != 0 {
		t.Errorf("a refused list changed the coverage: %+v", cov.Total)
	}
	// The region may record any pupil, the school of the other pupil not this one's.
	if res := e.do(t, req{as: "kpt", method: "POST", path: evPath + "/participants", body: map[string]any{"learner_ids": []int64{e.f.pupil.ID}}}); res.status != http.StatusForbidden {
		t.Errorf("a college records participants: %d %s", res.status, res.body)
	}

	// Participation is recorded once the event has been held, not before.
	ahead := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/events", body: merged(event, map[string]any{"held_on": today.AddDate(0, 0, 8).Format("2006-01-02")})})
	if ahead.status != http.StatusCreated {
		t.Fatalf("an event ahead: %d %s", ahead.status, ahead.body)
	}
	aheadPath := Prefix + "/guidance/events/" + itoa(decodeJSON[eventCardDTO](t, ahead).ID)
	if res := e.do(t, req{as: "school1", method: "POST", path: aheadPath + "/participants", body: map[string]any{"learner_ids": []int64{e.f.pupil.ID}}}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "участие отмечают после него") {
		t.Errorf("participants of an event eight days ahead: %d %s", res.status, res.body)
	}

	res = e.do(t, req{as: "school1", method: "POST", path: evPath + "/participants", body: map[string]any{"learner_ids": []int64{e.f.pupil.ID}}})
	if res.status != http.StatusOK || decodeJSON[addedDTO](t, res).Added != 1 {
		t.Fatalf("record: %d %s", res.status, res.body)
	}
	again := e.do(t, req{as: "school1", method: "POST", path: evPath + "/participants", body: map[string]any{"learner_ids": []int64{e.f.pupil.ID}}})
	if again.status != http.StatusOK || decodeJSON[addedDTO](t, again).Added != 0 {
		t.Errorf("the same pupil again: %d %s", again.status, again.body)
	}
	ps := decodeJSON[items[participantDTO]](t, e.get(t, "school1", evPath+"/participants"))
	if len(ps.Items) != 1 || ps.Items[0].LearnerID != e.f.pupil.ID || ps.Items[0].Name != "Иванова Мария Петровна" || ps.Items[0].Grade != 9 {
		t.Errorf("participants %+v", ps)
	}
	if ps := decodeJSON[items[participantDTO]](t, e.get(t, "federal", evPath+"/participants")); ps.Items == nil || len(ps.Items) != 0 {
		t.Errorf("the federal operator sees participants: %+v", ps)
	}

	after := e.coverageOf(t, "school1", "")
	if after.Total.Reached != 1 || after.Total.ReachedShare != 0.5 || after.Rows[0].Reached != 1 {
		t.Errorf("coverage after: %+v", after.Total)
	}
	months := []string{}
	for _, m := range after.Trend {
		months = append(months, m.Month)
	}
	if !slices.Equal(months, []string{"2026-09", "2026-10", "2026-11"}) || after.Trend[0].Reached != 0 || after.Trend[1].Reached != 1 || after.Trend[2].Reached != 1 {
		t.Errorf("trend %+v", after.Trend)
	}

	// The region by municipality: the second school's pupil is not reached.
	byMuni := e.coverageOf(t, "minobr", "?by=municipality")
	reached := map[int64][2]int{}
	for _, row := range byMuni.Rows {
		reached[row.ID] = [2]int{row.Reached, row.Pupils}
	}
	if byMuni.By != "municipality" || reached[e.f.muni1.ID] != [2]int{1, 2} || reached[e.f.muni2.ID] != [2]int{0, 1} || byMuni.Total.Pupils != 3 {
		t.Errorf("coverage by municipality: %+v", byMuni)
	}
	if res := e.get(t, "minobr", Prefix+"/guidance/coverage?by=class"); res.status != http.StatusBadRequest || res.err().Field != "by" {
		t.Errorf("unknown cut: %d %s", res.status, res.body)
	}

	// The federal operator gets the counts of the region, not the persons.
	fed := e.coverageOf(t, "federal", "")
	if fed.Total.Pupils != 3 || fed.Total.Reached != 1 || len(fed.Rows) != 2 {
		t.Errorf("federal coverage: %+v", fed)
	}
	if res := e.get(t, "federal", Prefix+"/guidance/pupils"); res.status != http.StatusForbidden || res.err().Code != "forbidden" {
		t.Errorf("the federal operator lists pupils: %d %s", res.status, res.body)
	}

	// The school's lists of pupils: the one not reached yet.
	notReached := decodeJSON[list[pupilDTO]](t, e.get(t, "school1", Prefix+"/guidance/pupils?not=reached"))
	if notReached.Total != 1 || notReached.Items[0].LearnerID != young.ID || notReached.Items[0].Activities != 0 {
		t.Errorf("not reached: %+v", notReached)
	}
	all := decodeJSON[list[pupilDTO]](t, e.get(t, "school1", Prefix+"/guidance/pupils?grade=9"))
	if all.Total != 1 || all.Items[0].Hours != 4 || all.Items[0].Level != "basic" || all.Items[0].LevelHours != 40 ||
		all.Items[0].MeetsLevel || all.Items[0].InformedOn != nil {
		t.Errorf("grade 9: %+v", all)
	}
	if res := e.get(t, "school1", Prefix+"/guidance/pupils?grade=5"); res.status != http.StatusBadRequest || res.err().Field != "grade" {
		t.Errorf("grade 5: %d %s", res.status, res.body)
	}

	// Informing about targeted education.
	inform := map[string]any{"learner_ids": []int64{e.f.pupil.ID}, "on": "2026-10-20", "method": "lesson", "note": "классный час"}
	if res := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/informing", body: merged(inform, map[string]any{"on": "2026-12-01"})}); res.status != http.StatusBadRequest ||
		res.err().Field != "on" {
		t.Errorf("informing in the future: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/informing", body: merged(inform, map[string]any{"method": "poster"})}); res.status != http.StatusBadRequest ||
		res.err().Field != "method" {
		t.Errorf("unknown method: %d %s", res.status, res.body)
	}
	if cov := e.coverageOf(t, "school1", ""); cov.Total.Informed != 0 {
		t.Errorf("a refused informing counted: %+v", cov.Total)
	}
	if res := e.do(t, req{as: "school1", method: "POST", path: Prefix + "/guidance/informing", body: inform}); res.status != http.StatusNoContent || len(res.body) != 0 {
		t.Fatalf("informing: %d %s", res.status, res.body)
	}
	if cov := e.coverageOf(t, "school1", ""); cov.Total.Informed != 1 || cov.Total.Seniors != 1 || cov.Total.InformedShare != 1 {
		t.Errorf("coverage after informing: %+v", cov.Total)
	}
	if got := decodeJSON[list[pupilDTO]](t, e.get(t, "school1", Prefix+"/guidance/pupils?grade=9")); got.Items[0].InformedOn == nil || *got.Items[0].InformedOn != "2026-10-20" {
		t.Errorf("informed on: %+v", got.Items)
	}

	// The level of профминимум.
	if res := e.do(t, req{as: "school1", method: "PUT", path: Prefix + "/guidance/level", body: map[string]any{"level": "main"}}); res.status != http.StatusNoContent {
		t.Fatalf("level: %d %s", res.status, res.body)
	}
	if got := decodeJSON[list[pupilDTO]](t, e.get(t, "school1", Prefix+"/guidance/pupils?grade=9")); got.Items[0].Level != "main" || got.Items[0].LevelHours != 60 {
		t.Errorf("level after the choice: %+v", got.Items)
	}
	if res := e.do(t, req{as: "school1", method: "PUT", path: Prefix + "/guidance/level", body: map[string]any{"org_id": school2.ID, "level": "main"}}); res.status != http.StatusForbidden {
		t.Errorf("a school chooses for another: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "school1", method: "PUT", path: Prefix + "/guidance/level", body: map[string]any{"level": "expert"}}); res.status != http.StatusBadRequest || res.err().Field != "level" {
		t.Errorf("unknown level: %d %s", res.status, res.body)
	}

	// Taking the pupil off the list undoes the reach.
	del := evPath + "/participants/" + itoa(e.f.pupil.ID)
	if res := e.do(t, req{as: "school1", method: "DELETE", path: del}); res.status != http.StatusNoContent {
		t.Fatalf("unrecord: %d %s", res.status, res.body)
	}
	if cov := e.coverageOf(t, "school1", ""); cov.Total.Reached != 0 {
		t.Errorf("coverage after unrecording: %+v", cov.Total)
	}
	if res := e.do(t, req{as: "school1", method: "DELETE", path: del}); res.status != http.StatusNotFound {
		t.Errorf("unrecord twice: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "school1", method: "DELETE", path: evPath + "/participants/abc"}); res.status != http.StatusBadRequest || res.err().Field != "learner_id" {
		t.Errorf("a bad learner id: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "school1", method: "GET", path: del}); res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "DELETE" {
		t.Errorf("GET of a participant: %d %s, Allow %q", res.status, res.body, res.header.Get("Allow"))
	}
	if res := e.get(t, "school1", Prefix+"/guidance/events/999999"); res.status != http.StatusNotFound {
		t.Errorf("a missing event: %d %s", res.status, res.body)
	}
}

// TestGuidanceBooking: the region offers a профпроба of the college that
// schools book; a school's pupils take part within its booking.
func TestGuidanceBooking(t *testing.T) {
	e := newEnv(t)
	second := e.addPupil(t, e.f.school, "Второва", 9)
	res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/guidance/events", body: map[string]any{
		"organiser_id": e.f.college.ID, "kind": "proba", "title": "Проба «Сварщик»", "held_on": "2026-10-10",
		"grade_from": 8, "grade_to": 9, "hours": 2, "capacity": 10, "bookable": true, "ticket": true}})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	ev := decodeJSON[eventCardDTO](t, res)
	if ev.OrganiserID != e.f.college.ID || !ev.Bookable || !ev.Ticket {
		t.Fatalf("event %+v", ev)
	}
	evPath := Prefix + "/guidance/events/" + itoa(ev.ID)
	record := func() response {
		return e.do(t, req{as: "school1", method: "POST", path: evPath + "/participants", body: map[string]any{"learner_ids": []int64{e.f.pupil.ID, second.ID}}})
	}
	if res := record(); res.status != http.StatusBadRequest || !strings.Contains(res.err().Message, "сначала забронируйте места") {
		t.Errorf("without a booking: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "kpt", method: "POST", path: evPath + "/bookings", body: map[string]any{"seats": 1}}); res.status != http.StatusForbidden {
		t.Errorf("a college books: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "school1", method: "POST", path: evPath + "/bookings", body: map[string]any{"seats": 11}}); res.status != http.StatusBadRequest ||
		res.err().Field != "seats" {
		t.Errorf("more seats than places: %d %s", res.status, res.body)
	}
	res = e.do(t, req{as: "school1", method: "POST", path: evPath + "/bookings", body: map[string]any{"seats": 1}})
	if res.status != http.StatusOK {
		t.Fatalf("booking: %d %s", res.status, res.body)
	}
	if card := decodeJSON[eventCardDTO](t, res); card.Booked != 1 || len(card.Bookings) != 1 || card.Bookings[0].SchoolID != e.f.school.ID || card.Bookings[0].Seats != 1 {
		t.Errorf("booked %+v", card)
	}
	if res := record(); res.status != http.StatusBadRequest || !strings.Contains(res.err().Message, "забронировала 1 мест") {
		t.Errorf("two pupils on one seat: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "school1", method: "POST", path: evPath + "/bookings", body: map[string]any{"seats": 2}}); res.status != http.StatusOK {
		t.Fatalf("rebooking: %d %s", res.status, res.body)
	}
	if res := record(); res.status != http.StatusOK || decodeJSON[addedDTO](t, res).Added != 2 {
		t.Fatalf("record within the booking: %d %s", res.status, res.body)
	}
	card := decodeJSON[eventCardDTO](t, e.get(t, "school1", evPath))
	if card.Participants != 2 || card.Booked != 2 || card.Bookings[0].Came != 2 {
		t.Errorf("event after recording %+v", card)
	}
	if cov := e.coverageOf(t, "minobr", ""); cov.Total.Ticket != 2 || cov.Total.Reached != 2 {
		t.Errorf("coverage %+v", cov.Total)
	}
	if page := decodeJSON[list[eventDTO]](t, e.get(t, "school1", Prefix+"/guidance/events?bookable=true&booked_by="+itoa(e.f.school.ID))); page.Total != 1 {
		t.Errorf("booked events %+v", page)
	}
}

// TestDDO: a school enters a pupil's paper sheet; the points are those of
// ddo.Score, a sheet with a blank pair is refused naming it.
func TestDDO(t *testing.T) {
	e := newEnv(t)
	path := Prefix + "/learners/" + itoa(e.f.pupil.ID) + "/ddo"
	// first leans to technics: its option wherever a pair has one.
	var sheet []byte
	for _, it := range ddo.Questionnaire().Items {
		if it.B.Type == ddo.Technics {
			sheet = append(sheet, 'b')
		} else {
			sheet = append(sheet, 'a')
		}
	}
	first, second := string(sheet), "bbbbbbbbbbaaaaaaaaaa"
	res := e.do(t, req{as: "school1", method: "POST", path: path, body: map[string]any{"answers": first}})
	if res.status != http.StatusCreated {
		t.Fatalf("take: %d %s", res.status, res.body)
	}
	got := decodeJSON[ddoDTO](t, res)
	a, err := ddo.ParseAnswers(first)
	if err != nil {
		t.Fatal(err)
	}
	want := ddo.Score(a)
	points := map[ddo.Type]int{ddo.Nature: got.Points.Nature, ddo.Technics: got.Points.Technics, ddo.Human: got.Points.Human,
		ddo.Sign: got.Points.Sign, ddo.Art: got.Points.Art}
	levels := map[ddo.Type]string{ddo.Nature: got.Levels.Nature, ddo.Technics: got.Levels.Technics, ddo.Human: got.Levels.Human,
		ddo.Sign: got.Levels.Sign, ddo.Art: got.Levels.Art}
	sum := 0
	for _, ty := range ddo.Types() {
		if points[ty] != want.Points[ty] {
			t.Errorf("%s: %d points, ddo.Score gives %d", ty, points[ty], want.Points[ty])
		}
		if levels[ty] != string(want.Level(ty)) {
			t.Errorf("%s: level %q, want %q", ty, levels[ty], want.Level(ty))
		}
		sum += points[ty]
	}
	if sum != ddo.Items {
		t.Errorf("points sum to %d", sum)
	}
	if !slices.Equal(got.Leading, names(want.Leading())) || !slices.Equal(got.Leading, []string{"technics"}) ||
		got.Points.Technics != ddo.MaxPoints || got.Levels.Technics != "high" {
		t.Errorf("leading %v (want %v), points %+v, levels %+v", got.Leading, want.Leading(), got.Points, got.Levels)
	}
	if got.Answers != first || got.TakenOn == nil || *got.TakenOn != "2026-11-01" || got.Source != "paper" || got.LearnerID != e.f.pupil.ID || got.ID == 0 {
		t.Errorf("result %+v", got)
	}

	for _, c := range []struct{ name, answers, msg string }{
		{"blank pair", first[:4] + "-" + first[5:], "не отмечен ответ в паре 5"},
		{"short sheet", first[:18], "не отмечены ответы в парах 19, 20"},
		{"wrong letter", first[:19] + "c", "в паре 20 недопустимый ответ «c»"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.do(t, req{as: "school1", method: "POST", path: path, body: map[string]any{"answers": c.answers}})
			if res.status != http.StatusBadRequest || res.err().Field != "answers" || !strings.Contains(res.err().Message, c.msg) {
				t.Errorf("got %d %s, want 400 with %q", res.status, res.body, c.msg)
			}
		})
	}
	if res := e.do(t, req{as: "school1", method: "POST", path: path, body: map[string]any{"answers": second}}); res.status != http.StatusCreated {
		t.Fatalf("second sheet: %d %s", res.status, res.body)
	}
	results := decodeJSON[items[ddoDTO]](t, e.get(t, "school1", path))
	if len(results.Items) != 2 || results.Items[0].Answers != second || results.Items[1].Answers != first || results.Items[1].Points != got.Points {
		t.Errorf("results, newest first: %+v", results.Items)
	}
	// Outside the caller's scope the learner does not exist; a college records no sheet.
	if res := e.get(t, "kmk", path); res.status != http.StatusNotFound {
		t.Errorf("another organisation reads the results: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/learners/" + itoa(e.f.student.ID) + "/ddo", body: map[string]any{"answers": first}}); res.status != http.StatusForbidden {
		t.Errorf("a college enters a sheet: %d %s", res.status, res.body)
	}
}

// merged returns a copy of base with the keys of over set.
func merged(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// TestWithoutServices: a program wired without the services of guidance,
// targeted education, routing and analytics answers 500 on their routes,
// logged, and does not crash.
func TestWithoutServices(t *testing.T) {
	e := newEnv(t)
	d := e.deps
	d.Guidance, d.Targeted, d.Routing, d.Analytics = nil, nil, nil, nil
	srv := httptest.NewServer(asCaller(t, e.f.users, New(d)))
	t.Cleanup(srv.Close)
	for _, path := range []string{"/guidance/events", "/targeted/offers", "/routing/runs", "/employment"} {
		r, err := http.NewRequest("GET", srv.URL+Prefix+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("X-Test-As", "minobr")
		res, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusInternalServerError {
			t.Errorf("%s without its service: %d", path, res.StatusCode)
		}
	}
	for _, dep := range []string{"Guidance", "Targeted", "Routing", "Analytics"} {
		if logged := e.log.String(); !strings.Contains(logged, "Deps."+dep+" is not set") {
			t.Errorf("Deps.%s not logged: %q", dep, logged)
		}
	}
}
