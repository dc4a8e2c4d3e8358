package rollup

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"marshrut/internal/kpi"
	"strconv"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
)

// Source is where a region's figures come from; every call is made with the
// region's system scope and returns aggregates only.
type Source interface {
	Overview(ctx context.Context, sc auth.Scope) (analytics.Overview, error)
	Coverage(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, by string) ([]guidance.Coverage, guidance.Coverage, error)
	Employment(ctx context.Context, sc auth.Scope, by string, years []int) ([]analytics.EmploymentRow, error)
	RiskFigures(ctx context.Context, sc auth.Scope, threshold float64) (risk.Figures, error)
	RiskThreshold(ctx context.Context, region string) (float64, bool, error)
}

func n(v int) *int { return &v }

// Build gathers a region's figures into a bundle, every small count
// suppressed; measures are the region's headline measures from the
// catalogue, as its pages show them.
func Build(ctx context.Context, src Source, region, regionName string, now time.Time, measures []kpi.Item) (Bundle, error) {
	sc := auth.SystemScope(region)
	b := Bundle{Format: Format, Version: FormatVersion, ID: NewID(), Region: region, RegionName: regionName,
		Period: now.Format("2006-01"), CreatedAt: now.UTC().Truncate(time.Second), Threshold: Threshold}

	ov, err := src.Overview(ctx, sc)
	if err != nil {
		return b, err
	}
	learners := Table{Name: "learners", Dims: schema["learners"].dims, Measures: schema["learners"].measures}
	for _, st := range []learner.Status{learner.Pupil, learner.Student, learner.Graduate} {
		learners.Rows = append(learners.Rows, Row{Dims: []string{string(st)}, Values: []*int{n(ov.Learners[string(st)])}})
	}

	rows, _, err := src.Coverage(ctx, sc, guidance.YearOf(now), "municipality")
	if err != nil {
		return b, err
	}
	cov := Table{Name: "guidance", Dims: schema["guidance"].dims, Measures: schema["guidance"].measures}
	for _, c := range rows {
		cov.Rows = append(cov.Rows, Row{Dims: []string{c.Name}, Values: []*int{n(c.Pupils), n(c.Reached), n(c.Seniors), n(c.Informed), n(c.HoursMet), n(c.Ticket)}})
	}

	last, _ := analytics.LastYears(now)
	years := []int{last - 2, last - 1, last}
	employment := func(name, by string) (Table, error) {
		t := Table{Name: name, Dims: schema[name].dims, Measures: schema[name].measures}
		rows, err := src.Employment(ctx, sc, by, years)
		if err != nil {
			return t, err
		}
		for _, r := range rows {
			dim := r.Name
			if by == "specialty" {
				dim = r.Key
			}
			t.Rows = append(t.Rows, Row{Dims: []string{strconv.Itoa(r.Year), dim},
				Values: []*int{n(r.Graduates), n(r.Employed6), n(r.Employed12), n(r.Retained), n(r.Unknown6)}})
		}
		return t, nil
	}
	byMuni, err := employment("employment", "municipality")
	if err != nil {
		return b, err
	}
	bySpec, err := employment("specialties", "specialty")
	if err != nil {
		return b, err
	}

	th, ok, err := src.RiskThreshold(ctx, region)
	if err != nil {
		return b, err
	}
	if !ok {
		th = risk.DefaultThreshold
	}
	f, err := src.RiskFigures(ctx, sc, th)
	if err != nil {
		return b, err
	}
	warn := Table{Name: "early_warning", Dims: schema["early_warning"].dims, Measures: schema["early_warning"].measures,
		Rows: []Row{{Dims: []string{}, Values: []*int{n(f.Scored), n(f.AtRisk), n(f.WithCase.Total), n(f.WithCase.Working),
			n(f.WithoutCase.Total), n(f.WithoutCase.Working), n(f.Open), n(f.Closed)}}}}

	kt := measureTable(measures)

	b.Tables = []Table{learners, cov, byMuni, bySpec, warn, kt}
	for i := range b.Tables {
		b.Tables[i].Suppress(b.Threshold)
	}
	return b, b.Check()
}

// GenerateKey returns a new region key as PEM (PKCS #8) and its public key.
func GenerateKey() ([]byte, ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), pub, nil
}

// ParsePrivateKey reads a region key written by GenerateKey.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, apperr.New(apperr.Invalid, "файл ключа не в формате PEM (PRIVATE KEY): создайте ключ командой marshrut rollup keygen")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "ключ не читается: %v", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, apperr.New(apperr.Invalid, "ключ не ed25519: создайте ключ командой marshrut rollup keygen")
	}
	return priv, nil
}

// measureTable is the region's headline measures: denominator, numerator
// and those without a known status. A numerator that leaves fewer than
// Threshold persons outside it is blanked, so that no small count follows by
// subtraction.
func measureTable(items []kpi.Item) Table {
	t := Table{Name: "measures", Dims: schema["measures"].dims, Measures: schema["measures"].measures}
	for _, it := range items {
		unknown := n(it.Unknown)
		if !it.Status {
			unknown = nil
		}
		num := n(it.Numerator)
		if gap := it.Denominator - it.Numerator; gap > 0 && gap < Threshold {
			num = nil
		}
		t.Rows = append(t.Rows, Row{Dims: []string{it.Code}, Values: []*int{n(it.Denominator), num, unknown}})
	}
	return t
}
