package match

import (
	"context"
	"math/rand/v2"
	"testing"
)

// brute enumerates every matching of the market of a small instance without
// contracts: each graduate unplaced or at one of its vacancies, capacities
// respected. visit gets each one; it must not keep the slice.
func brute(in *Instance, visit func(assign []int32)) {
	n := in.NumGraduates()
	assign := make([]int32, n)
	load := make([]int32, in.NumVacancies())
	var rec func(g int)
	rec = func(g int) {
		if g == n {
			visit(assign)
			return
		}
		assign[g] = -1
		rec(g + 1)
		for _, e := range in.Edges(g) {
			if load[e.Vacancy] < int32(in.Capacity(e.Vacancy)) {
				load[e.Vacancy]++
				assign[g] = int32(e.Vacancy)
				rec(g + 1)
				load[e.Vacancy]--
			}
		}
	}
	rec(0)
}

// strict are the preferences with ties broken by the lottery of a result.
type strict struct {
	in           *Instance
	gRank, vRank []int32
}

// gradKey orders a graduate's options, higher better: unplaced lowest.
func (s strict) gradKey(g int, v int32) int64 {
	if v < 0 {
		return -1 << 40
	}
	x, _ := s.in.edge(int32(g), v)
	return int64(edgeUtil(x))<<32 - int64(s.vRank[v])
}

// empKey orders an employer's graduates, higher better.
func (s strict) empKey(g int, v int32) int64 {
	x, _ := s.in.edge(int32(g), v)
	return int64(edgeScore(x))<<32 - int64(s.gRank[g])
}

// stable tells whether a matching has no blocking pair for the strict
// preferences.
func (s strict) stable(assign []int32) bool {
	for g := range assign {
		for _, e := range s.in.Edges(g) {
			v := int32(e.Vacancy)
			if v == assign[g] || s.gradKey(g, v) <= s.gradKey(g, assign[g]) {
				continue
			}
			held, worst := 0, int64(1)<<62
			for h, u := range assign {
				if u == v {
					held++
					worst = min(worst, s.empKey(h, v))
				}
			}
			if held < s.in.Capacity(int(v)) || s.empKey(g, v) > worst {
				return false
			}
		}
	}
	return true
}

// TestBruteForce checks both modes against every matching of many small
// instances with ties: the stable result is stable and, among all stable
// matchings for the lottery's strict preferences, the best for every graduate
// at once; the optimal result reaches the highest welfare there is.
func TestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 400 {
		n, m := 1+rng.IntN(6), 1+rng.IntN(4)
		spread := []int{3, 5, 1001}[i%3]
		in := random(t, rng, n, m, 2, 0.3+0.6*rng.Float64(), spread)
		seed := rng.Uint64()
		st, err := Run(context.Background(), in, Options{Mode: Stable, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		op, err := Run(context.Background(), in, Options{Mode: Optimal, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		check(t, in, st)
		check(t, in, op)
		if st.Blocking != 0 {
			t.Fatalf("instance %d: stable result has %d blocking pairs", i, st.Blocking)
		}
		pref := strict{in, st.GraduateRank, st.VacancyRank}
		if !pref.stable(st.Assignment) {
			t.Fatalf("instance %d: stable result %v blocked under the lottery's preferences", i, st.Assignment)
		}
		var best int64
		stableCount := 0
		brute(in, func(a []int32) {
			var w int64
			for g, v := range a {
				if v >= 0 {
					x, _ := in.edge(int32(g), v)
					w += int64(edgeUtil(x) + edgeScore(x))
				}
			}
			best = max(best, w)
			if !pref.stable(a) {
				return
			}
			stableCount++
			for g, v := range a {
				if pref.gradKey(g, v) > pref.gradKey(g, st.Assignment[g]) {
					t.Fatalf("instance %d: graduate %d does better (%d) in stable matching %v than in the result %v", i, g, v, a, st.Assignment)
				}
			}
		})
		if stableCount == 0 {
			t.Fatalf("instance %d: no stable matching found by brute force", i)
		}
		if op.Welfare != best {
			t.Fatalf("instance %d: optimal welfare %d, brute force %d", i, op.Welfare, best)
		}
		if st.Welfare > op.Welfare {
			t.Fatalf("instance %d: stable welfare %d above optimal %d", i, st.Welfare, op.Welfare)
		}
	}
}
