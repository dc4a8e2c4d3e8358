package match

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// generate builds an instance with the structure of match_instance.py gen:
// vacancies in 12 municipalities and 40 occupation groups with a pay level,
// graduates drawing half of their k edges from their own town and group, the
// rest at random, and scores that favour the local, the fitting and the well
// paid. Not the same numbers as the Python generator (another random source),
// the same shape.
func generate(tb testing.TB, n, m, k int, seed uint64) *Instance {
	tb.Helper()
	k = min(k, m)
	rng := rand.New(rand.NewPCG(seed, 7))
	b := NewBuilder()
	town, group := make([]int, m), make([]int, m)
	pay := make([]float64, m)
	byKey := map[[2]int][]int{}
	for v := range m {
		town[v], group[v], pay[v] = rng.IntN(12), rng.IntN(40), rng.NormFloat64()
		byKey[[2]int{town[v], group[v]}] = append(byKey[[2]int{town[v], group[v]}], v)
		byKey[[2]int{-1, group[v]}] = append(byKey[[2]int{-1, group[v]}], v)
	}
	caps := []int{1, 1, 1, 2, 2, 3, 5}
	for v := range m {
		if _, err := b.AddVacancy(fmt.Sprintf("V%d", v), caps[rng.IntN(len(caps))]); err != nil {
			tb.Fatal(err)
		}
	}
	clamp := func(x float64) int { return max(0, min(MaxScore, int(x))) }
	seen := make([]int, m) // graduate+1 that last took each vacancy
	cand := make([]int, 0, k)
	for g := range n {
		if _, err := b.AddGraduate(fmt.Sprintf("G%d", g)); err != nil {
			tb.Fatal(err)
		}
		t, gr, grade := rng.IntN(12), rng.IntN(40), rng.NormFloat64()
		pool := append(append([]int(nil), byKey[[2]int{t, gr}]...), byKey[[2]int{-1, gr}]...)
		cand = cand[:0]
		take := func(v int) {
			if seen[v] != g+1 {
				seen[v] = g + 1
				cand = append(cand, v)
			}
		}
		for i, want := 0, min(len(pool), k/2); i < want; i++ { // sample without replacement
			j := i + rng.IntN(len(pool)-i)
			pool[i], pool[j] = pool[j], pool[i]
			take(pool[i])
		}
		for len(cand) < k {
			take(rng.IntN(m))
		}
		for _, v := range cand {
			local, fit := 0.0, 0.0
			if town[v] == t {
				local = 1
			}
			if group[v] == gr {
				fit = 1
			}
			u := 500 + 150*pay[v] + 200*local + 150*fit + 80*rng.NormFloat64()
			e := 500 + 200*grade + 250*fit + 50*local + 80*rng.NormFloat64()
			b.addEdge(int32(g), int32(v), clamp(u), clamp(e))
		}
	}
	in, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

// random builds a small instance: each graduate has each vacancy with
// probability density, scores drawn from 0..spread-1 (a small spread makes
// ties), capacities from 0..maxCap.
func random(tb testing.TB, rng *rand.Rand, n, m, maxCap int, density float64, spread int) *Instance {
	tb.Helper()
	b := NewBuilder()
	for g := range n {
		if _, err := b.AddGraduate(fmt.Sprintf("g%d", g)); err != nil {
			tb.Fatal(err)
		}
	}
	for v := range m {
		if _, err := b.AddVacancy(fmt.Sprintf("v%d", v), rng.IntN(maxCap+1)); err != nil {
			tb.Fatal(err)
		}
	}
	for g := range n {
		for v := range m {
			if rng.Float64() < density {
				if err := b.AddEdge(fmt.Sprintf("g%d", g), fmt.Sprintf("v%d", v), rng.IntN(spread), rng.IntN(spread)); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	in, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return in
}
