package store

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/demo"
	"marshrut/internal/engine/learn"
	"marshrut/internal/jobs"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/risk"
)

// syncRunner runs a job at once.
type syncRunner struct{}

func (syncRunner) Start(ctx context.Context, j *jobs.Job, fn func(context.Context, jobs.Progress) (any, error)) error {
	_, err := fn(ctx, func(int, int) {})
	return err
}

// TestEarlyWarning trains on a small demo region's past cohorts, scores the
// coming graduation, and works a case, on both engines: who sees which
// scores, what a refusal keeps, and what closing a case records.
func TestEarlyWarning(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		if err := s.Load(ctx, func(l *Loader) error {
			_, err := demo.Generate(ctx, l, demo.Options{Seed: 3, Learners: 9000, Region: "41", Now: now})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		svc := risk.NewService(s.Risks, syncRunner{}, func() time.Time { return now })
		sys := auth.SystemScope("41")
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}

		// Nothing to score with before a model is trained.
		if _, err := svc.Score(ctx, region, nil); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("score without a model: %v", err)
		}
		if _, err := svc.Train(ctx, auth.Scope{Role: auth.College, RegionCode: "41", OrgID: 1}, "", 1); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college trains: %v", err)
		}
		m, err := svc.Train(ctx, region, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		if m.Report.ValidYear != 2025 || len(m.Report.TrainYears) != 1 || m.Report.TrainYears[0] != 2024 {
			t.Errorf("cohorts %v → %d", m.Report.TrainYears, m.Report.ValidYear)
		}
		if m.Report.Metrics.AUC < 0.55 {
			t.Errorf("validation AUC %.3f", m.Report.Metrics.AUC)
		}
		res, err := svc.Score(ctx, region, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Scored == 0 || res.AtRisk == 0 || res.AtRisk == res.Scored {
			t.Fatalf("scored %+v", res)
		}

		// Mentorship reads the scores of its candidates.
		if probs, err := s.Risks.Risk(ctx, []int64{all0(t, svc, region).LearnerID, -1}); err != nil || len(probs) != 1 {
			t.Errorf("risk of learners %v, %v", probs, err)
		}
		// The model read back is the one trained: same scores.
		stored, err := s.Risks.ActiveModel(ctx, "41")
		if err != nil {
			t.Fatal(err)
		}
		back, err := learn.Unmarshal(stored.Data)
		if err != nil {
			t.Fatal(err)
		}
		if risk.Kind(back.Kind()) != m.Kind || stored.Report.Metrics.AUC != m.Report.Metrics.AUC {
			t.Errorf("stored model %s %.4f, trained %s %.4f", back.Kind(), stored.Report.Metrics.AUC, m.Kind, m.Report.Metrics.AUC)
		}

		// A refusal (one class) keeps the model in use.
		if _, err := s.write.ExecContext(ctx, `UPDATE learner SET outcome_6m = 'employed' WHERE outcome_6m IN ('unemployed', 'not_employed')`); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Train(ctx, region, "", 2)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "используется прежняя") {
			t.Errorf("one-class training: %v", err)
		}
		if still, _ := s.Risks.ActiveModel(ctx, "41"); still.ID != m.ID {
			t.Errorf("model in use %d after a refusal, want %d", still.ID, m.ID)
		}

		// A model file of another format version is refused at scoring.
		if _, err := s.write.ExecContext(ctx, `UPDATE risk_model SET model = replace(model, '"version":1', '"version":99') WHERE id = $1`, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Score(ctx, region, nil); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "версии 99") {
			t.Errorf("scoring with a model of another version: %v", err)
		}

		// Each sees their own: the region all, a college its students, a centre its municipalities.
		all, total, err := svc.List(ctx, region, risk.Filter{Threshold: 1e-9, Limit: 500})
		if err != nil || total != res.Scored {
			t.Fatalf("region's list %d of %d, %v", total, res.Scored, err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Probability > all[i-1].Probability {
				t.Fatal("the list is not sorted by risk")
			}
		}
		colleges, _, err := s.Orgs.Organisations(ctx, org.Filter{Kind: org.College, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: colleges[0].ID}
		own, _, err := svc.List(ctx, college, risk.Filter{Threshold: 1e-9, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range own {
			if r.OrgID != colleges[0].ID {
				t.Fatalf("a college sees a student of %d", r.OrgID)
			}
		}
		target := all[0]
		centres, _, err := s.Orgs.Organisations(ctx, org.Filter{Kind: org.CZN, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Risks.Record(ctx, sys, target.LearnerID)
		if err != nil {
			t.Fatal(err)
		}
		czn := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: centres[0].ID, Municipalities: []int64{rec.MunicipalityID}, UserID: 5}
		away := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: centres[1].ID, Municipalities: []int64{rec.MunicipalityID + 1000}, UserID: 6}
		if _, err := svc.ForLearner(ctx, away, target.LearnerID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a centre of other municipalities reads the learner: %v", err)
		}
		if _, err := svc.OpenCase(ctx, away, target.LearnerID, ""); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a centre of other municipalities opens a case: %v", err)
		}
		if _, err := svc.OpenCase(ctx, college, target.LearnerID, ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college opens a case: %v", err)
		}

		// A case: opened once, worked, closed with an outcome that becomes a job.
		c, err := svc.OpenCase(ctx, czn, target.LearnerID, "первичный звонок")
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(c.Probability-target.Probability) > 1e-9 {
			t.Errorf("case opened at %.4f, score %.4f", c.Probability, target.Probability)
		}
		if _, err := svc.OpenCase(ctx, czn, target.LearnerID, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second open case: %v", err)
		}
		// The first contact is due three days after opening; each action
		// moves the day on, a late record of an earlier day does not.
		due := func() time.Time {
			t.Helper()
			got, err := svc.Case(ctx, czn, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Due
		}
		if d, want := due(), learner.Day(c.OpenedAt).AddDate(0, 0, 3); !d.Equal(want) {
			t.Errorf("a new case is due %v, want %v", d, want)
		}
		act := risk.Action{CaseID: c.ID, Kind: risk.ActConsult, On: now.AddDate(0, 0, -1), Note: "профконсультация"}
		if err := svc.AddAction(ctx, czn, &act); err != nil {
			t.Fatal(err)
		}
		if d, want := due(), learner.Day(act.On).AddDate(0, 0, 30); !d.Equal(want) {
			t.Errorf("after an action the case is due %v, want %v", d, want)
		}
		late := risk.Action{CaseID: c.ID, Kind: risk.ActContact, On: now.AddDate(0, 0, -4), Next: now.AddDate(0, 0, 60)}
		if err := svc.AddAction(ctx, czn, &late); err != nil {
			t.Fatal(err)
		}
		if d, want := due(), learner.Day(act.On).AddDate(0, 0, 30); !d.Equal(want) {
			t.Errorf("a late record of an earlier day moved the case to %v, want %v", d, want)
		}
		if err := svc.AddAction(ctx, czn, &risk.Action{CaseID: c.ID, Kind: risk.ActContact, On: now, Next: now.AddDate(0, 0, -2)}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a next step before the action: %v", err)
		}
		for _, tc := range []struct {
			before time.Time
			want   int
		}{{now, 0}, {now.AddDate(0, 2, 0), 1}} {
			list, _, err := svc.Cases(ctx, czn, risk.CaseFilter{DueBefore: tc.before, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range list {
				if x.ID == c.ID {
					n++
				}
			}
			if n != tc.want {
				t.Errorf("cases overdue before %v: the case counted %d times, want %d", tc.before, n, tc.want)
			}
		}
		future := risk.Action{CaseID: c.ID, Kind: risk.ActVacancy, On: now.AddDate(0, 0, 5)}
		if err := svc.AddAction(ctx, czn, &future); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("an action in the future: %v", err)
		}
		other := czn
		other.OrgID = centres[1].ID
		if err := svc.AddAction(ctx, other, &risk.Action{CaseID: c.ID, Kind: risk.ActContact, On: now}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another centre works the case: %v", err)
		}
		if err := svc.CloseCase(ctx, czn, c.ID, risk.Closing{Outcome: "lost"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("an unknown outcome: %v", err)
		}
		// Work asks for the employer and the day it began.
		if err := svc.CloseCase(ctx, czn, c.ID, risk.Closing{Outcome: risk.EndEmployed, Note: "вышел на работу"}); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(apperr.Message(err), "работодателя") || !strings.Contains(apperr.Message(err), "дату начала работы") {
			t.Errorf("a case closed as employed without employer or date: %v", err)
		}
		if err := svc.CloseCase(ctx, czn, c.ID, risk.Closing{Outcome: risk.EndEmployed, Note: "вышел на работу",
			EmployerName: "ООО «Камчатка-Строй»", Since: now.AddDate(0, 0, -2)}); err != nil {
			t.Fatal(err)
		}
		if err := svc.AddAction(ctx, czn, &risk.Action{CaseID: c.ID, Kind: risk.ActContact, On: now}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("an action in a closed case: %v", err)
		}
		got, err := svc.Case(ctx, czn, c.ID)
		if err != nil || got.Open() || got.Outcome != risk.EndEmployed || len(got.Actions) != 2 || got.Note != "первичный звонок / вышел на работу" {
			t.Fatalf("closed case %+v, %v", got, err)
		}
		if _, err := svc.Case(ctx, away, c.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a centre of other municipalities reads the case: %v", err)
		}
		// Closing as employed records the period of work, of a student as of a graduate.
		l, err := s.Learners.Learner(ctx, sys, target.LearnerID)
		if err != nil || l.Current != learner.Employed {
			t.Errorf("status after an «employed» case: %q, %v", l.Current, err)
		}
		hist, err := s.Learners.Outcomes(ctx, sys, target.LearnerID)
		if err != nil || len(hist) == 0 {
			t.Fatalf("history after the case: %+v, %v", hist, err)
		}
		if last := hist[len(hist)-1]; last.Source != learner.SourceCase || last.EmployerName != "ООО «Камчатка-Строй»" ||
			!last.Start.Equal(learner.Day(now.AddDate(0, 0, -2))) || last.Status != learner.Employed {
			t.Errorf("the case's period of work: %+v", last)
		}
		figs, err := svc.Figures(ctx, region)
		if err != nil {
			t.Fatal(err)
		}
		if figs.WithCase.Total != 1 || figs.Closed != 1 || figs.ByOutcome[risk.EndEmployed] != 1 || figs.ByAction[risk.ActConsult] != 1 ||
			figs.WithCase.Total+figs.WithoutCase.Total != figs.AtRisk {
			t.Errorf("figures %+v", figs)
		}
		if _, err := svc.Figures(ctx, auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: 1}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an employer reads risk figures: %v", err)
		}

		// A study record: bad values refused, good ones stored and read into the features.
		if err := svc.SaveRecord(ctx, college, risk.StudyRecord{LearnerID: target.LearnerID, Attendance: 2, Debts: math.NaN()}); err == nil {
			t.Error("attendance of 200 % accepted")
		}
		mine := own[0].LearnerID
		if err := svc.SaveRecord(ctx, college, risk.StudyRecord{LearnerID: mine, Attendance: 0.55, Debts: 4, Social: risk.SocialOrphan}); err != nil {
			t.Fatal(err)
		}
		r, err := s.Risks.Record(ctx, college, mine)
		if err != nil || r.Attendance != 0.55 || r.Debts != 4 || r.Social != risk.SocialOrphan {
			t.Errorf("record read back %+v, %v", r, err)
		}
		if own[0].OrgID != target.OrgID {
			if err := svc.SaveRecord(ctx, college, risk.StudyRecord{LearnerID: target.LearnerID, Attendance: 0.5, Debts: math.NaN()}); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("a college writes another's student: %v", err)
			}
		}
	})
}

func all0(t *testing.T, svc *risk.Service, sc auth.Scope) risk.Row {
	t.Helper()
	rows, _, err := svc.List(context.Background(), sc, risk.Filter{Threshold: 1e-9, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("no scored learner: %v", err)
	}
	return rows[0]
}
