package learn

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"marshrut/internal/engine/fault"
)

// Kind names a type of model.
type Kind string

const (
	KindLogistic Kind = "logreg" // L2-regularised logistic regression
	KindGBT      Kind = "gbt"    // gradient-boosted trees
)

// Model is a trained binary classifier. Rows passed to it have the columns of
// the training matrix, in the same order; a row of another length panics.
type Model interface {
	Kind() Kind
	// Features are the names of the columns the model expects.
	Features() []string
	// Predict is the probability of the positive class.
	Predict(row []float64) float64
	// Score is the raw score, the logit of Predict.
	Score(row []float64) float64
	// Contributions splits the score among the features: base plus the sum of
	// contrib equals Score(row) up to rounding (1e-9). contrib has one entry
	// per feature; a positive entry raises the risk.
	Contributions(row []float64) (contrib []float64, base float64)
}

// Options choose a model and its settings. The zero value trains gradient-boosted
// trees with the default settings and seed 0.
type Options struct {
	Kind Kind
	// Seed makes training repeatable: the same data, options and seed give the same model.
	Seed uint64
	// MinClass is the fewest examples of each class training accepts; 0 means DefaultMinClass.
	MinClass int
	// Monotone, when set, has one entry per feature: +1 holds the score never
	// to fall as the feature grows, -1 never to rise, 0 leaves it free. The
	// trees reject splits against the direction and bound their leaves as
	// XGBoost and LightGBM do; the logistic regression fixes a coefficient of
	// the wrong sign at zero. Missing values are not ordered and stay free.
	Monotone []int
	Logistic LogisticOptions
	GBT      GBTOptions
}

// Fit trains the model that opts choose.
func Fit(ctx context.Context, x Matrix, y []bool, opts Options) (Model, error) {
	switch opts.Kind {
	case KindLogistic:
		return FitLogistic(ctx, x, y, opts)
	case KindGBT, "":
		return FitGBT(ctx, x, y, opts)
	}
	return nil, fault.New("неизвестный вид модели %q: ожидается %q или %q", opts.Kind, KindLogistic, KindGBT)
}

// checkData is the common validation of training data.
func checkData(x Matrix, y []bool, opts Options) error {
	if err := x.check(y); err != nil {
		return err
	}
	return checkClasses(y, opts.minClass())
}

// checkMonotone checks the directions of Options.Monotone.
func checkMonotone(m []int, p int) error {
	if len(m) == 0 {
		return nil
	}
	if len(m) != p {
		return fault.New("направлений монотонности %d, а признаков %d", len(m), p)
	}
	for j, d := range m {
		if d < -1 || d > 1 {
			return fault.New("направление монотонности признака %d — %d, а должно быть -1, 0 или 1", j+1, d)
		}
	}
	return nil
}

func (o Options) minClass() int {
	if o.MinClass <= 0 {
		return DefaultMinClass
	}
	return o.MinClass
}

func checkRow(row []float64, p int) {
	if len(row) != p {
		panic(fmt.Sprintf("learn: row of %d values for a model of %d features", len(row), p))
	}
}

// Reason is one feature's part in a row's score, for showing why a risk is high.
type Reason struct {
	Feature string
	Value   float64 // the row's value; NaN when missing
	// Missing tells that the contribution comes from a missing value: the
	// model scores the absence of data, not a value.
	Missing      bool
	Contribution float64 // on the logit scale; positive raises the risk
}

// String is the reason in words, such as «Admission grade = 127.3 (+0.41)»
// or «Admission grade: нет данных (+0.12)».
func (r Reason) String() string {
	c := strconv.FormatFloat(r.Contribution, 'f', 2, 64)
	if r.Contribution >= 0 {
		c = "+" + c
	}
	if r.Missing {
		return r.Feature + ": нет данных (" + c + ")"
	}
	return r.Feature + " = " + strconv.FormatFloat(r.Value, 'g', 6, 64) + " (" + c + ")"
}

// Explanation is a row's score split into the reasons behind it.
type Explanation struct {
	Probability float64
	Score       float64 // logit of Probability; Base plus the contributions
	Base        float64 // the score before any feature is taken into account
	Reasons     []Reason
}

// Explain splits a row's score among its features. The reasons are sorted by
// the size of their contribution, largest first; ties keep the column order.
func Explain(m Model, row []float64) Explanation {
	contrib, base := m.Contributions(row)
	names := m.Features()
	rs := make([]Reason, len(contrib))
	for j, c := range contrib {
		rs[j] = Reason{Feature: names[j], Value: row[j], Missing: Missing(row[j]), Contribution: c}
		if rs[j].Missing {
			rs[j].Value = math.NaN()
		}
	}
	slices.SortStableFunc(rs, func(a, b Reason) int {
		return cmp.Compare(math.Abs(b.Contribution), math.Abs(a.Contribution))
	})
	s := m.Score(row)
	return Explanation{Probability: sigmoid(s), Score: s, Base: base, Reasons: rs}
}

// PredictAll is the probability of each row of x.
func PredictAll(m Model, x Matrix) []float64 {
	p := make([]float64, x.Rows)
	for i := range p {
		p[i] = m.Predict(x.Row(i))
	}
	return p
}
