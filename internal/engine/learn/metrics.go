package learn

import (
	"cmp"
	"math"
	"slices"
)

// The metrics take the true classes y and predicted probabilities p of the
// positive class, of the same length. A metric that is undefined for the data
// (ROC-AUC with one class only, anything on no rows) is NaN.

// ROCAUC is the area under the ROC curve: the probability that a random
// positive is scored above a random negative, ties counting one half. It is
// computed from ranks, tied scores sharing their average rank.
func ROCAUC(y []bool, p []float64) float64 {
	o := order(p)
	pos, neg := counts(y)
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	rankSum := 0.0 // sum of the positives' ranks, ascending, 1-based
	for i := 0; i < len(o); {
		j := i + 1 // a NaN equals nothing, so the first of a group is taken as is
		for j < len(o) && p[o[j]] == p[o[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 .. j
		for _, k := range o[i:j] {
			if y[k] {
				rankSum += avg
			}
		}
		i = j
	}
	fp, fn := float64(pos), float64(neg)
	return (rankSum - fp*(fp+1)/2) / (fp * fn)
}

// AveragePrecision is the area under the precision-recall curve as
// scikit-learn's average_precision_score computes it: the sum over distinct
// thresholds, from the highest score down, of precision × the rise in recall.
func AveragePrecision(y []bool, p []float64) float64 {
	o := order(p)
	pos, _ := counts(y)
	if pos == 0 {
		return math.NaN()
	}
	ap, tp, seen, prevRecall := 0.0, 0, 0, 0.0
	for i := len(o) - 1; i >= 0; {
		j := i
		for j == i || j >= 0 && p[o[j]] == p[o[i]] {
			if y[o[j]] {
				tp++
			}
			seen++
			j--
		}
		recall := float64(tp) / float64(pos)
		ap += (recall - prevRecall) * float64(tp) / float64(seen)
		prevRecall = recall
		i = j
	}
	return ap
}

// Brier is the mean squared difference between probability and outcome.
func Brier(y []bool, p []float64) float64 {
	if len(y) == 0 {
		return math.NaN()
	}
	s := 0.0
	for i, v := range y {
		d := p[i] - b2f(v)
		s += d * d
	}
	return s / float64(len(y))
}

// logLossEps keeps log loss finite for probabilities of exactly 0 or 1.
const logLossEps = 1e-15

// LogLoss is the mean negative log-likelihood, natural logarithm, with
// probabilities clipped to [1e-15, 1-1e-15].
func LogLoss(y []bool, p []float64) float64 {
	if len(y) == 0 {
		return math.NaN()
	}
	s := 0.0
	for i, v := range y {
		q := min(max(p[i], logLossEps), 1-logLossEps)
		if v {
			s -= math.Log(q)
		} else {
			s -= math.Log1p(-q)
		}
	}
	return s / float64(len(y))
}

// Bin is a row of a calibration table: the rows whose predicted probability
// falls in [Lo, Hi), the last bin including 1.
type Bin struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Count     int     `json:"count"`
	Predicted float64 `json:"predicted"` // mean predicted probability; 0 for an empty bin
	Observed  float64 `json:"observed"`  // share of positives; 0 for an empty bin
}

// CalibrationBins is the number of bins of a calibration table.
const CalibrationBins = 10

// Calibration is the calibration table on ten equal-width bins of predicted
// probability: a well calibrated model has Observed close to Predicted.
func Calibration(y []bool, p []float64) []Bin {
	const k = CalibrationBins
	out := make([]Bin, k)
	for b := range out {
		out[b].Lo, out[b].Hi = float64(b)/k, float64(b+1)/k
	}
	for i, v := range y {
		b := min(max(int(p[i]*k), 0), k-1)
		out[b].Count++
		out[b].Predicted += p[i]
		out[b].Observed += b2f(v)
	}
	for b := range out {
		if n := float64(out[b].Count); n > 0 {
			out[b].Predicted /= n
			out[b].Observed /= n
		}
	}
	return out
}

// Metrics are the measures of a model's predictions on a set of rows.
type Metrics struct {
	Rows        int     `json:"rows"`
	Positives   int     `json:"positives"`
	AUC         float64 `json:"roc_auc"`
	PRAUC       float64 `json:"pr_auc"` // average precision
	Brier       float64 `json:"brier"`
	LogLoss     float64 `json:"log_loss"`
	Calibration []Bin   `json:"calibration"`
}

// Evaluate computes all metrics.
func Evaluate(y []bool, p []float64) Metrics {
	pos, _ := counts(y)
	return Metrics{
		Rows: len(y), Positives: pos,
		AUC: ROCAUC(y, p), PRAUC: AveragePrecision(y, p),
		Brier: Brier(y, p), LogLoss: LogLoss(y, p),
		Calibration: Calibration(y, p),
	}
}

// Group is the metrics of one group of rows.
type Group struct {
	Name string `json:"name"`
	Metrics
}

// EvaluateGroups computes the metrics separately for each group, groups[i]
// naming the group of row i, in the order of the groups' names.
func EvaluateGroups(y []bool, p []float64, groups []string) []Group {
	rows := make(map[string][]int)
	for i, g := range groups {
		rows[g] = append(rows[g], i)
	}
	out := make([]Group, 0, len(rows))
	for name, idx := range rows {
		gy, gp := make([]bool, len(idx)), make([]float64, len(idx))
		for k, i := range idx {
			gy[k], gp[k] = y[i], p[i]
		}
		out = append(out, Group{Name: name, Metrics: Evaluate(gy, gp)})
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// order returns the indices of p sorted by ascending score.
func order(p []float64) []int {
	o := make([]int, len(p))
	for i := range o {
		o[i] = i
	}
	slices.SortFunc(o, func(a, b int) int { return cmp.Compare(p[a], p[b]) })
	return o
}

func counts(y []bool) (pos, neg int) {
	for _, v := range y {
		if v {
			pos++
		}
	}
	return pos, len(y) - pos
}

func b2f(v bool) float64 {
	if v {
		return 1
	}
	return 0
}
