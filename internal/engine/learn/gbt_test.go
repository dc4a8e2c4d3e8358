package learn

import (
	"bytes"
	"context"
	"math"
	"math/bits"
	"testing"
)

func fitGBT(t testing.TB, x Matrix, y []bool, o Options) *GBT {
	t.Helper()
	m, err := FitGBT(context.Background(), x, y, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGBTContributionsSumToScore(t *testing.T) {
	x, y := synthetic(3000, 8, 0.2, 11)
	m := fitGBT(t, x, y, Options{GBT: GBTOptions{Trees: 60, MaxLeaves: 31}})
	for i := range 300 {
		row := x.Row(i)
		c, base := m.Contributions(row)
		sum := base
		for _, v := range c {
			sum += v
		}
		if s := m.Score(row); !near(sum, s, 1e-9) || !near(Logit(m.Predict(row)), s, 1e-9) {
			t.Fatalf("row %d: base+contributions %v, score %v", i, sum, s)
		}
	}
}

// shapleyBrute computes the Shapley values of one tree for the
// path-dependent game from their definition, over all subsets of features.
func shapleyBrute(tree []node, row []float64) []float64 {
	p := len(row)
	var v func(k int, s uint) float64 // expected output of the subtree at k knowing the features in s
	v = func(k int, s uint) float64 {
		n := &tree[k]
		if n.Feature < 0 {
			return n.Value
		}
		if s&(1<<n.Feature) != 0 {
			x := row[n.Feature]
			if Missing(x) && n.MissingLeft || !Missing(x) && x <= n.Threshold {
				return v(n.Left, s)
			}
			return v(n.Right, s)
		}
		return (tree[n.Left].Cover*v(n.Left, s) + tree[n.Right].Cover*v(n.Right, s)) / n.Cover
	}
	fact := func(k int) float64 { return math.Gamma(float64(k) + 1) }
	phi := make([]float64, p)
	for i := range p {
		for s := uint(0); s < 1<<p; s++ {
			if s&(1<<i) != 0 {
				continue
			}
			k := bits.OnesCount(s)
			w := fact(k) * fact(p-k-1) / fact(p)
			phi[i] += w * (v(0, s|1<<i) - v(0, s))
		}
	}
	return phi
}

func TestTreeSHAPExact(t *testing.T) {
	x, y := synthetic(2000, 6, 0.25, 12)
	// Deep trees on few features repeat features along a path, the hard case.
	m := fitGBT(t, x, y, Options{GBT: GBTOptions{Trees: 5, MaxLeaves: 40, MinLeaf: 5, LearningRate: 0.5}})
	for i := range 40 {
		row := x.Row(i)
		want := make([]float64, len(row))
		for _, tree := range m.m.Trees {
			for j, v := range shapleyBrute(tree, row) {
				want[j] += v
			}
		}
		got, _ := m.Contributions(row)
		for j := range got {
			if !near(got[j], want[j], 1e-9) {
				t.Fatalf("row %d feature %d: TreeSHAP %v, by definition %v", i, j, got[j], want[j])
			}
		}
	}
}

func TestGBTLearns(t *testing.T) {
	x, y := synthetic(5000, 8, 0.2, 13)
	tx, ty := synthetic(5000, 8, 0.2, 14)
	m := fitGBT(t, x, y, Options{})
	tm := fitGBT(t, x, y, Options{Kind: KindGBT, GBT: GBTOptions{Trees: 1}})
	auc, auc1 := ROCAUC(ty, PredictAll(m, tx)), ROCAUC(ty, PredictAll(tm, tx))
	if auc < 0.75 || auc <= auc1 {
		t.Errorf("test AUC %.3f, of one tree %.3f", auc, auc1)
	}
	if ll := LogLoss(ty, PredictAll(m, tx)); ll > LogLoss(ty, PredictAll(tm, tx)) {
		t.Errorf("log loss %v worse than one tree's", ll)
	}
}

func TestGBTDeterministic(t *testing.T) {
	x, y := synthetic(3000, 8, 0.2, 15)
	opts := Options{Seed: 7, GBT: GBTOptions{Trees: 30, ColSample: 0.7, Stopping: StopOn, Workers: 1}}
	a := fitGBT(t, x, y, opts)
	opts.GBT.Workers = 4
	b := fitGBT(t, x, y, opts)
	opts.Seed = 8
	c := fitGBT(t, x, y, opts)
	ja, _ := Marshal(a)
	jb, _ := Marshal(b)
	jc, _ := Marshal(c)
	if !bytes.Equal(ja, jb) {
		t.Error("the same seed on 1 and 4 workers gives different models")
	}
	if bytes.Equal(ja, jc) {
		t.Error("another seed gives the same model")
	}
	l1, _ := FitLogistic(context.Background(), x, y, opts)
	l2, _ := FitLogistic(context.Background(), x, y, opts)
	j1, _ := Marshal(l1)
	j2, _ := Marshal(l2)
	if !bytes.Equal(j1, j2) {
		t.Error("logistic regression not deterministic")
	}
}

// Large nodes are partitioned and binned in parallel chunks: the model must
// not change with the number of workers.
func TestGBTParallelChunks(t *testing.T) {
	x, y := synthetic(3*partChunk, 6, 0.1, 24)
	opts := Options{Seed: 3, GBT: GBTOptions{Trees: 4, Workers: 1}}
	a := fitGBT(t, x, y, opts)
	opts.GBT.Workers = 3
	b := fitGBT(t, x, y, opts)
	ja, _ := Marshal(a)
	jb, _ := Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Error("1 and 3 workers give different models")
	}
}

func TestGBTEarlyStopping(t *testing.T) {
	// Pure noise: the validation loss stops improving almost at once.
	x, _ := synthetic(3000, 5, 0, 16)
	_, y := synthetic(3000, 5, 0, 17)
	m := fitGBT(t, x, y, Options{GBT: GBTOptions{Trees: 300, Stopping: StopOn, Patience: 10, LearningRate: 0.3}})
	if m.Trees() >= 100 {
		t.Errorf("%d trees on noise", m.Trees())
	}
	full := fitGBT(t, x, y, Options{GBT: GBTOptions{Trees: 40, Stopping: StopOff}})
	if full.Trees() != 40 {
		t.Errorf("%d trees without early stopping", full.Trees())
	}
}

func TestGBTMissing(t *testing.T) {
	x, y := synthetic(3000, 6, 0.3, 18)
	for i := range x.Rows { // a feature missing everywhere and one infinite at times
		x.Data[i*x.Cols+5] = math.NaN()
		if i%7 == 0 {
			x.Data[i*x.Cols+3] = math.Inf(1)
		}
	}
	m := fitGBT(t, x, y, Options{GBT: GBTOptions{Trees: 40}})
	used := false
	for _, tree := range m.m.Trees {
		for _, n := range tree {
			if n.Feature == 5 {
				t.Fatal("split on a feature that is always missing")
			}
			used = used || n.Feature == 1
		}
	}
	if !used {
		t.Error("feature 1, with missing values, never used")
	}
	allMissing := make([]float64, x.Cols)
	for j := range allMissing {
		allMissing[j] = math.NaN()
	}
	if p := m.Predict(allMissing); !(p > 0 && p < 1) {
		t.Errorf("prediction of a row with no data: %v", p)
	}
}

func TestRefuseClasses(t *testing.T) {
	x, y := synthetic(200, 4, 0, 19)
	for i := range y {
		y[i] = i < 3
	}
	ctx := context.Background()
	for _, kind := range []Kind{KindLogistic, KindGBT} {
		_, err := Fit(ctx, x, y, Options{Kind: kind})
		want := "для обучения нужно не меньше 20 примеров каждого класса: положительных 3"
		if err == nil || err.Error() != want {
			t.Errorf("%s, 3 positives: %v", kind, err)
		}
		one := make([]bool, len(y))
		if _, err := Fit(ctx, x, one, Options{Kind: kind}); err == nil || err.Error() != "для обучения нужны примеры обоих классов, а все 200 примеров отрицательные" {
			t.Errorf("%s, one class: %v", kind, err)
		}
		if _, err := Fit(ctx, x, y[:10], Options{Kind: kind}); err == nil {
			t.Errorf("%s: labels of another length accepted", kind)
		}
	}
	if _, err := Fit(ctx, x, y, Options{Kind: "forest"}); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := Fit(ctx, x, y, Options{MinClass: 3, GBT: GBTOptions{LearningRate: 2}}); err == nil {
		t.Error("learning rate 2 accepted")
	}
}

func TestBins(t *testing.T) {
	e := featureEdges([]float64{3, 1, 2, 2, 3, 1}, MaxBins)
	if len(e) != 2 || e[0] != 1.5 || e[1] != 2.5 {
		t.Errorf("edges of 1,2,3: %v", e)
	}
	vals := make([]float64, 10000)
	for i := range vals {
		vals[i] = float64(i % 1000)
	}
	e = featureEdges(vals, 10)
	if len(e) != 9 {
		t.Fatalf("%d edges for 10 bins: %v", len(e), e)
	}
	for k := 1; k < len(e); k++ {
		if e[k] <= e[k-1] {
			t.Fatalf("edges not increasing: %v", e)
		}
	}
	for _, v := range []float64{-5, 0, 99.5, 100, 999, 1e9} {
		b := int(binOf(e, v))
		if b > 0 && !(v > e[b-1]) || b < len(e) && !(v <= e[b]) {
			t.Errorf("value %v in bin %d of %v", v, b, e)
		}
	}
	if b := binOf(e, math.NaN()); int(b) != len(e)+1 {
		t.Errorf("NaN in bin %d", b)
	}
	// A heavy value stays whole in one bin.
	heavy := make([]float64, 1000)
	for i := range heavy {
		heavy[i] = float64(i)
		if i < 700 {
			heavy[i] = 0
		}
	}
	e = featureEdges(heavy, 10)
	if e[0] != 0 || len(e) < 2 {
		t.Errorf("edges with 70%% zeros: %v", e)
	}
}
