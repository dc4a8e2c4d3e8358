package match

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"marshrut/internal/engine/fault"
)

func run(t *testing.T, in *Instance, mode Mode, seed uint64) Result {
	t.Helper()
	r, err := Run(context.Background(), in, Options{Mode: mode, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	check(t, in, r)
	return r
}

func build(t *testing.T, f func(b *Builder)) *Instance {
	t.Helper()
	b := NewBuilder()
	f(b)
	in, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestRandomInstances runs both modes on medium random instances, with ties
// and without, scarce places and plenty: the invariants of check hold, the
// stable result has no blocking pair, the optimal welfare equals an
// independent exact reference and is never below the stable one.
func TestRandomInstances(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 60 {
		n, m := 20+rng.IntN(120), 5+rng.IntN(40)
		in := random(t, rng, n, m, 1+rng.IntN(4), 0.05+0.3*rng.Float64(), []int{4, 30, 1001}[i%3])
		if i%4 == 0 { // contracts, some of them in conflict
			for range rng.IntN(10) {
				g, v := rng.IntN(n), rng.IntN(m+1)-1
				id := "нет"
				if v >= 0 {
					id = in.VacancyID(v)
				}
				in.targets = append(in.targets, Target{Graduate: g, Vacancy: v, VacancyID: id})
			}
		}
		seed := rng.Uint64()
		st := run(t, in, Stable, seed)
		op := run(t, in, Optimal, seed)
		if st.Blocking != 0 {
			t.Errorf("instance %d: %d blocking pairs in stable mode", i, st.Blocking)
		}
		if want := maxWelfare(in, op); op.Welfare != want {
			t.Errorf("instance %d (%d×%d): optimal welfare %d, reference %d", i, n, m, op.Welfare, want)
		}
		if op.Welfare < st.Welfare {
			t.Errorf("instance %d: optimal welfare %d below stable %d", i, op.Welfare, st.Welfare)
		}
		if pos := PriceOfStability(op, st); pos < 1 {
			t.Errorf("instance %d: price of stability %v", i, pos)
		}
	}
}

// TestGenerated runs the generator's shape at a size where the reference is
// still quick.
func TestGenerated(t *testing.T) {
	in := generate(t, 400, 150, 12, 5)
	st := run(t, in, Stable, 1)
	op := run(t, in, Optimal, 1)
	if st.Blocking != 0 {
		t.Errorf("stable: %d blocking pairs", st.Blocking)
	}
	if want := maxWelfare(in, op); op.Welfare != want {
		t.Errorf("optimal welfare %d, reference %d", op.Welfare, want)
	}
}

func TestDeterminism(t *testing.T) {
	in := generate(t, 2000, 600, 15, 9)
	for _, mode := range []Mode{Stable, Optimal} {
		a, b := run(t, in, mode, 42), run(t, in, mode, 42)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two runs with the same seed differ", mode)
		}
		if a.Seed != 42 || len(a.GraduateRank) != in.NumGraduates() || len(a.VacancyRank) != in.NumVacancies() {
			t.Errorf("%s: the lottery is not recorded: seed %d, %d and %d ranks", mode, a.Seed, len(a.GraduateRank), len(a.VacancyRank))
		}
	}
	// The edges' order in the input does not matter.
	b := NewBuilder()
	for g := range in.NumGraduates() {
		b.AddGraduate(in.GraduateID(g))
	}
	for v := range in.NumVacancies() {
		b.AddVacancy(in.VacancyID(v), in.Capacity(v))
	}
	for g := in.NumGraduates() - 1; g >= 0; g-- {
		es := in.Edges(g)
		for i := len(es) - 1; i >= 0; i-- {
			if err := b.AddEdge(in.GraduateID(g), in.VacancyID(es[i].Vacancy), es[i].Utility, es[i].Score); err != nil {
				t.Fatal(err)
			}
		}
	}
	rev, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(run(t, in, Stable, 7), run(t, rev, Stable, 7)) {
		t.Error("the same instance in another order gives another result")
	}
}

// TestLottery builds ties that only the lottery can break and checks that it
// does, both ways, by the recorded ranks.
func TestLottery(t *testing.T) {
	// Two graduates the employer scores alike, one place.
	emp := build(t, func(b *Builder) {
		b.AddGraduate("a")
		b.AddGraduate("b")
		b.AddVacancy("x", 1)
		b.AddEdge("a", "x", 700, 500)
		b.AddEdge("b", "x", 700, 500)
	})
	// One graduate who likes two vacancies alike, one of them enough.
	grad := build(t, func(b *Builder) {
		b.AddGraduate("a")
		b.AddVacancy("x", 1)
		b.AddVacancy("y", 1)
		b.AddEdge("a", "x", 600, 300)
		b.AddEdge("a", "y", 600, 300)
	})
	for _, mode := range []Mode{Stable, Optimal} {
		winners := map[int32]bool{}
		choices := map[int32]bool{}
		for seed := range uint64(40) {
			r := run(t, emp, mode, seed)
			if r.Matched != 1 {
				t.Fatalf("%s seed %d: matched %d", mode, seed, r.Matched)
			}
			w := int32(0)
			if r.Assignment[1] >= 0 {
				w = 1
			}
			if r.GraduateRank[w] > r.GraduateRank[1-w] {
				t.Errorf("%s seed %d: the place went to the graduate of the worse rank", mode, seed)
			}
			winners[w] = true
			q := run(t, grad, mode, seed)
			if q.VacancyRank[q.Assignment[0]] > q.VacancyRank[1-q.Assignment[0]] && mode == Stable {
				t.Errorf("%s seed %d: the graduate took the vacancy of the worse rank", mode, seed)
			}
			choices[q.Assignment[0]] = true
		}
		if len(winners) != 2 {
			t.Errorf("%s: the employer's tie always goes the same way", mode)
		}
		if mode == Stable && len(choices) != 2 {
			t.Errorf("%s: the graduate's tie always goes the same way", mode)
		}
	}
}

func TestTargets(t *testing.T) {
	in := build(t, func(b *Builder) {
		for _, g := range []string{"t", "m1", "m2", "dup", "novac", "noedge", "late"} {
			b.AddGraduate(g)
		}
		b.AddVacancy("x", 2)
		b.AddVacancy("y", 1)
		b.AddVacancy("z", 1)
		// t has the worst score at x but holds a contract there.
		b.AddEdge("t", "x", 100, 10)
		b.AddEdge("m1", "x", 900, 900)
		b.AddEdge("m2", "x", 900, 800)
		b.AddEdge("dup", "y", 500, 500)
		b.AddEdge("dup", "z", 400, 500)
		b.AddEdge("novac", "z", 300, 300)
		b.AddEdge("noedge", "y", 300, 300)
		b.AddEdge("late", "y", 300, 300)
		b.AddTarget("t", "x")
		b.AddTarget("dup", "y")
		b.AddTarget("dup", "z")     // a second contract for the same graduate
		b.AddTarget("novac", "нет") // no such vacancy
		b.AddTarget("noedge", "z")  // not compatible
		b.AddTarget("late", "y")    // y is taken by dup's contract
	})
	if err := NewBuilder().AddTarget("nobody", "x"); err == nil {
		t.Error("a contract of an unknown graduate was accepted")
	}
	for _, mode := range []Mode{Stable, Optimal} {
		r := run(t, in, mode, 1)
		if r.Targeted != 2 || r.Assignment[0] != 0 || r.Assignment[3] != 1 {
			t.Errorf("%s: contracts not placed first: targeted %d, assignment %v", mode, r.Targeted, r.Assignment)
		}
		// x has one place left for the market: m1 takes it over m2.
		if r.Assignment[1] != 0 || r.Assignment[2] != -1 || r.Reasons[2] != Outranked {
			t.Errorf("%s: market at x: %v, reasons %v", mode, r.Assignment, r.Reasons)
		}
		want := []string{"уже есть", "не найдена", "несовместимы", "не осталось мест"}
		if len(r.Conflicts) != len(want) {
			t.Fatalf("%s: conflicts %+v", mode, r.Conflicts)
		}
		for i, c := range r.Conflicts {
			if !strings.Contains(c.Reason, want[i]) {
				t.Errorf("%s: conflict %d: %q, want %q", mode, i, c.Reason, want[i])
			}
		}
		if r.Conflicts[1].Vacancy != -1 || r.Conflicts[1].VacancyID != "нет" {
			t.Errorf("%s: unknown vacancy conflict %+v", mode, r.Conflicts[1])
		}
		// A graduate whose contract failed joins the market.
		if r.Assignment[4] != 2 {
			t.Errorf("%s: novac should get z in the market, got %d", mode, r.Assignment[4])
		}
		// The contract's place is not the market's: t, bound, does not block.
		if r.Blocking != 0 && mode == Stable {
			t.Errorf("%s: blocking %d", mode, r.Blocking)
		}
	}
}

func TestZeroCapacity(t *testing.T) {
	in := build(t, func(b *Builder) {
		b.AddGraduate("a")
		b.AddGraduate("b")
		b.AddGraduate("c")
		b.AddVacancy("closed", 0)
		b.AddVacancy("open", 1)
		b.AddEdge("a", "closed", 1000, 1000)
		b.AddEdge("b", "closed", 1000, 1000)
		b.AddEdge("b", "open", 10, 10)
	})
	for _, mode := range []Mode{Stable, Optimal} {
		r := run(t, in, mode, 3)
		if r.Assignment[0] != -1 || r.Assignment[1] != 1 || r.Fills[0] != 0 {
			t.Errorf("%s: assignment %v fills %v", mode, r.Assignment, r.Fills)
		}
		if r.Reasons[0] != NoPlaces || r.Reasons[2] != NoEdges {
			t.Errorf("%s: reasons %v", mode, r.Reasons)
		}
		if r.Reasons[0].String() != "у совместимых вакансий нет свободных мест" || r.Reasons[2].String() != "нет совместимых вакансий" {
			t.Errorf("%s: reason texts %q, %q", mode, r.Reasons[0], r.Reasons[2])
		}
	}
	if Outranked.String() != "все подходящие места заняты более подходящими кандидатами" {
		t.Errorf("Outranked: %q", Outranked)
	}
}

func TestEmpty(t *testing.T) {
	in := build(t, func(*Builder) {})
	for _, mode := range []Mode{Stable, Optimal} {
		r := run(t, in, mode, 0)
		if r.Matched != 0 || r.Welfare != 0 || r.Blocking != 0 || r.FirstChoiceShare != 0 {
			t.Errorf("%s: %+v", mode, r)
		}
		if got := Summary(r, 0); got != "matched=0 welfare=0 blocking=0 seconds=0.00" {
			t.Errorf("summary %q", got)
		}
	}
	// Graduates and vacancies without edges.
	in = build(t, func(b *Builder) {
		b.AddGraduate("a")
		b.AddVacancy("x", 3)
	})
	r := run(t, in, Optimal, 0)
	if r.Assignment[0] != -1 || r.Reasons[0] != NoEdges {
		t.Errorf("%+v", r)
	}
}

func TestSummaryAndPrice(t *testing.T) {
	r := Result{Matched: 4297, Welfare: 7062631, Blocking: 6013}
	if got := Summary(r, 17.384); got != "matched=4297 welfare=7062631 blocking=6013 seconds=17.38" {
		t.Errorf("summary %q", got)
	}
	if got := PriceOfStability(Result{Welfare: 150}, Result{Welfare: 100}); got != 1.5 {
		t.Errorf("price %v", got)
	}
	if got := PriceOfStability(Result{}, Result{}); got != 1 {
		t.Errorf("price of nothing %v", got)
	}
	if got := PriceOfStability(Result{Welfare: 5}, Result{}); !math.IsInf(got, 1) {
		t.Errorf("price over zero %v", got)
	}
}

func TestModeAndCancel(t *testing.T) {
	in := generate(t, 3000, 800, 15, 2)
	if _, err := Run(context.Background(), in, Options{Mode: "best"}); !fault.Is(err) || !strings.Contains(fault.Message(err), "«best»") {
		t.Errorf("unknown mode: %v", err)
	}
	if m, err := ParseMode(""); m != Stable || err != nil {
		t.Errorf("default mode %q %v", m, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, in, Options{Mode: Optimal}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}
	// Cancelled from the progress callback, in the middle of the run.
	for _, mode := range []Mode{Stable, Optimal} {
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		_, err := Run(ctx, in, Options{Mode: mode, Progress: func(done, total int) {
			calls++
			cancel()
		}})
		if !errors.Is(err, context.Canceled) || calls == 0 {
			t.Errorf("%s: cancelled during the run: %v after %d progress calls", mode, err, calls)
		}
		cancel()
	}
}

func TestProgress(t *testing.T) {
	in := generate(t, 40000, 12000, 10, 3)
	for _, mode := range []Mode{Stable, Optimal} {
		var last, lastTotal, calls int
		_, err := Run(context.Background(), in, Options{Mode: mode, Progress: func(done, total int) {
			if done < last || done > total {
				t.Errorf("%s: progress %d of %d after %d", mode, done, total, last)
			}
			last, lastTotal = done, total
			calls++
		}})
		if err != nil {
			t.Fatal(err)
		}
		if last != lastTotal || calls < 2 || calls > 100 {
			t.Errorf("%s: %d calls, last %d of %d", mode, calls, last, lastTotal)
		}
	}
}
