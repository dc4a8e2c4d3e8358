package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/cluster"
	"marshrut/internal/learner"
)

func countMarks(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.read.QueryRow(`SELECT count(*) FROM cluster_mark`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestClusterDefence(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		sys := auth.SystemScope("41")
		svc := cluster.NewService(s.Clusters, func() time.Time { return now })
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}

		c := cluster.Cluster{Name: "Кластер машиностроения Камчатки", Industry: "mechanical", Kind: cluster.EduIndustrial, Year: 2024,
			BaseOrgID: f.college.ID, Members: []cluster.Org{{ID: f.college2.ID}}, Employers: []cluster.Org{{ID: f.empl.ID}},
			Specialties: []cluster.Specialty{{Code: "15.02.08"}, {Code: "22.02.06"}},
			Funding:     []cluster.Funding{{Year: 2025, Federal: 100_000_000, Regional: 20_000_000, Employers: 15_000_000}},
			Equipment:   []cluster.Equipment{{Name: "Токарный станок с ЧПУ", Quantity: 4, Cost: 24_000_000, Year: 2025}}}
		wrong := c
		wrong.BaseOrgID = f.empl.ID
		if err := svc.SaveCluster(ctx, region, &wrong); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("an employer as the base college: %v", err)
		}
		if err := svc.SaveCluster(ctx, auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}, &c); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college keeps the registry: %v", err)
		}
		if err := svc.SaveCluster(ctx, region, &c); err != nil {
			t.Fatal(err)
		}
		// The student studies in the cluster's programme, with two stages at
		// its colleges on 1 October 2025: one person, one student.
		for _, st := range []learner.Stage{
			{LearnerID: f.student.ID, Kind: learner.StageCollege, OrgID: f.college.ID, SpecialtyCode: "15.02.08", Start: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)},
			{LearnerID: f.student.ID, Kind: learner.StageCollege, OrgID: f.college2.ID, SpecialtyCode: "15.02.08", Start: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)},
		} {
			if err := s.Learners.AddStage(ctx, sys, &st); err != nil {
				t.Fatal(err)
			}
		}
		// The 2025 graduate works at the anchor employer.
		if err := s.Learners.AddOutcome(ctx, sys, &learner.Outcome{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.empl.ID,
			Start: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC), Source: "college"}); err != nil {
			t.Fatal(err)
		}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 3}
		got, kpis, err := svc.KPIs(ctx, college, c.ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Members) != 1 || len(got.Employers) != 1 || len(got.Specialties) != 2 || len(got.Equipment) != 1 {
			t.Errorf("cluster read back %+v", got)
		}
		want := map[cluster.Indicator]cluster.Value{
			cluster.Students:          {Value: 1, Source: cluster.FromData},
			cluster.Employed:          {Value: 1, Source: cluster.FromData},
			cluster.EmployedAtCluster: {Value: 1, Source: cluster.FromData},
			cluster.Cofinancing:       {Value: 15_000_000, Source: cluster.FromData},
			cluster.DemoExam:          {Source: cluster.Missing},
		}
		for ind, w := range want {
			v := cluster.ValueOf(kpis, ind)
			if v.Value != w.Value || v.Source != w.Source {
				t.Errorf("%s = %v (%s), want %v (%s)", ind, v.Value, v.Source, w.Value, w.Source)
			}
		}
		if err := svc.SetValue(ctx, college, c.ID, 2025, cluster.DemoExam, 1.4); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a share above 100 %%: %v", err)
		}
		if err := svc.SetValue(ctx, college, c.ID, 2025, cluster.DemoExam, 0.72); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetValue(ctx, auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college2.ID}, c.ID, 2025, cluster.DemoExam, 0.1); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a member college enters a value: %v", err)
		}
		if _, kpis, _ = svc.KPIs(ctx, college, c.ID, 2025); cluster.ValueOf(kpis, cluster.DemoExam).Value != 0.72 {
			t.Errorf("entered demo exam %+v", cluster.ValueOf(kpis, cluster.DemoExam))
		}
		// The employer sees its cluster; another employer's scope does not.
		if _, err := svc.Cluster(ctx, auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID}, c.ID); err != nil {
			t.Errorf("the anchor employer: %v", err)
		}
		if _, err := svc.Cluster(ctx, auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.school.ID}, c.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an outsider: %v", err)
		}

		// Criteria: weights that do not add up are refused and nothing is written.
		set := cluster.DefaultCriteria(2026)
		set.Criteria[0].Weight += 5
		if err := svc.SaveCriteria(ctx, region, &set); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "сумма весов критериев 105 не равна общему числу баллов 100") {
			t.Errorf("weights of 105: %v", err)
		}
		if _, err := s.Clusters.LatestCriteria(ctx, "41", 2026); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("refused criteria were stored: %v", err)
		}
		if _, err := svc.OpenDefence(ctx, region, 2026); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a defence without criteria: %v", err)
		}
		set = cluster.DefaultCriteria(2026)
		if err := svc.SaveCriteria(ctx, region, &set); err != nil {
			t.Fatal(err)
		}
		set2 := cluster.DefaultCriteria(2026)
		set2.PassScore = 70
		if err := svc.SaveCriteria(ctx, region, &set2); err != nil || set2.Version != 2 {
			t.Fatalf("second version %d, %v", set2.Version, err)
		}

		// The defence: two experts, one assigned.
		var experts []auth.User
		for _, login := range []string{"expert1", "expert2"} {
			u := auth.User{Login: login, Name: "Эксперт " + login, Role: auth.Expert, RegionCode: "41"}
			if err := s.Auth.CreateUser(ctx, &u, "x"); err != nil {
				t.Fatal(err)
			}
			experts = append(experts, u)
		}
		d, err := svc.OpenDefence(ctx, region, 2026)
		if err != nil || d.Criteria.Version != 2 {
			t.Fatalf("defence %+v, %v", d, err)
		}
		if _, err := svc.OpenDefence(ctx, region, 2026); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second defence of the year: %v", err)
		}
		// A cluster created after a defence's year is not defended in it:
		// the cluster of 2024 has no place in the defences of 2023.
		old := cluster.DefaultCriteria(2023)
		if err := svc.SaveCriteria(ctx, region, &old); err != nil {
			t.Fatal(err)
		}
		d23, err := svc.OpenDefence(ctx, region, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetCommission(ctx, region, d23.ID, []int64{experts[0].ID}, []cluster.Assignment{{ClusterID: c.ID, UserID: experts[0].ID}}); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(err.Error(), "создан в 2024 году") {
			t.Errorf("a cluster of 2024 in the defences of 2023: %v", err)
		}
		// The same expert named twice, and the same cluster given twice (a
		// cell ticked beside «на все кластеры»), is one member, one assignment.
		if err := svc.SetCommission(ctx, region, d.ID, []int64{experts[0].ID, experts[1].ID, experts[0].ID},
			[]cluster.Assignment{{ClusterID: c.ID, UserID: experts[0].ID}, {ClusterID: c.ID, UserID: experts[0].ID}}); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.Defence(ctx, region, d.ID); err != nil || len(got.Experts) != 2 || len(got.Assignments) != 1 {
			t.Fatalf("the commission after duplicates: %d experts, %d assignments, %v", len(got.Experts), len(got.Assignments), err)
		}
		ex1 := experts[0].Scope("")
		ex2 := experts[1].Scope("")
		sheet := func(score int) cluster.Sheet {
			sh := cluster.Sheet{ClusterID: c.ID}
			for _, cr := range d.Criteria.Criteria {
				sh.Marks = append(sh.Marks, cluster.Mark{Criterion: cr.Key, Score: score, Comment: "по материалам защиты"})
			}
			return sh
		}
		if err := svc.Score(ctx, ex2, d.ID, sheet(8)); !apperr.Is(err, apperr.Forbidden) || !strings.Contains(apperr.Text(err), "не назначен вам") {
			t.Errorf("an expert scores a cluster not assigned: %v", err)
		}
		if err := svc.Score(ctx, ex1, d.ID, sheet(11)); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "от 0 до 10") {
			t.Errorf("a score out of range: %v", err)
		}
		if n := countMarks(t, s); n != 0 {
			t.Fatalf("refused sheets wrote %d marks", n)
		}
		if _, err := svc.Cluster(ctx, ex1, c.ID); err != nil {
			t.Errorf("the assigned expert reads the cluster: %v", err)
		}
		if _, err := svc.Cluster(ctx, ex2, c.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an expert not assigned reads the cluster: %v", err)
		}
		if err := svc.Sign(ctx, region, d.ID, "Иванов И. И."); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("signing before the scores: %v", err)
		}
		if err := svc.Score(ctx, ex1, d.ID, sheet(8)); err != nil {
			t.Fatal(err)
		}
		p, err := svc.Protocol(ctx, region, d.ID)
		if err != nil || len(p.Results) != 1 || p.Results[0].Score != 80 || p.Results[0].Rank != 1 || !p.Results[0].Passed {
			t.Fatalf("protocol %+v, %v", p.Results, err)
		}
		if err := svc.Sign(ctx, region, d.ID, "Иванов И. И."); err != nil {
			t.Fatal(err)
		}
		// Signed: the score cannot be changed.
		if err := svc.Score(ctx, ex1, d.ID, sheet(2)); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), "подписан") {
			t.Errorf("a change after signing: %v", err)
		}
		marks, _ := s.Clusters.Marks(ctx, d.ID)
		for _, m := range marks {
			if m.Score != 8 {
				t.Errorf("mark %+v changed after signing", m)
			}
		}
		if err := svc.SetCommission(ctx, region, d.ID, nil, nil); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("the commission changed after signing: %v", err)
		}
		signed, _ := svc.Defence(ctx, region, d.ID)
		if signed.Status != cluster.Signed || signed.Chair != "Иванов И. И." || signed.SignedAt.IsZero() {
			t.Errorf("signed defence %+v", signed)
		}
	})
}
