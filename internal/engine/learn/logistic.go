package learn

import (
	"context"
	"math"
	"runtime"
	"sync"

	"marshrut/internal/engine/fault"
)

// LogisticOptions are the settings of the logistic regression.
type LogisticOptions struct {
	// Lambda is the L2 penalty on the coefficients of the standardised
	// features: training minimises the summed log loss plus Lambda/2·‖w‖²,
	// the intercept not penalised. It is scikit-learn's 1/C; 0 means 1.
	Lambda float64
	// MaxIter bounds the Newton iterations; 0 means 50. Newton's method
	// usually converges in fewer than ten.
	MaxIter int
}

// Logistic is a trained logistic regression. Features are standardised with
// the training mean and standard deviation; a missing value takes the
// training mean, and a feature that had missing values in training gets an
// indicator of missing, itself standardised, whose term is folded into the
// feature's contribution.
type Logistic struct{ m logisticParams }

// logisticParams is the model as it is stored.
type logisticParams struct {
	Names     []string  `json:"features"`
	Lambda    float64   `json:"lambda"`
	Intercept float64   `json:"intercept"`
	Mean      []float64 `json:"mean"`
	Scale     []float64 `json:"scale"`
	Coef      []float64 `json:"coef"`
	// The indicators of missing, per feature; zero coefficient for a feature
	// that had no missing values in training.
	MissMean  []float64 `json:"missMean"`
	MissScale []float64 `json:"missScale"`
	MissCoef  []float64 `json:"missCoef"`
	Iter      int       `json:"iterations"`
	// Monotone is the direction each feature was held to (see Options.Monotone).
	Monotone []int `json:"monotone,omitempty"`
}

// FitLogistic trains a logistic regression by Newton's method.
func FitLogistic(ctx context.Context, x Matrix, y []bool, opts Options) (*Logistic, error) {
	if err := checkData(x, y, opts); err != nil {
		return nil, err
	}
	o := opts.Logistic
	if o.Lambda < 0 || math.IsNaN(o.Lambda) {
		return nil, fault.New("штраф регуляризации не может быть отрицательным: %g", o.Lambda)
	}
	if o.Lambda == 0 {
		o.Lambda = 1
	}
	if o.MaxIter <= 0 {
		o.MaxIter = 50
	}
	m := standardise(x)
	m.Names, m.Lambda = x.featureNames(), o.Lambda
	d := newDesign(&m, x, y)

	if err := checkMonotone(opts.Monotone, x.Cols); err != nil {
		return nil, err
	}
	m.Monotone = opts.Monotone
	pos, _ := counts(y)
	var beta []float64
	// A coefficient of the wrong sign for a constrained feature is fixed at
	// zero and the rest refitted, until none is left: the model then never
	// moves against a feature's stated direction.
	for {
		beta = make([]float64, d.q) // intercept first, then the coefficients of d.cols
		beta[0] = Logit(float64(pos) / float64(len(y)))
		var err error
		if beta, err = d.newton(ctx, beta, o.MaxIter, &m.Iter); err != nil {
			return nil, err
		}
		keep := d.cols[:0:0]
		for k, c := range d.cols {
			if !c.miss && len(opts.Monotone) > 0 && float64(opts.Monotone[c.j])*beta[k+1] < 0 {
				continue
			}
			keep = append(keep, c)
		}
		if len(keep) == len(d.cols) {
			break
		}
		d.cols, d.q = keep, 1+len(keep)
	}
	m.Intercept = beta[0]
	for k, c := range d.cols {
		if c.miss {
			m.MissCoef[c.j] = beta[k+1]
		} else {
			m.Coef[c.j] = beta[k+1]
		}
	}
	return &Logistic{m: m}, nil
}

// newton minimises the objective from beta by Newton's method with a
// backtracking line search; iter is set to the iterations taken.
func (d *design) newton(ctx context.Context, beta []float64, maxIter int, iter *int) ([]float64, error) {
	f, g, h := d.pass(beta)
	for *iter = 1; *iter <= maxIter; *iter++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		step := solveSPD(h, g)
		// The Newton decrement squared, twice the fall of the objective that
		// the step promises. Newton's method converges quadratically, so
		// stopping only when it is negligible costs an iteration or two.
		decrement := dot(g, step)
		if decrement < 1e-20*(1+math.Abs(f)) {
			break
		}
		t, next := 1.0, make([]float64, d.q)
		for {
			for k := range next {
				next[k] = beta[k] - t*step[k]
			}
			fn, gn, hn := d.pass(next)
			if fn <= f-1e-4*t*decrement {
				beta, f, g, h = next, fn, gn, hn
				break
			}
			if t /= 2; t < 1e-10 {
				break // no progress is possible in floating point: beta is the optimum
			}
		}
		if t < 1e-10 {
			break
		}
	}
	return beta, nil
}

// standardise computes the means and scales of the features and of their
// indicators of missing.
func standardise(x Matrix) logisticParams {
	p := x.Cols
	m := logisticParams{
		Mean: make([]float64, p), Scale: make([]float64, p), Coef: make([]float64, p),
		MissMean: make([]float64, p), MissScale: make([]float64, p), MissCoef: make([]float64, p),
	}
	sum, sq, n := make([]float64, p), make([]float64, p), make([]float64, p)
	for i := range x.Rows {
		for j, v := range x.Row(i) {
			if !Missing(v) {
				sum[j] += v
				n[j]++
			}
		}
	}
	for j := range p {
		if n[j] > 0 {
			m.Mean[j] = sum[j] / n[j]
		}
	}
	for i := range x.Rows { // a second pass: the two-pass variance is exact enough for any scale
		for j, v := range x.Row(i) {
			if !Missing(v) {
				d := v - m.Mean[j]
				sq[j] += d * d
			}
		}
	}
	rows := float64(x.Rows)
	for j := range p {
		m.Scale[j] = 1
		if n[j] > 0 && sq[j] > 0 {
			m.Scale[j] = math.Sqrt(sq[j] / n[j])
		}
		m.MissScale[j] = 1
		if miss := rows - n[j]; miss > 0 {
			f := miss / rows
			m.MissMean[j] = f
			if f < 1 {
				m.MissScale[j] = math.Sqrt(f * (1 - f))
			}
		}
	}
	return m
}

// column is one column of the design: feature j or its indicator of missing.
type column struct {
	j    int
	miss bool
}

// design evaluates the penalised objective, its gradient and its Hessian.
type design struct {
	m    *logisticParams
	x    Matrix
	y    []bool
	cols []column
	q    int // 1 + len(cols)
}

func newDesign(m *logisticParams, x Matrix, y []bool) *design {
	d := &design{m: m, x: x, y: y}
	for j := range x.Cols {
		d.cols = append(d.cols, column{j: j})
	}
	for j := range x.Cols {
		if m.MissMean[j] > 0 && m.MissMean[j] < 1 {
			d.cols = append(d.cols, column{j: j, miss: true})
		}
	}
	d.q = 1 + len(d.cols)
	return d
}

// row fills z with 1 and the standardised columns of row i.
func (d *design) row(i int, z []float64) {
	z[0] = 1
	r := d.x.Row(i)
	for k, c := range d.cols {
		v := r[c.j]
		switch {
		case c.miss:
			z[k+1] = (b2f(Missing(v)) - d.m.MissMean[c.j]) / d.m.MissScale[c.j]
		case Missing(v):
			z[k+1] = 0
		default:
			z[k+1] = (v - d.m.Mean[c.j]) / d.m.Scale[c.j]
		}
	}
}

// chunkRows is the unit of parallel work. The partial sums of the chunks are
// added in chunk order, so the result does not depend on the number of cores.
const chunkRows = 4096

// pass returns the objective, gradient and Hessian (lower triangle filled too) at beta.
func (d *design) pass(beta []float64) (float64, []float64, [][]float64) {
	q := d.q
	chunks := (d.x.Rows + chunkRows - 1) / chunkRows
	type part struct {
		f float64
		g []float64
		h []float64 // q×q, upper triangle
	}
	parts := make([]part, chunks)
	var wg sync.WaitGroup
	next := make(chan int, chunks)
	for c := range chunks {
		next <- c
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			z := make([]float64, q)
			for c := range next {
				pt := part{g: make([]float64, q), h: make([]float64, q*q)}
				for i := c * chunkRows; i < min((c+1)*chunkRows, d.x.Rows); i++ {
					d.row(i, z)
					s := dot(beta, z)
					pr := sigmoid(s)
					// log(1+e^s) - y·s, computed without overflow
					pt.f += softplus(s) - b2f(d.y[i])*s
					r, w := pr-b2f(d.y[i]), pr*(1-pr)
					for a := range q {
						pt.g[a] += r * z[a]
						wa := w * z[a]
						row := pt.h[a*q:]
						for b := a; b < q; b++ {
							row[b] += wa * z[b]
						}
					}
				}
				parts[c] = pt
			}
		})
	}
	wg.Wait()
	f, g := 0.0, make([]float64, q)
	h := make([][]float64, q)
	for a := range h {
		h[a] = make([]float64, q)
	}
	for _, pt := range parts {
		f += pt.f
		for a := range q {
			g[a] += pt.g[a]
			for b := a; b < q; b++ {
				h[a][b] += pt.h[a*q+b]
			}
		}
	}
	lambda := d.m.Lambda
	for a := 1; a < q; a++ {
		f += lambda / 2 * beta[a] * beta[a]
		g[a] += lambda * beta[a]
		h[a][a] += lambda
	}
	for a := range q {
		for b := 0; b < a; b++ {
			h[a][b] = h[b][a]
		}
	}
	return f, g, h
}

func softplus(s float64) float64 {
	if s > 0 {
		return s + math.Log1p(math.Exp(-s))
	}
	return math.Log1p(math.Exp(s))
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// solveSPD solves h·x = g for a symmetric positive definite h by Cholesky
// decomposition, adding a small ridge if h is numerically singular.
func solveSPD(h [][]float64, g []float64) []float64 {
	n := len(g)
	for jitter := 0.0; ; jitter = max(jitter*10, 1e-10) {
		l := make([][]float64, n)
		ok := true
		for i := 0; i < n && ok; i++ {
			l[i] = make([]float64, i+1)
			for j := 0; j <= i; j++ {
				s := h[i][j]
				if i == j {
					s += jitter * (1 + h[i][i])
				}
				for k := range j {
					s -= l[i][k] * l[j][k]
				}
				if i == j {
					if s <= 0 {
						ok = false
						break
					}
					l[i][i] = math.Sqrt(s)
				} else {
					l[i][j] = s / l[j][j]
				}
			}
		}
		if !ok {
			continue
		}
		x := make([]float64, n)
		for i := range n { // L·u = g
			s := g[i]
			for k := range i {
				s -= l[i][k] * x[k]
			}
			x[i] = s / l[i][i]
		}
		for i := n - 1; i >= 0; i-- { // Lᵀ·x = u
			s := x[i]
			for k := i + 1; k < n; k++ {
				s -= l[k][i] * x[k]
			}
			x[i] = s / l[i][i]
		}
		return x
	}
}

func (l *Logistic) Kind() Kind         { return KindLogistic }
func (l *Logistic) Features() []string { return l.m.Names }

// Lambda is the penalty the model was trained with.
func (l *Logistic) Lambda() float64 { return l.m.Lambda }

// Iterations is the number of Newton iterations training took.
func (l *Logistic) Iterations() int { return l.m.Iter }

func (l *Logistic) Predict(row []float64) float64 { return sigmoid(l.Score(row)) }

func (l *Logistic) Score(row []float64) float64 {
	checkRow(row, len(l.m.Coef))
	s := l.m.Intercept
	for j, v := range row {
		s += l.term(j, v)
	}
	return s
}

// Contributions are coefficient × standardised value for each feature, plus
// the term of its indicator of missing; the base is the intercept.
func (l *Logistic) Contributions(row []float64) ([]float64, float64) {
	checkRow(row, len(l.m.Coef))
	c := make([]float64, len(row))
	for j, v := range row {
		c[j] = l.term(j, v)
	}
	return c, l.m.Intercept
}

func (l *Logistic) term(j int, v float64) float64 {
	m := &l.m
	miss := Missing(v)
	t := 0.0
	if !miss {
		t = m.Coef[j] * ((v - m.Mean[j]) / m.Scale[j])
	}
	if m.MissCoef[j] != 0 {
		t += m.MissCoef[j] * ((b2f(miss) - m.MissMean[j]) / m.MissScale[j])
	}
	return t
}
