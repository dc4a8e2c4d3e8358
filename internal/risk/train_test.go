package risk

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/engine/learn"
	"marshrut/internal/learner"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// cohorts builds graduates of the years given whose chance of staying
// without work falls with the grade and attendance; some records lack
// attendance.
func cohorts(seed uint64, perYear int, years ...int) []Record {
	rng := rand.New(rand.NewPCG(seed, 7))
	var out []Record
	id := int64(1)
	for _, y := range years {
		for range perYear {
			z := rng.NormFloat64()
			r := Record{LearnerID: id, GraduationYear: y, Sex: []string{"м", "ж"}[rng.IntN(2)], MunicipalityID: int64(1 + rng.IntN(3)),
				Municipality: []string{"Город", "Район", "Село"}[rng.IntN(3)], SpecialtyCode: "15.02.08", FullTime: true,
				AvgGrade: math.Round((4+0.4*z)*10) / 10, Attendance: math.NaN(), Debts: math.NaN(), Mentor: math.NaN(), Disability: rng.Float64() < 0.05}
			if rng.Float64() < 0.8 {
				r.Attendance = math.Min(1, 0.85+0.06*z)
			}
			p := 1 / (1 + math.Exp(-(-1.2 - 1.3*z)))
			r.After6 = learner.Employed
			if rng.Float64() < p {
				r.After6 = learner.NotEmployed
			}
			out = append(out, r)
			id++
		}
	}
	return out
}

func TestSplitKeepsCohortsApart(t *testing.T) {
	recs := cohorts(1, 50, 2023, 2024, 2025, 2026)
	recs = append(recs, Record{LearnerID: 999, GraduationYear: 2024, After6: learner.Unknown})
	train, valid, years, vy, err := Split(recs, now)
	if err != nil {
		t.Fatal(err)
	}
	// 2026's status six months on is not known before 2027; 2025 validates.
	if vy != 2025 || len(years) != 2 || years[0] != 2023 || years[1] != 2024 {
		t.Fatalf("years %v → %d", years, vy)
	}
	for _, r := range train {
		if r.GraduationYear == vy || r.LearnerID == 999 {
			t.Fatalf("training holds %+v", r)
		}
	}
	for _, r := range valid {
		if r.GraduationYear != vy {
			t.Fatalf("validation holds a graduate of %d", r.GraduationYear)
		}
	}
	if len(train) != 100 || len(valid) != 50 {
		t.Errorf("train %d, valid %d", len(train), len(valid))
	}
	if _, _, _, _, err := Split(cohorts(1, 50, 2025), now); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "два выпуска") {
		t.Errorf("one cohort: %v", err)
	}
}

// The model in use is trained without the validation cohort: changing that
// cohort's outcomes changes the figures, never the model.
func TestNoLeakageAcrossCohorts(t *testing.T) {
	ctx := context.Background()
	recs := cohorts(2, 400, 2023, 2024, 2025)
	for _, kind := range []Kind{KindLogistic, KindGBT} {
		a, err := Train(ctx, recs, Demand{}, TrainOptions{Kind: kind, Seed: 5, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		flipped := append([]Record(nil), recs...)
		for i := range flipped {
			if flipped[i].GraduationYear == 2025 {
				if pos, _ := Positive(flipped[i].After6); pos {
					flipped[i].After6 = learner.Employed
				} else {
					flipped[i].After6 = learner.Unemployed
				}
			}
		}
		b, err := Train(ctx, flipped, Demand{}, TrainOptions{Kind: kind, Seed: 5, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		ma, _ := learn.Marshal(a.Model)
		mb, _ := learn.Marshal(b.Model)
		if !bytes.Equal(ma, mb) {
			t.Errorf("%s: the validation cohort's outcomes changed the model", kind)
		}
		if a.Report.Metrics.AUC == b.Report.Metrics.AUC {
			t.Errorf("%s: flipped outcomes left the validation AUC at %.4f", kind, a.Report.Metrics.AUC)
		}
		if a.Report.Metrics.AUC < 0.7 {
			t.Errorf("%s: validation AUC %.3f on data with a strong signal", kind, a.Report.Metrics.AUC)
		}
	}
}

func TestTrainDeterministicAndChooses(t *testing.T) {
	ctx := context.Background()
	recs := cohorts(3, 300, 2024, 2025)
	a, err := Train(ctx, recs, Demand{}, TrainOptions{Seed: 9, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(ctx, recs, Demand{}, TrainOptions{Seed: 9, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ma, _ := learn.Marshal(a.Model)
	mb, _ := learn.Marshal(b.Model)
	if !bytes.Equal(ma, mb) {
		t.Error("the same data and seed gave two models")
	}
	if len(a.Report.Candidates) != 2 {
		t.Fatalf("candidates %+v", a.Report.Candidates)
	}
	best := a.Report.Candidates[0]
	for _, c := range a.Report.Candidates {
		if c.Metrics.AUC > best.Metrics.AUC {
			best = c
		}
	}
	if a.Report.Chosen != best.Kind || Kind(a.Model.Kind()) != best.Kind {
		t.Errorf("chose %s, the better AUC is %s's", a.Report.Chosen, best.Kind)
	}
	for _, key := range []string{"sex", "municipality", "disability"} {
		n := 0
		for _, g := range a.Report.Groups[key] {
			n += g.Rows
		}
		if n != a.Report.ValidRows {
			t.Errorf("groups by %s cover %d of %d", key, n, a.Report.ValidRows)
		}
	}
	if got := a.Report.Missing["attendance"]; got < 0.1 || got > 0.3 {
		t.Errorf("share without attendance %.2f, about 0.2 expected", got)
	}
}

func TestTrainRefusesOneClass(t *testing.T) {
	recs := cohorts(4, 100, 2024, 2025)
	for i := range recs {
		recs[i].After6 = learner.Employed
	}
	_, err := Train(context.Background(), recs, Demand{}, TrainOptions{Now: now})
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("one class: %v", err)
	}
	// Too few positives in the training cohorts.
	recs = cohorts(4, 100, 2024, 2025)
	for i := range recs {
		if recs[i].GraduationYear == 2024 && recs[i].LearnerID%10 != 0 {
			recs[i].After6 = learner.Employed
		}
	}
	if _, err := Train(context.Background(), recs, Demand{}, TrainOptions{Now: now}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("few positives: %v", err)
	}
}

// On the logistic model the contributions of all features and the base sum
// to the score, and the reasons are the largest of them, in words.
func TestReasonsSumToScore(t *testing.T) {
	ctx := context.Background()
	recs := cohorts(5, 400, 2024, 2025)
	tr, err := Train(ctx, recs, Demand{}, TrainOptions{Kind: KindLogistic, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	x := Matrix(recs[:50], Demand{})
	for i := range x.Rows {
		e := learn.Explain(tr.Model, x.Row(i))
		sum := e.Base
		for _, r := range e.Reasons {
			sum += r.Contribution
		}
		if math.Abs(sum-learn.Logit(e.Probability)) > 1e-9 {
			t.Fatalf("row %d: base and contributions %.12f, logit %.12f", i, sum, learn.Logit(e.Probability))
		}
	}
	scores, err := ScoreAll(ctx, tr.Model, recs[:50], Demand{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range scores {
		if len(s.Reasons) == 0 || len(s.Reasons) > TopReasons {
			t.Fatalf("score %d has %d reasons", i, len(s.Reasons))
		}
		for j := 1; j < len(s.Reasons); j++ {
			if math.Abs(s.Reasons[j].Effect) > math.Abs(s.Reasons[j-1].Effect)+1e-9 {
				t.Fatalf("reasons out of order: %+v", s.Reasons)
			}
		}
		if math.IsNaN(recs[i].Attendance) {
			for _, r := range s.Reasons {
				if r.Feature == "attendance" && (!r.Missing || r.Text != "посещаемость не отмечена") {
					t.Errorf("missing attendance said as %+v", r)
				}
			}
		}
	}
}

func TestReasonWords(t *testing.T) {
	cases := map[string]struct {
		v    float64
		want string
	}{
		"avg_grade":  {3.4, "средний балл 3,4"},
		"attendance": {0.62, "посещаемость 62 %"},
		"debts":      {0, "нет академических задолженностей"},
		"practice":   {0, "не было практики у работодателя"},
		"contract":   {1, "учится по договору о целевом обучении"},
	}
	for key, c := range cases {
		f, ok := featureOf(key)
		if !ok {
			t.Fatalf("no feature %s", key)
		}
		if got := f.say(c.v); got != c.want {
			t.Errorf("%s(%v) = %q, want %q", key, c.v, got, c.want)
		}
	}
	r := Record{Attendance: math.NaN(), Debts: math.NaN(), Mentor: math.NaN(), University: true}
	m := strings.Join(r.Missing(Demand{}), "; ")
	for _, want := range []string{"посещаемость не отмечена", "средний балл не указан", "не проходил(а) ДДО"} {
		if !strings.Contains(m, want) {
			t.Errorf("missing %q in %q", want, m)
		}
	}
}

func TestParseThreshold(t *testing.T) {
	for in, want := range map[string]float64{"0,3": 0.3, "0.25": 0.25, "30 %": 0.3, "45": 0.45} {
		got, err := ParseThreshold(in)
		if err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("%q → %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "abc", "0", "100 %", "-0,2"} {
		if _, err := ParseThreshold(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestStudyRecordValidate(t *testing.T) {
	bad := []StudyRecord{
		{Attendance: 1.2, Debts: math.NaN()},
		{Attendance: math.NaN(), Debts: -1},
		{Attendance: math.NaN(), Debts: 2.5},
		{Attendance: math.NaN(), Debts: math.NaN(), Social: "rich"},
	}
	for _, r := range bad {
		if err := r.Validate(); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%+v accepted", r)
		}
	}
	if err := (StudyRecord{Attendance: 0.9, Debts: 0, Social: SocialOrphan}).Validate(); err != nil {
		t.Error(err)
	}
}
