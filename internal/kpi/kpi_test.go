package kpi

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

func TestParseScope(t *testing.T) {
	for in, want := range map[string]Scope{
		"": {}, "region": {Kind: "region"}, "centre": {Kind: "centre"},
		"municipality:7": {Kind: "municipality", ID: 7}, "org:115": {Kind: "organisation", ID: 115},
	} {
		got, err := ParseScope(in)
		if err != nil || got != want {
			t.Errorf("ParseScope(%q) = %+v, %v", in, got, err)
		}
		if in != "" && got.String() != strings.Replace(in, "organisation", "org", 1) {
			t.Errorf("%q written back as %q", in, got.String())
		}
	}
	for _, bad := range []string{"org:", "org:-1", "municipality:abc", "school:3", "region:1", "org:1;drop"} {
		if _, err := ParseScope(bad); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), "не распознана") {
			t.Errorf("ParseScope(%q): %v", bad, err)
		}
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Catalogue {
		if seen[m.Code] {
			t.Errorf("code %s twice", m.Code)
		}
		seen[m.Code] = true
		if m.Name == "" || m.Definition == "" || m.Numerator == "" || m.Denominator == "" || m.CountedOn == "" || m.Source == "" {
			t.Errorf("%s is not fully defined", m.Code)
		}
		if m.Twin != "" {
			if tw, ok := Lookup(m.Twin); !ok || tw.Twin != m.Code {
				t.Errorf("%s and its twin %s do not name each other", m.Code, m.Twin)
			}
		}
	}
	// The pilot's defaults: full coverage and informing, at least 85 % at work.
	for code, want := range map[string]float64{"guidance": 1, "informed": 1, "employment6": 0.85} {
		if m, _ := Lookup(code); m.Default != want {
			t.Errorf("%s default %v, want %v", code, m.Default, want)
		}
	}
	f := analytics.Figures{Graduates: 100, Working: 85, Unknown6: 7, DemandNeed: 10, DemandClosed: 4}
	target := 0.85
	items := Evaluate(f, false, map[string]Target{"employment6": {Code: "employment6", Value: &target}})
	for _, it := range items {
		if it.Region {
			t.Errorf("a region-wide measure %s at a lower level", it.Code)
		}
		if it.Code == "employment6" && (it.Numerator != 85 || it.Denominator != 100 || it.Unknown != 7 || !it.Met() || it.Below()) {
			t.Errorf("employment six months on: %+v", it)
		}
		if it.Code == "guidance" {
			if _, ok := it.Value(); ok || it.Met() || it.Below() || !strings.Contains(it.Empty(), "школьники") {
				t.Errorf("a measure with nobody to count: %+v %q", it, it.Empty())
			}
		}
	}
	if got := Evaluate(f, true, nil); len(got) != len(Catalogue) {
		t.Errorf("the region has %d of %d measures", len(got), len(Catalogue))
	}
}

// memTargets keeps targets in memory.
type memTargets struct{ rows []Target }

func (m *memTargets) Targets(_ context.Context, _ string, year int) ([]Target, error) {
	last := map[string]Target{}
	for _, t := range m.rows {
		if t.Year == year {
			last[t.Code] = t
		}
	}
	var out []Target
	for _, t := range last {
		out = append(out, t)
	}
	return out, nil
}

func (m *memTargets) TargetHistory(_ context.Context, _, code string) ([]Target, error) {
	var out []Target
	for _, t := range m.rows {
		if t.Code == code {
			out = append([]Target{t}, out...)
		}
	}
	return out, nil
}

func (m *memTargets) AddTarget(_ context.Context, _ string, t *Target) error {
	t.ID = int64(len(m.rows) + 1)
	m.rows = append(m.rows, *t)
	return nil
}

func TestSetTarget(t *testing.T) {
	ctx := context.Background()
	st := &memTargets{}
	now := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	s := NewService(nil, st, func() time.Time { return now }, time.UTC)
	region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 3}
	pct := func(v float64) *float64 { return &v }
	if err := s.SetTarget(ctx, auth.Scope{Role: auth.College, RegionCode: "41"}, "employment6", 2026, pct(90), ""); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("a college sets the region's target: %v", err)
	}
	for _, bad := range []struct {
		code  string
		year  int
		value *float64
		field string
	}{
		{"salary", 2026, pct(50), "code"},
		{"employment6", 1999, pct(50), "year"},
		{"employment6", 2026, pct(120), "value"},
		{"employment6", 2026, pct(-1), "value"},
	} {
		if err := s.SetTarget(ctx, region, bad.code, bad.year, bad.value, ""); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), bad.field) {
			t.Errorf("SetTarget(%s, %d): %v", bad.code, bad.year, err)
		}
	}
	if len(st.rows) != 0 {
		t.Fatalf("a refused target was kept: %+v", st.rows)
	}
	if err := s.SetTarget(ctx, region, "employment6", 2026, pct(87.5), "соглашение"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTarget(ctx, region, "mentorship", 2026, nil, "цели нет"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Targets(ctx, "41", 2026)
	if err != nil {
		t.Fatal(err)
	}
	if v := got["employment6"].Value; v == nil || *v != 0.875 || got["employment6"].SetBy != 3 {
		t.Errorf("the region's target: %+v", got["employment6"])
	}
	if got["mentorship"].Value != nil {
		t.Errorf("«no target» kept as %v", *got["mentorship"].Value)
	}
	if v := got["guidance"].Value; v == nil || *v != 1 || got["guidance"].SetByName != "по умолчанию (пилот)" {
		t.Errorf("the pilot's default: %+v", got["guidance"])
	}
	if _, err := s.TargetHistory(ctx, region, "nothing"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("history of an unknown measure: %v", err)
	}
}
