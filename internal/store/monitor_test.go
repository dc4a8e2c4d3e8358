package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/demo"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// TestMonitoring checks the monitoring arithmetic on a demo region on both
// engines: the region is the sum of its municipalities and a municipality
// the sum of its organisations; the figures agree with the dashboard's own
// queries; each caller reaches only their levels.
func TestMonitoring(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		if err := s.Load(ctx, func(l *Loader) error {
			_, err := demo.Generate(ctx, l, demo.Options{Seed: 7, Learners: 6000, Region: "41", Now: now})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		m := analytics.NewMonitor(s.Analytics, func() time.Time { return now })
		region := auth.Scope{Role: auth.Region, RegionCode: "41"}
		v, err := m.View(ctx, region, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if v.Level.Kind != "region" || len(v.Children) < 5 {
			t.Fatalf("region view %+v", v.Level)
		}
		var sum analytics.Figures
		for _, c := range v.Children {
			sum.Add(c.Figures)
		}
		if sum != v.Figures {
			t.Errorf("municipalities add up to %+v, the region is %+v", sum, v.Figures)
		}
		// The same counts as the dashboard's queries.
		_, cov, err := s.Guidance.Coverage(ctx, auth.SystemScope("41"), 2026, "")
		if err != nil {
			t.Fatal(err)
		}
		if cov.Pupils != v.Figures.Pupils || cov.Reached != v.Figures.Reached || cov.Informed != v.Figures.Informed {
			t.Errorf("guidance %+v against coverage %+v", v.Figures, cov)
		}
		cohorts, err := s.Analytics.Cohorts(ctx, auth.SystemScope("41"), []int{v.Year})
		if err != nil {
			t.Fatal(err)
		}
		if cohorts[0].Graduates != v.Figures.Graduates || cohorts[0].Employed6 != v.Figures.Working || v.Figures.Graduates == 0 {
			t.Errorf("employment %d of %d against cohort %+v", v.Figures.Working, v.Figures.Graduates, cohorts[0])
		}
		_, students, err := s.Learners.Learners(ctx, auth.SystemScope("41"), learner.Filter{Status: learner.Student, Limit: 1})
		if err != nil || students != v.Figures.Students {
			t.Errorf("students %d, the list has %d (%v)", v.Figures.Students, students, err)
		}
		if len(v.Funnels) < 3 || v.Funnels[0].Admitted == 0 {
			t.Errorf("funnels %+v", v.Funnels)
		}
		for _, f := range v.Funnels {
			if f.Year > v.Year && f.Working6 != 0 || f.Guided > f.FromSchool || f.Graduated > f.Admitted {
				t.Errorf("funnel of %d is not a funnel: %+v", f.Year, f)
			}
		}

		// A municipality is the sum of its organisations.
		muni := v.Children[0]
		for _, c := range v.Children {
			if c.Figures.Students > muni.Figures.Students {
				muni = c
			}
		}
		mv, err := m.View(ctx, region, "municipality", muni.Level.ID)
		if err != nil {
			t.Fatal(err)
		}
		var orgs analytics.Figures
		for _, c := range mv.Children {
			orgs.Add(c.Figures)
		}
		if orgs != mv.Figures || mv.Figures != muni.Figures || mv.Level.Up == nil {
			t.Errorf("municipality %+v, its organisations %+v, its row %+v", mv.Figures, orgs, muni.Figures)
		}

		// A college sees its own organisation, not the region or another one.
		colleges, _, err := s.Orgs.Organisations(ctx, org.Filter{Kind: org.College, Limit: 2})
		if err != nil || len(colleges) < 2 {
			t.Fatal(err)
		}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: colleges[0].ID}
		own, err := m.View(ctx, college, "", 0)
		if err != nil || own.Level.Kind != "organisation" || own.Level.ID != colleges[0].ID || !own.Persons {
			t.Errorf("college's own view %+v, %v", own.Level, err)
		}
		if _, err := m.View(ctx, college, "region", 0); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("college sees the region: %v", err)
		}
		if _, err := m.View(ctx, college, "organisation", colleges[1].ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("college sees another college: %v", err)
		}
		// The federal operator sees the figures of the region but no list of persons.
		fed, err := m.View(ctx, auth.Scope{Role: auth.Federal, RegionCode: "41"}, "organisation", colleges[0].ID)
		if err != nil || fed.Persons {
			t.Errorf("federal view of a college: persons %v, %v", fed.Persons, err)
		}
		if _, err := m.View(ctx, auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: 1}, "", 0); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a learner sees monitoring: %v", err)
		}
	})
}
