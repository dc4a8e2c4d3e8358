package learn

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"

	"marshrut/internal/engine/fault"
)

// Stopping says whether boosting stops early on a held-out validation split.
type Stopping int

const (
	// StopAuto stops early when there are at least AutoStopRows training rows.
	StopAuto Stopping = iota
	StopOn
	StopOff
)

// AutoStopRows is the size from which StopAuto holds out a validation split.
const AutoStopRows = 10_000

// GBTOptions are the settings of the gradient-boosted trees. A zero field
// takes the value of DefaultGBTOptions.
type GBTOptions struct {
	Trees        int     `json:"trees"`        // the most trees
	LearningRate float64 `json:"learningRate"` // shrinkage of each tree's output
	MaxLeaves    int     `json:"maxLeaves"`    // leaves per tree; trees grow best leaf first
	MaxDepth     int     `json:"maxDepth"`     // depth limit; negative means none
	MinLeaf      int     `json:"minLeaf"`      // fewest training rows in a leaf
	L2           float64 `json:"l2"`           // L2 penalty on leaf values; negative means none
	MaxBins      int     `json:"maxBins"`      // bins of non-missing values per feature, at most MaxBins
	// ColSample is the share of features each tree may split on, drawn with the seed.
	ColSample float64  `json:"colSample"`
	Stopping  Stopping `json:"stopping"`
	// Validation is the share of rows held out, stratified, when stopping early.
	Validation float64 `json:"validation"`
	// Patience is how many trees without a better validation log loss stop boosting;
	// the model keeps the trees up to the best one.
	Patience int `json:"patience"`
	// Workers is the number of goroutines; 0 means GOMAXPROCS. It does not change the model.
	Workers int `json:"-"`
}

// DefaultGBTOptions are the defaults. Compared with scikit-learn's
// HistGradientBoostingClassifier (100 trees at 0.1, 31 leaves, no L2), the
// trees are smaller (15 leaves), their leaves shrunk (L2 = 1) and each tree
// sees half of the features, drawn with the seed: on tables of a few thousand
// rows, as cohorts are, this generalises better (on the UCI dropout data,
// averaged over five 5-fold splittings other than the benchmark's, ROC-AUC
// 0.826 against 0.812 on the enrolment features and 0.924 against 0.922 on
// all), and it halves the work, so a million rows train in seconds. Early
// stopping holds out 10% from AutoStopRows rows up, as scikit-learn does.
func DefaultGBTOptions() GBTOptions {
	return GBTOptions{
		Trees:        100,
		LearningRate: 0.1,
		MaxLeaves:    15,
		MaxDepth:     -1,
		MinLeaf:      20,
		L2:           1,
		MaxBins:      MaxBins,
		ColSample:    0.5,
		Stopping:     StopAuto,
		Validation:   0.1,
		Patience:     10,
	}
}

func (o GBTOptions) withDefaults() (GBTOptions, error) {
	d := DefaultGBTOptions()
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setF := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	set(&o.Trees, d.Trees)
	setF(&o.LearningRate, d.LearningRate)
	set(&o.MaxLeaves, d.MaxLeaves)
	set(&o.MaxDepth, d.MaxDepth)
	set(&o.MinLeaf, d.MinLeaf)
	setF(&o.L2, d.L2)
	set(&o.MaxBins, d.MaxBins)
	setF(&o.ColSample, d.ColSample)
	setF(&o.Validation, d.Validation)
	set(&o.Patience, d.Patience)
	o.L2 = max(o.L2, 0)
	switch {
	case o.Trees < 0:
		return o, fault.New("число деревьев не может быть отрицательным: %d", o.Trees)
	case !(o.LearningRate > 0 && o.LearningRate <= 1):
		return o, fault.New("скорость обучения должна быть больше 0 и не больше 1: %g", o.LearningRate)
	case o.MaxLeaves < 2:
		return o, fault.New("в дереве должно быть не меньше двух листьев: %d", o.MaxLeaves)
	case o.MinLeaf < 1:
		return o, fault.New("в листе должен быть хотя бы один пример: %d", o.MinLeaf)
	case o.MaxBins < 2 || o.MaxBins > MaxBins:
		return o, fault.New("число интервалов признака должно быть от 2 до %d: %d", MaxBins, o.MaxBins)
	case !(o.ColSample > 0 && o.ColSample <= 1):
		return o, fault.New("доля признаков для дерева должна быть больше 0 и не больше 1: %g", o.ColSample)
	case !(o.Validation > 0 && o.Validation < 1):
		return o, fault.New("доля проверочной выборки должна быть больше 0 и меньше 1: %g", o.Validation)
	case o.Patience < 1:
		return o, fault.New("терпение ранней остановки должно быть положительным: %d", o.Patience)
	case o.Stopping < StopAuto || o.Stopping > StopOff:
		return o, fault.New("неизвестный режим ранней остановки: %d", o.Stopping)
	}
	return o, nil
}

// GBT is a trained ensemble of gradient-boosted trees for the log loss.
type GBT struct{ m gbtParams }

type gbtParams struct {
	Names   []string   `json:"features"`
	Options GBTOptions `json:"options"`
	// Base is the score before the first tree: the log-odds of the training rows.
	Base  float64  `json:"base"`
	Trees [][]node `json:"trees"`
	// Monotone is the direction each feature was held to (see Options.Monotone).
	Monotone []int `json:"monotone,omitempty"`
}

// FitGBT trains gradient-boosted trees on histograms of binned features.
func FitGBT(ctx context.Context, x Matrix, y []bool, opts Options) (*GBT, error) {
	if err := checkData(x, y, opts); err != nil {
		return nil, err
	}
	o, err := opts.GBT.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkMonotone(opts.Monotone, x.Cols); err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x6762742d6d617273)) // "gbt-mars"

	train, valid := allRows(x.Rows), []int(nil)
	if o.Stopping == StopOn || o.Stopping == StopAuto && x.Rows >= AutoStopRows {
		train, valid = holdOut(y, o.Validation, rng)
	}
	ty := make([]bool, len(train))
	for k, i := range train {
		ty[k] = y[i]
	}
	if err := checkClasses(ty, opts.minClass()); err != nil {
		return nil, err
	}
	e := edges(x, train, o.MaxBins, rng, workers)
	b := binMatrix(x, train, e, workers)
	vb := binMatrix(x, valid, e, workers)
	vy := make([]bool, len(valid))
	for k, i := range valid {
		vy[k] = y[i]
	}
	g := newGrower(b, e, o, workers)
	if slices.ContainsFunc(opts.Monotone, func(d int) bool { return d != 0 }) {
		g.mono = opts.Monotone
	}

	pos, _ := counts(ty)
	m := gbtParams{Names: x.featureNames(), Options: o, Base: Logit(float64(pos) / float64(len(ty))), Monotone: g.mono}
	raw := make([]float64, len(ty))
	for i := range raw {
		raw[i] = m.Base
	}
	vraw := make([]float64, len(valid))
	for i := range vraw {
		vraw[i] = m.Base
	}
	gr := make([]grad, len(ty))
	feats := allRows(x.Cols)
	bestLoss, bestTrees := math.Inf(1), 0
	for len(m.Trees) < o.Trees {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		gradients(raw, ty, gr, workers)
		if o.ColSample < 1 {
			feats = sampleFeatures(x.Cols, o.ColSample, rng)
		}
		tree := g.grow(gr, raw, feats)
		m.Trees = append(m.Trees, tree)
		if len(valid) == 0 {
			continue
		}
		loss := validate(tree, vb, vy, vraw, workers)
		if loss < bestLoss-1e-7*float64(len(valid)) {
			bestLoss, bestTrees = loss, len(m.Trees)
		} else if len(m.Trees)-bestTrees >= o.Patience {
			break
		}
	}
	if len(valid) > 0 {
		m.Trees = m.Trees[:bestTrees]
	}
	return &GBT{m: m}, nil
}

func allRows(n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = i
	}
	return r
}

// holdOut draws a stratified share of rows for validation; both lists ascend.
func holdOut(y []bool, share float64, rng *rand.Rand) (train, valid []int) {
	in := make([]bool, len(y))
	for _, class := range []bool{true, false} {
		rows := shuffled(y, class, rng)
		for _, i := range rows[:int(math.Round(share*float64(len(rows))))] {
			in[i] = true
		}
	}
	for i, v := range in {
		if v {
			valid = append(valid, i)
		} else {
			train = append(train, i)
		}
	}
	return train, valid
}

// sampleFeatures draws a sorted share of the features, at least one.
func sampleFeatures(p int, share float64, rng *rand.Rand) []int {
	k := max(1, int(math.Round(share*float64(p))))
	f := rng.Perm(p)[:k]
	slices.Sort(f)
	return f
}

// rowChunk is the unit of parallel work over rows.
const rowChunk = 1 << 14

// gradients computes the log loss's gradient and hessian at the raw scores.
func gradients(raw []float64, y []bool, gr []grad, workers int) {
	n := (len(raw) + rowChunk - 1) / rowChunk
	parallel(n, workers, func(c int) {
		for i := c * rowChunk; i < min((c+1)*rowChunk, len(raw)); i++ {
			p := 1 / (1 + math.Exp(-raw[i])) // no branch: raw scores change sign at random
			gr[i] = grad{g: float32(p - b2f(y[i])), h: float32(max(p*(1-p), 1e-16))}
		}
	})
}

// validate adds the tree's output to the scores of the binned validation
// rows and returns their summed log loss. Chunks' sums are added in order,
// so the loss does not depend on the number of workers.
func validate(tree []node, vb *binned, y []bool, raw []float64, workers int) float64 {
	n := (len(raw) + rowChunk - 1) / rowChunk
	part := make([]float64, n)
	parallel(n, workers, func(c int) {
		s := 0.0
		for i := c * rowChunk; i < min((c+1)*rowChunk, len(raw)); i++ {
			raw[i] += predictBinned(tree, vb.bins[i*vb.p:(i+1)*vb.p], vb.nb)
			s += softplus(raw[i]) - b2f(y[i])*raw[i]
		}
		part[c] = s
	})
	loss := 0.0
	for _, s := range part {
		loss += s
	}
	return loss
}

// predictBinned is predictTree on a row of bins.
func predictBinned(t []node, row []uint8, nb []int) float64 {
	k := 0
	for t[k].Feature >= 0 {
		n := &t[k]
		b := row[n.Feature]
		if b == uint8(nb[n.Feature]) && n.MissingLeft || b != uint8(nb[n.Feature]) && b <= n.bin {
			k = n.Left
		} else {
			k = n.Right
		}
	}
	return t[k].Value
}

func predictTree(t []node, row []float64) float64 {
	k := 0
	for t[k].Feature >= 0 {
		n := &t[k]
		x := row[n.Feature]
		if Missing(x) && n.MissingLeft || !Missing(x) && x <= n.Threshold {
			k = n.Left
		} else {
			k = n.Right
		}
	}
	return t[k].Value
}

func (m *GBT) Kind() Kind         { return KindGBT }
func (m *GBT) Features() []string { return m.m.Names }

// Options are the settings the model was trained with, defaults filled in.
func (m *GBT) Options() GBTOptions { return m.m.Options }

// Trees is the number of trees, after early stopping.
func (m *GBT) Trees() int { return len(m.m.Trees) }

func (m *GBT) Predict(row []float64) float64 { return sigmoid(m.Score(row)) }

func (m *GBT) Score(row []float64) float64 {
	checkRow(row, len(m.m.Names))
	s := m.m.Base
	for _, t := range m.m.Trees {
		s += predictTree(t, row)
	}
	return s
}
