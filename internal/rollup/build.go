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

// raw is a table's true figures before protection: each row's values (nil
// where a figure does not apply) and the extra count its split needs.
type raw struct {
	table Table
	vals  [][]*int
	extra []int
}

func (r *raw) add(dims []string, extra int, vals ...*int) {
	r.table.Rows = append(r.table.Rows, Row{Dims: dims})
	r.vals = append(r.vals, vals)
	r.extra = append(r.extra, extra)
}

func newRaw(name string) *raw {
	return &raw{table: Table{Name: name, Dims: schema[name].dims, Measures: schema[name].measures}}
}

// Build gathers a region's figures into a bundle protected by the cell-key
// method under the region's secret (Secret of its signing key); measures
// are the region's headline measures from the catalogue, as its pages show
// them.
func Build(ctx context.Context, src Source, region, regionName string, now time.Time, measures []kpi.Item, secret []byte) (Bundle, error) {
	b := Bundle{Format: Format, Version: FormatVersion, ID: NewID(), Region: region, RegionName: regionName,
		Period: now.Format("2006-01"), CreatedAt: now.UTC().Truncate(time.Second), Threshold: Threshold}
	truth, err := gather(ctx, src, region, now, measures)
	if err != nil {
		return b, err
	}
	p := CellKey()
	b.Tables, p.Accuracy = p.publish(secret, truth)
	b.Protection = &p
	return b, b.Check()
}

// gather reads the region's true figures, table by table.
func gather(ctx context.Context, src Source, region string, now time.Time, measures []kpi.Item) ([]*raw, error) {
	sc := auth.SystemScope(region)
	ov, err := src.Overview(ctx, sc)
	if err != nil {
		return nil, err
	}
	learners := newRaw("learners")
	for _, st := range []learner.Status{learner.Pupil, learner.Student, learner.Graduate} {
		learners.add([]string{string(st)}, 0, n(ov.Learners[string(st)]))
	}

	rows, _, err := src.Coverage(ctx, sc, guidance.YearOf(now), "municipality")
	if err != nil {
		return nil, err
	}
	cov := newRaw("guidance")
	for _, c := range rows {
		cov.add([]string{c.Name}, 0, n(c.Pupils), n(c.Reached), n(c.Seniors), n(c.Informed), n(c.HoursMet), n(c.Ticket))
	}

	last, _ := analytics.LastYears(now)
	years := []int{last - 2, last - 1, last}
	employment := func(name, by string) (*raw, error) {
		t := newRaw(name)
		rows, err := src.Employment(ctx, sc, by, years)
		if err != nil {
			return t, err
		}
		for _, r := range rows {
			dim := r.Name
			if by == "specialty" {
				dim = r.Key
			}
			t.add([]string{strconv.Itoa(r.Year), dim}, r.UnknownThenEmployed,
				n(r.Graduates), n(r.Employed6), n(r.Employed12), n(r.Retained), n(r.Unknown6))
		}
		return t, nil
	}
	byMuni, err := employment("employment", "municipality")
	if err != nil {
		return nil, err
	}
	bySpec, err := employment("specialties", "specialty")
	if err != nil {
		return nil, err
	}

	th, ok, err := src.RiskThreshold(ctx, region)
	if err != nil {
		return nil, err
	}
	if !ok {
		th = risk.DefaultThreshold
	}
	f, err := src.RiskFigures(ctx, sc, th)
	if err != nil {
		return nil, err
	}
	warn := newRaw("early_warning")
	warn.add([]string{}, 0, n(f.Scored), n(f.AtRisk), n(f.WithCase.Total), n(f.WithCase.Working),
		n(f.WithoutCase.Total), n(f.WithoutCase.Working), n(f.Open), n(f.Closed))

	return []*raw{learners, cov, byMuni, bySpec, warn, measureTable(measures)}, nil
}

// protect publishes one table on its own, with its accuracy.
func (p Protection) protect(secret []byte, r *raw) (Table, Accuracy) {
	ts, accs := p.publish(secret, []*raw{r})
	return ts[0], accs[0]
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
// and those without a known status (nil where the measure has no status),
// true values, protected with the rest.
func measureTable(items []kpi.Item) *raw {
	t := newRaw("measures")
	for _, it := range items {
		var unknown *int
		if it.Status {
			unknown = n(it.Unknown)
		}
		t.add([]string{it.Code}, 0, n(it.Denominator), n(it.Numerator), unknown)
	}
	return t
}
