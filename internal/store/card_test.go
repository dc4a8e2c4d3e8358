package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
)

// scoreForCard gives the fixture's student a risk score and the region a
// threshold, so that the card has a risk figure to read.
func scoreForCard(t *testing.T, s *Store, f *fixture) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	m := risk.ModelInfo{RegionCode: "41", Kind: risk.KindLogistic, Data: []byte("{}"), Active: true, CreatedAt: at}
	if err := s.Risks.SaveModel(ctx, &m); err != nil {
		t.Fatal(err)
	}
	if err := s.Risks.SaveScores(ctx, "41", m.ID, []risk.Score{{LearnerID: f.student.ID, Probability: 0.42,
		Reasons: []risk.Reason{}}}, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Risks.SetThreshold(ctx, "41", 0.35, at); err != nil {
		t.Fatal(err)
	}
	out := learner.Outcome{LearnerID: f.student.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.Learners.AddOutcome(ctx, auth.SystemScope("41"), &out); err != nil {
		t.Fatal(err)
	}
	st := learner.Stage{LearnerID: f.student.ID, Kind: learner.StageCollege, OrgID: f.college.ID, Start: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.Learners.AddStage(ctx, auth.SystemScope("41"), &st); err != nil {
		t.Fatal(err)
	}
}

// The core of a learner's card as the page reads it: the learner, the
// stages, the outcomes and, for a student, the risk and the region's
// threshold. The statements it runs are counted at the driver.
func TestLearnerCardStatements(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		scoreForCard(t, s, f)
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 1}
		learners := learner.NewService(s.Learners, s.Auth, testClock)
		risks := risk.NewService(s.Risks, nil, testClock)

		c := countStatements(t, s)
		card, err := learners.Get(ctx, college, f.student.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := c.took()
		t.Logf("learner.Service.Get: %d statements", len(got))
		if _, err := risks.ForLearner(ctx, college, f.student.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := risks.Threshold(ctx, college.RegionCode); err != nil {
			t.Fatal(err)
		}
		all, begins := c.took()
		t.Logf("the card's core with the risk: %d statements, %d transactions", len(all), len(begins))
		for _, st := range all {
			t.Logf("  %s tx%d: %.110s", st.pool, st.tx, st.query)
		}
		if card.Learner.ID != f.student.ID || len(card.Stages) != 1 || len(card.Outcomes) != 1 {
			t.Errorf("card %+v", card)
		}
	})
}
