package learn

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// The example of the tests below, by hand: positives score 0.9 and 0.4,
// negatives 0.4 and 0.1.
var (
	tinyY = []bool{true, false, true, false}
	tinyP = []float64{0.9, 0.1, 0.4, 0.4}
)

func TestROCAUC(t *testing.T) {
	tests := []struct {
		name string
		y    []bool
		p    []float64
		want float64
	}{
		// Pairs (positive, negative): (.9,.1) (.9,.4) (.4,.1) win, (.4,.4) ties: 3.5/4.
		{"ties", tinyY, tinyP, 0.875},
		{"perfect", []bool{false, false, true}, []float64{0.1, 0.2, 0.3}, 1},
		{"reversed", []bool{true, false, false}, []float64{0.1, 0.2, 0.3}, 0},
		{"all tied", []bool{true, false, true, false, false}, []float64{0.5, 0.5, 0.5, 0.5, 0.5}, 0.5},
		// Positives at .8 and .3, negatives .6 .3 .1: (.8 beats 3) + (.3 ties .3, beats .1) = 4.5/6.
		{"mixed", []bool{true, false, true, false, false}, []float64{0.8, 0.6, 0.3, 0.3, 0.1}, 0.75},
	}
	for _, tt := range tests {
		if got := ROCAUC(tt.y, tt.p); !near(got, tt.want, 1e-12) {
			t.Errorf("%s: ROCAUC = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := ROCAUC([]bool{true, true}, []float64{0.1, 0.2}); !math.IsNaN(got) {
		t.Errorf("one class: ROCAUC = %v, want NaN", got)
	}
}

func TestAveragePrecision(t *testing.T) {
	tests := []struct {
		name string
		y    []bool
		p    []float64
		want float64
	}{
		// Thresholds down: .9 → recall 1/2, precision 1; .4 (one positive, one
		// negative) → recall 1, precision 2/3. AP = 1/2·1 + 1/2·2/3.
		{"ties", tinyY, tinyP, 0.5 + 1.0/3},
		{"perfect", []bool{false, true, true}, []float64{0.1, 0.7, 0.8}, 1},
		// scikit-learn: average_precision_score([0,1,0,1], [.8,.6,.4,.2]) = (1/2)(1/2) + (1/2)(2/4) = 0.5.
		{"sklearn", []bool{false, true, false, true}, []float64{0.8, 0.6, 0.4, 0.2}, 0.5},
		// The documented example of average_precision_score: 0.8333...
		{"sklearn doc", []bool{false, false, true, true}, []float64{0.1, 0.4, 0.35, 0.8}, 0.5 + 1.0/3},
	}
	for _, tt := range tests {
		if got := AveragePrecision(tt.y, tt.p); !near(got, tt.want, 1e-12) {
			t.Errorf("%s: AveragePrecision = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := AveragePrecision([]bool{false}, []float64{0.3}); !math.IsNaN(got) {
		t.Errorf("no positives: %v, want NaN", got)
	}
}

func TestBrierLogLoss(t *testing.T) {
	// (.1² + .1² + .6² + .4²)/4
	if got := Brier(tinyY, tinyP); !near(got, 0.135, 1e-12) {
		t.Errorf("Brier = %v, want 0.135", got)
	}
	want := -(math.Log(0.9) + math.Log(0.9) + math.Log(0.4) + math.Log(0.6)) / 4
	if got := LogLoss(tinyY, tinyP); !near(got, want, 1e-12) {
		t.Errorf("LogLoss = %v, want %v", got, want)
	}
	// A confident mistake is clipped, not infinite.
	if got := LogLoss([]bool{true}, []float64{0}); !near(got, -math.Log(1e-15), 1e-9) {
		t.Errorf("LogLoss of p=0 for a positive = %v", got)
	}
}

func TestCalibration(t *testing.T) {
	y := []bool{true, false, true, false, true}
	p := []float64{0.9, 0.1, 0.4, 0.45, 1}
	bins := Calibration(y, p)
	if len(bins) != 10 {
		t.Fatalf("%d bins", len(bins))
	}
	want := map[int]Bin{
		1: {Lo: 0.1, Hi: 0.2, Count: 1, Predicted: 0.1, Observed: 0},
		4: {Lo: 0.4, Hi: 0.5, Count: 2, Predicted: 0.425, Observed: 0.5},
		9: {Lo: 0.9, Hi: 1, Count: 2, Predicted: 0.95, Observed: 1}, // 1 falls in the last bin
	}
	for b, got := range bins {
		w := want[b]
		if got.Count != w.Count || !near(got.Predicted, w.Predicted, 1e-12) || !near(got.Observed, w.Observed, 1e-12) ||
			!near(got.Lo, float64(b)/10, 1e-12) || !near(got.Hi, float64(b+1)/10, 1e-12) {
			t.Errorf("bin %d = %+v, want %+v", b, got, w)
		}
	}
}

func TestEvaluateGroups(t *testing.T) {
	y := []bool{true, false, true, false, true, false}
	p := []float64{0.9, 0.1, 0.4, 0.4, 0.2, 0.7}
	g := []string{"город", "город", "город", "город", "село", "село"}
	got := EvaluateGroups(y, p, g)
	if len(got) != 2 || got[0].Name != "город" || got[1].Name != "село" {
		t.Fatalf("groups %+v", got)
	}
	town := got[0]
	if town.Rows != 4 || town.Positives != 2 || !near(town.AUC, 0.875, 1e-12) || !near(town.Brier, 0.135, 1e-12) {
		t.Errorf("town = %+v", town.Metrics)
	}
	village := got[1]
	if village.Rows != 2 || village.AUC != 0 || !near(village.PRAUC, 0.5, 1e-12) {
		t.Errorf("village = %+v", village.Metrics)
	}
	all := Evaluate(y, p)
	if all.Rows != 6 || all.Positives != 3 || len(all.Calibration) != 10 {
		t.Errorf("all = %+v", all)
	}
}
