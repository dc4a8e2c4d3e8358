package ts

import "math"

// seasonal decides whether y, with period observations per cycle, is
// seasonal: by the 90% test on the autocorrelation at lag period used by
// forecast::thetaf and the M4 benchmarks, |r_m| > 1.645·√((1 + 2Σ_{k<m} r_k²)/n).
// A series shorter than three cycles is not tested.
func seasonal(y []float64, period int) bool {
	n := len(y)
	if period < 2 || n < 3*period {
		return false
	}
	m := mean(y)
	var den float64
	for _, v := range y {
		den += (v - m) * (v - m)
	}
	if den == 0 {
		return false
	}
	acf := func(k int) float64 {
		s := 0.0
		for t := k; t < n; t++ {
			s += (y[t] - m) * (y[t-k] - m)
		}
		return s / den
	}
	sum := 0.0
	for k := 1; k < period; k++ {
		r := acf(k)
		sum += r * r
	}
	limit := 1.6448536269514722 * math.Sqrt((1+2*sum)/float64(n))
	return math.Abs(acf(period)) > limit
}

// seasonalIndices are the seasonal factors of the classical multiplicative
// decomposition (R's decompose): the ratios of y to its centred moving
// average of one cycle, averaged by position in the cycle and scaled to
// mean 1. Index i belongs to the positions t ≡ i (mod period), counted from
// y's first value. ok is false when the moving average is not positive
// somewhere or an index is below 1e-4, where dividing by it would not do
// (thetaf's rule).
func seasonalIndices(y []float64, period int) (idx []float64, ok bool) {
	n := len(y)
	half := period / 2
	sum := make([]float64, period)
	cnt := make([]int, period)
	for t := half; t < n-half; t++ {
		var trend float64
		if period%2 == 0 {
			trend = 0.5 * (y[t-half] + y[t+half])
			for j := t - half + 1; j < t+half; j++ {
				trend += y[j]
			}
		} else {
			for j := t - half; j <= t+half; j++ {
				trend += y[j]
			}
		}
		trend /= float64(period)
		if !(trend > 0) {
			return nil, false
		}
		sum[t%period] += y[t] / trend
		cnt[t%period]++
	}
	idx = make([]float64, period)
	for i := range idx {
		idx[i] = sum[i] / float64(cnt[i])
	}
	m := mean(idx)
	for i := range idx {
		idx[i] /= m
		if !(idx[i] >= 1e-4) {
			return nil, false
		}
	}
	return idx, true
}
