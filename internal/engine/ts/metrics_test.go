package ts

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestSMAPE(t *testing.T) {
	tests := []struct {
		name string
		y, f []float64
		want float64
	}{
		// 200·|100−110|/210 = 9.5238…, 200·|50−40|/90 = 22.222…: mean 15.873…
		{"two steps", []float64{100, 50}, []float64{110, 40}, (2000.0/210 + 2000.0/90) / 2},
		{"exact", []float64{3, 4}, []float64{3, 4}, 0},
		// A zero forecast of a positive value is the worst case, 200.
		{"zero forecast", []float64{5}, []float64{0}, 200},
		// Both zero count as exact; the other step is 200·1/3.
		{"both zero", []float64{0, 1}, []float64{0, 2}, 100.0 / 3},
	}
	for _, tt := range tests {
		if got := SMAPE(tt.y, tt.f); !near(got, tt.want, 1e-12) {
			t.Errorf("%s: SMAPE = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMASE(t *testing.T) {
	train := []float64{1, 3, 2, 4} // |Δ| = 2, 1, 2: scale 5/3
	// MAE of (5−4, 7−4) is 2; 2/(5/3) = 1.2.
	if got := MASE(train, []float64{5, 7}, []float64{4, 4}, 1); !near(got, 1.2, 1e-12) {
		t.Errorf("MASE = %v, want 1.2", got)
	}
	// Seasonal scaling, period 2: |2−1|, |4−3| = 1, 1: scale 1; MAE 2.
	if got := MASE(train, []float64{5, 7}, []float64{4, 4}, 2); !near(got, 2, 1e-12) {
		t.Errorf("seasonal MASE = %v, want 2", got)
	}
	if got := MASE([]float64{1}, []float64{2}, []float64{2}, 1); !math.IsNaN(got) {
		t.Errorf("MASE of a one-value history = %v, want NaN", got)
	}
	if got := MASE([]float64{2, 2}, []float64{3}, []float64{2}, 1); !math.IsInf(got, 1) {
		t.Errorf("MASE of a constant history = %v, want +Inf", got)
	}
	if got := MASE([]float64{2, 2}, []float64{2}, []float64{2}, 1); got != 0 {
		t.Errorf("exact MASE of a constant history = %v, want 0", got)
	}
}

func TestOWA(t *testing.T) {
	// Half of 15/20 + 2/4 = 0.625.
	if got := OWA(15, 2, 20, 4); !near(got, 0.625, 1e-15) {
		t.Errorf("OWA = %v, want 0.625", got)
	}
	if got := OWA(20, 4, 20, 4); got != 1 {
		t.Errorf("OWA of Naive2 itself = %v, want 1", got)
	}
}

// TestM3Originals recomputes the metrics of the original M3 methods'
// forecasts (testdata/M3_yearly_FTS.csv.gz) and compares them with the
// table of /work/shared/data/forecast/README.md, which agrees with the
// published M3 results, to its rounding.
func TestM3Originals(t *testing.T) {
	want := map[string][3]float64{
		"RBF":          {16.42, 2.720, 0.888},
		"ForcX":        {16.48, 2.769, 0.897},
		"AutoBox2":     {16.59, 2.754, 0.898},
		"THETA":        {16.97, 2.806, 0.917},
		"ROBUST-Trend": {17.03, 2.625, 0.890},
		"COMB S-H-D":   {17.07, 2.876, 0.931},
		"ForecastPro":  {17.27, 3.026, 0.960},
		"DAMPEN":       {17.36, 3.032, 0.963},
		"B-J auto":     {17.73, 3.165, 0.995},
		"SINGLE":       {17.82, 3.171, 0.998},
		"NAIVE2":       {17.88, 3.172, 1.000},
		"HOLT":         {20.02, 3.182, 1.062},
	}
	series := m3(t)
	// forecasts[method][series id] holds steps 1..6.
	forecasts := map[string]map[string][]float64{}
	for _, r := range readGzipCSV(t, "testdata/M3_yearly_FTS.csv.gz") {
		m, id := r["method_id"], r["series_id"]
		if forecasts[m] == nil {
			forecasts[m] = map[string][]float64{}
		}
		if forecasts[m][id] == nil {
			forecasts[m][id] = make([]float64, 6)
		}
		forecasts[m][id][int(num(t, r["horizon"]))-1] = num(t, r["forecast"])
	}
	if len(forecasts) != 22 {
		t.Fatalf("%d methods in the forecasts file, want 22", len(forecasts))
	}
	score := func(m string) (smape, mase float64) {
		for _, s := range series {
			f, ok := forecasts[m][s.id]
			if !ok {
				t.Fatalf("%s: no forecast of %s", m, s.id)
			}
			n := len(s.values)
			smape += SMAPE(s.values[n-6:], f)
			mase += MASE(s.values[:n-6], s.values[n-6:], f, 1)
		}
		return smape / float64(len(series)), mase / float64(len(series))
	}
	ns, nm := score("NAIVE2")
	for m, w := range want {
		s, ms := score(m)
		o := OWA(s, ms, ns, nm)
		if !near(s, w[0], 0.005) || !near(ms, w[1], 0.0005) || !near(o, w[2], 0.0005) {
			t.Errorf("%s: sMAPE %.4f MASE %.4f OWA %.4f, want %.2f %.3f %.3f", m, s, ms, o, w[0], w[1], w[2])
		}
	}
	// Our Naive2 is the same forecast as the original.
	for _, s := range series[:50] {
		f := predict(train(s), 6, Naive2, 1).Mean
		for j, v := range forecasts["NAIVE2"][s.id] {
			if !near(f[j], v, 1e-9) {
				t.Fatalf("%s step %d: Naive2 %v, M3 %v", s.id, j+1, f[j], v)
			}
		}
	}
}
