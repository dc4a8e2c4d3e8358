package balance

import (
	"runtime"
	"sort"
	"sync"
	"time"
)

// Compute computes the balance of the input, with the scenario's changes
// when sc is not nil. It checks the scenario first: a change the region
// cannot make (an admission above capacity, a horizon beyond seven years)
// is refused with a Russian message naming it.
func Compute(in Input, sc *Scenario) (Result, error) {
	start := time.Now()
	if sc != nil {
		if err := sc.Check(in); err != nil {
			return Result{}, err
		}
	}
	years := in.Years()
	last := time.Date(in.Now.Year(), in.Now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	res := Result{Years: years, Scenario: sc, LastMonth: last, Computed: in.Now}

	progs := programmes(in)
	res.Rates = estimate(in, progs)
	adm := admissions{}
	decl := declared(in.Needs, years)
	if sc != nil {
		for _, c := range sc.Admissions {
			k := progKey{c.OrgID, c.Specialty}
			adm[k] = append(adm[k], c)
		}
		addNeeds(decl, sc.Needs, years)
	}
	supply := project(in, progs, res.Rates, adm, years)
	repl := replacement(in.Ages, years)
	vac, munis, first := series(in.Vacancies, last)
	if len(in.Vacancies) > 0 {
		res.FirstMonth = monthOf(first)
	}

	keys := map[Key]string{}
	for k := range vac {
		keys[k] = ""
	}
	for k := range repl {
		keys[k] = ""
	}
	for _, a := range in.Ages {
		keys[a.Key] = a.GroupName
	}
	for _, m := range []map[string][]float64{supply, decl} {
		for code := range m {
			sp := in.Specialties[code]
			keys[sp.Key()] = sp.GroupName
		}
	}
	for _, sp := range in.Specialties {
		if name, ok := keys[sp.Key()]; ok && name == "" {
			keys[sp.Key()] = sp.GroupName
		}
	}

	rows := make([]Row, 0, len(keys))
	for k, name := range keys {
		if k.Group == "" {
			continue
		}
		rows = append(rows, Row{Key: k, GroupName: name, Municipalities: munis[k]})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Key.Group != rows[j].Key.Group {
			return rows[i].Key.Group < rows[j].Key.Group
		}
		return rows[i].Key.Level > rows[j].Key.Level // СПО before ВО
	})
	flows := forecastAll(rows, vac, first, years)

	bySpecKey := map[Key][]string{}
	for code := range in.Specialties {
		sp := in.Specialties[code]
		if supply[code] != nil || decl[code] != nil {
			bySpecKey[sp.Key()] = append(bySpecKey[sp.Key()], code)
		}
	}
	targeted := map[string]map[int]float64{}
	for _, c := range in.Contracted {
		if targeted[c.Specialty] == nil {
			targeted[c.Specialty] = map[int]float64{}
		}
		targeted[c.Specialty][c.GraduationYear] += float64(c.Count)
	}
	students := map[string]int{}
	for _, p := range progs {
		students[p.Specialty.Code] += p.Students
	}
	progsOf := map[Key][]*Programme{}
	for _, p := range progs {
		progsOf[p.Specialty.Key()] = append(progsOf[p.Specialty.Key()], p)
	}
	for i := range rows {
		r := &rows[i]
		codes := bySpecKey[r.Key]
		sort.Strings(codes)
		r.Cells = make([]Cell, len(years))
		for yi, y := range years {
			c := Cell{Year: y, Vacancies: flows[i][yi]}
			for _, code := range codes {
				c.Declared += at(decl[code], yi)
				c.Supply += at(supply[code], yi)
				c.Targeted += targeted[code][y]
			}
			c.Replacement = at(repl[r.Key], yi)
			c.Demand = c.Vacancies.shift(c.Declared + c.Replacement)
			// Graduates under targeted contracts are demand the employers
			// have signed for: demand is at least their number.
			if c.Targeted > c.Demand.Mean {
				c.Contracted = c.Targeted - c.Demand.Mean
			}
			c.Demand = c.Demand.atLeast(c.Targeted)
			c.Gap = c.Supply - c.Demand.Mean
			c.GapLo80, c.GapHi80 = c.Supply-c.Demand.Hi80, c.Supply-c.Demand.Lo80
			r.Cells[yi] = c
		}
		for _, code := range codes {
			sp := in.Specialties[code]
			ss := SpecialtySupply{Specialty: sp, Students: students[code], Supply: fill(supply[code], len(years)), Declared: fill(decl[code], len(years)),
				Survival: res.Rates.Specialty[code].Survival(1, sp.Years)}
			r.Students += ss.Students
			r.Specialties = append(r.Specialties, ss)
		}
		ps := progsOf[r.Key]
		sort.Slice(ps, func(a, b int) bool {
			if ps[a].OrgName != ps[b].OrgName {
				return ps[a].OrgName < ps[b].OrgName
			}
			return ps[a].Specialty.Code < ps[b].Specialty.Code
		})
		props, plans := propose(in, *r, ps, adm)
		res.Proposals = append(res.Proposals, props...)
		res.Plans = append(res.Plans, plans...)
	}
	res.Rows = rows
	res.Totals = Totals(rows, years)
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// atLeast raises every bound below x to x.
func (b Interval) atLeast(x float64) Interval {
	return Interval{max(b.Mean, x), max(b.Lo80, x), max(b.Hi80, x), max(b.Lo95, x), max(b.Hi95, x)}
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

func fill(v []float64, n int) []float64 {
	if v == nil {
		return make([]float64, n)
	}
	return v
}

// forecastAll forecasts the vacancy flow of every row, a few at a time.
func forecastAll(rows []Row, vac map[Key][]float64, first int, years []int) [][]Interval {
	out := make([][]Interval, len(rows))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(1, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r := &rows[i]
				y := vac[r.Key]
				if y == nil {
					out[i] = make([]Interval, len(years))
					r.Note = "вакансий этой группы в истории нет: спрос по вакансиям принят равным нулю"
					continue
				}
				out[i] = vacancyForecast(r, y, first, years)
			}
		}()
	}
	for i := range rows {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// Programmes lists the programmes of a row with their admissions, for the
// tables of capacity and proposals.
func Programmes(in Input) []Programme {
	progs := programmes(in)
	rates := estimate(in, progs)
	out := make([]Programme, 0, len(progs))
	for _, p := range progs {
		p.Survival = rates.Specialty[p.Specialty.Code].Survival(1, p.Years)
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].OrgName != out[j].OrgName {
			return out[i].OrgName < out[j].OrgName
		}
		return out[i].Specialty.Code < out[j].Specialty.Code
	})
	return out
}
