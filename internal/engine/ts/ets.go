package ts

import "math"

// The bounds of the smoothing parameters, those of forecast::ets: α and β
// in [1e-4, 1-1e-4] with β ≤ α, φ in [0.8, 0.98].
const (
	parLow  = 1e-4
	parHigh = 1 - 1e-4
	phiLow  = 0.8
	phiHigh = 0.98
)

// etsKind is one non-seasonal exponential smoothing state-space model
// (Hyndman et al., 2008): the error additive or multiplicative, the trend
// none, additive or additive damped. All six share the recursions
//
//	ŷ_t = ℓ_{t-1} + φ b_{t-1}
//	ℓ_t = ŷ_t + α (y_t − ŷ_t)
//	b_t = φ b_{t-1} + β (y_t − ŷ_t)
//
// and differ in the likelihood: the error is y_t − ŷ_t or (y_t − ŷ_t)/ŷ_t.
type etsKind struct {
	mult   bool // multiplicative error
	trend  bool
	damped bool
}

// etsKinds are the candidates of the automatic choice, as forecast::ets
// tries them for non-seasonal data without multiplicative trends.
var etsKinds = [...]etsKind{
	{false, false, false}, {false, true, false}, {false, true, true},
	{true, false, false}, {true, true, false}, {true, true, true},
}

func (k etsKind) String() string {
	e, t := "A", "N"
	if k.mult {
		e = "M"
	}
	if k.trend {
		t = "A"
		if k.damped {
			t = "Ad"
		}
	}
	return "ETS(" + e + "," + t + ",N)"
}

// params counts what is estimated: α and ℓ0, then β and b0 with a trend,
// then φ when damped.
func (k etsKind) params() int {
	n := 2
	if k.trend {
		n += 2
	}
	if k.damped {
		n++
	}
	return n
}

// smoothing is the smoothing parameters of a model; β is 0 without a trend
// and φ is 1 without damping.
type smoothing struct{ alpha, beta, phi float64 }

// filter runs the recursions over y from the states (l, b) and returns the
// sum of squared errors, the sum of log |ŷ_t| (for the likelihood of a
// multiplicative error) and the last states. It writes the one-step
// forecasts to fitted when that is not nil. ok is false when a model with a
// multiplicative error meets a one-step forecast that is not positive.
func (k etsKind) filter(y []float64, p smoothing, l, b float64, fitted []float64) (sse, logs, lN, bN float64, ok bool) {
	// Σ log ŷ_t is kept as a product, renormalised each step, and one log:
	// the logarithm would otherwise be the most of a multiplicative fit.
	prod, exp := 1.0, 0
	for t, v := range y {
		f := l + p.phi*b
		if fitted != nil {
			fitted[t] = f
		}
		e := v - f
		if k.mult {
			if !(f > 0) {
				return 0, 0, l, b, false
			}
			r := e / f
			sse += r * r
			var x int
			prod, x = math.Frexp(prod * f)
			exp += x
		} else {
			sse += e * e
		}
		l = f + p.alpha*e
		b = p.phi*b + p.beta*e
	}
	if k.mult {
		logs = math.Log(prod) + float64(exp)*math.Ln2
	}
	return sse, logs, l, b, true
}

// lik is −2 log-likelihood, constants dropped, as in forecast::ets: n log SSE,
// plus 2 Σ log ŷ_t for a multiplicative error. Perfect fits are held at
// −1e10, which forecast also does, so that they do not win by −∞.
func lik(n int, sse, logs float64) float64 {
	v := float64(n)*math.Log(sse) + 2*logs
	if math.IsNaN(v) {
		return math.Inf(1)
	}
	return max(v, -1e10)
}

// etsModel is a fitted model.
type etsModel struct {
	kind   etsKind
	p      smoothing
	l0, b0 float64 // initial states
	l, b   float64 // states after the last observation
	sigma2 float64 // variance of the errors, SSE/(n − estimated parameters)
	aicc   float64
	fitted []float64
}

// fitETS estimates model k by maximum likelihood. For an additive error the
// initial states enter the one-step errors linearly, so for each trial of
// the smoothing parameters they are solved exactly by least squares and the
// simplex searches only α, β and φ. A multiplicative error's likelihood is
// not quadratic in them: its simplex searches all parameters, starting from
// the more likely of forecast's starting values and twin, the fitted
// additive-error model of the same trend (nil for none). ok is false when
// the model cannot be fitted, as on a series with fewer than two values
// more than it has parameters.
func fitETS(y []float64, k etsKind, twin *etsModel) (etsModel, bool) {
	n := len(y)
	np := k.params()
	if n < np+2 {
		return etsModel{}, false
	}
	hl, hb := startStates(y, k.trend)
	m := etsModel{kind: k}
	ok := false
	if !k.mult {
		m.p, m.l0, m.b0, ok = fitAdditive(y, k, hl, hb)
	} else {
		scale := 0.0
		for _, v := range y {
			scale = max(scale, math.Abs(v))
		}
		if scale == 0 {
			return etsModel{}, false
		}
		starts := []start{{startSmoothing(k), hl, hb}}
		if twin != nil {
			starts = append(starts, start{twin.p, twin.l0, twin.b0})
		}
		m.p, m.l0, m.b0, ok = fitMultiplicative(y, k, starts, scale)
	}
	if !ok {
		return etsModel{}, false
	}
	m.fitted = make([]float64, n)
	sse, logs, l, b, ok := k.filter(y, m.p, m.l0, m.b0, m.fitted)
	if !ok {
		return etsModel{}, false
	}
	m.l, m.b = l, b
	m.sigma2 = sse / float64(n-np)
	q := float64(np + 1) // σ² is estimated too
	m.aicc = lik(n, sse, logs) + 2*q + 2*q*(q+1)/(float64(n)-q-1)
	return m, true
}

// startStates are forecast's first guesses of the initial states: the mean
// of the first ten values, or with a trend the least-squares line through
// them.
func startStates(y []float64, trend bool) (l, b float64) {
	w := y[:min(10, len(y))]
	if !trend {
		return mean(w), 0
	}
	a, s := linearFit(w)
	// The line is fitted on t = 1..len(w); ℓ0 is its value at t = 0.
	return a - s, s
}

// startSmoothing are forecast's starting values of the smoothing parameters.
func startSmoothing(k etsKind) smoothing {
	p := smoothing{alpha: parLow + 0.2*(parHigh-parLow), phi: 1}
	if k.trend {
		p.beta = parLow + 0.1*(p.alpha-parLow)
	}
	if k.damped {
		p.phi = phiLow + 0.99*(phiHigh-phiLow)
	}
	return p
}

// The simplex searches the smoothing parameters through a logistic map
// onto their bounds, so that every point it tries is admissible and a
// parameter can approach a bound without the simplex collapsing on it:
// α = lo + (hi−lo)·σ(x₀), β = lo + (α−lo)·σ(x₁), φ = 0.8 + 0.18·σ(x₂).
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logit is the inverse of sigmoid, kept finite at the ends.
func logit(p float64) float64 {
	p = min(max(p, 1e-9), 1-1e-9)
	return math.Log(p / (1 - p))
}

// unpack reads the smoothing parameters of kind k from the front of x.
func (k etsKind) unpack(x []float64) (p smoothing, rest []float64) {
	p = smoothing{alpha: parLow + (parHigh-parLow)*sigmoid(x[0]), phi: 1}
	x = x[1:]
	if k.trend {
		p.beta, x = parLow+(p.alpha-parLow)*sigmoid(x[0]), x[1:]
	}
	if k.damped {
		p.phi, x = phiLow+(phiHigh-phiLow)*sigmoid(x[0]), x[1:]
	}
	return p, x
}

// pack is the inverse of unpack.
func (k etsKind) pack(p smoothing) []float64 {
	x := []float64{logit((p.alpha - parLow) / (parHigh - parLow))}
	if k.trend {
		x = append(x, logit((p.beta-parLow)/(p.alpha-parLow)))
	}
	if k.damped {
		x = append(x, logit((p.phi-phiLow)/(phiHigh-phiLow)))
	}
	return x
}

// startGrid is where the simplex of an additive-error model may start: α
// from 0.05 to 0.99, β and φ at forecast's starting values. The likelihood
// of a trend model often has a second minimum with β near α, where the trend
// follows every turn of the history; it fits better and forecasts worse (on
// M3's yearly series OWA 0.97 against 0.89 for this search), and forecast's
// local search from a small β avoids it too. The grid in α guards against
// SES's own local minima.
func startGrid(k etsKind) []smoothing {
	st := startSmoothing(k)
	g := make([]smoothing, 0, 5)
	for _, a := range []float64{0.05, 0.2, 0.5, 0.8, 0.99} {
		s := st
		s.alpha = a
		s.beta = min(st.beta, a/2)
		g = append(g, s)
	}
	return g
}

// unitSteps is the simplex's first step along each transformed parameter.
func unitSteps(d int) []float64 {
	s := make([]float64, d)
	for i := range s {
		s[i] = 1
	}
	return s
}

// fitAdditive searches the smoothing parameters of an additive-error model
// with the initial states concentrated out. It starts the simplex from the
// best point of a coarse grid, since the likelihood can have more than one
// minimum: a trend series often has one at β near zero and another at β
// near α.
func fitAdditive(y []float64, k etsKind, hl, hb float64) (p smoothing, l0, b0 float64, ok bool) {
	obj := func(x []float64) float64 {
		p, _ := k.unpack(x)
		_, _, sse := k.bestStates(y, p, hl, hb)
		return lik(len(y), sse, 0)
	}
	var best []float64
	bestV := math.Inf(1)
	for _, s := range startGrid(k) {
		x := k.pack(s)
		if v := obj(x); v < bestV {
			best, bestV = x, v
		}
	}
	if math.IsInf(bestV, 1) {
		return p, 0, 0, false
	}
	x, v := minimize(obj, best, unitSteps(len(best)), 300*len(best))
	if math.IsInf(v, 1) {
		return p, 0, 0, false
	}
	p, _ = k.unpack(x)
	l0, b0, _ = k.bestStates(y, p, hl, hb)
	return p, l0, b0, true
}

// bestStates solves for the initial states that minimise the sum of squared
// additive errors for fixed smoothing parameters. The errors are linear in
// the states: e_t(ℓ0, b0) = e_t(hl, hb) − (ℓ0−hl) g_t − (b0−hb) h_t, where
// g and h are the sensitivities of ŷ_t to ℓ0 and b0; expanding around the
// first guesses (hl, hb) keeps the arithmetic well conditioned.
func (k etsKind) bestStates(y []float64, p smoothing, hl, hb float64) (l0, b0, sse float64) {
	l, b := hl, hb
	// dl0 and db0 are the sensitivities of the states (ℓ, b) to ℓ0 and b0.
	dl0, db0 := [2]float64{1, 0}, [2]float64{0, 1}
	var see, sge, she, sgg, sgh, shh float64
	for _, v := range y {
		f := l + p.phi*b
		e := v - f
		g := dl0[0] + p.phi*dl0[1] // ∂ŷ/∂ℓ0
		h := db0[0] + p.phi*db0[1] // ∂ŷ/∂b0
		see += e * e
		sge += g * e
		sgg += g * g
		if k.trend {
			she += h * e
			sgh += g * h
			shh += h * h
		}
		l = f + p.alpha*e
		b = p.phi*b + p.beta*e
		// The error moves by −∂ŷ, so ℓ by (1−α)∂ŷ and b by φ∂b − β∂ŷ.
		dl0 = [2]float64{(1 - p.alpha) * g, p.phi*dl0[1] - p.beta*g}
		db0 = [2]float64{(1 - p.alpha) * h, p.phi*db0[1] - p.beta*h}
	}
	var dl, db float64
	det := sgg*shh - sgh*sgh
	if k.trend && det > 1e-12*sgg*shh {
		dl = (sge*shh - she*sgh) / det
		db = (she*sgg - sge*sgh) / det
	} else if sgg > 0 {
		dl = sge / sgg
	}
	sse = see - 2*dl*sge - 2*db*she + dl*dl*sgg + 2*dl*db*sgh + db*db*shh
	if sse < 1e-12*see {
		// Cancellation may leave the difference meaningless; filter again.
		sse, _, _, _, _ = k.filter(y, p, hl+dl, hb+db, nil)
	}
	return hl + dl, hb + db, sse
}

// start is a starting point of the search: smoothing parameters and
// initial states.
type start struct {
	p    smoothing
	l, b float64
}

// fitMultiplicative searches all parameters of a multiplicative-error model
// from the most likely of the starts, the states measured in units of
// scale so that one simplex suits both. ok is false when no start gives
// positive one-step forecasts throughout.
func fitMultiplicative(y []float64, k etsKind, starts []start, scale float64) (p smoothing, l, b float64, ok bool) {
	states := func(s []float64) (l, b float64) {
		if k.trend {
			b = s[1] * scale
		}
		return s[0] * scale, b
	}
	obj := func(x []float64) float64 {
		p, s := k.unpack(x)
		l, b := states(s)
		sse, logs, _, _, ok := k.filter(y, p, l, b, nil)
		if !ok {
			return math.Inf(1)
		}
		return lik(len(y), sse, logs)
	}
	var x0 []float64
	best := math.Inf(1)
	for _, st := range starts {
		x := append(k.pack(st.p), st.l/scale)
		if k.trend {
			x = append(x, st.b/scale)
		}
		if v := obj(x); v < best {
			x0, best = x, v
		}
	}
	if x0 == nil {
		return p, 0, 0, false
	}
	d := len(x0) - 1 // the smoothing parameters
	if k.trend {
		d--
	}
	step := unitSteps(len(x0))
	for i := d; i < len(x0); i++ {
		step[i] = 0.01 * max(math.Abs(x0[i]), 0.01)
	}
	x, _ := minimize(obj, x0, step, 300*len(x0))
	p, s := k.unpack(x)
	l, b = states(s)
	return p, l, b, true
}

// forecast returns the point forecasts and their variances h steps ahead.
// The variances are the analytical ones of Hyndman et al. (2008, ch. 6):
// class 1 for an additive error, class 2 for a multiplicative one.
func (m etsModel) forecast(h int) (mean, vars []float64) {
	mean = make([]float64, h)
	vars = make([]float64, h)
	c := make([]float64, h) // c_j = α + β(φ + … + φ^j)
	phiSum, phiPow := 0.0, 1.0
	for j := range h {
		phiPow *= m.p.phi
		phiSum += phiPow
		mean[j] = m.l + phiSum*m.b
		c[j] = m.p.alpha + m.p.beta*phiSum
	}
	s2 := m.sigma2
	if !m.kind.mult {
		acc := 1.0
		for j := range h {
			vars[j] = s2 * acc
			acc += c[j] * c[j]
		}
		return mean, vars
	}
	// θ_1 = μ_1², θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j}; v_h = (1+σ²)θ_h − μ_h².
	theta := make([]float64, h)
	for i := range h {
		theta[i] = mean[i] * mean[i]
		for j := 1; j <= i; j++ {
			theta[i] += s2 * c[j-1] * c[j-1] * theta[i-j]
		}
		vars[i] = (1+s2)*theta[i] - mean[i]*mean[i]
	}
	return mean, vars
}
