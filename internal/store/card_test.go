package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"reflect"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
	"marshrut/internal/vacancy"
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
// threshold. The statements are counted at the driver: Card runs at most
// four, in one read-only transaction on the read pool, and checks the scope
// in the first alone; the service adds the audit write after it.
func TestLearnerCardStatements(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 1}
		risks := risk.NewService(s.Risks, nil, testClock)

		// Before the region scores or chooses a threshold.
		c0, err := s.Learners.Card(ctx, college, f.student.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c0.Risk == nil || c0.Risk.Scored || c0.Risk.ThresholdSet {
			t.Errorf("risk before scoring: %+v", c0.Risk)
		}
		scoreForCard(t, s, f)

		c := countStatements(t, s)
		card, err := s.Learners.Card(ctx, college, f.student.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, begins := c.took()
		t.Logf("Learners.Card: %d statements, %d transactions", len(got), len(begins))
		for _, st := range got {
			t.Logf("  %s tx%d: %.110s", st.pool, st.tx, st.query)
		}
		if len(got) > 4 {
			t.Errorf("Card ran %d statements, want at most 4", len(got))
		}
		if len(begins) != 1 || !begins[0].ReadOnly {
			t.Errorf("Card began %d transactions (%+v), want one read-only", len(begins), begins)
		}
		scoped := 0
		for _, st := range got {
			if st.pool != "read" || st.tx == 0 || (len(begins) > 0 && st.tx != len(begins)) {
				t.Errorf("statement outside the card's read transaction: %+v", st)
			}
			if strings.Contains(st.query, "l.org_id = $") {
				scoped++
			}
		}
		if scoped != 1 || !strings.Contains(got[0].query, "l.org_id = $") {
			t.Errorf("the scope is checked in %d statements, want once, in the first", scoped)
		}

		// What the card read agrees with what the other reads give.
		if card.Learner.ID != f.student.ID || len(card.Stages) != 1 || len(card.Outcomes) != 1 {
			t.Errorf("card %+v", card)
		}
		want, err := s.Learners.Learner(ctx, college, f.student.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(card.Learner, want) {
			t.Errorf("card's learner %+v, want %+v", card.Learner, want)
		}
		if st, _ := s.Learners.Stages(ctx, college, f.student.ID); !reflect.DeepEqual(card.Stages, st) {
			t.Errorf("card's stages %+v, want %+v", card.Stages, st)
		}
		if out, _ := s.Learners.Outcomes(ctx, college, f.student.ID); !reflect.DeepEqual(card.Outcomes, out) {
			t.Errorf("card's outcomes %+v, want %+v", card.Outcomes, out)
		}
		row, err := s.Risks.RiskOf(ctx, college, f.student.ID)
		if err != nil {
			t.Fatal(err)
		}
		th, err := risks.Threshold(ctx, "41")
		if err != nil {
			t.Fatal(err)
		}
		if n := card.Risk; n == nil || !n.Scored || n.Probability != row.Probability || n.ModelID == 0 || !n.ThresholdSet ||
			risk.ThresholdOr(n.Threshold, n.ThresholdSet) != th || th != 0.35 {
			t.Errorf("card's risk %+v, want %.2f at threshold %.2f", card.Risk, row.Probability, th)
		}

		// The service: the card, then the audit write on the write pool.
		c.reset()
		learners := learner.NewService(s.Learners, s.Auth, testClock)
		if _, err := learners.Get(ctx, college, f.student.ID); err != nil {
			t.Fatal(err)
		}
		got, begins = c.took()
		t.Logf("learner.Service.Get: %d statements, %d transactions", len(got), len(begins))
		if len(got) > 5 || len(begins) != 1 || !strings.HasPrefix(got[len(got)-1].query, "INSERT INTO audit_log") || got[len(got)-1].tx != 0 {
			t.Errorf("Get ran %d statements in %d transactions, the last %q", len(got), len(begins), got[len(got)-1].query)
		}
		// The page's risk section reads on from the risk service (reasons,
		// the study record, what it lacks, cases), no longer the threshold.
		if _, err := risks.ForLearner(ctx, college, f.student.ID); err != nil {
			t.Fatal(err)
		}
		all, _ := c.took()
		t.Logf("the card's core with the risk section: %d statements", len(all))

		// The scope, checked once, still holds: a learner of another
		// college is not found, exactly as a missing one.
		_, errForeign := s.Learners.Card(ctx, college, f.other.ID)
		_, errMissing := s.Learners.Card(ctx, college, 99999999)
		if !apperr.Is(errForeign, apperr.NotFound) || errForeign.Error() != errMissing.Error() {
			t.Errorf("foreign learner through Card: %v (missing: %v)", errForeign, errMissing)
		}
		// A pupil has no risk figure; nor has the card of one who does not
		// see risk scores.
		region := auth.Scope{Role: auth.Region, RegionCode: "41"}
		if p, err := s.Learners.Card(ctx, region, f.pupil.ID); err != nil || p.Risk != nil {
			t.Errorf("pupil's card: risk %+v, %v", p.Risk, err)
		}
		me := auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: f.student.ID}
		if own, err := s.Learners.Card(ctx, me, f.student.ID); err != nil || own.Risk != nil || len(own.Outcomes) != 1 {
			t.Errorf("own card: risk %+v, outcomes %d, %v", own.Risk, len(own.Outcomes), err)
		}
	})
}

// The views that read more than once read in one snapshot: a page of a list
// and its count, an organisation and its number of learners. Each begins
// one read-only transaction (REPEATABLE READ on PostgreSQL, so that every
// statement sees the same moment) and runs all its statements in it.
func TestViewsReadInOneSnapshot(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		views := []struct {
			name string
			read func() error
			min  int // statements at least
		}{
			{"Vacancies.Vacancies", func() error {
				_, _, err := s.Vacancies.Vacancies(ctx, vacancy.Filter{RegionCode: "41", Limit: 10})
				return err
			}, 2},
			{"Orgs.Organisation", func() error {
				_, err := s.Orgs.Organisation(ctx, f.college.ID)
				return err
			}, 2},
			{"Learners.Outcomes", func() error {
				_, err := s.Learners.Outcomes(ctx, auth.SystemScope("41"), f.student.ID)
				return err
			}, 2},
		}
		for _, v := range views {
			c := countStatements(t, s)
			if err := v.read(); err != nil {
				t.Fatalf("%s: %v", v.name, err)
			}
			got, begins := c.took()
			if len(begins) != 1 || !begins[0].ReadOnly {
				t.Errorf("%s began %d transactions (%+v), want one read-only", v.name, len(begins), begins)
				continue
			}
			if want := driver.IsolationLevel(sql.LevelRepeatableRead); s.engine == Postgres && begins[0].Isolation != want {
				t.Errorf("%s: isolation %v on PostgreSQL, want REPEATABLE READ", v.name, sql.IsolationLevel(begins[0].Isolation))
			}
			if len(got) < v.min {
				t.Errorf("%s ran %d statements, want at least %d", v.name, len(got), v.min)
			}
			for _, st := range got {
				if st.tx == 0 {
					t.Errorf("%s ran outside its snapshot: %.80s", v.name, st.query)
				}
			}
		}
	})
}
