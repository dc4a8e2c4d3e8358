// Package demo generates a synthetic region that looks like a real one: its
// municipalities, schools, colleges, universities and employers, pupils of every
// grade, students of every course and graduates of the last three years with
// their employment at six and twelve months. The same seed gives the same region.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"marshrut/internal/classifier"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/risk"
	"marshrut/internal/routing"
)

// Options shape the generated region.
type Options struct {
	Seed     uint64
	Learners int       // total learners; 0 gives the calibrated default (DefaultLearners)
	Region   string    // two-digit code; the calibration is Kamchatka's whatever the code
	Now      time.Time // the day the region is generated on
	// Progress, when set, is told how far the generation has come.
	Progress func(step string, done, total int)
}

// Default sizes of the calibrated region.
const (
	defaultPupils       = 36000
	graduateYears       = 3
	learnersPerEmployer = 200
	minEmployers        = 300
)

// DefaultLearners is the size of the calibrated region: its pupils, and the
// students and graduates its colleges and universities hold on average.
var DefaultLearners = defaultPupils + expectedStudy()

// Loader is where the region is written, in one transaction; store.Loader is one.
type Loader interface {
	NextID(table string) (int64, error)
	Municipalities([]classifier.Municipality) error
	Organisations([]org.Organisation) error
	Learners([]learner.Learner) error
	Stages(region string, st []learner.Stage) error
	Outcomes(region string, os []learner.Outcome) error
}

// PreferenceLoader writes graduates' wishes of a job.
type PreferenceLoader interface {
	Preferences([]routing.Preference) error
}

// Summary counts what was generated.
type Summary struct {
	Municipalities, Schools, Colleges, Universities, Employers, CZN int
	Pupils, Students, Graduates, Stages, Outcomes                   int
	Vacancies                                                       int
	Events, Participations, Informed, Diagnostics                   int
	Offers, Applications, Contracts                                 int
	VacancyHistory, Capacities, Needs                               int
	Duration                                                        time.Duration
}

// Learners is the total of people generated.
func (s Summary) Learners() int { return s.Pupils + s.Students + s.Graduates }

type gen struct {
	opt        Options
	rng        *rand.Rand
	sum        Summary
	load       Loader
	ctx        context.Context
	scale      float64
	schoolYear int // the year the current school year began

	munis      []classifier.Municipality
	muniWeight []float64
	schools    [][]school // by municipality
	edu        []eduOrg
	employers  []employer
	bySpec     map[string][]int   // specialty → employers hiring its graduates
	demand     map[string]float64 // specialty group → log of its demand against the median
	muniDemand []float64          // municipality → log of its employers per person against the region's
	mentored   map[int64]bool     // graduates who had a mentor in their last year
	czn        []org.Organisation // by municipality
	seniors    []pupilRef         // pupils of grades 6–11, for guidance
	contracts  []contractRef      // learners under targeted-education contracts
	prefs      []routing.Preference
	innSeq     int
	snilsSeq   int

	// diligence and social are those of the student enrolled last, for
	// their outcomes after graduation.
	diligence float64
	social    risk.Social

	nextLearner, nextStage, nextOutcome int64
	batch                               batch
}

type eduOrg struct {
	org.Organisation
	spec        orgSpec
	admit       map[string]float64 // programme → mean yearly admission
	specialties []string
	female      float64
	university  bool
}

// school is a school of the region with its pupils by grade.
type school struct {
	org.Organisation
	size   int // pupils, as scaled
	grades int // 9 or 11
}

type employer struct {
	org.Organisation
	sector sector
}

type batch struct {
	records  []risk.StudyRecord
	learners []learner.Learner
	stages   []learner.Stage
	outcomes []learner.Outcome
}

const batchSize = 20000

// Generate writes a region through load and returns what it wrote.
func Generate(ctx context.Context, load Loader, opt Options) (Summary, error) {
	start := time.Now()
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Region == "" {
		opt.Region = "41"
	}
	if opt.Learners < 0 {
		return Summary{}, fmt.Errorf("число обучающихся не может быть отрицательным: %d", opt.Learners)
	}
	if opt.Learners == 0 {
		opt.Learners = DefaultLearners
	}
	g := &gen{
		opt:   opt,
		rng:   rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		load:  load,
		ctx:   ctx,
		scale: float64(opt.Learners) / float64(DefaultLearners),

		mentored: map[int64]bool{},
	}
	g.schoolYear = opt.Now.Year()
	if opt.Now.Month() < time.September {
		g.schoolYear--
	}
	steps := []func() error{g.municipalities, g.organisations, g.people, g.guidance, g.targeted, g.vacancies, g.balance, g.mentorship, g.clusters}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return g.sum, err
		}
		if err := step(); err != nil {
			return g.sum, err
		}
	}
	g.sum.Duration = time.Since(start)
	return g.sum, nil
}

func (g *gen) progress(step string, done, total int) {
	if g.opt.Progress != nil {
		g.opt.Progress(step, done, total)
	}
}

func (g *gen) pick(n int) int { return g.rng.IntN(n) }

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// weighted picks an index with probability proportional to w.
func (g *gen) weighted(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	r := g.rng.Float64() * total
	for i, x := range w {
		r -= x
		if r < 0 {
			return i
		}
	}
	return len(w) - 1
}

func (g *gen) municipalities() error {
	id, err := g.load.NextID("municipality")
	if err != nil {
		return err
	}
	for i, m := range kamchatka {
		g.munis = append(g.munis, classifier.Municipality{ID: id + int64(i), RegionCode: g.opt.Region, Name: m.name, Kind: m.kind, Lat: m.lat, Lon: m.lon})
		g.muniWeight = append(g.muniWeight, m.share)
	}
	g.sum.Municipalities = len(g.munis)
	return g.load.Municipalities(g.munis)
}

// inn makes a valid 10-digit ИНН of a legal entity registered in the region.
func (g *gen) inn() string {
	g.innSeq++
	var p [9]int
	s := fmt.Sprintf("%s%02d%05d", g.opt.Region, 1+g.innSeq%3, g.innSeq)
	for i := range p {
		p[i] = int(s[i] - '0')
	}
	return s + string(rune('0'+org.INNCheckDigit(p)))
}

// ogrn makes a valid 13-digit ОГРН: sign 1, year of registration, region, office, number.
func (g *gen) ogrn() string {
	var p [12]int
	s := fmt.Sprintf("1%02d%s%02d%05d", 2+g.pick(23), g.opt.Region, 1+g.innSeq%3, g.innSeq)
	for i := range p {
		p[i] = int(s[i] - '0')
	}
	return s + string(rune('0'+org.OGRNCheckDigit(p)))
}

func (g *gen) jitter(lat, lon float64) (float64, float64) {
	return round6(lat + (g.rng.Float64()-0.5)*0.04), round6(lon + (g.rng.Float64()-0.5)*0.06)
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func (g *gen) organisations() error {
	next, err := g.load.NextID("organisation")
	if err != nil {
		return err
	}
	var all []org.Organisation
	add := func(o org.Organisation) org.Organisation {
		o.ID = next
		next++
		o.RegionCode = g.opt.Region
		if o.INN == "" {
			o.INN, o.OGRN = g.inn(), g.ogrn()
		}
		spec := kamchatka[g.muniIndex(o.MunicipalityID)]
		o.Lat, o.Lon = g.jitter(spec.lat, spec.lon)
		all = append(all, o)
		return o
	}
	muniID := func(i int) int64 { return g.munis[i].ID }

	// Schools of the table, their sizes scaled to the region's pupils; a
	// region larger than the calibrated one has branches of its town schools.
	g.schools = make([][]school, len(kamchatka))
	copies := max(1, int(math.Ceil(g.scale)))
	for _, sp := range g.schoolSpecs() {
		for b := 0; b < copies; b++ {
			name := sp.name
			if b > 0 {
				if sp.size < 400 {
					break
				}
				name = fmt.Sprintf("%s — корпус № %d", sp.name, b+1)
			}
			grades := 11
			if sp.kind == "basic" {
				grades = 9
			}
			o := add(org.Organisation{Kind: org.School, Name: name, MunicipalityID: muniID(sp.municipality), OKVED: "85.14",
				Address: fmt.Sprintf("%s, ул. %s, д. %d", sp.settlement, streets[g.pick(len(streets))], 1+g.pick(60))})
			g.schools[sp.municipality] = append(g.schools[sp.municipality], school{Organisation: o, size: sp.size, grades: grades})
			g.sum.Schools++
		}
	}

	// Colleges and universities of the table; a larger region gets branches of them.
	branches := g.branches()
	for _, list := range []struct {
		specs []orgSpec
		uni   bool
	}{{colleges, false}, {universities, true}} {
		for _, c := range list.specs {
			for b := 0; b < branches; b++ {
				name, mi, place := c.name, c.municipality, c.settlement
				if b > 0 {
					mi = g.weighted(g.muniWeight)
					place = kamchatka[mi].villages[0]
					name = fmt.Sprintf("%s — филиал № %d (%s)", c.name, b, place)
				}
				kind := org.College
				okved := "85.21"
				prefix := "КГПОБУ «"
				if list.uni {
					kind, okved, prefix = org.University, "85.22", "ФГБОУ ВО «"
				}
				full := prefix + name + "»"
				if strings.Contains(c.name, "филиал") {
					full = name // a branch's name carries its parent's legal form already
				}
				o := add(org.Organisation{Kind: kind, Name: full, ShortName: name, MunicipalityID: muniID(mi), OKVED: okved,
					Address: fmt.Sprintf("%s, ул. %s, д. %d", place, streets[g.pick(len(streets))], 1+g.pick(80))})
				g.edu = append(g.edu, eduOrg{Organisation: o, spec: c, specialties: c.codes(), female: c.female, university: list.uni})
				if list.uni {
					g.sum.Universities++
				} else {
					g.sum.Colleges++
				}
			}
		}
	}

	// Employment centres: one in each municipality; the regional HR centre.
	for mi, m := range kamchatka {
		g.czn = append(g.czn, add(org.Organisation{Kind: org.CZN, Name: "КГКУ «Центр занятости населения " + czName(m.name) + "»", MunicipalityID: muniID(mi),
			Address: kamchatka[mi].villages[0] + ", ул. " + streets[g.pick(len(streets))] + ", д. " + fmt.Sprint(1+g.pick(30)), OKVED: "84.12"}))
		g.sum.CZN++
	}
	add(org.Organisation{Kind: org.HRCentre, Name: "Региональный кадровый центр Камчатского края", MunicipalityID: muniID(0),
		Address: "Петропавловск-Камчатский, пл. Ленина, д. 1", OKVED: "84.11"})

	// Employers by branch of the economy, placed where people live.
	nEmp := max(minEmployers, int(math.Round(float64(g.opt.Learners)/learnersPerEmployer)))
	sw := make([]float64, len(sectors))
	for i, s := range sectors {
		sw[i] = s.weight
	}
	g.bySpec = map[string][]int{}
	used := map[string]bool{}
	for k := 0; k < nEmp; k++ {
		si := g.weighted(sw)
		s := sectors[si]
		mi := g.weighted(g.muniWeight)
		var name string
		for try := 0; ; try++ {
			brand := brands[g.pick(len(brands))]
			if s.okved == "84.11" {
				brand = czName(kamchatka[mi].name)
			}
			name = fmt.Sprintf(s.forms[g.pick(len(s.forms))], brand)
			if try > 3 {
				name = fmt.Sprintf("%s (%d)", name, k+1)
			}
			if !used[name] {
				break
			}
		}
		used[name] = true
		o := add(org.Organisation{Kind: org.Employer, Name: name, MunicipalityID: muniID(mi), OKVED: s.okved,
			Address: fmt.Sprintf("%s, ул. %s, д. %d", kamchatka[mi].villages[g.pick(len(kamchatka[mi].villages))], streets[g.pick(len(streets))], 1+g.pick(120))})
		for _, sp := range s.specs {
			g.bySpec[sp] = append(g.bySpec[sp], len(g.employers))
		}
		g.employers = append(g.employers, employer{Organisation: o, sector: s})
	}
	g.sum.Employers = len(g.employers)
	g.demands()
	g.progress("организации", len(all), len(all))
	return g.load.Organisations(all)
}

// smallRegion is the scale below which a region keeps only some schools.
const smallRegion = 0.05

// schoolSpecs are the schools of the table; a region of a few thousand
// learners or less keeps the largest of each municipality, as many as its
// pupils fill, and at least one.
// branches is how many of each college and university a region has: one
// below the calibrated size, more above it, which share the organisation's
// students between them.
func (g *gen) branches() int { return max(1, int(math.Ceil(g.scale))) }

func (g *gen) schoolSpecs() []orgSpec {
	if g.scale >= smallRegion {
		return schoolSpecs
	}
	var out []orgSpec
	for mi := range kamchatka {
		var list []orgSpec
		for _, sp := range schoolSpecs {
			if sp.municipality == mi {
				list = append(list, sp)
			}
		}
		slices.SortStableFunc(list, func(a, b orgSpec) int { return b.size - a.size })
		out = append(out, list[:max(1, int(math.Round(float64(len(list))*g.scale)))]...)
	}
	return out
}

func (g *gen) muniIndex(id int64) int {
	return slices.IndexFunc(g.munis, func(m classifier.Municipality) bool { return m.ID == id })
}

// czName is the genitive form used in the names of employment centres:
// «Елизовский муниципальный район» → «Елизовского района».
func czName(m string) string {
	switch {
	case strings.HasPrefix(m, "Петропавловск"):
		return "города Петропавловска-Камчатского"
	case strings.HasPrefix(m, "Вилючинский"):
		return "города Вилючинска"
	case strings.HasPrefix(m, "Городской округ"):
		return "посёлка Паланы"
	}
	w := strings.Fields(m)
	adj := strings.TrimSuffix(w[0], "ий") + "ого"
	return adj + " " + map[string]string{"район": "района", "округ": "округа"}[w[len(w)-1]]
}

var streets = []string{
	"Ленинская", "Советская", "Пограничная", "Океанская", "Мишенная", "Вулканная", "Ключевская", "Строительная",
	"Школьная", "Рябиковская", "Дальняя", "Садовая", "Лесная", "Молодёжная", "Набережная", "Ломоносова",
	"Пушкинская", "Академика Королёва", "Тушканова", "Звёздная", "Морская", "Северная", "Крашенинникова", "Беринга",
}
