package ts

import "math"

// SMAPE is the symmetric mean absolute percentage error of the M3 and M4
// competitions, in percent from 0 to 200: the mean of 200|y−f|/(|y|+|f|).
// A step where both the actual and the forecast are zero counts as exact.
func SMAPE(actual, forecast []float64) float64 {
	s := 0.0
	for i, y := range actual {
		f := forecast[i]
		if d := math.Abs(y) + math.Abs(f); d > 0 {
			s += 200 * math.Abs(y-f) / d
		}
	}
	return s / float64(len(actual))
}

// MASE is the mean absolute scaled error (Hyndman and Koehler, 2006): the
// mean absolute error of the forecast divided by the in-sample mean absolute
// error of the seasonal naive forecast on train, |y_t − y_{t−period}|
// (period 1 for non-seasonal data, the M4 definition). It is NaN when train
// has no more than period values and +Inf when they repeat exactly.
func MASE(train, actual, forecast []float64, period int) float64 {
	period = max(period, 1)
	if len(train) <= period {
		return math.NaN()
	}
	scale := 0.0
	for t := period; t < len(train); t++ {
		scale += math.Abs(train[t] - train[t-period])
	}
	scale /= float64(len(train) - period)
	mae := 0.0
	for i, y := range actual {
		mae += math.Abs(y - forecast[i])
	}
	mae /= float64(len(actual))
	if mae == 0 {
		return 0
	}
	return mae / scale
}

// OWA is the overall weighted average of the M4 competition: the mean of a
// method's sMAPE and MASE, each relative to Naive2's on the same series.
// Both are averaged over the series (and steps) first, then divided; below 1
// is better than Naive2.
func OWA(smape, mase, smapeNaive2, maseNaive2 float64) float64 {
	return 0.5 * (smape/smapeNaive2 + mase/maseNaive2)
}
