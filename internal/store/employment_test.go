package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

func TestEmploymentAndRating(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		sys := auth.SystemScope("41")
		now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		// Two more graduates of 2025 at the same college: one works from
		// September 2025 to March 2026 without a known salary, one is unknown.
		mk := func(name string) learner.Learner {
			l := learner.Learner{RegionCode: "41", LastName: name, FirstName: "Иван", Sex: "м", BirthDate: time.Date(2004, 1, 2, 0, 0, 0, 0, time.UTC),
				Status: learner.Graduate, OrgID: f.college.ID, MunicipalityID: f.muni1.ID, SpecialtyCode: "22.02.06", Form: learner.FullTime, GraduationYear: 2025}
			if err := l.Validate(now); err != nil {
				t.Fatal(err)
			}
			if err := s.Learners.CreateLearner(ctx, sys, &l); err != nil {
				t.Fatal(err)
			}
			return l
		}
		short, unknown := mk("Краткий"), mk("Неизвестный")
		_ = unknown
		add := func(o learner.Outcome) {
			t.Helper()
			if err := s.Learners.AddOutcome(ctx, sys, &o); err != nil {
				t.Fatal(err)
			}
		}
		add(learner.Outcome{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: day(2025, 8, 1), Salary: 70000})
		add(learner.Outcome{LearnerID: short.ID, Status: learner.Employed, EmployerName: "ИП Петров", Start: day(2025, 9, 1), End: day(2026, 3, 1)})
		rows, err := s.Analytics.Employment(ctx, sys, "org", []int{2025})
		if err != nil || len(rows) != 1 {
			t.Fatalf("employment rows %+v, %v", rows, err)
		}
		r := rows[0]
		// Six months (31.12.2025): both working; twelve months (30.06.2026): the first only — the second's job
		// ended and nothing follows it, so nothing is known of them then; the third is not known at all.
		if r.Graduates != 3 || r.Employed6 != 2 || r.Employed12 != 1 || r.Retained != 1 || r.Unknown6 != 1 || r.Unknown12 != 2 {
			t.Errorf("employment %+v", r)
		}
		rating, err := s.Analytics.Rating(ctx, sys, "specialty", 2025)
		if err != nil || len(rating) != 1 {
			t.Fatalf("rating %+v, %v", rating, err)
		}
		// Both worked in 2026, the second year; one salary is known.
		if x := rating[0]; x.Graduates != 3 || x.Working != 2 || x.WithSalary != 1 || x.MedianSalary != 70000 {
			t.Errorf("rating %+v", x)
		}
		// A college sees only its own graduates; the other college has none of 2025.
		other := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college2.ID}
		if rows, _ := s.Analytics.Employment(ctx, other, "org", []int{2025}); len(rows) != 0 {
			t.Errorf("another college sees %+v", rows)
		}
	})
}

func TestUnknownFilter(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		sys := auth.SystemScope("41")
		count := func(months int) int {
			_, n, err := s.Learners.Learners(ctx, sys, learner.Filter{Status: learner.Graduate, GraduationYear: 2025, Unknown: months, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if count(3) != 1 || count(6) != 1 || count(12) != 1 {
			t.Fatalf("before any outcome: %d %d %d", count(3), count(6), count(12))
		}
		// Work found in November: unknown at three months, known at six and twelve.
		o := learner.Outcome{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: day(2025, 11, 1)}
		if err := s.Learners.AddOutcome(ctx, sys, &o); err != nil {
			t.Fatal(err)
		}
		if count(3) != 1 || count(6) != 0 || count(12) != 0 {
			t.Errorf("after November work: %d %d %d", count(3), count(6), count(12))
		}
	})
}
