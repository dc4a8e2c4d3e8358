package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/history"
	"marshrut/internal/learner"
)

// An event's edit and its record land together: the changed fields read as
// the form names them, the editor from the request; an unchanged save and a
// refused edit (a past event moved to another day, fewer places than pupils
// recorded) leave no record and change nothing; a past event's new hours
// reach its participants' coverage.
func TestEventEditHistory(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := guidance.NewService(s.Guidance, func() time.Time { return now })
		empl := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID, UserID: 7}
		ctx := auth.WithCaller(context.Background(), auth.User{ID: 7, Login: "hr.kamgeo"}, empl)
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

		past := guidance.Event{Kind: guidance.Excursion, Title: "Экскурсия на рыбокомбинат", HeldOn: day(2026, 10, 5),
			Place: "Петропавловск-Камчатский", GradeFrom: 8, GradeTo: 11, Capacity: 10, Hours: 4}
		next := guidance.Event{Kind: guidance.Proba, Title: "Профпроба «Обработчик рыбы»", HeldOn: day(2026, 12, 15),
			Place: "цех № 1", GradeFrom: 8, GradeTo: 11, Hours: 2, SpecialtyCode: "15.02.08"}
		for _, e := range []*guidance.Event{&past, &next} {
			if err := svc.CreateEvent(ctx, empl, e); err != nil {
				t.Fatal(err)
			}
		}
		// Two pupils of the school took part in the past event.
		p8 := learner.Learner{RegionCode: "41", LastName: "Восьмов", FirstName: "Иван", Sex: "м", BirthDate: day(2012, 2, 1),
			Status: learner.Pupil, OrgID: f.school.ID, MunicipalityID: f.muni1.ID, Grade: 8, Group: "8А"}
		if err := s.Learners.CreateLearner(ctx, auth.SystemScope("41"), &p8); err != nil {
			t.Fatal(err)
		}
		school := auth.Scope{Role: auth.School, RegionCode: "41", OrgID: f.school.ID, UserID: 3}
		if n, err := svc.Record(ctx, school, past.ID, []int64{f.pupil.ID, p8.ID}); err != nil || n != 2 {
			t.Fatalf("record: %d, %v", n, err)
		}
		if h, err := svc.EventHistory(ctx, empl, next.ID); err != nil || len(h) != 0 {
			t.Fatalf("a new event's history: %v, %v; want none", h, err)
		}

		// The coming event: moved, renamed, longer, with places.
		edit := next
		edit.HeldOn, edit.Place, edit.Hours, edit.Capacity, edit.Ticket = day(2026, 12, 18), "цех № 2", 3, 12, true
		if err := svc.UpdateEvent(ctx, empl, &edit); err != nil {
			t.Fatal(err)
		}
		same := edit
		if err := svc.UpdateEvent(ctx, empl, &same); err != nil {
			t.Fatal(err)
		}
		h, err := svc.EventHistory(ctx, empl, next.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []history.Change{
			{Field: "Дата проведения", Old: "15.12.2026", New: "18.12.2026"},
			{Field: "Место", Old: "цех № 1", New: "цех № 2"},
			{Field: "Академических часов", Old: "2", New: "3"},
			{Field: "Мест", Old: "без ограничения", New: "12"},
			{Field: "«Билет в будущее»", Old: "нет", New: "да"},
		}
		if len(h) != 1 || !reflect.DeepEqual(h[0].Changes, want) || h[0].Login != "hr.kamgeo" || h[0].UserID != 7 {
			t.Fatalf("history %+v, want one entry %+v by hr.kamgeo", h, want)
		}

		// The past event: refused edits change nothing and leave no record.
		refused := []struct {
			name, field, words string
			change             func(e *guidance.Event)
		}{
			{"moved to another day", "held_on", "уже прошло 05.10.2026", func(e *guidance.Event) { e.HeldOn = day(2026, 10, 6) }},
			{"moved to another place", "place", "место проведения", func(e *guidance.Event) { e.Place = "Елизово" }},
			{"fewer places than pupils", "capacity", "указано мест 1, отмечено участников 2", func(e *guidance.Event) { e.Capacity = 1 }},
			{"opened for booking", "bookable", "бронирование", func(e *guidance.Event) { e.Bookable = true }},
		}
		for _, r := range refused {
			bad := past
			r.change(&bad)
			err := svc.UpdateEvent(ctx, empl, &bad)
			var ae *apperr.Error
			if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &ae) || ae.Field != r.field || !strings.Contains(apperr.Text(err), r.words) {
				t.Errorf("%s: %v, want refused on %s with «%s»", r.name, err, r.field, r.words)
			}
		}
		if got, err := s.Guidance.Event(ctx, "41", past.ID); err != nil || !got.HeldOn.Equal(past.HeldOn) || got.Place != past.Place || got.Capacity != 10 || got.Bookable {
			t.Errorf("a refused edit changed the event: %+v, %v", got, err)
		}
		if h, _ := svc.EventHistory(ctx, empl, past.ID); len(h) != 0 {
			t.Errorf("refused edits left a record: %+v", h)
		}
		// What a past event may still correct: its hours, and the pupils' hours follow.
		fix := past
		fix.Hours, fix.Capacity = 6, 2
		if err := svc.UpdateEvent(ctx, empl, &fix); err != nil {
			t.Fatal(err)
		}
		pupils, _, err := s.Guidance.Pupils(ctx, school, guidance.YearOf(now), guidance.PupilFilter{Grade: 8, Limit: 10})
		if err != nil || len(pupils) != 1 || pupils[0].Hours != 6 {
			t.Errorf("the pupil's hours after the edit: %+v, %v; want 6", pupils, err)
		}

		// Only the organiser and the region edit, and see the history.
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}
		other := next
		other.Title = "Чужая правка"
		for _, sc := range []auth.Scope{college, school} {
			if err := svc.UpdateEvent(ctx, sc, &other); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s edits another's event: %v", sc.Role, err)
			}
			if _, err := svc.EventHistory(ctx, sc, next.ID); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s reads another's event history: %v", sc.Role, err)
			}
		}
		// The region hands the coming event to the college: names, not numbers.
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
		rctx := auth.WithCaller(context.Background(), auth.User{ID: 1, Login: "minobr"}, region)
		moved := edit
		moved.OrganiserID = f.college.ID
		now = now.Add(time.Hour)
		if err := svc.UpdateEvent(rctx, region, &moved); err != nil {
			t.Fatal(err)
		}
		h, err = svc.EventHistory(rctx, region, next.ID)
		if err != nil || len(h) != 2 || h[0].Login != "minobr" ||
			!reflect.DeepEqual(h[0].Changes, []history.Change{{Field: "Организатор", Old: f.empl.Name, New: f.college.Name}}) {
			t.Errorf("the region's edit: %+v, %v", h, err)
		}
		// Another region's event is not found, and has no history here.
		if _, err := svc.EventHistory(ctx, auth.Scope{Role: auth.Region, RegionCode: "77"}, next.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another region reads the history: %v", err)
		}
	})
}
