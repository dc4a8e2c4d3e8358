package learn

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestLogisticContributionsSumToLogit(t *testing.T) {
	x, y := synthetic(2000, 8, 0.2, 1)
	m, err := FitLogistic(context.Background(), x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Iterations() > 20 {
		t.Errorf("%d Newton iterations", m.Iterations())
	}
	for i := range 200 {
		row := x.Row(i)
		c, base := m.Contributions(row)
		sum := base
		for _, v := range c {
			sum += v
		}
		p := m.Predict(row)
		if !near(sum, m.Score(row), 1e-9) || !near(sum, Logit(p), 1e-9) {
			t.Fatalf("row %d: base+contributions = %v, score %v, logit(p) = %v", i, sum, m.Score(row), Logit(p))
		}
	}
}

// At the optimum the gradient of the penalised log loss vanishes.
func TestLogisticOptimal(t *testing.T) {
	x, y := synthetic(1500, 6, 0.1, 2)
	for _, lambda := range []float64{0.01, 1, 30} {
		m, err := FitLogistic(context.Background(), x, y, Options{Logistic: LogisticOptions{Lambda: lambda}})
		if err != nil {
			t.Fatal(err)
		}
		d := newDesign(&m.m, x, y)
		beta := []float64{m.m.Intercept}
		for _, c := range d.cols {
			if c.miss {
				beta = append(beta, m.m.MissCoef[c.j])
			} else {
				beta = append(beta, m.m.Coef[c.j])
			}
		}
		_, g, _ := d.pass(beta)
		for k, v := range g {
			if math.Abs(v) > 1e-6 {
				t.Errorf("lambda %v: gradient[%d] = %g", lambda, k, v)
			}
		}
	}
}

func TestLogisticLearns(t *testing.T) {
	x, y := synthetic(4000, 8, 0.2, 3)
	tx, ty := synthetic(4000, 8, 0.2, 4)
	m, err := FitLogistic(context.Background(), x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if auc := ROCAUC(ty, PredictAll(m, tx)); auc < 0.75 {
		t.Errorf("test AUC %.3f", auc)
	}
	// Feature 1 raises the risk when missing and lowers it as it grows.
	if m.m.Coef[1] >= 0 || m.m.MissCoef[1] <= 0 {
		t.Errorf("feature 1: coef %v, missing coef %v", m.m.Coef[1], m.m.MissCoef[1])
	}
	if m.m.MissCoef[0] != 0 {
		t.Errorf("feature 0 has no missing values, yet a missing coefficient %v", m.m.MissCoef[0])
	}
}

func TestExplainMissing(t *testing.T) {
	x, y := synthetic(3000, 6, 0.3, 5)
	x.Names = []string{"Балл аттестата", "Посещаемость", "Код программы", "Прочее", "Возраст", "Шум"}
	ctx := context.Background()
	for _, kind := range []Kind{KindLogistic, KindGBT} {
		m, err := Fit(ctx, x, y, Options{Kind: kind, GBT: GBTOptions{Trees: 30}})
		if err != nil {
			t.Fatal(kind, err)
		}
		row := []float64{0.5, math.NaN(), 4, 50, 1, 2}
		e := Explain(m, row)
		var miss *Reason
		for i := range e.Reasons {
			if e.Reasons[i].Feature == "Посещаемость" {
				miss = &e.Reasons[i]
			}
		}
		if miss == nil || !miss.Missing || !math.IsNaN(miss.Value) {
			t.Fatalf("%s: reason of the missing feature: %+v", kind, miss)
		}
		if s := miss.String(); !strings.Contains(s, "нет данных") || !strings.HasPrefix(s, "Посещаемость") {
			t.Errorf("%s: %q", kind, s)
		}
		if miss.Contribution <= 0 {
			t.Errorf("%s: a missing value, which raises the risk, contributes %v", kind, miss.Contribution)
		}
		if e.Reasons[0].Missing == false && strings.Contains(e.Reasons[0].String(), "нет данных") {
			t.Errorf("%s: %q", kind, e.Reasons[0])
		}
		sum := e.Base
		for i, r := range e.Reasons {
			sum += r.Contribution
			if i > 0 && math.Abs(r.Contribution) > math.Abs(e.Reasons[i-1].Contribution) {
				t.Errorf("%s: reasons not sorted by size", kind)
			}
		}
		if !near(sum, e.Score, 1e-9) || !near(Logit(e.Probability), e.Score, 1e-9) {
			t.Errorf("%s: base+reasons %v, score %v", kind, sum, e.Score)
		}
		if got := (Reason{Feature: "Возраст", Value: 17, Contribution: -0.123}).String(); got != "Возраст = 17 (-0.12)" {
			t.Errorf("%q", got)
		}
	}
}
