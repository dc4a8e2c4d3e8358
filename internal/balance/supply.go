package balance

import (
	"sort"
)

// Rate is how students of a specialty move on: Progression[c-1] is the share
// of course c that reaches course c+1, Graduation the share of the final
// course that graduates. They are estimated from the data as the cohort-
// survival method does: the ratio of a course to the one below it now, and
// of the mean graduation of the last three years to the final course now.
type Rate struct {
	Progression []float64
	Graduation  float64
	Base        int    // the students the rates rest on
	From        string // where the rates come from: specialty, group, level, default
}

// Survival is the share of students of course c of a programme of the given
// length expected to graduate.
func (r Rate) Survival(course, years int) float64 {
	s := r.Graduation
	for c := max(course, 1); c < years; c++ {
		if c-1 < len(r.Progression) {
			s *= r.Progression[c-1]
		} else if len(r.Progression) > 0 {
			s *= r.Progression[len(r.Progression)-1]
		}
	}
	return s
}

// Rates are the rates by specialty and, pooled, by level.
type Rates struct {
	Specialty map[string]Rate
	Level     map[Level]Rate
}

// minBase is the fewest students a rate is estimated from; with fewer the
// rate of the wider pool is taken.
const minBase = 30

// Rates are clipped to this range: a course larger than the one below it
// (transfers, returns from leave) does not make more graduates than students.
const minRate, maxRate = 0.3, 1.0

// defaultRate is taken when a level has no history at all.
var defaultRate = Rate{Progression: []float64{0.92, 0.95, 0.97, 0.98}, Graduation: 0.95, From: "default"}

// Programme is what an organisation teaches: a specialty with its students,
// its length, its capacity and its admission.
type Programme struct {
	OrgID     int64
	OrgName   string
	Specialty Specialty
	Years     int // the length of study: the highest course with students, else the classifier's
	Students  int
	ByCourse  map[int]int
	Capacity  int // 0: not known
	Plan      int // the organisation's plan of admission, 0: none
	Admission int // the admission a year taken in the projection: the plan, else this year's first course
	Survival  float64
}

type progKey struct {
	org  int64
	spec string
}

// programmes gathers the programmes from the students and the capacities.
func programmes(in Input) map[progKey]*Programme {
	out := map[progKey]*Programme{}
	get := func(org int64, spec string) *Programme {
		k := progKey{org, spec}
		p := out[k]
		if p == nil {
			sp := in.Specialties[spec]
			p = &Programme{OrgID: org, OrgName: in.Orgs[org], Specialty: sp, ByCourse: map[int]int{}}
			out[k] = p
		}
		return p
	}
	for _, e := range in.Enrolment {
		if _, ok := in.Specialties[e.Specialty]; !ok || e.Count <= 0 {
			continue
		}
		p := get(e.OrgID, e.Specialty)
		p.Students += e.Count
		p.ByCourse[e.Course] += e.Count
		p.Years = max(p.Years, e.Course)
	}
	for _, c := range in.Capacity {
		if _, ok := in.Specialties[c.Specialty]; !ok {
			continue
		}
		p := get(c.OrgID, c.Specialty)
		p.Capacity, p.Plan = c.Capacity, c.Plan
		if c.OrgName != "" {
			p.OrgName = c.OrgName
		}
	}
	for _, p := range out {
		if p.Years == 0 {
			p.Years = p.Specialty.Years
		}
		p.Admission = p.ByCourse[1]
		if p.Plan > 0 {
			p.Admission = p.Plan
		}
	}
	return out
}

// pool sums what rates are estimated from.
type pool struct {
	num, den []float64 // by course: students of c+1 and of c
	grad     float64   // mean yearly graduates
	final    float64   // students of the final course
}

func (p *pool) add(q *pool) {
	for len(p.num) < len(q.num) {
		p.num, p.den = append(p.num, 0), append(p.den, 0)
	}
	for i := range q.num {
		p.num[i] += q.num[i]
		p.den[i] += q.den[i]
	}
	p.grad += q.grad
	p.final += q.final
}

func (p *pool) base() int {
	b := p.final
	for _, d := range p.den {
		b += d
	}
	return int(b)
}

// rate turns a pool into rates, nil when it rests on too few students.
func (p *pool) rate(from string) (Rate, bool) {
	if p.base() < minBase || p.final < 1 {
		return Rate{}, false
	}
	r := Rate{Base: p.base(), From: from, Graduation: clip(p.grad / p.final)}
	for i := range p.num {
		if p.den[i] < 1 {
			break
		}
		r.Progression = append(r.Progression, clip(p.num[i]/p.den[i]))
	}
	return r, true
}

func clip(x float64) float64 { return min(maxRate, max(minRate, x)) }

// estimate computes the rates by specialty, falling back to the group at the
// level, then to the level, then to defaultRate.
func estimate(in Input, progs map[progKey]*Programme) Rates {
	recent := map[progKey][]int{}
	for _, g := range in.Graduated {
		if g.Year <= in.SchoolYear && g.Year > in.SchoolYear-3 {
			k := progKey{g.OrgID, g.Specialty}
			recent[k] = append(recent[k], g.Count)
		}
	}
	bySpec, byKey, byLevel := map[string]*pool{}, map[Key]*pool{}, map[Level]*pool{}
	for k, p := range progs {
		if p.Students == 0 {
			continue
		}
		q := &pool{}
		for c := 1; c < p.Years; c++ {
			q.num, q.den = append(q.num, float64(p.ByCourse[c+1])), append(q.den, float64(p.ByCourse[c]))
		}
		if gs := recent[k]; len(gs) > 0 && p.ByCourse[p.Years] > 0 {
			sum := 0
			for _, n := range gs {
				sum += n
			}
			q.grad, q.final = float64(sum)/float64(len(gs)), float64(p.ByCourse[p.Years])
		}
		for _, add := range []func() *pool{
			func() *pool { return poolOf(bySpec, p.Specialty.Code) },
			func() *pool { return poolOf(byKey, p.Specialty.Key()) },
			func() *pool { return poolOf(byLevel, p.Specialty.Level) },
		} {
			add().add(q)
		}
	}
	out := Rates{Specialty: map[string]Rate{}, Level: map[Level]Rate{}}
	for _, l := range []Level{SPO, Higher} {
		r, ok := poolOf(byLevel, l).rate("level")
		if !ok {
			r = defaultRate
		}
		out.Level[l] = r
	}
	for code, sp := range in.Specialties {
		if r, ok := poolOf(bySpec, code).rate("specialty"); ok {
			out.Specialty[code] = r
		} else if r, ok := poolOf(byKey, sp.Key()).rate("group"); ok {
			out.Specialty[code] = r
		} else {
			out.Specialty[code] = out.Level[sp.Level]
		}
	}
	return out
}

func poolOf[K comparable](m map[K]*pool, k K) *pool {
	p := m[k]
	if p == nil {
		p = &pool{}
		m[k] = p
	}
	return p
}

// admissions is the admission of a programme in a year, after the
// scenario's changes of admission.
type admissions map[progKey][]AdmissionChange

func (a admissions) of(p *Programme, year int) int {
	n := p.Admission
	from := 0
	for _, c := range a[progKey{p.OrgID, p.Specialty.Code}] {
		if c.FromYear <= year && c.FromYear >= from {
			n, from = c.Admissions, c.FromYear
		}
	}
	return n
}

// project adds up the graduates of every programme by specialty and year:
// today's students by the survival of their course, and the admissions of
// the coming years by that of a first-year student.
func project(in Input, progs map[progKey]*Programme, rates Rates, adm admissions, years []int) map[string][]float64 {
	out := map[string][]float64{}
	at := func(spec string, year int) *float64 {
		i := year - years[0]
		if i < 0 || i >= len(years) {
			return nil
		}
		v := out[spec]
		if v == nil {
			v = make([]float64, len(years))
			out[spec] = v
		}
		return &v[i]
	}
	for _, e := range in.Enrolment {
		p := progs[progKey{e.OrgID, e.Specialty}]
		if p == nil {
			continue
		}
		if x := at(e.Specialty, e.GraduationYear); x != nil {
			*x += float64(e.Count) * rates.Specialty[e.Specialty].Survival(e.Course, p.Years)
		}
	}
	keys := make([]progKey, 0, len(progs))
	for k := range progs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].org < keys[j].org || keys[i].org == keys[j].org && keys[i].spec < keys[j].spec
	})
	for _, k := range keys {
		p := progs[k]
		p.Survival = rates.Specialty[k.spec].Survival(1, p.Years)
		for a := in.SchoolYear + 1; a+p.Years <= years[len(years)-1]; a++ {
			if x := at(k.spec, a+p.Years); x != nil {
				*x += float64(adm.of(p, a)) * p.Survival
			}
		}
	}
	return out
}
