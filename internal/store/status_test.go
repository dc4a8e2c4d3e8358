package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/routing"
)

// TestStatusOverTime walks the cases of statuses that change with the date:
// service that ended, a college's record beside a later «нет сведений», and
// the nightly pass that reads again those whose period began or ended.
func TestStatusOverTime(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		sys := auth.SystemScope("41")
		today := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return today }
		candidate := func() bool {
			t.Helper()
			cs, err := s.Routing.Candidates(ctx, "41", 2025)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(cs, func(c routing.Candidate) bool { return c.LearnerID == f.graduate.ID })
		}
		// Service from July 2025 to 20 July 2026.
		svc := learner.Outcome{LearnerID: f.graduate.ID, Status: learner.Military, Start: day(2025, 7, 20), End: day(2026, 7, 20), Source: learner.SourceCollege}
		if err := s.Learners.AddOutcome(ctx, sys, &svc); err != nil {
			t.Fatal(err)
		}
		g, err := s.Learners.Learner(ctx, sys, f.graduate.ID)
		if err != nil || g.Current != learner.Military || g.After6 != learner.Military || candidate() {
			t.Fatalf("during service: %s/%s, candidate %v, %v", g.Current, g.After6, candidate(), err)
		}
		// The day after the service ended nothing is known of him: the nightly
		// pass reads him again, and matching takes him as a candidate.
		today = time.Date(2026, 7, 21, 3, 0, 0, 0, time.UTC)
		n, err := s.RefreshStatuses(ctx, "41")
		if err != nil || n != 1 {
			t.Fatalf("refresh read %d, %v", n, err)
		}
		if g, _ = s.Learners.Learner(ctx, sys, f.graduate.ID); g.Current != learner.Unknown || !candidate() {
			t.Errorf("after service: %s, candidate %v", g.Current, candidate())
		}
		if n, _ := s.RefreshStatuses(ctx, "41"); n != 0 {
			t.Errorf("a second pass the same day read %d", n)
		}

		// A college records work from 01.09.2025 beside the survey's later «нет сведений».
		other := f.student
		other.Status, other.Course, other.GraduationYear = learner.Graduate, 0, 2025
		if err := s.Learners.UpdateLearner(ctx, sys, &other); err != nil {
			t.Fatal(err)
		}
		for _, o := range []learner.Outcome{
			{LearnerID: other.ID, Status: learner.Unknown, Start: day(2025, 7, 1), Source: learner.SourceSurvey},
			{LearnerID: other.ID, Status: learner.Unknown, Start: day(2026, 1, 15), Source: learner.SourceSurvey},
			{LearnerID: other.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: day(2025, 9, 1), Source: learner.SourceCollege},
		} {
			if err := s.Learners.AddOutcome(ctx, sys, &o); err != nil {
				t.Fatal(err)
			}
		}
		if l, _ := s.Learners.Learner(ctx, sys, other.ID); l.Current != learner.Employed || l.After6 != learner.Employed || l.After12 != learner.Employed {
			t.Errorf("a college's record of work: now %s, 6 months %s, 12 months %s", l.Current, l.After6, l.After12)
		}
		// The same employer six and twelve months on is kept for retention.
		var same bool
		if err := s.read.QueryRowContext(ctx, `SELECT same_employer_12m FROM learner WHERE id = $1`, other.ID).Scan(&same); err != nil || !same {
			t.Errorf("same employer at twelve months: %v, %v", same, err)
		}

		// The partial count of one organisation carries only its cells.
		snap, err := s.Analytics.MonitorSnapshot(ctx, "41", today, []int64{f.college.ID})
		if err != nil {
			t.Fatal(err)
		}
		for c := range snap.Figures {
			if c.Org != f.college.ID {
				t.Errorf("a partial count of the college holds organisation %d", c.Org)
			}
		}
		full, err := s.Analytics.MonitorSnapshot(ctx, "41", today, nil)
		if err != nil {
			t.Fatal(err)
		}
		for c, fig := range snap.Figures {
			if full.Figures[c] != fig {
				t.Errorf("cell %+v: partial %+v, full %+v", c, fig, full.Figures[c])
			}
		}
	})
}

// TestTargets keeps every target the region sets and answers the latest.
func TestTargets(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seed(t, s)
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		v1, v2 := 0.8, 0.85
		for _, tg := range []kpi.Target{
			{Code: "employment6", Year: 2026, Value: &v1, Note: "проект соглашения", SetByName: "Иванова", SetAt: at},
			{Code: "employment6", Year: 2026, Value: &v2, Note: "соглашение с Минпросвещения", SetByName: "Петров", SetAt: at.Add(time.Hour)},
			{Code: "mentorship", Year: 2026, SetAt: at},
			{Code: "employment6", Year: 2027, Value: &v2, SetAt: at},
		} {
			if err := s.Targets.AddTarget(ctx, "41", &tg); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Targets.Targets(ctx, "41", 2026)
		if err != nil || len(got) != 2 {
			t.Fatalf("targets of 2026: %+v, %v", got, err)
		}
		if got[0].Code != "employment6" || *got[0].Value != 0.85 || got[0].SetByName != "Петров" || got[1].Value != nil {
			t.Errorf("latest targets %+v", got)
		}
		hist, err := s.Targets.TargetHistory(ctx, "41", "employment6")
		if err != nil || len(hist) != 3 || hist[2].Note != "проект соглашения" || !hist[2].SetAt.Equal(at) {
			t.Errorf("history %+v, %v", hist, err)
		}
		if other, _ := s.Targets.Targets(ctx, "25", 2026); len(other) != 0 {
			t.Errorf("another region's targets: %+v", other)
		}
	})
}
