package analytics

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// mentoredStore is the fake store with the counts of mentorship.
type mentoredStore struct {
	fakeStore
	mentored, fullTime int
}

func (m *mentoredStore) MentorshipCoverage(context.Context, auth.Scope) (int, int, error) {
	return m.mentored, m.fullTime, nil
}

func TestMentorshipKPI(t *testing.T) {
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	kpi := func(s Store) KPI {
		d, err := NewService(s, func() time.Time { return now }).Dashboard(context.Background(), auth.Scope{Role: auth.Region, RegionCode: "41"})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range d.KPIs {
			if k.Key == "mentorship" {
				return k
			}
		}
		t.Fatal("no mentorship KPI")
		return KPI{}
	}
	if k := kpi(&fakeStore{}); k.NoData == "" {
		t.Errorf("without counts the figure is not empty: %+v", k)
	}
	if k := kpi(&mentoredStore{fullTime: 40}); k.NoData == "" {
		t.Errorf("without pairs the figure is not empty: %+v", k)
	}
	k := kpi(&mentoredStore{mentored: 27, fullTime: 40})
	if k.NoData != "" || k.Num != 27 || k.Den != 40 || k.Rate() != 0.675 || !k.Met() {
		t.Errorf("coverage %+v", k)
	}
}
