package cluster

import (
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

func TestKPIs(t *testing.T) {
	c := Counts{Students: 400, Targeted: 100, Graduates: 80, Employed: 68, EmployedAtCluster: 36,
		Funding: Funding{Year: 2025, Employers: 12_500_000}, HasFunding: true}
	vs := KPIs(c, map[Indicator]float64{DemoExam: 0.75, Students: 999})
	want := map[Indicator]struct {
		v   float64
		src Source
	}{
		Students: {400, FromData}, Employed: {0.85, FromData}, EmployedAtCluster: {0.45, FromData}, Targeted: {0.25, FromData},
		DemoExam: {0.75, Entered}, IndustryTeachers: {0, Missing}, Cofinancing: {12_500_000, FromData},
	}
	for ind, w := range want {
		v := ValueOf(vs, ind)
		if v.Value != w.v || v.Source != w.src {
			t.Errorf("%s = %v (%q), want %v (%q)", ind, v.Value, v.Source, w.v, w.src)
		}
	}
	// Without data the entered value stands in; without either, nothing.
	vs = KPIs(Counts{}, map[Indicator]float64{Students: 350})
	if v := ValueOf(vs, Students); v.Value != 350 || v.Source != Entered {
		t.Errorf("students entered: %+v", v)
	}
	if v := ValueOf(vs, Employed); v.Known() {
		t.Errorf("employment without graduates: %+v", v)
	}
}

func TestCriteriaValidate(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	set := DefaultCriteria(2026)
	if err := set.Validate(now); err != nil {
		t.Fatalf("the default set: %v", err)
	}
	set.Criteria[1].Weight = 10 // 95 in all
	err := set.Validate(now)
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "сумма весов критериев 95 не равна общему числу баллов 100") {
		t.Errorf("weights of 95: %v", err)
	}
	set = DefaultCriteria(2026)
	set.Criteria[2].Key = set.Criteria[0].Key
	set.Criteria[3].Threshold = 1.5 // a share above 100 %
	if err := set.Validate(now); err == nil || !strings.Contains(apperr.Text(err), "повторяется") || !strings.Contains(apperr.Text(err), "порог") {
		t.Errorf("a repeated key and a threshold out of range: %v", err)
	}
}

func TestResults(t *testing.T) {
	set := Criteria{Total: 100, PassScore: 60, Criteria: []Criterion{
		{Key: "a", Title: "А", Weight: 60, Max: 10}, {Key: "b", Title: "Б", Weight: 40, Max: 5}}}
	d := Defence{Criteria: set, Status: Open, Assignments: []Assignment{{1, 100}, {1, 101}, {2, 100}, {3, 101}}}
	clusters := []Cluster{{ID: 1, Name: "Альфа"}, {ID: 2, Name: "Бета"}, {ID: 3, Name: "Гамма"}, {ID: 4, Name: "Не назначен"}}
	marks := []Mark{
		{ClusterID: 1, UserID: 100, Criterion: "a", Score: 10}, {ClusterID: 1, UserID: 100, Criterion: "b", Score: 5}, // 100
		{ClusterID: 1, UserID: 101, Criterion: "a", Score: 5}, {ClusterID: 1, UserID: 101, Criterion: "b", Score: 0}, // 30
		{ClusterID: 2, UserID: 100, Criterion: "a", Score: 8}, {ClusterID: 2, UserID: 100, Criterion: "b", Score: 4}, // 48 + 32 = 80
		{ClusterID: 3, UserID: 101, Criterion: "a", Score: 9}, // incomplete sheet
	}
	rs := Results(d, clusters, marks)
	if len(rs) != 3 {
		t.Fatalf("results %+v", rs)
	}
	if rs[0].ClusterID != 2 || rs[0].Score != 80 || rs[0].Rank != 1 || !rs[0].Passed || !rs[0].Complete() {
		t.Errorf("first %+v", rs[0])
	}
	if rs[1].ClusterID != 1 || rs[1].Score != 65 || rs[1].Rank != 2 || rs[1].Mean["a"] != 7.5 {
		t.Errorf("second %+v", rs[1])
	}
	if rs[2].ClusterID != 3 || rs[2].Rank != 0 || rs[2].Scored != 0 {
		t.Errorf("unscored %+v", rs[2])
	}
	if err := CheckSign(d, rs, "Председатель"); err == nil || !strings.Contains(apperr.Text(err), "«Гамма» (0 из 1)") {
		t.Errorf("signing with a cluster unscored: %v", err)
	}
}

func TestCheckSheet(t *testing.T) {
	set := Criteria{Year: 2026, Total: 10, Criteria: []Criterion{{Key: "a", Title: "А", Weight: 10, Max: 10}}}
	d := Defence{Year: 2026, Criteria: set, Status: Open, Assignments: []Assignment{{ClusterID: 1, UserID: 100}}}
	ok := Sheet{ClusterID: 1, UserID: 100, Marks: []Mark{{Criterion: "a", Score: 7}}}
	if err := CheckSheet(d, &ok, "Альфа"); err != nil {
		t.Fatal(err)
	}
	other := Sheet{ClusterID: 2, UserID: 100, Marks: ok.Marks}
	if err := CheckSheet(d, &other, "Бета"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("a cluster not assigned: %v", err)
	}
	bad := Sheet{ClusterID: 1, UserID: 100, Marks: []Mark{{Criterion: "a", Score: -1}}}
	if err := CheckSheet(d, &bad, "Альфа"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a negative score: %v", err)
	}
	d.Status, d.SignedAt = Signed, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := CheckSheet(d, &ok, "Альфа"); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), "01.12.2026") {
		t.Errorf("after signing: %v", err)
	}
}

func TestClusterValidate(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	c := Cluster{RegionCode: "41", Name: " Кластер ", Industry: "fishery", Kind: EduIndustrial, Year: 2023, BaseOrgID: 1,
		Members: []Org{{ID: 1}, {ID: 2}, {ID: 2}}, Employers: []Org{{ID: 9}}, Specialties: []Specialty{{Code: "35.02.09"}}}
	if err := c.Validate(now); err != nil {
		t.Fatal(err)
	}
	if c.Name != "Кластер" || len(c.Members) != 1 || c.Members[0].ID != 2 {
		t.Errorf("normalised %+v", c)
	}
	c.Industry, c.Specialties = "space", []Specialty{{Code: "09.03.01"}}
	err := c.Validate(now)
	if text := apperr.Text(err); !strings.Contains(text, "не входит в перечень отраслей") || !strings.Contains(text, "высшего образования") {
		t.Errorf("an unknown industry and a university programme: %v", err)
	}
	if len(Industries()) != 24 {
		t.Errorf("%d industries, the programme has 24", len(Industries()))
	}
}
