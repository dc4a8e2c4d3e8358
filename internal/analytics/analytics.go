// Package analytics computes the region's key figures from the data: counts,
// coverage and employment rates on the level of the region, a municipality or
// an organisation. It reads aggregates only and never returns a person.
package analytics

import (
	"context"
	"time"

	"marshrut/internal/auth"
)

// Overview is the size of the data a scope sees.
type Overview struct {
	Organisations map[string]int // by org kind, the whole region
	Learners      map[string]int // by learner status, within the scope
}

// Cohort is the employment of one graduation year.
type Cohort struct {
	Year      int
	Graduates int
	// Employed6 and Employed12 count graduates employed, self-employed, studying
	// or serving six and twelve months after graduation; Known6 and Known12 those
	// whose status then is known at all.
	Employed6, Known6   int
	Employed12, Known12 int
}

// Dashboard is what the first page shows beside the headline measures
// (package kpi): the size of the data and employment by graduation year.
type Dashboard struct {
	Overview Overview
	Cohorts  []Cohort
	AsOf     time.Time
}

// Service computes dashboards.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service on the given store.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Dashboard computes the headline figures within the caller's scope.
func (s *Service) Dashboard(ctx context.Context, sc auth.Scope) (Dashboard, error) {
	now := s.now()
	if !sc.SeesPersons() {
		// Federal operators and experts see the region's figures, which carry no person.
		sc = auth.SystemScope(sc.RegionCode)
	}
	ov, err := s.store.Overview(ctx, sc)
	if err != nil {
		return Dashboard{}, err
	}
	// The last three cohorts whose six months have passed, and the current one.
	last, _ := LastYears(now)
	years := []int{last - 2, last - 1, last}
	if last < now.Year() {
		years = append(years, now.Year())
	}
	cohorts, err := s.store.Cohorts(ctx, sc, years)
	if err != nil {
		return Dashboard{}, err
	}
	return Dashboard{Overview: ov, Cohorts: cohorts, AsOf: now}, nil
}

// OrgDashboard computes the employment of one college's or university's
// graduates. It is an aggregate: it carries no person, so anyone may see it.
func (s *Service) OrgDashboard(ctx context.Context, region string, orgID int64) (Dashboard, error) {
	return s.Dashboard(ctx, auth.Scope{Role: auth.College, RegionCode: region, OrgID: orgID})
}
