package ts

import (
	"math"
	"testing"
)

// TestSESByHand runs SES with α = ½ from ℓ0 = 10 over 10, 12, 11, 13, 12:
// the errors are 0, 2, 0, 2, 0 and the level ends at 12.
func TestSESByHand(t *testing.T) {
	y := []float64{10, 12, 11, 13, 12}
	k := etsKinds[ann]
	p := smoothing{alpha: 0.5, phi: 1}
	fitted := make([]float64, len(y))
	sse, _, l, _, ok := k.filter(y, p, 10, 0, fitted)
	if !ok || sse != 8 || l != 12 {
		t.Fatalf("filter: sse %v level %v ok %v, want 8 12 true", sse, l, ok)
	}
	for i, w := range []float64{10, 10, 11, 11, 12} {
		if fitted[i] != w {
			t.Errorf("fitted[%d] = %v, want %v", i, fitted[i], w)
		}
	}
	if got, want := lik(len(y), sse, 0), 5*math.Log(8); !near(got, want, 1e-12) {
		t.Errorf("−2 log-likelihood %v, want 5 ln 8 = %v", got, want)
	}
	// σ² = 8/(5−2); the variance h steps ahead is σ²(1 + (h−1)α²).
	m := etsModel{kind: k, p: p, l: l, sigma2: 8.0 / 3}
	mean, vars := m.forecast(3)
	for i, w := range []float64{8.0 / 3, 8.0 / 3 * 1.25, 8.0 / 3 * 1.5} {
		if mean[i] != 12 || !near(vars[i], w, 1e-12) {
			t.Errorf("step %d: mean %v var %v, want 12 %v", i+1, mean[i], vars[i], w)
		}
	}
	// The best ℓ0 for α = ½: the errors from ℓ0 = 10 move by −(ℓ0−10)·½^(t−1),
	// so ℓ0 − 10 = Σ e_t g_t / Σ g_t² = 1.25/1.33203125 and the SSE drops by
	// 1.25²/1.33203125.
	l0, _, best := k.bestStates(y, p, 10, 0)
	if !near(l0, 10+1.25/1.33203125, 1e-12) || !near(best, 8-1.25*1.25/1.33203125, 1e-12) {
		t.Errorf("bestStates: ℓ0 %v SSE %v, want %v %v", l0, best, 10+1.25/1.33203125, 8-1.25*1.25/1.33203125)
	}
	if sse, _, _, _, _ := k.filter(y, p, l0, 0, nil); !near(sse, best, 1e-12) {
		t.Errorf("SSE from the best ℓ0 %v, bestStates said %v", sse, best)
	}
}

// TestBestStatesTrend checks the solved initial states of a damped trend
// against a brute-force search around them.
func TestBestStatesTrend(t *testing.T) {
	y := []float64{3, 5, 4, 8, 9, 12, 11, 15, 16, 18}
	k := etsKinds[aadn]
	p := smoothing{alpha: 0.4, beta: 0.1, phi: 0.9}
	l0, b0, sse := k.bestStates(y, p, 0, 0)
	got, _, _, _, _ := k.filter(y, p, l0, b0, nil)
	if !near(got, sse, 1e-9) {
		t.Fatalf("SSE %v at the solved states, bestStates said %v", got, sse)
	}
	for _, d := range [][2]float64{{1e-3, 0}, {-1e-3, 0}, {0, 1e-3}, {0, -1e-3}, {1e-3, -1e-3}} {
		if v, _, _, _, _ := k.filter(y, p, l0+d[0], b0+d[1], nil); v < sse {
			t.Errorf("moving the states by %v lowers the SSE: %v < %v", d, v, sse)
		}
	}
}

// TestDampedByHand: ℓ = 100, b = 10, α = 0.3, β = 0.1, φ = 0.9, σ² = 4.
// Means 100 + 10(0.9), + 10(0.9+0.81), + 10(0.9+0.81+0.729); c_1 = 0.3 +
// 0.1·0.9 = 0.39, c_2 = 0.3 + 0.1·1.71 = 0.471.
func TestDampedByHand(t *testing.T) {
	m := etsModel{kind: etsKinds[aadn], p: smoothing{0.3, 0.1, 0.9}, l: 100, b: 10, sigma2: 4}
	mean, vars := m.forecast(3)
	wantMean := []float64{109, 117.1, 124.39}
	wantVar := []float64{4, 4 * (1 + 0.39*0.39), 4 * (1 + 0.39*0.39 + 0.471*0.471)}
	for i := range 3 {
		if !near(mean[i], wantMean[i], 1e-9) || !near(vars[i], wantVar[i], 1e-9) {
			t.Errorf("step %d: mean %v var %v, want %v %v", i+1, mean[i], vars[i], wantMean[i], wantVar[i])
		}
	}
	// The same with a multiplicative error, σ² = 0.01 (class 2):
	// θ1 = μ1², v1 = σ²μ1²; θ2 = μ2² + σ²c1²θ1, v2 = (1+σ²)θ2 − μ2².
	m.kind, m.sigma2 = etsKinds[madn], 0.01
	mean, vars = m.forecast(2)
	th1 := 109.0 * 109
	th2 := 117.1*117.1 + 0.01*0.39*0.39*th1
	if !near(vars[0], 0.01*th1, 1e-9) || !near(vars[1], 1.01*th2-117.1*117.1, 1e-9) || !near(mean[1], 117.1, 1e-9) {
		t.Errorf("class 2: vars %v, want %v %v", vars, 0.01*th1, 1.01*th2-117.1*117.1)
	}
}

// TestETSAgainstR rebuilds, for every M3 series, the model that R's
// forecast 8.20 chose, from its parameters, and checks the forecasts and
// both intervals against R's: the recursions, σ² and the variances of
// both classes are those of forecast. Our own estimates must choose the
// same model on most series.
func TestETSAgainstR(t *testing.T) {
	series := m3(t)
	kinds := map[string]etsKind{}
	for _, k := range etsKinds {
		kinds[k.String()] = k
	}
	same := 0
	for i, r := range readGzipCSV(t, "testdata/forecast_r.csv.gz") {
		s := series[i]
		if r["id"] != s.id {
			t.Fatalf("row %d is %s, want %s", i, r["id"], s.id)
		}
		k, ok := kinds[r["ets_model"]]
		if !ok {
			t.Fatalf("%s: unknown model %s", s.id, r["ets_model"])
		}
		x := train(s)
		p := smoothing{alpha: num(t, r["alpha"]), phi: 1}
		var b0 float64
		if k.trend {
			p.beta, b0 = num(t, r["beta"]), num(t, r["b"])
		}
		if k.damped {
			p.phi = num(t, r["phi"])
		}
		sse, _, l, b, _ := k.filter(x, p, num(t, r["l"]), b0, nil)
		m := etsModel{kind: k, p: p, l: l, b: b, sigma2: sse / float64(len(x)-k.params())}
		if !near(m.sigma2, num(t, r["sigma2"]), 1e-6*m.sigma2) {
			t.Errorf("%s %v: σ² %v, R %v", s.id, k, m.sigma2, r["sigma2"])
		}
		fc := m.band(6)
		for j := range 6 {
			for _, c := range []struct {
				col string
				got float64
			}{
				{"ets.", fc.mean[j]}, {"ets_lo80.", fc.lo80[j]}, {"ets_hi80.", fc.hi80[j]},
				{"ets_lo95.", fc.lo95[j]}, {"ets_hi95.", fc.hi95[j]},
			} {
				want := num(t, r[c.col+string(rune('1'+j))])
				if !near(c.got, want, 1e-6*math.Abs(want)+1e-6) {
					t.Errorf("%s %v %s%d: %v, R %v", s.id, k, c.col, j+1, c.got, want)
				}
			}
		}
		if predict(x, 6, ETS, 1).Model == r["ets_model"] {
			same++
		}
	}
	if share := float64(same) / float64(len(series)); share < 0.7 {
		t.Errorf("the same model as R on %.0f%% of the series, want at least 70%%", 100*share)
	} else {
		t.Logf("the same model as R on %.1f%% of the series", 100*share)
	}
}

// TestFitAdmissible: on every M3 series, each model's estimates are within
// the bounds and at least as likely as forecast's starting values.
func TestFitAdmissible(t *testing.T) {
	for _, s := range m3(t) {
		x := train(s)
		f := fits{x: x}
		for i, k := range etsKinds {
			m, ok := f.model(i)
			if !ok {
				continue
			}
			p := m.p
			if p.alpha < parLow || p.alpha > parHigh || (k.trend && (p.beta < parLow || p.beta > p.alpha)) ||
				(k.damped && (p.phi < phiLow || p.phi > phiHigh)) || (!k.damped && p.phi != 1) {
				t.Errorf("%s %v: parameters %+v out of bounds", s.id, k, p)
			}
			hl, hb := startStates(x, k.trend)
			sse0, logs0, _, _, ok0 := k.filter(x, startSmoothing(k), hl, hb, nil)
			sse, logs, _, _, _ := k.filter(x, p, m.l0, m.b0, nil)
			if ok0 && lik(len(x), sse, logs) > lik(len(x), sse0, logs0)+1e-9 {
				t.Errorf("%s %v: the fit is less likely than forecast's starting values", s.id, k)
			}
		}
	}
}
