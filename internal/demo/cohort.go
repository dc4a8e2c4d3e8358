package demo

import (
	"math"
	"slices"
)

// cohort is the part of one year's admission to a programme that is still
// there: students of a course now, or graduates of one of the last years.
type cohort struct {
	edu     int // index in g.edu
	prog    programme
	entered int  // the year of admission
	after9  bool // admitted after the 9th grade, not the 11th
	courses int  // courses of the programme on that basis
	course  int  // the course now; 0 for graduates
	n       int
}

// survival is the share of an admission still studying in a course: most
// of those who leave do so after the first year.
func survival(course int) float64 {
	s := 1.0
	for c := 2; c <= course; c++ {
		switch c {
		case 2:
			s *= 0.86
		case 3:
			s *= 0.93
		default:
			s *= 0.96
		}
	}
	return s
}

// passFinal is the share of the final course who graduate.
const passFinal = 0.95

// basis is the part of a programme's admission after the 9th or the 11th
// grade, with the courses it studies.
type basis struct {
	after9  bool
	share   float64
	courses int
}

// bases are a programme's admissions after the 9th and after the 11th grade.
func bases(p programme, university bool) []basis {
	if university {
		return []basis{{false, 1, p.courses(true, false)}}
	}
	var out []basis
	if p.after11 < 1 {
		out = append(out, basis{true, 1 - p.after11, p.courses(false, true)})
	}
	if p.after11 > 0 {
		out = append(out, basis{false, p.after11, p.courses(false, false)})
	}
	return out
}

// admission is a programme's yearly admission that keeps size students in it.
func admission(p programme, university bool, size float64) float64 {
	per := 0.0
	for _, b := range bases(p, university) {
		for c := 1; c <= b.courses; c++ {
			per += b.share * survival(c)
		}
	}
	return size / per
}

// expectedStudy is the students and graduates of the calibrated region
// without the yearly variation of admissions.
func expectedStudy() int {
	total := 0.0
	for _, list := range [][]orgSpec{colleges, universities} {
		uni := len(list) > 0 && list[0].kind == "university"
		for _, o := range list {
			size := float64(o.size) / float64(len(o.programmes))
			for _, p := range o.programmes {
				a := admission(p, uni, size)
				total += size
				for _, b := range bases(p, uni) {
					total += graduateYears * a * b.share * survival(b.courses) * passFinal
				}
			}
		}
	}
	return int(math.Round(total))
}

// plan draws the cohorts of every programme of every college and
// university: each programme's share of its organisation, each year's
// admission around it, and the students of each course and graduates of
// each of the last years that are left of it.
func (g *gen) plan() []cohort {
	var out []cohort
	now := g.schoolYear
	for ei, e := range g.edu {
		// Programmes share their organisation unevenly.
		w := make([]float64, len(e.spec.programmes))
		sum := 0.0
		for i := range w {
			w[i] = 0.6 + 0.8*g.rng.Float64()
			sum += w[i]
		}
		for pi, p := range e.spec.programmes {
			// The organisation's students scale with the region and are
			// shared by its branches.
			size := float64(e.spec.size) * g.scale / float64(g.branches()) * w[pi] / sum
			a := admission(p, e.university, size)
			if g.edu[ei].admit == nil {
				g.edu[ei].admit = map[string]float64{}
			}
			g.edu[ei].admit[p.code] = a
			bs := bases(p, e.university)
			longest := 0
			for _, b := range bs {
				longest = max(longest, b.courses)
			}
			for entered := now - longest - graduateYears + 1; entered <= now; entered++ {
				if p.opened > entered {
					continue
				}
				year := a * math.Exp(0.15*g.rng.NormFloat64())
				for _, b := range bs {
					c := cohort{edu: ei, prog: p, entered: entered, after9: b.after9, courses: b.courses}
					n := year * b.share
					switch course := now - entered + 1; {
					case course <= b.courses:
						c.course, c.n = course, g.round(n*survival(course))
					case entered+b.courses > now-graduateYears && entered+b.courses <= now:
						c.n = g.round(n * survival(b.courses) * passFinal)
					}
					if c.n > 0 {
						out = append(out, c)
					}
				}
			}
		}
	}
	return out
}

// round rounds x up with the chance of its fraction, so that small
// programmes of a scaled-down region are not rounded away.
func (g *gen) round(x float64) int {
	n := int(x)
	if g.chance(x - float64(n)) {
		n++
	}
	return n
}

// demands measures the demand for each specialty group and in each
// municipality from the employers that hire them: the vacancies the
// employers' branches usually open per graduate of a year, against the
// region's median; and the employers per person of a municipality against
// the region's. Outcomes depend on them, as a region's do.
func (g *gen) demands() {
	places := map[string]float64{}
	for _, e := range g.employers {
		br, ok := branches[e.OKVED]
		if !ok {
			continue
		}
		for _, sp := range e.sector.specs {
			places[sp[:2]] += br.perEmployer / float64(len(e.sector.specs))
		}
	}
	grads := map[string]float64{}
	for _, e := range g.edu {
		for _, p := range e.spec.programmes {
			size := float64(e.spec.size) / float64(len(e.spec.programmes))
			grads[p.code[:2]] += admission(p, e.university, size)
		}
	}
	ratio := map[string]float64{}
	var all []float64
	for grp, n := range grads {
		r := (places[grp] + 1) / n
		ratio[grp] = r
		all = append(all, r)
	}
	slices.Sort(all)
	g.demand = map[string]float64{}
	if len(all) > 0 {
		median := all[len(all)/2]
		for grp, r := range ratio {
			g.demand[grp] = math.Max(-1.5, math.Min(1.5, math.Log(r/median)))
		}
	}
	count := make([]float64, len(kamchatka))
	for _, e := range g.employers {
		count[g.muniIndex(e.MunicipalityID)]++
	}
	g.muniDemand = make([]float64, len(kamchatka))
	for mi, m := range kamchatka {
		share := count[mi] / float64(max(1, len(g.employers)))
		g.muniDemand[mi] = math.Max(-1, math.Min(1, math.Log((share+0.002)/(m.share+0.002))))
	}
}
