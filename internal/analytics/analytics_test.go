package analytics

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/guidance"
)

type fakeStore struct {
	year  guidance.SchoolYear
	by    string
	years []int
	scope auth.Scope
}

func (f *fakeStore) Overview(_ context.Context, sc auth.Scope) (Overview, error) {
	f.scope = sc
	return Overview{Learners: map[string]int{"pupil": 100, "student": 40}}, nil
}

func (f *fakeStore) Cohorts(_ context.Context, _ auth.Scope, years []int) ([]Cohort, error) {
	f.years = years
	out := make([]Cohort, len(years))
	for i, y := range years {
		out[i] = Cohort{Year: y, Graduates: 100, Employed6: 80 + i}
	}
	return out, nil
}

func (f *fakeStore) Coverage(_ context.Context, _ auth.Scope, year guidance.SchoolYear, by string) ([]guidance.Coverage, guidance.Coverage, error) {
	f.year, f.by = year, by
	return nil, guidance.Coverage{Pupils: 60, Reached: 45, Seniors: 30, Informed: 12}, nil
}

func (f *fakeStore) Employment(context.Context, auth.Scope, string, []int) ([]EmploymentRow, error) {
	return []EmploymentRow{{Key: "1", Name: "Колледж", Year: 2025, Graduates: 10, Employed6: 8}, {Key: "2", Name: "Вуз", Year: 2025, Graduates: 10, Employed6: 9}}, nil
}

func (f *fakeStore) Rating(_ context.Context, _ auth.Scope, by string, year int) ([]RatingRow, error) {
	f.by, f.year = by, guidance.SchoolYear(year)
	return nil, nil
}

func TestEmploymentReport(t *testing.T) {
	f := &fakeStore{}
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	rep, err := NewService(f, func() time.Time { return now }).Employment(context.Background(), auth.Scope{Role: auth.Region, RegionCode: "41"}, "municipality")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Years[2] != 2025 || rep.RatingYear != 2025 || f.by != "org" {
		t.Errorf("years %v, rating year %d by %q", rep.Years, rep.RatingYear, f.by)
	}
	if tot := rep.Total[2]; tot.Graduates != 20 || tot.Employed6 != 17 || tot.Share6() != 0.85 {
		t.Errorf("total %+v", tot)
	}
	if _, err := NewService(f, func() time.Time { return now }).Employment(context.Background(), auth.Scope{}, "planet"); err == nil {
		t.Error("an unknown cut accepted")
	}
}

func TestDashboard(t *testing.T) {
	f := &fakeStore{}
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	if _, err := NewService(f, func() time.Time { return now }).Dashboard(context.Background(), auth.Scope{Role: auth.Region, RegionCode: "41"}); err != nil {
		t.Fatal(err)
	}
	// In November 2026 the 2026 cohort has not reached six months: the figure is 2025's.
	if len(f.years) != 4 || f.years[2] != 2025 || f.years[3] != 2026 {
		t.Errorf("cohorts asked: %v", f.years)
	}
	// A federal operator's figures are the region's, counted without persons.
	NewService(f, func() time.Time { return now }).Dashboard(context.Background(), auth.Scope{Role: auth.Federal, RegionCode: "41"})
	if f.scope.Role != auth.System {
		t.Errorf("federal dashboard counted in scope %s", f.scope.Role)
	}
	// In January the last cohort is the year before last's.
	NewService(f, func() time.Time { return time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC) }).Dashboard(context.Background(), auth.Scope{Role: auth.Region, RegionCode: "41"})
	if f.years[2] != 2025 || len(f.years) != 4 {
		t.Errorf("January cohorts: %v", f.years)
	}
}
