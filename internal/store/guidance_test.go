package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// TestGuidanceCoverage builds a school of pupils, records participation and
// informing, and checks the coverage figures by hand.
func TestGuidanceCoverage(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		sys := auth.SystemScope("41")
		school2 := org.Organisation{RegionCode: "41", Kind: org.School, Name: "МБОУ «Средняя школа № 2»", MunicipalityID: f.muni2.ID}
		if err := s.Orgs.CreateOrganisation(ctx, &school2); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		// School 1: the fixture's 9th-grader and pupils of grades 5, 6, 10, 11; school 2: one 8th-grader.
		pupil := func(o org.Organisation, name string, grade int, group string) learner.Learner {
			l := learner.Learner{RegionCode: "41", LastName: name, FirstName: "Иван", Sex: "м", BirthDate: time.Date(2026-grade-7, 2, 1, 0, 0, 0, 0, time.UTC),
				Status: learner.Pupil, OrgID: o.ID, MunicipalityID: o.MunicipalityID, Grade: grade, Group: group}
			if err := l.Validate(now); err != nil {
				t.Fatal(err)
			}
			if err := s.Learners.CreateLearner(ctx, sys, &l); err != nil {
				t.Fatal(err)
			}
			return l
		}
		p5 := pupil(f.school, "Пятов", 5, "5А")
		p6 := pupil(f.school, "Шестов", 6, "6А")
		p10 := pupil(f.school, "Десятов", 10, "10А")
		p11 := pupil(f.school, "Одиннадцатов", 11, "11А")
		other := pupil(school2, "Чужов", 8, "8Б")

		school := auth.Scope{Role: auth.School, RegionCode: "41", OrgID: f.school.ID, UserID: 1}
		ev := guidance.Event{RegionCode: "41", OrganiserID: f.empl.ID, Kind: guidance.Proba, Title: "Профпроба «Сварщик»",
			HeldOn: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), GradeFrom: 6, GradeTo: 11, Capacity: 10, Hours: 4, Bookable: true, Ticket: true,
			SpecialtyCode: "15.02.08"}
		if err := ev.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := s.Guidance.CreateEvent(ctx, &ev); err != nil {
			t.Fatal(err)
		}
		// Not booked yet: refused, nothing written.
		if _, err := s.Guidance.AddParticipants(ctx, school, ev.ID, []int64{f.pupil.ID}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("participation without a booking: %v", err)
		}
		if err := s.Guidance.Book(ctx, "41", ev.ID, f.school.ID, 3); err != nil {
			t.Fatal(err)
		}
		if err := s.Guidance.Book(ctx, "41", ev.ID, school2.ID, 8); err == nil {
			t.Error("booking beyond capacity accepted")
		}
		refused := []struct {
			name string
			ids  []int64
		}{
			{"another school's pupil", []int64{f.pupil.ID, other.ID}},
			{"a grade the event does not admit", []int64{p5.ID}},
			{"a student", []int64{f.student.ID}},
			{"more than booked", []int64{f.pupil.ID, p6.ID, p10.ID, p11.ID}},
		}
		for _, r := range refused {
			if _, err := s.Guidance.AddParticipants(ctx, school, ev.ID, r.ids); err == nil {
				t.Errorf("%s: accepted", r.name)
			}
		}
		if e, _ := s.Guidance.Event(ctx, "41", ev.ID); e.Participants != 0 {
			t.Fatalf("refused entries left %d participants", e.Participants)
		}
		n, err := s.Guidance.AddParticipants(ctx, school, ev.ID, []int64{f.pupil.ID, p6.ID, p6.ID})
		if err != nil || n != 2 {
			t.Fatalf("added %d, %v", n, err)
		}
		if n, err := s.Guidance.AddParticipants(ctx, school, ev.ID, []int64{f.pupil.ID}); err != nil || n != 0 {
			t.Errorf("repeated entry added %d, %v", n, err)
		}
		// A lesson of the school itself, in December, for grades 10–11: 40 hours for p10.
		lesson := guidance.Event{RegionCode: "41", OrganiserID: f.school.ID, Kind: guidance.Horizons, Title: "Россия — мои горизонты",
			HeldOn: time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC), GradeFrom: 10, GradeTo: 11, Hours: 40}
		if err := s.Guidance.CreateEvent(ctx, &lesson); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Guidance.AddParticipants(ctx, school, lesson.ID, []int64{p10.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.Guidance.Inform(ctx, school, []guidance.Informing{{LearnerID: p11.ID, OrgID: f.school.ID, On: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Method: guidance.ByLesson}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Guidance.Inform(ctx, school, []guidance.Informing{{LearnerID: other.ID, OrgID: f.school.ID, On: now, Method: guidance.ByLesson}}); err == nil {
			t.Error("informing of another school's pupil accepted")
		}

		year := guidance.YearOf(now)
		rows, total, err := s.Guidance.Coverage(ctx, sys, year, "school")
		if err != nil {
			t.Fatal(err)
		}
		// Grades 6–11: school 1 has pupil (9), p6, p10, p11 = 4; school 2 has other (8) = 1.
		// Reached: pupil, p6, p10. Seniors (9–11): pupil, p10, p11; informed: p11.
		// Hours ≥ 40 (базовый): p10 (40). Ticket: pupil, p6.
		want := guidance.Coverage{Pupils: 5, Reached: 3, Seniors: 3, Informed: 1, HoursMet: 1, Ticket: 2}
		if total.Pupils != want.Pupils || total.Reached != want.Reached || total.Seniors != want.Seniors ||
			total.Informed != want.Informed || total.HoursMet != want.HoursMet || total.Ticket != want.Ticket {
			t.Errorf("total %+v, want %+v", total, want)
		}
		if len(rows) != 2 || rows[0].ID != school2.ID && rows[1].ID != school2.ID {
			t.Errorf("rows %+v", rows)
		}
		// The school chooses основной (60 hours): p10's 40 hours no longer meet it.
		if err := s.Guidance.SetLevel(ctx, "41", f.school.ID, year, guidance.Main); err != nil {
			t.Fatal(err)
		}
		if _, total, _ = s.Guidance.Coverage(ctx, school, year, "school"); total.Pupils != 4 || total.HoursMet != 0 || total.Reached != 3 {
			t.Errorf("the school's own coverage %+v", total)
		}
		notReached, n2, err := s.Guidance.Pupils(ctx, school, year, guidance.PupilFilter{Not: "reached", Limit: 10})
		if err != nil || n2 != 1 || len(notReached) != 1 || notReached[0].LearnerID != p11.ID {
			t.Errorf("not reached %+v (%d), %v", notReached, n2, err)
		}
		notInformed, _, _ := s.Guidance.Pupils(ctx, school, year, guidance.PupilFilter{Not: "informed", Limit: 10})
		if len(notInformed) != 2 {
			t.Errorf("not informed %+v", notInformed)
		}
		trend, err := s.Guidance.Trend(ctx, sys, year, now)
		if err != nil || len(trend) != 3 {
			t.Fatalf("trend %+v, %v", trend, err)
		}
		got := fmt.Sprint(trend[0].Reached, trend[1].Reached, trend[2].Reached, trend[2].Informed)
		if got != "1 3 3 1" { // September: p10; October: + pupil, p6; November: informed p11
			t.Errorf("trend %s", got)
		}
		// Taking a pupil off the list takes them out of the figures.
		if err := s.Guidance.RemoveParticipant(ctx, school, ev.ID, p6.ID); err != nil {
			t.Fatal(err)
		}
		if _, total, _ = s.Guidance.Coverage(ctx, sys, year, "municipality"); total.Reached != 2 {
			t.Errorf("reached after removal %d, want 2", total.Reached)
		}
		// The federal operator sees counts, never a list.
		fed := auth.Scope{Role: auth.Federal, RegionCode: "41"}
		if _, total, err = s.Guidance.Coverage(ctx, fed, year, "municipality"); err != nil || total.Pupils != 5 {
			t.Errorf("federal coverage %+v, %v", total, err)
		}
		if _, _, err := s.Guidance.Pupils(ctx, fed, year, guidance.PupilFilter{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("federal list: %v", err)
		}
	})
}
