package ts

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"marshrut/internal/engine/fault"
)

func TestPredictRefuses(t *testing.T) {
	y := []float64{5, 6, 7, 8, 9, 10, 11, 12}
	tests := []struct {
		name string
		y    []float64
		h    int
		m    Method
		opt  Options
		want string
	}{
		{"negative", []float64{5, 6, -2, 8}, 1, Theta, Options{}, "значение №3 отрицательное (-2)"},
		{"NaN", []float64{5, math.NaN(), 7}, 1, Theta, Options{}, "значение №2 пропущено (NaN)"},
		{"Inf", []float64{5, 6, math.Inf(1)}, 1, Theta, Options{}, "значение №3 бесконечно"},
		{"one value", []float64{5}, 1, Naive, Options{}, "нужно не меньше двух значений ряда, а их 1"},
		{"empty", nil, 1, Naive, Options{}, "нужно не меньше двух значений ряда, а их 0"},
		{"horizon above the limit", y, 8, Comb, Options{MaxHorizon: 7}, "горизонт прогноза 8 больше допустимого (7)"},
		{"horizon above the length", y, 9, Comb, Options{}, "горизонт прогноза 9 больше допустимого (8)"},
		{"zero horizon", y, 0, Comb, Options{}, "горизонт прогноза должен быть не меньше 1, а задан 0"},
		{"unknown method", y, 1, "arima", Options{}, `неизвестный метод прогноза "arima"`},
		{"negative period", y, 1, Theta, Options{Period: -1}, "не может быть отрицательным: -1"},
	}
	for _, tt := range tests {
		_, err := Predict(tt.y, tt.h, tt.m, tt.opt)
		if !fault.Is(err) || !strings.Contains(fault.Message(err), tt.want) {
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.want)
		}
	}
	if _, err := ParseMethod(" Comb "); err != nil {
		t.Errorf("ParseMethod(Comb): %v", err)
	}
	if _, err := ParseMethod("prophet"); !strings.Contains(fault.Message(err), `"prophet": ожидается один из naive2, naive, ses`) {
		t.Errorf("ParseMethod(prophet): %v", err)
	}
}

func TestPredictShortFallsBack(t *testing.T) {
	tests := []struct {
		y      []float64
		m      Method
		used   Method
		note   string
		noNote bool
	}{
		{[]float64{3, 5, 4}, Comb, Naive,
			"ряд из 3 значений короче, чем нужно для метода «комбинация ETS, тета и затухающего тренда» (не меньше 10): взят метод «наивный прогноз»", false},
		{[]float64{3, 5, 4, 6, 7, 6, 8}, Theta, SES,
			"ряд из 7 значений короче, чем нужно для метода «тета» (не меньше 8): взят метод «простое экспоненциальное сглаживание»", false},
		{[]float64{3, 5, 4, 6, 7, 6, 8, 9, 9}, Comb, Theta, "ряд из 9 значений короче", false},
		{[]float64{3, 5, 4, 6, 7, 6, 8, 9, 9}, Damped, Holt, "взят метод «линейный тренд Хольта»", false},
		{[]float64{3, 5, 4, 6, 7, 6, 8, 9, 9, 10}, Comb, Comb, "", true},
		{[]float64{3, 5, 4, 6, 7, 6}, ETS, Naive, "ряд из 6 значений", false},
		{[]float64{3, 5}, Naive, Naive, "", true},
	}
	for _, tt := range tests {
		fc, err := Predict(tt.y, 2, tt.m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if fc.Method != tt.m || fc.Used != tt.used || !strings.Contains(fc.Note, tt.note) || (tt.noNote && fc.Note != "") {
			t.Errorf("%d values, %s: used %s, note %q; want %s, %q", len(tt.y), tt.m, fc.Used, fc.Note, tt.used, tt.note)
		}
		if len(fc.Mean) != 2 || len(fc.Lo95) != 2 || len(fc.Fitted) != len(tt.y) {
			t.Errorf("%d values, %s: lengths %d %d %d", len(tt.y), tt.m, len(fc.Mean), len(fc.Lo95), len(fc.Fitted))
		}
	}
	if got := values(21) + " " + values(11) + " " + values(101); got != "значения значений значения" {
		t.Errorf("values: %s", got)
	}
}

func TestPredictConstantAndZero(t *testing.T) {
	fc, err := Predict([]float64{0, 0, 0, 0}, 3, Comb, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fc.Used != Naive || fc.Mean[2] != 0 || fc.Hi95[2] != 0 || !strings.Contains(fc.Note, "все значения ряда одинаковы") {
		t.Errorf("zeros: %+v", fc)
	}
	// A falling series: the trend would cross zero, the counts stop there.
	y := []float64{100, 90, 80, 70, 60, 50, 40, 30, 20, 10}
	fc, err = Predict(y, 5, Holt, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range fc.Mean {
		if fc.Mean[i] < 0 || fc.Lo95[i] < 0 || fc.Lo95[i] > fc.Lo80[i] || fc.Lo80[i] > fc.Mean[i] ||
			fc.Mean[i] > fc.Hi80[i] || fc.Hi80[i] > fc.Hi95[i] {
			t.Errorf("step %d: %v %v %v %v %v", i+1, fc.Lo95[i], fc.Lo80[i], fc.Mean[i], fc.Hi80[i], fc.Hi95[i])
		}
	}
	if fc.Mean[4] != 0 {
		t.Errorf("Holt on a line down to 10 forecasts %v five steps on, want 0", fc.Mean[4])
	}
}

// monthly is a seasonal monthly series: a rising level times a fixed
// pattern that peaks in the fourth month, with a little deterministic noise.
func monthly(n int) (y, pattern []float64) {
	pattern = []float64{0.8, 0.9, 1.1, 1.4, 1.2, 1.0, 0.9, 0.8, 0.9, 1.0, 1.0, 0.9}
	y = make([]float64, n)
	for t := range y {
		y[t] = (200 + 2*float64(t)) * pattern[t%12] * (1 + 0.02*math.Sin(float64(7*t)))
	}
	return y, pattern
}

func TestPredictSeasonal(t *testing.T) {
	y, pattern := monthly(60)
	fc, err := Predict(y, 12, Comb, Options{Period: 12})
	if err != nil {
		t.Fatal(err)
	}
	if !fc.Seasonal || fc.Note != "" {
		t.Fatalf("seasonal %v, note %q", fc.Seasonal, fc.Note)
	}
	// The forecast follows the pattern: month 4 of the next year (t = 63) is
	// the peak, and the ratio of any two months is near the pattern's.
	for i := range 12 {
		want := pattern[(60+i)%12] / pattern[63%12]
		if got := fc.Mean[i] / fc.Mean[3]; !near(got, want, 0.05) {
			t.Errorf("month %d: ratio to the peak %v, want %v", i+1, got, want)
		}
	}
	// Without the period, or shorter than three years, the season is not
	// seen; Naive ignores it.
	for _, c := range []struct {
		y   []float64
		m   Method
		opt Options
	}{{y, Comb, Options{}}, {y[:35], Comb, Options{Period: 12}}, {y, Naive, Options{Period: 12}}} {
		if fc, _ := Predict(c.y, 3, c.m, c.opt); fc.Seasonal {
			t.Errorf("%d values, %s, %+v: seasonal", len(c.y), c.m, c.opt)
		}
	}
	// Naive2 is the last value with its season taken out and put back.
	fc, _ = Predict(y, 2, Naive2, Options{Period: 12})
	idx, _ := seasonalIndices(y, 12)
	if want := y[59] / idx[59%12] * idx[60%12]; !fc.Seasonal || !near(fc.Mean[0], want, 1e-9) {
		t.Errorf("Naive2: %v, want %v", fc.Mean[0], want)
	}
}

func TestPredictSeasonalZeros(t *testing.T) {
	// Months with nothing at all: the season is clear, but the indices of
	// the empty months are zero and nothing can be divided by them.
	y := make([]float64, 48)
	for t := range y {
		if t%12 < 6 {
			y[t] = float64(100 + t)
		}
	}
	fc, err := Predict(y, 6, Theta, Options{Period: 12})
	if err != nil {
		t.Fatal(err)
	}
	if fc.Seasonal || !strings.Contains(fc.Note, "сезонность не учтена") {
		t.Errorf("seasonal %v, note %q", fc.Seasonal, fc.Note)
	}
}

func TestSeasonalIndices(t *testing.T) {
	// Period 4, level 10, pattern 0.5 1.5 1 1: the centred moving average is
	// 10 everywhere, so the indices are the pattern itself.
	p := []float64{0.5, 1.5, 1, 1}
	y := make([]float64, 16)
	for t := range y {
		y[t] = 10 * p[t%4]
	}
	idx, ok := seasonalIndices(y, 4)
	if !ok {
		t.Fatal("not ok")
	}
	for i := range p {
		if !near(idx[i], p[i], 1e-12) {
			t.Errorf("index %d: %v, want %v", i, idx[i], p[i])
		}
	}
	if !seasonal(y, 4) || seasonal(y, 1) || seasonal(y[:11], 4) {
		t.Error("seasonality test")
	}
}

func TestPredictDeterministic(t *testing.T) {
	for _, s := range m3(t)[:20] {
		for _, m := range Methods() {
			a, err1 := Predict(s.values, 6, m, Options{})
			b, err2 := Predict(s.values, 6, m, Options{})
			if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
				t.Fatalf("%s %s: two runs differ", s.id, m)
			}
		}
	}
}
