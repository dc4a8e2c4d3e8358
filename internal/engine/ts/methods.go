package ts

import (
	"math"
)

// Method names a forecasting method.
type Method string

// The methods. All but Naive forecast the seasonally adjusted series when a
// seasonal period is given and the series is seasonal, and put the season
// back afterwards.
const (
	Naive  Method = "naive"  // the last value, carried forward
	Naive2 Method = "naive2" // Naive after seasonal adjustment: the M4 benchmark
	SES    Method = "ses"    // simple exponential smoothing, ETS(A,N,N)
	Holt   Method = "holt"   // Holt's linear trend, ETS(A,A,N)
	Damped Method = "damped" // additive damped trend, ETS(A,Ad,N)
	Theta  Method = "theta"  // the Theta method, as forecast::thetaf
	ETS    Method = "ets"    // the ETS model of least AICc, as forecast::ets
	Comb   Method = "comb"   // the mean of ETS, Theta and Damped
)

// Methods returns every method, in the order of the benchmark.
func Methods() []Method {
	return []Method{Naive2, Naive, SES, Holt, Damped, Theta, ETS, Comb}
}

// methodInfo is what Predict needs to know of a method: its name in notes,
// the shortest series it is fitted to and the method used below that.
// A model with k estimated parameters (smoothing parameters and initial
// states) needs more than k+4 values, the rule of forecast::ets; Theta
// counts SES's two and the slope.
type methodInfo struct {
	name     string
	minLen   int
	fallback Method
}

var methodInfos = map[Method]methodInfo{
	Naive:  {"наивный прогноз", 2, ""},
	Naive2: {"наивный прогноз с поправкой на сезонность", 2, ""},
	SES:    {"простое экспоненциальное сглаживание", 7, Naive},
	Holt:   {"линейный тренд Хольта", 9, SES},
	Damped: {"затухающий тренд", 10, Holt},
	Theta:  {"тета", 8, SES},
	ETS:    {"ETS с автоматическим выбором модели", 7, Naive},
	Comb:   {"комбинация ETS, тета и затухающего тренда", 10, Theta},
}

// The indices of the models in etsKinds.
const (
	ann = iota
	aan
	aadn
	mnn
	man
	madn
)

// fits fits each ETS model of one series at most once, so that the
// combination and its members share them.
type fits struct {
	x    []float64
	done [6]bool
	ok   [6]bool
	m    [6]etsModel
}

// model returns the fitted model etsKinds[i]; a multiplicative-error model
// starts from its additive twin.
func (f *fits) model(i int) (*etsModel, bool) {
	if !f.done[i] {
		var twin *etsModel
		if i >= mnn {
			if t, ok := f.model(i - mnn); ok {
				twin = t
			}
		}
		f.m[i], f.ok[i] = fitETS(f.x, etsKinds[i], twin)
		f.done[i] = true
	}
	return &f.m[i], f.ok[i]
}

// band forecasts h steps with method m; ok is false when the model could
// not be fitted.
func (f *fits) band(m Method, h int) (band, bool) {
	switch m {
	case SES:
		return f.etsBand(ann, h)
	case Holt:
		return f.etsBand(aan, h)
	case Damped:
		return f.etsBand(aadn, h)
	case Theta:
		return f.theta(h)
	case ETS:
		return f.auto(h)
	case Comb:
		e, ok1 := f.auto(h)
		t, ok2 := f.theta(h)
		d, ok3 := f.etsBand(aadn, h)
		if !ok1 || !ok2 || !ok3 {
			return band{}, false
		}
		return combine("mean("+e.model+", Theta, ETS(A,Ad,N))", e, t, d), true
	}
	return naive(f.x, h), true
}

func (f *fits) etsBand(i, h int) (band, bool) {
	m, ok := f.model(i)
	if !ok {
		return band{}, false
	}
	return m.band(h), true
}

// auto fits every admissible candidate and keeps the one of least AICc, as
// forecast::ets does for non-seasonal data: a multiplicative error only when
// every value is positive, a model only when the series is longer than its
// parameters plus four.
func (f *fits) auto(h int) (band, bool) {
	positive := true
	for _, v := range f.x {
		positive = positive && v > 0
	}
	var best *etsModel
	for i, k := range etsKinds {
		if (k.mult && !positive) || len(f.x) <= k.params()+4 {
			continue
		}
		if m, ok := f.model(i); ok && !math.IsInf(m.aicc, 1) && (best == nil || m.aicc < best.aicc) {
			best = m
		}
	}
	if best == nil {
		return band{}, false
	}
	return best.band(h), true
}

// band is the model's forecast with its Gaussian bounds.
func (m *etsModel) band(h int) band {
	mean, vars := m.forecast(h)
	return normalBand(m.kind.String(), mean, vars, append([]float64(nil), m.fitted...))
}

// theta is the Theta method of Assimakopoulos and Nikolopoulos (2000) in
// the form of forecast::thetaf (Hyndman and Billah, 2003): simple
// exponential smoothing plus a drift of half the slope of the least-squares
// line, the drift started as the SES weights accumulate,
//
//	ŷ_{n+h} = ℓ_n + b/2 · (h − 1 + (1 − (1−α)^n)/α).
//
// The intervals are thetaf's: those of SES, σ²(1 + (h−1)α²).
func (f *fits) theta(h int) (band, bool) {
	m, ok := f.model(ann)
	if !ok {
		return band{}, false
	}
	n := len(f.x)
	_, slope := linearFit(f.x)
	drift := slope / 2
	a := max(m.p.alpha, 1e-10)
	start := (1 - math.Pow(1-a, float64(n))) / a
	mean := make([]float64, h)
	vars := make([]float64, h)
	for i := range h {
		mean[i] = m.l + drift*(float64(i)+start)
		vars[i] = m.sigma2 * (1 + float64(i)*a*a)
	}
	// In sample, the one-step forecast at t has seen t values.
	fitted := make([]float64, n)
	for t, v := range m.fitted {
		fitted[t] = v + drift*(1-math.Pow(1-a, float64(t)))/a
	}
	return normalBand("Theta", mean, vars, fitted), true
}

// naive carries the last value forward; the variance grows as a random
// walk's, σ² h, σ² the mean squared first difference.
func naive(x []float64, h int) band {
	n := len(x)
	s2 := 0.0
	fitted := make([]float64, n)
	fitted[0] = x[0] // nothing precedes the first value
	for t := 1; t < n; t++ {
		d := x[t] - x[t-1]
		s2 += d * d
		fitted[t] = x[t-1]
	}
	s2 /= float64(n - 1)
	mean := make([]float64, h)
	vars := make([]float64, h)
	for i := range h {
		mean[i] = x[n-1]
		vars[i] = s2 * float64(i+1)
	}
	return normalBand("Naive", mean, vars, fitted)
}

// combine averages the bands: the means, the bounds and the fitted values,
// each position over the members. Averaging the members' quantiles gives
// bounds between theirs, which suits members that mostly agree.
func combine(model string, bs ...band) band {
	h, n := len(bs[0].mean), len(bs[0].fitted)
	c := band{model: model,
		mean: make([]float64, h), lo80: make([]float64, h), hi80: make([]float64, h),
		lo95: make([]float64, h), hi95: make([]float64, h), fitted: make([]float64, n)}
	w := 1 / float64(len(bs))
	for _, b := range bs {
		for i := range h {
			c.mean[i] += w * b.mean[i]
			c.lo80[i] += w * b.lo80[i]
			c.hi80[i] += w * b.hi80[i]
			c.lo95[i] += w * b.lo95[i]
			c.hi95[i] += w * b.hi95[i]
		}
		for t := range n {
			c.fitted[t] += w * b.fitted[t]
		}
	}
	return c
}
