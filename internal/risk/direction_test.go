package risk

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"marshrut/internal/engine/learn"
	"marshrut/internal/learner"
)

// perverse builds graduates whose outcomes in the sample go against the
// stated directions: more vacancies, a higher grade and practice come with
// staying without work more often, as noise in a small region can make them.
func perverse(seed uint64, perYear int, years ...int) ([]Record, Demand) {
	rng := rand.New(rand.NewPCG(seed, 9))
	d := Demand{BySpecialtyGroup: map[string]float64{"15": 0.4, "34": 5.5, "43": 2.1, "08": 1.2}, ByMunicipality: map[int64]float64{1: 0.3, 2: 1.5, 3: 4}}
	groups := []string{"15.02.08", "34.02.01", "43.02.15", "08.02.01"}
	var out []Record
	id := int64(1)
	for _, y := range years {
		for range perYear {
			spec := groups[rng.IntN(len(groups))]
			r := Record{LearnerID: id, GraduationYear: y, MunicipalityID: int64(1 + rng.IntN(3)), SpecialtyCode: spec, FullTime: true,
				AvgGrade: math.Round((3+2*rng.Float64())*10) / 10, Attendance: 0.6 + 0.4*rng.Float64(), Debts: float64(rng.IntN(4)),
				Practice: rng.IntN(2) == 1, Contract: rng.IntN(5) == 0, Mentor: float64(rng.IntN(2)), University: rng.IntN(4) == 0}
			if !r.University {
				r.DemoExam = rng.IntN(101)
			}
			s := -1 + 0.5*d.BySpecialtyGroup[spec[:2]] + 1.2*(r.AvgGrade-4) + 0.8*flag(r.Practice) + 0.5*r.Mentor + 0.02*float64(r.DemoExam-50)
			r.After6 = learner.Employed
			if rng.Float64() < 1/(1+math.Exp(-s)) {
				r.After6 = learner.NotEmployed
			}
			out = append(out, r)
			id++
		}
	}
	return out, d
}

// TestModelsKeepDirections: trained on data that bend against the stated
// directions, both models stay monotone in each constrained feature, and no
// reason said of a score goes against its feature's direction.
func TestModelsKeepDirections(t *testing.T) {
	ctx := context.Background()
	recs, d := perverse(3, 600, 2023, 2024, 2025)
	dirs := Directions()
	for _, kind := range []Kind{KindGBT, KindLogistic} {
		tr, err := Train(ctx, recs, d, TrainOptions{Kind: kind, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		x := Matrix(recs, d)
		rng := rand.New(rand.NewPCG(4, 4))
		row := make([]float64, x.Cols)
		for j, dir := range dirs {
			if dir == 0 {
				continue
			}
			lo, hi := math.Inf(1), math.Inf(-1)
			for i := range x.Rows {
				if v := x.At(i, j); !learn.Missing(v) {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			for range 300 {
				copy(row, x.Row(rng.IntN(x.Rows)))
				a, b := lo+(hi-lo)*rng.Float64(), lo+(hi-lo)*rng.Float64()
				if a > b {
					a, b = b, a
				}
				row[j] = a
				sa := tr.Model.Score(row)
				row[j] = b
				if sb := tr.Model.Score(row); float64(dir)*(sb-sa) < -1e-12 {
					t.Fatalf("%s: %s from %v to %v moves the score %+.4f against its direction %+d", kind, FeatureNames()[j], a, b, sb-sa, dir)
				}
			}
		}
		scores, err := ScoreAll(ctx, tr.Model, recs[:600], d, nil)
		if err != nil {
			t.Fatal(err)
		}
		qualified := 0
		for i, s := range scores {
			for _, r := range s.Reasons {
				if err := checkReason(r, x.At(i, index(r.Feature))); err != "" {
					t.Fatalf("%s: learner %d: «%s — %s риск»: %s", kind, s.LearnerID, r.Text, map[bool]string{true: "повышает", false: "снижает"}[r.Raises()], err)
				}
				if strings.Contains(r.Text, "чем у многих") {
					qualified++
				}
			}
		}
		if qualified == 0 {
			t.Errorf("%s: no reason says where a value stands among others'", kind)
		}
	}
}

func index(key string) int {
	for j, f := range features {
		if f.key == key {
			return j
		}
	}
	return -1
}

// checkReason is what a person reading a reason would object to, or "".
func checkReason(r Reason, v float64) string {
	f, ok := featureOf(r.Feature)
	if !ok || f.dir == 0 || r.Missing {
		return ""
	}
	if f.contradicts(v, r.Effect) {
		return "значение на краю шкалы действует против направления признака"
	}
	if f.less == "" || f.extreme(v) != 0 {
		return ""
	}
	// A value that raises a risk falling with it is said to be low.
	low := r.Effect*float64(f.dir) < 0
	switch {
	case low && !strings.HasSuffix(r.Text, "("+f.less+")"):
		return "не сказано, что значение ниже, чем у других"
	case !low && !strings.HasSuffix(r.Text, "("+f.more+")"):
		return "не сказано, что значение выше, чем у других"
	}
	return ""
}

// The case of the demo region: 5,5 vacancies a graduate raising the risk is
// said as fewer than many have, and practice done raising it is not said.
func TestReasonAgainstDirection(t *testing.T) {
	e := learn.Explanation{Reasons: []learn.Reason{
		{Feature: "demand_specialty", Value: 5.5, Contribution: 0.4},
		{Feature: "practice", Value: 1, Contribution: 0.3},
		{Feature: "avg_grade", Value: 4.6, Contribution: -0.2},
		{Feature: "debts", Value: 0, Contribution: 0.1},
	}}
	rs := reasons(e, TopReasons)
	if len(rs) != 2 {
		t.Fatalf("reasons %+v: want two, practice done and no debts raising the risk left out", rs)
	}
	if want := "по специальности в регионе 5,5 вакансии на выпускника (меньше, чем у многих)"; rs[0].Text != want {
		t.Errorf("said %q, want %q", rs[0].Text, want)
	}
	if want := "средний балл 4,6 (выше, чем у многих)"; rs[1].Text != want {
		t.Errorf("said %q, want %q", rs[1].Text, want)
	}
	// The check itself fails the sentence of the demo region.
	bad := Reason{Feature: "demand_specialty", Text: "по специальности в регионе 5,5 вакансии на выпускника", Effect: 0.4}
	if checkReason(bad, 5.5) == "" {
		t.Error("«5,5 вакансии на выпускника — повышает риск» passes the check")
	}
	if checkReason(Reason{Feature: "practice", Text: "была практика у работодателя", Effect: 0.3}, 1) == "" {
		t.Error("practice done raising the risk passes the check")
	}
}
