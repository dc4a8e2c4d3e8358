package rollup

import (
	"context"
	"flag"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/kpi"
	"marshrut/internal/risk"
)

// region is a small synthetic region of persons, the Source of its bundle.
type region struct {
	munis, specs []string
	grads        []grad
	pupils       []pupil
	scored       []scoredLearner
}

type grad struct {
	year, muni, spec int
	six              int // 0 at work, 1 unknown, 2 not at work
	twelve           bool
}

type pupil struct {
	muni                                     int
	senior, reached, informed, hours, ticket bool
}

type scoredLearner struct {
	atRisk, withCase, working, open, closed bool
}

var muniNames = []string{"Алеутский муниципальный округ", "Быстринский муниципальный район", "Елизовский муниципальный район",
	"Мильковский муниципальный район", "Усть-Камчатский муниципальный район"}

// randomRegion draws a region of a few municipalities and specialties with
// small groups everywhere: the hard case for protection.
func randomRegion(rng *rand.Rand, year int) *region {
	r := &region{}
	r.munis = muniNames[:2+rng.IntN(3)]
	for i := 0; i < 2+rng.IntN(3); i++ {
		r.specs = append(r.specs, "09.02.0"+strconv.Itoa(i+1))
	}
	for i := 0; i < 10+rng.IntN(40); i++ {
		g := grad{year: year - rng.IntN(2), muni: rng.IntN(len(r.munis)), spec: rng.IntN(len(r.specs))}
		g.six = []int{0, 0, 0, 1, 2}[rng.IntN(5)]
		g.twelve = rng.IntN(3) > 0
		r.grads = append(r.grads, g)
	}
	for i := 0; i < 10+rng.IntN(30); i++ {
		p := pupil{muni: rng.IntN(len(r.munis)), senior: rng.IntN(2) == 0, reached: rng.IntN(4) > 0, hours: rng.IntN(2) == 0, ticket: rng.IntN(3) == 0}
		p.informed = p.senior && rng.IntN(3) > 0
		r.pupils = append(r.pupils, p)
	}
	for i := 0; i < 8+rng.IntN(20); i++ {
		s := scoredLearner{atRisk: rng.IntN(3) == 0, withCase: rng.IntN(2) == 0, working: rng.IntN(2) == 0}
		s.open = s.atRisk && s.withCase && rng.IntN(2) == 0
		s.closed = s.atRisk && s.withCase && !s.open
		r.scored = append(r.scored, s)
	}
	return r
}

// nextMonth is the same region a month on: a few graduates found work, a
// few pupils were reached.
func (r *region) nextMonth(rng *rand.Rand) *region {
	n := &region{munis: r.munis, specs: r.specs, grads: append([]grad(nil), r.grads...), pupils: append([]pupil(nil), r.pupils...), scored: r.scored}
	for k := 0; k < 1+rng.IntN(3); k++ {
		if i := rng.IntN(len(n.grads)); n.grads[i].six == 2 {
			n.grads[i].six = 0
		}
		if i := rng.IntN(len(n.pupils)); !n.pupils[i].reached {
			n.pupils[i].reached = true
		}
	}
	return n
}

func (r *region) Overview(context.Context, auth.Scope) (analytics.Overview, error) {
	return analytics.Overview{Learners: map[string]int{"pupil": len(r.pupils), "student": 40, "graduate": len(r.grads)}}, nil
}

func (r *region) Coverage(_ context.Context, _ auth.Scope, _ guidance.SchoolYear, _ string) ([]guidance.Coverage, guidance.Coverage, error) {
	out := make([]guidance.Coverage, len(r.munis))
	var total guidance.Coverage
	for i, m := range r.munis {
		out[i].Name = m
	}
	for _, p := range r.pupils {
		for _, c := range []*guidance.Coverage{&out[p.muni], &total} {
			c.Pupils++
			c.Reached += b2i(p.reached)
			c.Seniors += b2i(p.senior)
			c.Informed += b2i(p.informed)
			c.HoursMet += b2i(p.hours)
			c.Ticket += b2i(p.ticket)
		}
	}
	return out, total, nil
}

func (r *region) Employment(_ context.Context, _ auth.Scope, by string, years []int) ([]analytics.EmploymentRow, error) {
	rows := map[[2]int]*analytics.EmploymentRow{}
	var order [][2]int
	for _, g := range r.grads {
		k := [2]int{g.year, g.muni}
		name, key := r.munis[g.muni], strconv.Itoa(g.muni)
		if by == "specialty" {
			k[1], name, key = g.spec, r.specs[g.spec], r.specs[g.spec]
		}
		e, ok := rows[k]
		if !ok {
			e = &analytics.EmploymentRow{Key: key, Name: name, Year: g.year}
			rows[k] = e
			order = append(order, k)
		}
		e.Graduates++
		e.Employed6 += b2i(g.six == 0)
		e.Employed12 += b2i(g.twelve)
		e.Retained += b2i(g.six == 0 && g.twelve)
		e.Unknown6 += b2i(g.six == 1)
		e.UnknownThenEmployed += b2i(g.six == 1 && g.twelve)
	}
	var out []analytics.EmploymentRow
	for _, k := range order {
		out = append(out, *rows[k])
	}
	return out, nil
}

func (r *region) RiskFigures(context.Context, auth.Scope, float64) (risk.Figures, error) {
	var f risk.Figures
	for _, s := range r.scored {
		f.Scored++
		if !s.atRisk {
			continue
		}
		f.AtRisk++
		o := &f.WithoutCase
		if s.withCase {
			o = &f.WithCase
		}
		o.Total++
		o.Working += b2i(s.working)
		f.Open += b2i(s.open)
		f.Closed += b2i(s.closed)
	}
	return f, nil
}

func (r *region) RiskThreshold(context.Context, string) (float64, bool, error) { return 0.5, true, nil }

// measures are the region's headline measures as the catalogue counts them.
func (r *region) measures(year int) []kpi.Item {
	g, _ := kpi.Lookup("guidance")
	w, _ := kpi.Lookup("employment6")
	var items []kpi.Item
	it := kpi.Item{Measure: g}
	for _, p := range r.pupils {
		it.Denominator++
		it.Numerator += b2i(p.reached)
	}
	items = append(items, it)
	it = kpi.Item{Measure: w}
	for _, gr := range r.grads {
		if gr.year == year {
			it.Denominator++
			it.Numerator += b2i(gr.six == 0)
			it.Unknown += b2i(gr.six == 1)
		}
	}
	return append(items, it)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// bundleOf builds a region's bundle and keeps the true tables beside it.
func bundleOf(t testing.TB, src Source, now time.Time, items []kpi.Item, secret []byte) (Bundle, []*raw) {
	t.Helper()
	truth, err := gather(context.Background(), src, "41", now, items)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(context.Background(), src, "41", "Камчатский край", now, items, secret)
	if err != nil {
		t.Fatal(err)
	}
	return b, truth
}

var regions = flag.Int("regions", 40, "random small regions the attacker tries")

// TestAttackRandomRegions is the property: in random small regions, over
// two months, the attacker narrows no small count, no small difference
// between a group and its parts, between tables or between months below
// five possible values.
func TestAttackRandomRegions(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	year, _ := analytics.LastYears(now)
	targets := 0
	n := *regions
	if RaceOn && n == 40 {
		n = 12
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		before := randomRegion(rng, year)
		after := before.nextMonth(rng)
		secret := []byte("secret " + strconv.Itoa(int(seed)))
		pb, ptruth := bundleOf(t, before, now.AddDate(0, -1, 0), before.measures(year), secret)
		cb, ctruth := bundleOf(t, after, now, after.measures(year), secret)
		prev, cur := monthOf(ptruth, pb), monthOf(ctruth, cb)
		found, n, err := attackCount(&prev, &cur)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		targets += n
		for _, f := range found {
			t.Errorf("seed %d: %v", seed, f)
		}
	}
	t.Logf("%d regions, %d small counts and differences tried", n, targets)
	if targets < 30*n/10 {
		t.Errorf("only %d small counts and differences tried: the regions are not small enough to test anything", targets)
	}
}
