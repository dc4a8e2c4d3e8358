package learn

import (
	"math"
	"math/rand/v2"
)

// synthetic makes n rows of p features with a known risk: a few features act
// linearly, one by a threshold, two together, the others are noise. Feature 1
// is missing in about missShare of the rows, and rows with it missing are at
// higher risk, as people with no data often are.
func synthetic(n, p int, missShare float64, seed uint64) (Matrix, []bool) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := NewMatrix(n, p, nil)
	y := make([]bool, n)
	for i := range n {
		row := x.Row(i)
		for j := range row {
			switch j % 4 {
			case 0, 1:
				row[j] = rng.NormFloat64()
			case 2:
				row[j] = float64(rng.IntN(5)) // a small integer code
			default:
				row[j] = math.Round(rng.Float64()*1000) / 10
			}
		}
		s := -0.5 + 1.2*row[0]
		if p > 1 {
			if rng.Float64() < missShare {
				row[1] = math.NaN()
				s += 1
			} else {
				s -= 0.8 * row[1]
			}
		}
		if p > 2 && row[2] >= 3 {
			s += 0.9
		}
		if p > 4 {
			s += 0.6 * row[3] / 50 * row[4]
		}
		y[i] = rng.Float64() < sigmoid(s)
	}
	return x, y
}
