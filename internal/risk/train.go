package risk

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/engine/learn"
)

// TrainOptions choose how a model is trained.
type TrainOptions struct {
	// Kind is the model to train; empty trains both and keeps the one with
	// the better ROC-AUC on the validation cohort.
	Kind Kind
	Seed uint64
	// Now decides which cohorts have a known status six months after
	// graduation (31 December of the graduation year).
	Now time.Time
}

// Candidate is one kind of model as the validation cohort judged it.
type Candidate struct {
	Kind    Kind    `json:"kind"`
	Metrics Metrics `json:"metrics"`
	Seconds float64 `json:"seconds"`
}

// Importance is a feature's mean absolute contribution on the validation
// cohort: how much it moves a score on average.
type Importance struct {
	Feature string  `json:"feature"`
	Mean    float64 `json:"mean"`
}

// Report tells how a model was trained and how well it did on the cohort it
// did not see.
type Report struct {
	TrainYears     []int              `json:"train_years"`
	ValidYear      int                `json:"valid_year"`
	TrainRows      int                `json:"train_rows"`
	TrainPositives int                `json:"train_positives"`
	ValidRows      int                `json:"valid_rows"`
	Chosen         Kind               `json:"chosen"`
	Candidates     []Candidate        `json:"candidates"`
	Metrics        Metrics            `json:"metrics"` // the chosen model on the validation cohort
	Groups         map[string][]Group `json:"groups"`  // "sex", "municipality", "disability"
	Importance     []Importance       `json:"importance"`
	// Missing is, per feature, the share of training rows that lack it.
	Missing map[string]float64 `json:"missing"`
	Seed    uint64             `json:"seed"`
}

// Trained is a model with its report.
type Trained struct {
	Model  learn.Model
	Report Report
}

// LastKnownYear is the latest graduation year whose status six months on is
// known on the day now: that of graduates of June, known from 1 January.
func LastKnownYear(now time.Time) int { return now.Year() - 1 }

// Split divides the past graduates with a known status six months on into
// the training cohorts (all but the latest) and the validation cohort (the
// latest), by graduation year: a cohort is never in both.
func Split(recs []Record, now time.Time) (train, valid []Record, years []int, validYear int, err error) {
	last := LastKnownYear(now)
	byYear := map[int][]Record{}
	for _, r := range recs {
		if r.GraduationYear == 0 || r.GraduationYear > last {
			continue
		}
		if _, ok := Positive(r.After6); !ok {
			continue
		}
		byYear[r.GraduationYear] = append(byYear[r.GraduationYear], r)
	}
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	if len(years) < 2 {
		return nil, nil, nil, 0, apperr.New(apperr.Invalid,
			"для обучения нужны хотя бы два выпуска с известной занятостью через шесть месяцев после выпуска, а есть %d: загрузите сведения о трудоустройстве прошлых выпусков", len(years))
	}
	validYear = years[len(years)-1]
	years = years[:len(years)-1]
	for _, y := range years {
		train = append(train, byYear[y]...)
	}
	return train, byYear[validYear], years, validYear, nil
}

func labels(recs []Record) []bool {
	y := make([]bool, len(recs))
	for i, r := range recs {
		y[i], _ = Positive(r.After6)
	}
	return y
}

// Train fits the model on the earlier cohorts and judges it on the latest.
// The model scored with is the one trained without the validation cohort,
// so the figures shown are those of the model in use. Too few positives, or
// a single class, refuse training with a Russian message.
func Train(ctx context.Context, recs []Record, d Demand, opt TrainOptions) (Trained, error) {
	train, valid, years, validYear, err := Split(recs, opt.Now)
	if err != nil {
		return Trained{}, err
	}
	xt, yt := Matrix(train, d), labels(train)
	xv, yv := Matrix(valid, d), labels(valid)
	if err := enough(yv, validYear); err != nil {
		return Trained{}, err
	}
	kinds := []Kind{KindLogistic, KindGBT}
	if opt.Kind != "" {
		if opt.Kind != KindLogistic && opt.Kind != KindGBT {
			return Trained{}, apperr.Field("kind", "неизвестный вид модели «%s»: ожидается logreg или gbt", opt.Kind)
		}
		kinds = []Kind{opt.Kind}
	}
	rep := Report{TrainYears: years, ValidYear: validYear, TrainRows: len(train), ValidRows: len(valid), Seed: opt.Seed}
	for _, v := range yt {
		if v {
			rep.TrainPositives++
		}
	}
	var best learn.Model
	var bestP []float64
	for _, k := range kinds {
		start := time.Now()
		m, err := learn.Fit(ctx, xt, yt, learn.Options{Kind: learn.Kind(k), Seed: opt.Seed, Monotone: Directions()})
		if err != nil {
			return Trained{}, apperr.Input(err)
		}
		p := learn.PredictAll(m, xv)
		c := Candidate{Kind: k, Metrics: metricsOf(learn.Evaluate(yv, p)), Seconds: time.Since(start).Seconds()}
		rep.Candidates = append(rep.Candidates, c)
		if best == nil || c.Metrics.AUC > rep.Metrics.AUC {
			best, bestP, rep.Metrics, rep.Chosen = m, p, c.Metrics, k
		}
	}
	rep.Groups = map[string][]Group{
		"sex":          groupsOf(learn.EvaluateGroups(yv, bestP, groupBy(valid, func(r Record) string { return sexName(r.Sex) }))),
		"municipality": groupsOf(learn.EvaluateGroups(yv, bestP, groupBy(valid, func(r Record) string { return r.Municipality }))),
		"disability": groupsOf(learn.EvaluateGroups(yv, bestP, groupBy(valid, func(r Record) string {
			if r.Disability {
				return "с ОВЗ"
			}
			return "без ОВЗ"
		}))),
	}
	for _, gs := range rep.Groups {
		for i := range gs {
			finite(&gs[i].Metrics)
		}
	}
	for i := range rep.Candidates {
		finite(&rep.Candidates[i].Metrics)
	}
	finite(&rep.Metrics)
	rep.Importance = importance(best, xv)
	rep.Missing = missingShares(xt)
	return Trained{Model: best, Report: rep}, nil
}

// enough refuses a validation cohort that cannot judge a model.
func enough(y []bool, year int) error {
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 || pos == len(y) {
		return apperr.New(apperr.Invalid, "в выпуске %d года для проверки модели все выпускники в одном классе (не работают: %d из %d): модель не проверить, прежняя модель оставлена", year, pos, len(y))
	}
	return nil
}

func sexName(s string) string {
	switch s {
	case "м":
		return "юноши"
	case "ж":
		return "девушки"
	}
	return "не указан"
}

func groupBy(recs []Record, name func(Record) string) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = name(r)
	}
	return out
}

// importanceRows bounds the rows importance reads: exact contributions of
// trees cost tens of microseconds a row, and the mean settles long before
// a region's whole cohort.
const importanceRows = 5000

// importance is the mean absolute contribution of each feature on an evenly
// spaced sample of the rows.
func importance(m learn.Model, x learn.Matrix) []Importance {
	sum := make([]float64, x.Cols)
	step := max(1, x.Rows/importanceRows)
	n := 0
	for i := 0; i < x.Rows; i += step {
		c, _ := m.Contributions(x.Row(i))
		for j, v := range c {
			sum[j] += math.Abs(v)
		}
		n++
	}
	out := make([]Importance, x.Cols)
	for j, name := range m.Features() {
		out[j] = Importance{Feature: name, Mean: sum[j] / float64(max(1, n))}
	}
	slices.SortStableFunc(out, func(a, b Importance) int { return cmp.Compare(b.Mean, a.Mean) })
	return out
}

func missingShares(x learn.Matrix) map[string]float64 {
	out := make(map[string]float64, x.Cols)
	for j, name := range x.Names {
		n := 0
		for i := range x.Rows {
			if learn.Missing(x.At(i, j)) {
				n++
			}
		}
		out[name] = float64(n) / float64(max(1, x.Rows))
	}
	return out
}

// Years says the training cohorts in words: «2023–2024» or «2024».
func (r Report) Years() string {
	switch len(r.TrainYears) {
	case 0:
		return ""
	case 1:
		return strconv.Itoa(r.TrainYears[0])
	}
	return strconv.Itoa(r.TrainYears[0]) + "–" + strconv.Itoa(r.TrainYears[len(r.TrainYears)-1])
}

// Score is a student's probability with its reasons.
type Score struct {
	LearnerID   int64
	Probability float64
	Reasons     []Reason
}

// TopReasons is how many reasons a score keeps.
const TopReasons = 5

// ScoreAll scores records with a model; fn, when set, is told the progress.
func ScoreAll(ctx context.Context, m learn.Model, recs []Record, d Demand, progress func(done, total int)) ([]Score, error) {
	if !slices.Equal(m.Features(), FeatureNames()) {
		return nil, apperr.New(apperr.Invalid, "модель обучена на других признаках, чем знает эта версия программы: обучите модель заново")
	}
	out := make([]Score, len(recs))
	row := make([]float64, len(features))
	for i := range recs {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if progress != nil {
				progress(i, len(recs))
			}
		}
		for j, f := range features {
			row[j] = f.value(&recs[i], d)
		}
		e := learn.Explain(m, row)
		out[i] = Score{LearnerID: recs[i].LearnerID, Probability: e.Probability, Reasons: reasons(e, TopReasons)}
	}
	if progress != nil {
		progress(len(recs), len(recs))
	}
	return out, nil
}

// finite replaces the metrics a group of one class cannot have (NaN) with
// zero, so that the report can be stored; pages show a dash for such groups.
func finite(m *Metrics) {
	for _, v := range []*float64{&m.AUC, &m.PRAUC, &m.Brier, &m.LogLoss} {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			*v = 0
		}
	}
}
