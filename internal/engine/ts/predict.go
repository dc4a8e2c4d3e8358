package ts

import (
	"fmt"
	"math"
	"strings"

	"marshrut/internal/engine/fault"
)

// Options are the settings of Predict and Backtest.
type Options struct {
	// Period is the number of observations per cycle: 0 or 1 for yearly
	// data, 12 for monthly, 4 for quarterly. With a period above 1 a series
	// of at least three cycles that is seasonal (see Forecast.Seasonal) is
	// forecast seasonally adjusted, and the season is put back.
	Period int
	// MaxHorizon is the longest horizon allowed; 0 means the length of
	// the series, since a forecast further ahead than the history is long
	// says little.
	MaxHorizon int
}

// Forecast is the forecast of a series h steps ahead. The values are counts:
// the mean and the bounds are clipped at zero.
type Forecast struct {
	Method Method // the method asked for
	Used   Method // the method that made the forecast: Method, or a simpler one for a short series
	Model  string // the fitted model, as "ETS(M,Ad,N)", "Theta" or "Naive"

	Mean       []float64 // the point forecasts, steps 1..h
	Lo80, Hi80 []float64 // the 80% prediction interval
	Lo95, Hi95 []float64 // the 95% prediction interval

	// Fitted are the in-sample one-step forecasts, one per value of the
	// series; for the naive methods the first is the first value itself.
	Fitted []float64
	// Seasonal reports that the series was forecast seasonally adjusted.
	Seasonal bool
	// Note says in Russian, for the user, what was done differently from
	// what was asked and why; it is empty when nothing was.
	Note string
}

// Predict forecasts y, a series of non-negative counts in time order, h
// steps ahead with method m. The series needs at least two values; a series
// too short for the method is forecast with a simpler one and Note says so.
// Negative, missing (NaN) and infinite values are refused with an error
// that names the position.
func Predict(y []float64, h int, m Method, opt Options) (Forecast, error) {
	if err := check(y, h, m, opt); err != nil {
		return Forecast{}, err
	}
	return predict(y, h, m, max(opt.Period, 1)), nil
}

// predict is Predict on checked input.
func predict(y []float64, h int, m Method, period int) Forecast {
	fc := Forecast{Method: m, Used: m}
	n := len(y)
	if constant(y) {
		fc.Used, fc.Model = Naive, "Naive"
		fc.Note = "все значения ряда одинаковы: прогноз равен им, интервалы нулевой ширины"
		b := naive(y, h)
		fc.fill(b, nil, 0)
		return fc
	}
	x := y
	var idx []float64
	var notes []string
	if m != Naive && seasonal(y, period) {
		if s, ok := seasonalIndices(y, period); ok {
			idx = s
			x = make([]float64, n)
			for t, v := range y {
				x[t] = v / idx[t%period]
			}
		} else {
			notes = append(notes, "ряд сезонный, но сезонные индексы не удалось оценить (в ряду есть нули): сезонность не учтена")
		}
	}
	f := fits{x: x}
	var b band
	for used := m; ; {
		info := methodInfos[used]
		if n >= info.minLen {
			var ok bool
			if b, ok = f.band(used, h); ok {
				fc.Used = used
				break
			}
		}
		used = info.fallback
		if used == Naive && idx != nil {
			used = Naive2
		}
	}
	if u := fc.Used; u != m {
		asked := methodInfos[m]
		if n < asked.minLen {
			notes = append(notes, fmt.Sprintf("ряд из %d %s короче, чем нужно для метода «%s» (не меньше %d): взят метод «%s»",
				n, values(n), asked.name, asked.minLen, methodInfos[u].name))
		} else {
			notes = append(notes, fmt.Sprintf("модель метода «%s» не удалось оценить на этом ряду: взят метод «%s»",
				asked.name, methodInfos[u].name))
		}
	}
	fc.Model = b.model
	fc.fill(b, idx, n)
	fc.Seasonal = idx != nil
	fc.Note = strings.Join(notes, "; ")
	return fc
}

// values is the Russian genitive of «значение» after the number n.
func values(n int) string {
	if n%10 == 1 && n%100 != 11 {
		return "значения"
	}
	return "значений"
}

// fill copies the band into the forecast, putting back the season idx (nil
// for none) of a series of n values, and clips at zero.
func (fc *Forecast) fill(b band, idx []float64, n int) {
	season := func(v []float64, from int) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			if idx != nil {
				x *= idx[(from+i)%len(idx)]
			}
			out[i] = max(x, 0)
		}
		return out
	}
	fc.Mean = season(b.mean, n)
	fc.Lo80, fc.Hi80 = season(b.lo80, n), season(b.hi80, n)
	fc.Lo95, fc.Hi95 = season(b.lo95, n), season(b.hi95, n)
	fc.Fitted = season(b.fitted, 0)
}

// check refuses what Predict cannot forecast, with a message for the user.
func check(y []float64, h int, m Method, opt Options) error {
	if _, ok := methodInfos[m]; !ok {
		return unknown(m)
	}
	if opt.Period < 0 {
		return fault.New("число наблюдений в сезонном цикле не может быть отрицательным: %d", opt.Period)
	}
	if len(y) < 2 {
		return fault.New("для прогноза нужно не меньше двух значений ряда, а их %d", len(y))
	}
	for i, v := range y {
		switch {
		case math.IsNaN(v):
			return fault.New("значение №%d пропущено (NaN): заполните его или укоротите ряд", i+1)
		case math.IsInf(v, 0):
			return fault.New("значение №%d бесконечно", i+1)
		case v < 0:
			return fault.New("значение №%d отрицательное (%g): ряд должен состоять из неотрицательных количеств", i+1, v)
		}
	}
	limit := opt.MaxHorizon
	if limit <= 0 {
		limit = len(y)
	}
	if h < 1 {
		return fault.New("горизонт прогноза должен быть не меньше 1, а задан %d", h)
	}
	if h > limit {
		return fault.New("горизонт прогноза %d больше допустимого (%d)", h, limit)
	}
	return nil
}

// ParseMethod reads a method's name, as the command line and the API
// give it.
func ParseMethod(s string) (Method, error) {
	m := Method(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := methodInfos[m]; !ok {
		return "", unknown(Method(s))
	}
	return m, nil
}

func unknown(m Method) error {
	names := make([]string, 0, len(methodInfos))
	for _, x := range Methods() {
		names = append(names, string(x))
	}
	return fault.New("неизвестный метод прогноза %q: ожидается один из %s", string(m), strings.Join(names, ", "))
}
