package routing_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/engine/match"
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
	svc := routing.NewService(s.Routing, &syncJobs{}, func() time.Time { return today })
	reg := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}

	// Recommendations with reasons for a candidate.
	cands, err := s.Routing.Candidates(ctx, "41", svc.Year())
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
	l, err := s.Learners.Learner(ctx, auth.SystemScope("41"), first.LearnerID)
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
	if err := s.Routing.StartRun(ctx, &r); err != nil {
		t.Fatal(err)
	}
	svc := routing.NewService(s.Routing, &syncJobs{}, func() time.Time { return today })
	if _, err := svc.Start(ctx, auth.Scope{Role: auth.Region, RegionCode: "41"}, routing.Stable, 1, 1); !apperr.Is(err, apperr.Conflict) ||
		!strings.Contains(apperr.Message(err), "уже идёт") {
		t.Errorf("a second run while one runs: %v", err)
	}
}

// TestDemoRun: on the demo region at its calibrated size a run (its lists
// made on demand from the streams, places that would refuse passed by)
// places every learner where deferred acceptance over the complete lists,
// computed here by scoring every compatible pair, places them, at the same
// position of their lists, with the same welfare and no blocking pair; the most placeable is that of the complete graph; every
// holder of a target contract with a compatible open vacancy at the employer
// is placed there unless all of its places went to other holders, and the
// others are listed with why; every candidate not placed is counted by why.
func TestDemoRun(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo region at its calibrated size")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
		_, err := demo.Generate(ctx, l, demo.Options{Seed: 1, Region: "41", Now: today})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	svc := routing.NewService(s.Routing, &syncJobs{}, func() time.Time { return today })
	reg := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
	const seed = 1
	want, err := routing.CompleteRun(ctx, svc, "41", svc.Year(), seed)
	if err != nil {
		t.Fatal(err)
	}
	// For the peers of BENCHMARKS.md: the complete lists as instance files.
	if dir := os.Getenv("MARSHRUT_WRITE_DEMO_INSTANCE"); dir != "" {
		if err := match.WriteInstance(dir, want.Instance); err != nil {
			t.Fatal(err)
		}
	}
	run, err := svc.Start(ctx, reg, routing.Stable, 1, seed)
	if err != nil {
		t.Fatal(err)
	}
	if run, err = svc.Run(ctx, reg, run.ID); err != nil || run.Status != routing.Finished {
		t.Fatalf("run %+v, %v", run, err)
	}
	w := want.Result
	t.Logf("demo: %d candidates, %d placed (%d by contract), most %d, %d pairs, %d scored", run.Candidates, run.Matched, run.Contracts,
		run.MaxMatched, run.Edges, run.Scored)
	if run.Candidates != len(want.Learners) || run.Matched != w.Matched || run.Welfare != w.Welfare || run.Contracts != w.Targeted ||
		run.FirstChoice != w.FirstChoice || run.Blocking != 0 || w.Blocking != 0 {
		t.Fatalf("run: %d candidates, placed %d, welfare %d, contracts %d, first %d, blocking %d; complete lists: %d, %d, %d, %d, %d, %d",
			run.Candidates, run.Matched, run.Welfare, run.Contracts, run.FirstChoice, run.Blocking,
			len(want.Learners), w.Matched, w.Welfare, w.Targeted, w.FirstChoice, w.Blocking)
	}
	if int64(run.MaxMatched) != want.Most || run.MaxMatched < run.Matched || run.Scored >= int64(run.Edges) {
		t.Errorf("most placed %d, complete graph %d, placed %d; scored %d of %d pairs", run.MaxMatched, want.Most, run.Matched, run.Scored, run.Edges)
	}
	if n := run.UnplacedNone + run.UnplacedWishes + run.UnplacedTaken + run.UnplacedOutranked; n != run.Candidates-run.Matched {
		t.Errorf("%d unplaced counted by why, %d unplaced", n, run.Candidates-run.Matched)
	}
	if !run.OptimalProven || run.OptimalWelfare < run.Welfare || run.OptimalMatched > run.MaxMatched {
		t.Errorf("optimal welfare %d (proved %v), stable %d; optimal placed %d of the most %d", run.OptimalWelfare, run.OptimalProven,
			run.Welfare, run.OptimalMatched, run.MaxMatched)
	}
	props, total, err := svc.Proposals(ctx, reg, routing.ProposalFilter{RunID: run.ID, Limit: 500, Offset: 0})
	if err != nil {
		t.Fatal(err)
	}
	byLearner := map[int64]routing.Proposal{}
	for off := 0; off < total; off += 500 {
		if off > 0 {
			if props, _, err = svc.Proposals(ctx, reg, routing.ProposalFilter{RunID: run.ID, Limit: 500, Offset: off}); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range props {
			byLearner[p.LearnerID] = p
		}
	}
	// The same matching, learner by learner, at the same position of each
	// one's complete list, as deferred acceptance over every pair scored.
	for g, id := range want.Learners {
		p, wantV := byLearner[id], ""
		if v := w.Assignment[g]; v >= 0 {
			wantV = want.Vacancy[v]
		}
		if p.VacancyID != wantV || p.Choice != int(w.Choice[g]) {
			t.Errorf("learner %d: run places at %q (position %d), the complete lists at %q (position %d)", id, p.VacancyID, p.Choice,
				wantV, w.Choice[g])
		}
	}
	// Holders: at the employer, or every compatible place of the employer
	// went to other holders; the others with a note.
	byHolder := map[int]int{} // holders placed at each vacancy by contract
	for g, v := range w.Assignment {
		if v >= 0 && want.Holds(g, int(v)) {
			byHolder[int(v)]++
		}
	}
	atEmployer, noted := 0, 0
	for g, id := range want.Learners {
		p := byLearner[id]
		places, holder := want.Employer[id]
		if p.Contract {
			atEmployer++
		}
		if !holder {
			continue
		}
		if !p.Contract {
			for _, v := range places {
				if byHolder[v] < int(want.Capacity[v]) {
					t.Errorf("holder %d not placed at the employer's vacancy %s with %d of %d places taken by holders", id, want.Vacancy[v],
						byHolder[v], want.Capacity[v])
				}
			}
			if p.ContractNote == "" {
				t.Errorf("holder %d not at the employer without a note", id)
			}
		}
		_ = g
	}
	notes, n, err := svc.Proposals(ctx, reg, routing.ProposalFilter{RunID: run.ID, Holders: true, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range notes {
		if p.ContractNote == "" || p.Contract {
			t.Errorf("listed holder %d: contract %v, note %q", p.LearnerID, p.Contract, p.ContractNote)
		}
		noted++
	}
	if atEmployer != run.Contracts || n != noted || run.Holders < run.Contracts+noted {
		t.Errorf("%d placed at the employer, run says %d; %d holders listed of %d; %d holders", atEmployer, run.Contracts, noted, n, run.Holders)
	}
}
