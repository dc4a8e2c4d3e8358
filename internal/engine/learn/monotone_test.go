package learn

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// bumpy makes rows where the risk rises with feature 0 but for a dip, falls
// with feature 1 but for a bump, and depends on feature 2 freely; feature 1
// is missing in a tenth of the rows. Unconstrained trees learn the dip and
// the bump, so a check of monotonicity can fail on them.
func bumpy(n int, seed uint64) (Matrix, []bool) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := NewMatrix(n, 4, []string{"up", "down", "free", "noise"})
	y := make([]bool, n)
	for i := range n {
		r := x.Row(i)
		for j := range r {
			r[j] = rng.Float64()*4 - 2
		}
		s := 1.0*r[0] - 2.5*math.Exp(-8*(r[0]-0.5)*(r[0]-0.5))
		if rng.Float64() < 0.1 {
			r[1] = math.NaN()
			s += 0.5
		} else {
			s += -0.8*r[1] + 2.5*math.Exp(-8*(r[1]+0.5)*(r[1]+0.5))
		}
		s += math.Sin(2 * r[2])
		y[i] = rng.Float64() < sigmoid(s)
	}
	return x, y
}

// violations counts the pairs of a row scored with feature j at a lower and
// a higher value whose scores go against the direction dir.
func violations(m Model, x Matrix, j, dir int, rng *rand.Rand) int {
	bad := 0
	row := make([]float64, x.Cols)
	for range 400 {
		copy(row, x.Row(rng.IntN(x.Rows)))
		a, b := rng.Float64()*5-2.5, rng.Float64()*5-2.5
		if a > b {
			a, b = b, a
		}
		row[j] = a
		sa := m.Score(row)
		row[j] = b
		sb := m.Score(row)
		if float64(dir)*(sb-sa) < -1e-12 {
			bad++
		}
	}
	return bad
}

func TestMonotoneConstraintsHold(t *testing.T) {
	x, y := bumpy(4000, 3)
	mono := []int{1, -1, 0, 0}
	for _, kind := range []Kind{KindGBT, KindLogistic} {
		free, err := Fit(context.Background(), x, y, Options{Kind: kind, GBT: GBTOptions{Trees: 60, MaxLeaves: 31, MinLeaf: 5}})
		if err != nil {
			t.Fatal(err)
		}
		held, err := Fit(context.Background(), x, y, Options{Kind: kind, Monotone: mono, GBT: GBTOptions{Trees: 60, MaxLeaves: 31, MinLeaf: 5}})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for j, dir := range mono[:2] {
			if n := violations(held, x, j, dir, rng); n > 0 {
				t.Errorf("%s: feature %d breaks its direction %+d on %d of 400 pairs", kind, j, dir, n)
			}
			if kind == KindGBT {
				// The data bend against the direction: without the constraint the trees follow them.
				if n := violations(free, x, j, dir, rng); n == 0 {
					t.Errorf("%s: unconstrained feature %d is monotone too: the check proves nothing", kind, j)
				}
			}
		}
		// A constrained model still learns: it ranks far better than chance.
		m := Evaluate(y, PredictAll(held, x))
		if m.AUC < 0.65 {
			t.Errorf("%s: constrained model ROC-AUC %.3f", kind, m.AUC)
		}
		// Contributions still add up to the score.
		c, base := held.Contributions(x.Row(0))
		for _, v := range c {
			base += v
		}
		if !near(base, held.Score(x.Row(0)), 1e-9) {
			t.Errorf("%s: contributions add to %v, score %v", kind, base, held.Score(x.Row(0)))
		}
	}
}

// TestMonotoneBinaryContribution: for a 0/1 feature held to a direction, the
// contribution of the value 1 never goes against it, and that of 0 never with
// it (the leaves on each side of a split are all beyond the middle).
func TestMonotoneBinaryContribution(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := 3000
	x := NewMatrix(n, 3, []string{"practice", "grade", "other"})
	y := make([]bool, n)
	for i := range n {
		r := x.Row(i)
		r[0] = float64(rng.IntN(2))
		r[1] = 3 + rng.Float64()*2
		r[2] = rng.NormFloat64()
		// The practice helps on average but hurts with a high grade: an
		// interaction that free trees turn into a contribution of the wrong sign.
		s := -0.5*r[0] + 1.5*r[0]*(r[1]-4) + r[2]
		y[i] = rng.Float64() < sigmoid(s)
	}
	m, err := FitGBT(context.Background(), x, y, Options{Monotone: []int{-1, 0, 0}, GBT: GBTOptions{Trees: 80, MaxLeaves: 15, MinLeaf: 10}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		c, _ := m.Contributions(x.Row(i))
		if x.At(i, 0) == 1 && c[0] > 1e-12 || x.At(i, 0) == 0 && c[0] < -1e-12 {
			t.Fatalf("row %d: practice %v contributes %+.4f against its direction", i, x.At(i, 0), c[0])
		}
	}
}

func TestMonotoneRejected(t *testing.T) {
	x, y := bumpy(300, 1)
	for _, mono := range [][]int{{1, -1}, {2, 0, 0, 0}} {
		if _, err := FitGBT(context.Background(), x, y, Options{Monotone: mono}); err == nil {
			t.Errorf("directions %v accepted", mono)
		}
	}
}
