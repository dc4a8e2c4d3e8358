package ts

import "math"

// The standard normal quantiles of the central 80% and 95% intervals.
const (
	z80 = 1.2815515655446004
	z95 = 1.959963984540054
)

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// linearFit is the least-squares line a + s·t through x at t = 1..len(x).
func linearFit(x []float64) (a, s float64) {
	n := float64(len(x))
	if len(x) < 2 {
		return x[0], 0
	}
	tm := (n + 1) / 2
	xm := mean(x)
	var sxy, sxx float64
	for i, v := range x {
		d := float64(i+1) - tm
		sxy += d * (v - xm)
		sxx += d * d
	}
	s = sxy / sxx
	return xm - s*tm, s
}

// constant reports whether all values of x are equal.
func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}

// band is a forecast path with its 80% and 95% bounds and the in-sample
// one-step forecasts, before seasonal adjustment is undone.
type band struct {
	model                        string
	mean, lo80, hi80, lo95, hi95 []float64
	fitted                       []float64
}

// normalBand puts Gaussian bounds around mean with the given variances.
func normalBand(model string, mean, vars, fitted []float64) band {
	h := len(mean)
	b := band{model: model, mean: mean, fitted: fitted,
		lo80: make([]float64, h), hi80: make([]float64, h),
		lo95: make([]float64, h), hi95: make([]float64, h)}
	for i, m := range mean {
		sd := math.Sqrt(max(vars[i], 0))
		b.lo80[i], b.hi80[i] = m-z80*sd, m+z80*sd
		b.lo95[i], b.hi95[i] = m-z95*sd, m+z95*sd
	}
	return b
}
