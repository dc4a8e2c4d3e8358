package routing_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/jobs"
	"marshrut/internal/learner"
	"marshrut/internal/routing"
	"marshrut/internal/store"
)

var today = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// syncJobs runs a job at once, in the caller's goroutine.
type syncJobs struct{ next int64 }

func (j *syncJobs) Start(ctx context.Context, job *jobs.Job, fn func(context.Context, jobs.Progress) (any, error)) error {
	j.next++
	job.ID = j.next
	_, err := fn(ctx, func(int, int) {})
	if err != nil && !apperr.Is(err, apperr.Invalid) {
		return err
	}
	return nil
}

func region(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedClassifiers(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, func(l *store.Loader) error {
		_, err := demo.Generate(ctx, l, demo.Options{Seed: 3, Learners: 6000, Region: "41", Now: today})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunRoute(t *testing.T) {
	ctx := context.Background()
	s := region(t)
	svc := routing.NewService(s, &syncJobs{}, func() time.Time { return today })
	reg := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}

	// Recommendations with reasons for a candidate.
	cands, err := s.Candidates(ctx, "41", svc.Year())
	if err != nil || len(cands) == 0 {
		t.Fatalf("candidates: %d, %v", len(cands), err)
	}
	var rec routing.Recommendations
	for _, c := range cands {
		if rec, err = svc.ForLearner(ctx, reg, c.LearnerID, 10); err != nil {
			t.Fatal(err)
		}
		if len(rec.Pairs) > 0 {
			break
		}
	}
	if len(rec.Pairs) == 0 {
		t.Fatal("no candidate has a compatible vacancy")
	}
	for i := 1; i < len(rec.Pairs); i++ {
		if rec.Pairs[i].Graduate.Total > rec.Pairs[i-1].Graduate.Total {
			t.Fatal("recommendations not ordered by the graduate's score")
		}
	}
	if rec.Pairs[0].Graduate.Reasons() == "" {
		t.Error("a recommendation without reasons")
	}
	app, err := svc.ForVacancy(ctx, auth.Scope{Role: auth.Federal, RegionCode: "41"}, rec.Pairs[0].Place.VacancyID, 5)
	if err != nil || len(app.Pairs) == 0 || len(app.Visible) != 0 {
		t.Errorf("applicants for the federal operator: %d, visible %d, %v", len(app.Pairs), len(app.Visible), err)
	}

	// A stable run: no blocking pair, proposals for every candidate.
	if _, err := svc.Start(ctx, auth.Scope{Role: auth.College, RegionCode: "41", OrgID: 5}, routing.Stable, 1, 7); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("a college starts a run: %v", err)
	}
	run, err := svc.Start(ctx, reg, routing.Stable, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	run, err = svc.Run(ctx, reg, run.ID)
	if err != nil || run.Status != routing.Finished || run.Matched == 0 || run.Blocking != 0 || run.OptimalWelfare < run.Welfare {
		t.Fatalf("run %+v, %v", run, err)
	}
	props, total, err := svc.Proposals(ctx, reg, routing.ProposalFilter{RunID: run.ID, Limit: 500})
	if err != nil || total != run.Candidates {
		t.Fatalf("proposals %d of %d candidates, %v", total, run.Candidates, err)
	}
	var first routing.Proposal
	for _, p := range props {
		if p.Status == routing.Proposed && first.ID == 0 {
			first = p
		}
		if p.Status == routing.Unmatched && p.Reasons == "" {
			t.Errorf("candidate %d left without a reason", p.LearnerID)
		}
	}
	// Send, accept: the graduate is employed with the vacancy's employer.
	if err := svc.Decide(ctx, reg, first.ID, routing.Accepted); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("accepted before being sent: %v", err)
	}
	if err := svc.Decide(ctx, reg, first.ID, routing.Sent); err != nil {
		t.Fatal(err)
	}
	if err := svc.Decide(ctx, reg, first.ID, routing.Accepted); err != nil {
		t.Fatal(err)
	}
	l, err := s.Learner(ctx, auth.SystemScope("41"), first.LearnerID)
	if err != nil || l.Current != learner.Employed {
		t.Errorf("accepted graduate's status %q, %v", l.Current, err)
	}
	// The second round leaves out the one placed and the place taken.
	run2, err := svc.Start(ctx, reg, routing.Stable, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := svc.Proposals(ctx, reg, routing.ProposalFilter{RunID: run2.ID, LearnerID: first.LearnerID})
	if len(again) != 0 {
		t.Errorf("the placed graduate is in round 2: %+v", again)
	}
	// The same seed gives the same proposals.
	run3, err := svc.Start(ctx, reg, routing.Stable, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := svc.Proposals(ctx, reg, routing.ProposalFilter{RunID: run2.ID, Limit: 500})
	b, _, _ := svc.Proposals(ctx, reg, routing.ProposalFilter{RunID: run3.ID, Limit: 500})
	if len(a) != len(b) {
		t.Fatalf("runs of one seed differ in size: %d, %d", len(a), len(b))
	}
	for i := range a {
		if a[i].LearnerID != b[i].LearnerID || a[i].VacancyID != b[i].VacancyID {
			t.Fatalf("runs of one seed differ at %d", i)
		}
	}
	// The optimal mode reaches the optimal welfare.
	opt, err := svc.Start(ctx, reg, routing.Optimal, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	opt, _ = svc.Run(ctx, reg, opt.ID)
	if opt.Welfare != opt.OptimalWelfare || opt.Welfare < run3.Welfare {
		t.Errorf("optimal run welfare %d, optimal %d, stable %d", opt.Welfare, opt.OptimalWelfare, run3.Welfare)
	}
	if !strings.Contains(first.Reasons, "·") && first.Reasons == "" {
		t.Errorf("proposal reasons %q", first.Reasons)
	}
}

func TestSecondRunRefused(t *testing.T) {
	ctx := context.Background()
	s := region(t)
	r := routing.Run{RegionCode: "41", Round: 1, Mode: routing.Stable, Seed: 1, GraduationYear: 2026}
	if err := s.StartRun(ctx, &r); err != nil {
		t.Fatal(err)
	}
	svc := routing.NewService(s, &syncJobs{}, func() time.Time { return today })
	if _, err := svc.Start(ctx, auth.Scope{Role: auth.Region, RegionCode: "41"}, routing.Stable, 1, 1); !apperr.Is(err, apperr.Conflict) ||
		!strings.Contains(apperr.Message(err), "уже идёт") {
		t.Errorf("a second run while one runs: %v", err)
	}
}
