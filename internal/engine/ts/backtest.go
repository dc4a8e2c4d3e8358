package ts

import (
	"fmt"
	"math"

	"marshrut/internal/engine/fault"
)

// Accuracy is how well a method would have forecast a series' own past.
type Accuracy struct {
	Method  Method
	Horizon int // steps of each forecast
	Origins int // forecasts compared

	// The method's sMAPE (percent) and MASE, each the mean over the steps
	// of a forecast and then over the origins, and Naive2's on the same
	// origins. MASE is +Inf when a training window is constant and the
	// forecast still erred.
	SMAPE, MASE             float64
	Naive2SMAPE, Naive2MASE float64
	// OWA is the M4 competition's overall weighted average against Naive2:
	// below 1 the method beat carrying the last value forward. NaN when
	// Naive2 was exact.
	OWA float64
	// Note tells in how many windows the forecast had a note, such as a
	// fallback to a simpler method on the earliest, shortest windows, and
	// quotes the first of them.
	Note string
}

// Backtest measures method m on the history of y by rolling origins: for
// each of the last origins points t = n−h−origins+1, …, n−h it forecasts
// y[t:t+h] from y[:t] exactly as Predict would, compares with what
// happened, and averages. The earliest window needs at least two values.
// MASE is scaled by the seasonal naive errors when opt.Period is above 1,
// as in M4.
func Backtest(y []float64, h, origins int, m Method, opt Options) (Accuracy, error) {
	if err := check(y, h, m, opt); err != nil {
		return Accuracy{}, err
	}
	if origins < 1 {
		return Accuracy{}, fault.New("число точек проверки должно быть не меньше 1, а задано %d", origins)
	}
	n := len(y)
	if need := h + origins + 1; n < need {
		return Accuracy{}, fault.New("ряд из %d %s короток для проверки: с горизонтом %d и числом точек проверки %d нужно не меньше %d значений",
			n, values(n), h, origins, need)
	}
	period := max(opt.Period, 1)
	a := Accuracy{Method: m, Horizon: h, Origins: origins}
	var note string
	noted := 0
	for t := n - h - origins + 1; t <= n-h; t++ {
		train, actual := y[:t], y[t:t+h]
		fc := predict(train, h, m, period)
		nv := predict(train, h, Naive2, period)
		a.SMAPE += SMAPE(actual, fc.Mean)
		a.MASE += MASE(train, actual, fc.Mean, period)
		a.Naive2SMAPE += SMAPE(actual, nv.Mean)
		a.Naive2MASE += MASE(train, actual, nv.Mean, period)
		if fc.Note != "" {
			if noted == 0 {
				note = fc.Note
			}
			noted++
		}
	}
	k := float64(origins)
	a.SMAPE /= k
	a.MASE /= k
	a.Naive2SMAPE /= k
	a.Naive2MASE /= k
	a.OWA = OWA(a.SMAPE, a.MASE, a.Naive2SMAPE, a.Naive2MASE)
	if a.Naive2SMAPE == 0 || math.IsNaN(a.OWA) {
		a.OWA = math.NaN()
	}
	if noted > 0 {
		a.Note = fmt.Sprintf("в %d из %d точек проверки: %s", noted, origins, note)
	}
	return a, nil
}
