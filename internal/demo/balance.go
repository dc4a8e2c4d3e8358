package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"marshrut/internal/balance"
	"marshrut/internal/classifier"
	"marshrut/internal/org"
	"marshrut/internal/vacancy"
)

// BalanceLoader writes what the workforce balance needs beyond people and
// vacancies: capacities and plans of admission, employers' declared needs
// and the age structure of the employed; store.Loader is one.
type BalanceLoader interface {
	Balance(region string, caps []balance.Capacity, needs []balance.Need, ages []balance.Age) error
}

// historyMonths is how far the vacancy history reaches before the four
// months of the open vacancies: with them, five years by month.
const historyMonths = 56

// historyFactor makes the history lighter to store: one closed vacancy of
// the history stands for this many months of its employer's postings and
// carries their work places, so the monthly work places, which the balance
// counts, run on from the open vacancies without a step.
const historyFactor = 3

// historyStream is the random stream of the history and of the balance's
// data, apart from the people's and the open vacancies'.
const historyStream = 0xbb67ae8584caa73b

// balance writes the vacancy history, capacities, declared needs and the
// age structure of the region, when the loader takes them.
func (g *gen) balance() error {
	bl, ok := g.load.(BalanceLoader)
	if !ok {
		return nil
	}
	rng := rand.New(rand.NewPCG(g.opt.Seed, g.opt.Seed^historyStream))
	if vl, ok := g.load.(VacancyLoader); ok {
		n, err := g.vacancyHistory(vl, rng)
		if err != nil {
			return err
		}
		g.sum.VacancyHistory = n
	}
	caps := g.capacities(rng)
	needs := g.needs(rng)
	ages := g.ages(rng)
	g.sum.Capacities, g.sum.Needs = len(caps), len(needs)
	g.progress("баланс кадров", 1, 1)
	return bl.Balance(g.opt.Region, caps, needs, ages)
}

// growth draws each branch's yearly growth of hiring: most grow a little,
// fishing and tourism faster, a few shrink.
func growth(rng *rand.Rand) map[string]float64 {
	out := map[string]float64{}
	for _, s := range sectors {
		x := -0.03 + 0.09*rng.Float64()
		switch s.okved {
		case "03.11", "10.20", "79.90", "55.10", "86.10":
			x += 0.03
		}
		out[s.okved] = x
	}
	return out
}

// season is the share of a month in the hiring of a branch: seasonal
// branches hire for the salmon run in early summer, the rest a little more
// in spring.
func season(seasonal bool, m time.Month) float64 {
	phase := 2 * math.Pi * float64(m-6) / 12
	if seasonal {
		return 1 + 0.6*math.Cos(phase)
	}
	return 1 + 0.15*math.Cos(phase+math.Pi/2)
}

// vacancyHistory writes closed vacancies published month by month over the
// history, each branch growing at its own rate towards today's level.
func (g *gen) vacancyHistory(vl VacancyLoader, rng *rand.Rand) (int, error) {
	b, err := classifier.LoadBuiltin()
	if err != nil {
		return 0, err
	}
	m, err := vacancy.NewMatcher(b.Specialties)
	if err != nil {
		return 0, err
	}
	vg := &vacancyGen{opt: g.opt, rng: rng, remote: map[string]bool{}}
	for _, ms := range kamchatka {
		for _, v := range ms.villages {
			vg.remote[v] = ms.remote
		}
	}
	orgs := make([]org.Organisation, 0, len(g.employers)+len(g.edu))
	for _, e := range g.employers {
		orgs = append(orgs, e.Organisation)
	}
	for _, e := range g.edu {
		orgs = append(orgs, e.Organisation)
	}
	grow := growth(rng)
	links := map[string][]vacancy.Link{}
	start := time.Date(g.opt.Now.Year(), g.opt.Now.Month(), 1, 0, 0, 0, 0, kamchatkaTime).AddDate(0, -4-historyMonths, 0)
	var batch []vacancy.Item
	n := 0
	for k := 0; k < historyMonths; k++ {
		month := start.AddDate(0, k, 0)
		back := float64(historyMonths+4-k) / 12
		for _, e := range orgs {
			br, known := branches[e.OKVED]
			if !known {
				br = fallback
			}
			p := math.Pow(1+grow[e.OKVED], -back) * season(br.seasonal, month.Month()) / (4 * historyFactor)
			if rng.Float64() >= p {
				continue
			}
			for _, v := range vg.employer(e) {
				v.CreatedAt = month.AddDate(0, 0, rng.IntN(28)).Add(time.Duration(8+rng.IntN(10)) * time.Hour)
				v.ModifiedAt = v.CreatedAt.AddDate(0, 0, 7+rng.IntN(40))
				v.Closed = true
				v.WorkPlaces *= historyFactor
				batch = append(batch, vacancy.Item{Vacancy: v, Links: linksOf(m, links, v)})
				n++
			}
		}
		if len(batch) >= batchSize/10 || k == historyMonths-1 {
			if _, err := vl.UpsertVacancies(batch); err != nil {
				return n, fmt.Errorf("demo: vacancy history: %w", err)
			}
			batch = batch[:0]
		}
		g.progress("история вакансий", k+1, historyMonths)
	}
	return n, nil
}

// linksOf links a vacancy to specialties; a position's links are computed
// once and copied, since they depend on its title, sphere and education only.
func linksOf(m *vacancy.Matcher, cache map[string][]vacancy.Link, v vacancy.Vacancy) []vacancy.Link {
	key := v.Title + "|" + v.Specialisation + "|" + string(v.Education) + "|" + v.Requirements
	ls, ok := cache[key]
	if !ok {
		ls = m.Links(v)
		cache[key] = ls
	}
	out := make([]vacancy.Link, len(ls))
	for i, l := range ls {
		l.VacancyID = v.ID
		out[i] = l
	}
	return out
}

// capacities gives every programme of the region's colleges and
// universities a capacity above its admission and a plan near it.
func (g *gen) capacities(rng *rand.Rand) []balance.Capacity {
	var out []balance.Capacity
	for _, e := range g.edu {
		for _, spec := range e.specialties {
			est := e.admit[spec]
			c := balance.Capacity{OrgID: e.ID, OrgName: e.ShortName, Specialty: spec, UpdatedAt: g.opt.Now,
				Capacity: max(5, int(math.Ceil(est*(1.15+0.45*rng.Float64()))))}
			c.Plan = min(c.Capacity, max(1, int(math.Round(est*(0.95+0.1*rng.Float64())))))
			out = append(out, c)
		}
	}
	return out
}

// needs has a quarter of the employers declare their needs for one, three,
// five and seven years in one or two specialties of their branch that the
// region teaches, growing with the years.
func (g *gen) needs(rng *rand.Rand) []balance.Need {
	taught := map[string][]string{} // group prefix → specialties taught
	for _, spec := range SpecialtyCodes() {
		if !slices.Contains(taught[spec[:2]], spec) {
			taught[spec[:2]] = append(taught[spec[:2]], spec)
		}
	}
	var out []balance.Need
	for _, e := range g.employers {
		if rng.Float64() >= 0.25 {
			continue
		}
		// Only specialties the employer's branch hires and the region teaches.
		var specs []string
		for _, sp := range e.sector.specs {
			if slices.Contains(taught[sp[:2]], sp) {
				specs = append(specs, sp)
			}
		}
		seen := map[string]bool{}
		for k := 0; k < 1+rng.IntN(2) && len(specs) > 0; k++ {
			spec := specs[rng.IntN(len(specs))]
			if seen[spec] {
				continue
			}
			seen[spec] = true
			first := 1 + rng.IntN(4)
			rise := 0.15 * rng.Float64()
			for _, h := range balance.Horizons {
				out = append(out, balance.Need{EmployerID: e.ID, Specialty: spec, BaseYear: g.opt.Now.Year(), Horizon: h,
					Count: max(1, int(math.Round(float64(first)*(1+rise*float64(h-1))))), Source: "import", UpdatedAt: g.opt.Now})
			}
		}
	}
	return out
}

// ages draws the age structure of the employed in each group the region
// teaches, as of last year: older in energy, the fleet and medicine.
func (g *gen) ages(rng *rand.Rand) []balance.Age {
	b, err := classifier.LoadBuiltin()
	if err != nil {
		return nil
	}
	names := map[string]string{}
	levels := map[balance.Key]bool{}
	for _, sp := range b.Specialties {
		names[sp.GroupCode] = sp.GroupName
	}
	for _, sp := range b.Specialties {
		if slices.Contains(SpecialtyCodes(), sp.Code) {
			levels[balance.Key{Group: sp.GroupCode, Level: balance.LevelOf(string(sp.Level))}] = true
		}
	}
	keys := make([]balance.Key, 0, len(levels))
	for k := range levels {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b balance.Key) int {
		if a.Group != b.Group {
			if a.Group < b.Group {
				return -1
			}
			return 1
		}
		if a.Level < b.Level {
			return -1
		}
		return 1
	})
	shares := []float64{0.18, 0.35, 0.22, 0.12, 0.13}
	var out []balance.Age
	for _, k := range keys {
		total := 250 + 750*rng.Float64()
		if k.Level == balance.Higher {
			total *= 0.6
		}
		older := 0.0
		switch k.Group[:2] {
		case "13", "26", "31", "44":
			older = 0.05
		}
		for i, band := range balance.Bands {
			s := shares[i] * (0.85 + 0.3*rng.Float64())
			switch band {
			case balance.Under30:
				s -= older
			case balance.Over60, balance.From55:
				s += older / 2
			}
			out = append(out, balance.Age{Key: k, GroupName: names[k.Group], Band: band, Year: g.opt.Now.Year() - 1,
				Employed: int(math.Round(total * math.Max(0.02, s))), UpdatedAt: g.opt.Now})
		}
	}
	return out
}
