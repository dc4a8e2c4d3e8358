package balance

import (
	"fmt"
	"math"
	"sort"
	"time"

	"marshrut/internal/engine/ts"
)

// Method is the forecasting method of the vacancy flow: the combination of
// ETS, Theta and the damped trend, the best of engine/ts on M3 (BENCH.md).
const Method = string(ts.Comb)

// method is Method as the engine takes it.
const method = ts.Comb

// Accuracy is how the forecast would have done on the series' own past:
// Origins forecasts of Horizon steps compared with what happened.
type Accuracy struct {
	Method  string
	Horizon int
	Origins int
	// The method's sMAPE (percent) and MASE, the mean over the steps and the
	// origins, and Naive2's on the same origins. MASE is +Inf when a training
	// window is constant and the forecast still erred.
	SMAPE, MASE             float64
	Naive2SMAPE, Naive2MASE float64
	// OWA is the overall weighted average against Naive2: below 1 the method
	// beat carrying the last value forward. NaN when Naive2 was exact.
	OWA float64
	// Note tells in how many windows the forecast had a note and quotes the first.
	Note string
}

// checkHorizon and checkOrigins are the backtest of a monthly series: twelve
// months ahead from up to twelve origins, each with at least two years behind it.
const (
	checkHorizon = 12
	checkOrigins = 12
	checkMinLen  = 24
)

// monthIndex counts months from year 0, for arithmetic on months.
func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func monthOf(i int) time.Time { return time.Date(i/12, time.Month(i%12+1), 1, 0, 0, 0, 0, time.UTC) }

// series turns the monthly counts into one series of work places per key,
// from the first month of the region's history to the last complete month,
// months without vacancies counted as zero.
func series(vs []VacancyMonth, last time.Time) (map[Key][]float64, map[Key]map[int64]int, int) {
	lastI := monthIndex(last)
	first := lastI + 1
	for _, v := range vs {
		if i := monthIndex(v.Month); i < first && i <= lastI {
			first = i
		}
	}
	out := map[Key][]float64{}
	munis := map[Key]map[int64]int{}
	n := lastI - first + 1
	for _, v := range vs {
		i := monthIndex(v.Month)
		if i < first || i > lastI {
			continue
		}
		y, ok := out[v.Key]
		if !ok {
			y = make([]float64, n)
			out[v.Key] = y
		}
		y[i-first] += float64(v.Places)
		if i > lastI-12 {
			if munis[v.Key] == nil {
				munis[v.Key] = map[int64]int{}
			}
			munis[v.Key][v.MunicipalityID] += v.Places
		}
	}
	return out, munis, first
}

// vacancyForecast forecasts a key's monthly series to the end of the last
// year of the balance and sums it to calendar years. The bounds of a year
// are the sums of its months' bounds: the months' errors are taken as moving
// together, which is near the truth for a level that wanders and errs on the
// wide side otherwise.
func vacancyForecast(row *Row, y []float64, first int, years []int) []Interval {
	out := make([]Interval, len(years))
	for i, v := range y {
		row.History = append(row.History, Point{Month: monthOf(first + i), Value: v})
	}
	lastI := first + len(y) - 1
	h := years[len(years)-1]*12 + 11 - lastI
	if len(y) < 2 || h < 1 {
		row.Note = "истории вакансий нет: спрос по вакансиям принят равным нулю"
		return out
	}
	fc, err := ts.Predict(y, h, method, ts.Options{Period: 12, MaxHorizon: h})
	if err != nil {
		row.Note = "прогноз не построен: " + err.Error()
		return out
	}
	row.Model, row.Note = fc.Model, fc.Note
	for s := 0; s < h; s++ {
		m := lastI + 1 + s
		row.Forecast = append(row.Forecast, Point{Month: monthOf(m), Value: fc.Mean[s]})
		row.Lo80 = append(row.Lo80, Point{Month: monthOf(m), Value: fc.Lo80[s]})
		row.Hi80 = append(row.Hi80, Point{Month: monthOf(m), Value: fc.Hi80[s]})
		yi := m/12 - years[0]
		if yi < 0 || yi >= len(years) {
			continue
		}
		c := &out[yi]
		c.Mean += fc.Mean[s]
		c.Lo80 += fc.Lo80[s]
		c.Hi80 += fc.Hi80[s]
		c.Lo95 += fc.Lo95[s]
		c.Hi95 += fc.Hi95[s]
	}
	row.Accuracy, row.AccuracyNote = backtest(y)
	row.Annual = annualBacktest(y)
	return out
}

// backtest measures the method on the series' own past: twelve months
// ahead from up to twelve origins, each with at least two years behind it.
func backtest(y []float64) (*Accuracy, string) {
	origins := min(checkOrigins, len(y)-checkHorizon-checkMinLen+1)
	if origins < 1 {
		return nil, fmt.Sprintf("точность не проверена: история из %d мес. коротка — нужно не меньше %d (два года на обучение и год на проверку)",
			len(y), checkMinLen+checkHorizon)
	}
	a, err := ts.Backtest(y, checkHorizon, origins, method, ts.Options{Period: 12})
	if err != nil {
		return nil, "точность не проверена: " + err.Error()
	}
	return &Accuracy{Method: string(a.Method), Horizon: a.Horizon, Origins: a.Origins, SMAPE: a.SMAPE, MASE: a.MASE,
		Naive2SMAPE: a.Naive2SMAPE, Naive2MASE: a.Naive2MASE, OWA: a.OWA, Note: a.Note}, a.Note
}

// declared sums the employers' declared needs of each specialty by year of
// the balance. Of an employer's declarations for a specialty only those of
// the latest year of declaring count; between the years they name the need
// is interpolated linearly, before the first and after the last it is held.
func declared(needs []Need, years []int) map[string][]float64 {
	type pair struct {
		employer  int64
		specialty string
	}
	latest := map[pair]int{}
	for _, n := range needs {
		p := pair{n.EmployerID, n.Specialty}
		latest[p] = max(latest[p], n.BaseYear)
	}
	points := map[pair][][2]float64{}
	for _, n := range needs {
		p := pair{n.EmployerID, n.Specialty}
		if n.BaseYear == latest[p] {
			points[p] = append(points[p], [2]float64{float64(n.Year()), float64(n.Count)})
		}
	}
	out := map[string][]float64{}
	for p, pts := range points {
		sort.Slice(pts, func(i, j int) bool { return pts[i][0] < pts[j][0] })
		v := out[p.specialty]
		if v == nil {
			v = make([]float64, len(years))
			out[p.specialty] = v
		}
		for i, y := range years {
			v[i] += interpolate(pts, float64(y))
		}
	}
	return out
}

// interpolate reads a piecewise-linear function given by sorted points,
// held constant beyond its ends.
func interpolate(pts [][2]float64, x float64) float64 {
	if x <= pts[0][0] {
		return pts[0][1]
	}
	for i := 1; i < len(pts); i++ {
		if x <= pts[i][0] {
			a, b := pts[i-1], pts[i]
			if b[0] == a[0] {
				return b[1]
			}
			return a[1] + (b[1]-a[1])*(x-a[0])/(b[0]-a[0])
		}
	}
	return pts[len(pts)-1][1]
}

// Retirement is when the employed of a band leave work: evenly over the
// years From..To after the year of the data. With a pension age near 63,
// those of 60 and older leave within three years and those of 55–59 in the
// fourth to the eighth.
var Retirement = map[Band][2]int{Over60: {1, 3}, From55: {4, 8}}

// replacement is the yearly demand for replacing those who reach pension
// age, by key and year of the balance.
func replacement(ages []Age, years []int) map[Key][]float64 {
	out := map[Key][]float64{}
	for _, a := range ages {
		span, ok := Retirement[a.Band]
		if !ok || a.Employed <= 0 {
			continue
		}
		v := out[a.Key]
		if v == nil {
			v = make([]float64, len(years))
			out[a.Key] = v
		}
		per := float64(a.Employed) / float64(span[1]-span[0]+1)
		for i, y := range years {
			if k := y - a.Year; k >= span[0] && k <= span[1] {
				v[i] += per
			}
		}
	}
	return out
}

// Annual is how well the forecast of a year's total did on the history: the
// sum of the next twelve months forecast from each origin against what
// happened, beside the same for "as in the last twelve months".
type Annual struct {
	Origins    int
	SMAPE      float64 // percent, mean over the origins
	NaiveSMAPE float64 // the same for the last twelve months carried forward
}

// Beats reports that the forecast of the year's total beat carrying the
// last twelve months forward.
func (a Annual) Beats() bool { return a.SMAPE < a.NaiveSMAPE }

// annualBacktest checks the forecast of twelve-month totals from the same
// origins as backtest; nil when the history is too short.
func annualBacktest(y []float64) *Annual {
	origins := min(checkOrigins, len(y)-checkHorizon-checkMinLen+1)
	if origins < 1 {
		return nil
	}
	a := &Annual{Origins: origins}
	n := len(y)
	for t := n - checkHorizon - origins + 1; t <= n-checkHorizon; t++ {
		fc, err := ts.Predict(y[:t], checkHorizon, method, ts.Options{Period: 12, MaxHorizon: checkHorizon})
		if err != nil {
			return nil
		}
		actual, last := sum(y[t:t+checkHorizon]), sum(y[t-checkHorizon:t])
		a.SMAPE += smape(actual, sum(fc.Mean))
		a.NaiveSMAPE += smape(actual, last)
	}
	a.SMAPE /= float64(origins)
	a.NaiveSMAPE /= float64(origins)
	return a
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// smape is the symmetric absolute percentage error of one value.
func smape(actual, forecast float64) float64 {
	if actual == 0 && forecast == 0 {
		return 0
	}
	return 200 * math.Abs(forecast-actual) / (math.Abs(actual) + math.Abs(forecast))
}
