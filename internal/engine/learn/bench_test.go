package learn

import (
	"context"
	"sync"
	"testing"
)

// Run with: go test ./internal/engine/learn -run '^$' -bench . -benchmem

var (
	bigOnce sync.Once
	bigX    Matrix
	bigY    []bool
)

// big is a million synthetic rows of 20 features, made once.
func big() (Matrix, []bool) {
	bigOnce.Do(func() { bigX, bigY = synthetic(1_000_000, 20, 0.1, 99) })
	return bigX, bigY
}

func benchFit(b *testing.B, x Matrix, y []bool, opts Options) {
	b.ResetTimer()
	var m Model
	for b.Loop() {
		var err error
		if m, err = Fit(context.Background(), x, y, opts); err != nil {
			b.Fatal(err)
		}
	}
	if g, ok := m.(*GBT); ok {
		b.ReportMetric(float64(g.Trees()), "trees")
	}
}

// BenchmarkFitGBT1M trains the trees with the default settings on a million rows.
func BenchmarkFitGBT1M(b *testing.B) {
	x, y := big()
	benchFit(b, x, y, Options{Kind: KindGBT})
}

func BenchmarkFitGBT100k(b *testing.B) {
	x, y := big()
	n := 100_000
	benchFit(b, Matrix{Rows: n, Cols: x.Cols, Data: x.Data[:n*x.Cols]}, y[:n], Options{Kind: KindGBT})
}

func BenchmarkFitLogistic1M(b *testing.B) {
	x, y := big()
	benchFit(b, x, y, Options{Kind: KindLogistic})
}

// BenchmarkFitGBTUCI trains on four fifths of the UCI data, all features, as one fold of Bench does.
func BenchmarkFitGBTUCI(b *testing.B) {
	d := readUCIOrSkip(b)
	folds, _ := StratifiedKFold(d.y, 5, 42)
	x := d.x.Subset(folds[0].Train)
	y := make([]bool, len(folds[0].Train))
	for k, i := range folds[0].Train {
		y[k] = d.y[i]
	}
	benchFit(b, x, y, Options{Kind: KindGBT, Seed: 42})
}

func benchModel(b *testing.B) (Model, Matrix) {
	x, y := synthetic(20_000, 20, 0.1, 98)
	m, err := FitGBT(context.Background(), x, y, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return m, x
}

func BenchmarkPredictGBT(b *testing.B) {
	m, x := benchModel(b)
	i := 0
	for b.Loop() {
		m.Predict(x.Row(i % x.Rows))
		i++
	}
}

func BenchmarkContributionsGBT(b *testing.B) {
	m, x := benchModel(b)
	i := 0
	for b.Loop() {
		m.Contributions(x.Row(i % x.Rows))
		i++
	}
}
