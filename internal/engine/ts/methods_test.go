package ts

import (
	"math"
	"slices"
	"testing"
)

// TestThetaByHand: on the line 2, 4, …, 16 SES keeps α at its bound 0.9999,
// the level ends at 16 and every one-step error after the first is 2, so
// σ² = 7·4/(8−2). The drift is half the slope, 1, so Theta forecasts 17,
// 18, 19, and its 80% bound one step ahead is 17 − 1.2816·√(14/3).
func TestThetaByHand(t *testing.T) {
	f := fits{x: []float64{2, 4, 6, 8, 10, 12, 14, 16}}
	b, ok := f.theta(3)
	if !ok {
		t.Fatal("theta not fitted")
	}
	for i, w := range []float64{17, 18, 19} {
		if !near(b.mean[i], w, 1e-3) {
			t.Errorf("step %d: %v, want %v", i+1, b.mean[i], w)
		}
	}
	if m, _ := f.model(ann); !near(m.sigma2, 14.0/3, 1e-3) || !near(m.p.alpha, parHigh, 1e-9) {
		t.Errorf("SES: α %v σ² %v, want %v %v", m.p.alpha, m.sigma2, parHigh, 14.0/3)
	}
	if w := 17 - z80*math.Sqrt(14.0/3); !near(b.lo80[0], w, 2e-3) {
		t.Errorf("80%% bound %v, want %v", b.lo80[0], w)
	}
	// Two steps ahead the SES variance is σ²(1 + α²).
	if w := 18 + z95*math.Sqrt(14.0/3*(1+parHigh*parHigh)); !near(b.hi95[1], w, 2e-3) {
		t.Errorf("95%% bound %v, want %v", b.hi95[1], w)
	}
}

// TestThetaAgainstR compares Theta with R's thetaf on the M3 series. Our
// SES finds the exact least-squares α where R's simplex sometimes stops
// short, so a few series differ; the typical one agrees to the digits.
func TestThetaAgainstR(t *testing.T) {
	series := m3(t)
	var mean, bounds []float64
	for i, r := range readGzipCSV(t, "testdata/forecast_r.csv.gz") {
		fc := predict(train(series[i]), 6, Theta, 1)
		for j := range 6 {
			c := string(rune('1' + j))
			mean = append(mean, math.Abs(fc.Mean[j]/num(t, r["theta."+c])-1))
			bounds = append(bounds, math.Abs(fc.Lo80[j]/num(t, r["theta_lo80."+c])-1),
				math.Abs(fc.Hi95[j]/num(t, r["theta_hi95."+c])-1))
		}
	}
	slices.Sort(mean)
	slices.Sort(bounds)
	q := func(x []float64, p float64) float64 { return x[int(p*float64(len(x)-1))] }
	t.Logf("means median %.2g, 95th %.2g; bounds median %.2g, 90th %.2g", q(mean, 0.5), q(mean, 0.95), q(bounds, 0.5), q(bounds, 0.9))
	if q(mean, 0.5) > 1e-5 || q(mean, 0.95) > 1e-3 || q(bounds, 0.5) > 1e-5 || q(bounds, 0.9) > 2e-2 {
		t.Errorf("relative differences from thetaf: means median %.2g, 95th %.2g; bounds median %.2g, 90th %.2g",
			q(mean, 0.5), q(mean, 0.95), q(bounds, 0.5), q(bounds, 0.9))
	}
}

func TestNaive(t *testing.T) {
	b := naive([]float64{1, 3, 2}, 2)
	// Differences 2, −1: σ² = 5/2; the variance h steps ahead is σ²h.
	if b.mean[0] != 2 || b.mean[1] != 2 || !near(b.hi80[1], 2+z80*math.Sqrt(5), 1e-12) {
		t.Errorf("naive: %+v", b)
	}
}

func TestCombine(t *testing.T) {
	a := band{mean: []float64{1}, lo80: []float64{0}, hi80: []float64{2}, lo95: []float64{-1}, hi95: []float64{3}, fitted: []float64{1, 1}}
	b := band{mean: []float64{3}, lo80: []float64{2}, hi80: []float64{6}, lo95: []float64{1}, hi95: []float64{9}, fitted: []float64{3, 5}}
	c := combine("c", a, b)
	if c.mean[0] != 2 || c.lo80[0] != 1 || c.hi80[0] != 4 || c.lo95[0] != 0 || c.hi95[0] != 6 || c.fitted[1] != 3 {
		t.Errorf("combine: %+v", c)
	}
}

func TestMinimize(t *testing.T) {
	rosen := func(x []float64) float64 {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		return a*a + 100*b*b
	}
	x, v := minimize(rosen, []float64{-1.2, 1}, []float64{0.5, 0.5}, 5000)
	if !near(x[0], 1, 1e-3) || !near(x[1], 1, 2e-3) || v > 1e-6 {
		t.Errorf("Rosenbrock: %v at %v, want 0 at (1, 1)", v, x)
	}
	// +Inf marks the inadmissible region x < 0; the minimum is on its edge.
	edge := func(x []float64) float64 {
		if x[0] < 0 {
			return math.Inf(1)
		}
		return (x[0] + 1) * (x[0] + 1)
	}
	if x, _ := minimize(edge, []float64{2}, []float64{1}, 500); !near(x[0], 0, 1e-3) {
		t.Errorf("edge: %v, want 0", x[0])
	}
}
