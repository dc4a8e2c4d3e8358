package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"marshrut/internal/classifier"
	"marshrut/internal/org"
	"marshrut/internal/vacancy"
)

// VacancyLoader is where vacancies are written, inside the generation's
// transaction; store.Loader is one.
type VacancyLoader interface {
	UpsertVacancies(items []vacancy.Item) (vacancy.Upserted, error)
}

// GenerateVacancies writes the open vacancies of employers (and of schools,
// colleges and universities, when given) through l and returns how many it
// wrote: on average a few for each organisation, more in the fishing fleet,
// fish processing and hospitals, with titles typical of each branch, salaries
// of Kamchatka and their links to the specialties of the classifier. The same
// seed and organisations give the same vacancies.
func GenerateVacancies(ctx context.Context, l VacancyLoader, opt Options, employers []org.Organisation) (int, error) {
	if opt.Region == "" {
		opt.Region = "41"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		return 0, err
	}
	m, err := vacancy.NewMatcher(b.Specialties)
	if err != nil {
		return 0, err
	}
	vg := &vacancyGen{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^vacancyStream)), remote: map[string]bool{}}
	for _, ms := range kamchatka {
		for _, v := range ms.villages {
			vg.remote[v] = ms.remote
		}
	}
	n := 0
	var batch []vacancy.Item
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := l.UpsertVacancies(batch)
		batch = batch[:0]
		return err
	}
	for i, e := range employers {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		for _, v := range vg.employer(e) {
			if err := v.Validate(); err != nil {
				return n, fmt.Errorf("demo: vacancy %q of %s: %w", v.Title, e.Name, err)
			}
			batch = append(batch, vacancy.Item{Vacancy: v, Links: m.Links(v)})
			n++
		}
		if len(batch) >= batchSize/10 {
			if err := flush(); err != nil {
				return n, err
			}
		}
		if opt.Progress != nil && (i+1)%100 == 0 {
			opt.Progress("вакансии", i+1, len(employers))
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	if opt.Progress != nil {
		opt.Progress("вакансии", len(employers), len(employers))
	}
	return n, nil
}

// vacancies writes the vacancies of the region's employers, schools, colleges
// and universities, when the loader can take them.
func (g *gen) vacancies() error {
	vl, ok := g.load.(VacancyLoader)
	if !ok {
		return nil // a loader of people only: the region has no vacancies
	}
	orgs := make([]org.Organisation, 0, len(g.employers)+len(g.edu)+g.sum.Schools)
	for _, e := range g.employers {
		orgs = append(orgs, e.Organisation)
	}
	for _, e := range g.edu {
		orgs = append(orgs, e.Organisation)
	}
	for _, list := range g.schools {
		for _, s := range list {
			orgs = append(orgs, s.Organisation)
		}
	}
	n, err := GenerateVacancies(g.ctx, vl, g.opt, orgs)
	g.sum.Vacancies = n
	return err
}

type vacancyGen struct {
	opt    Options
	rng    *rand.Rand
	remote map[string]bool // settlement → no road to the regional centre
}

var kamchatkaTime = time.FixedZone("Камчатка", 12*3600)

// employer makes the open vacancies of one organisation.
func (vg *vacancyGen) employer(e org.Organisation) []vacancy.Vacancy {
	br, ok := branches[e.OKVED]
	if !ok {
		br = fallback
	}
	// Draws between a half and two and a half times the branch's figure, at
	// least one; a position drawn twice adds work places instead, so that an
	// employer ends with about the figure of distinct vacancies.
	count := max(1, int(math.Round(br.perEmployer*(0.5+2*vg.rng.Float64()))))
	weights := make([]float64, len(br.jobs))
	for i, j := range br.jobs {
		weights[i] = j.weight
	}
	// Remote settlements pay a higher regional coefficient.
	pay := 1.0
	if settlement, _, _ := strings.Cut(e.Address, ","); vg.remote[settlement] {
		pay = 1.12
	}
	byTitle := map[string]int{}
	var out []vacancy.Vacancy
	for k := 0; k < count; k++ {
		var j job
		for try := 0; try < 3; try++ {
			j = br.jobs[vg.weighted(weights)]
			if ok && vg.rng.Float64() < 0.08 {
				j = common[vg.rng.IntN(len(common))]
			}
			if _, dup := byTitle[j.title]; !dup {
				break
			}
		}
		// One vacancy a position: a position drawn again adds work places.
		if i, dup := byTitle[j.title]; dup {
			if out[i].WorkPlaces < j.places {
				out[i].WorkPlaces++
			}
			continue
		}
		byTitle[j.title] = len(out)
		out = append(out, vg.vacancy(e, br, j, pay))
	}
	return out
}

func (vg *vacancyGen) weighted(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	r := vg.rng.Float64() * total
	for i, x := range w {
		r -= x
		if r < 0 {
			return i
		}
	}
	return len(w) - 1
}

func (vg *vacancyGen) vacancy(e org.Organisation, br branch, j job, pay float64) vacancy.Vacancy {
	r := vg.rng
	v := vacancy.Vacancy{
		ID:             vg.uuid(),
		Source:         vacancy.Trudvsem,
		RegionCode:     vg.opt.Region,
		KladrCode:      vg.opt.Region + "00000000000",
		EmployerName:   e.Name,
		EmployerINN:    e.INN,
		EmployerOGRN:   e.OGRN,
		Title:          j.title,
		Specialisation: j.sphere,
		Currency:       "RUB",
		Schedule:       br.schedule,
		Employment:     fullTime,
		Education:      j.edu,
		Experience:     fmt.Sprint(j.exp),
		Duty:           j.duty,
		Requirements:   requirements(j),
		Address:        e.Address,
		Lat:            e.Lat,
		Lon:            e.Lon,
		WorkPlaces:     1 + r.IntN(j.places),
	}
	// Salaries in thousands, rounded to five hundred roubles: a fifth of the
	// offers name no upper bound, some a single figure.
	v.SalaryMin = roundSalary(float64(j.min) * pay * (0.9 + 0.2*r.Float64()))
	switch x := r.Float64(); {
	case x < 0.2:
	case x < 0.35:
		v.SalaryMax = v.SalaryMin
	default:
		v.SalaryMax = max(v.SalaryMin, roundSalary(float64(j.max)*pay*(0.9+0.2*r.Float64())))
	}
	switch x := r.Float64(); {
	case br.seasonal && x < 0.5:
		v.Employment = seasonWork
	case br.schedule != rotation && x < 0.06:
		v.Schedule, v.Employment = partDay, partTime
	case br.schedule == dayShift && x < 0.15:
		v.Schedule = shifts
	}
	// Published within the last four months, some changed since, a tenth
	// already taken down; a tenth entered by hand in Marshrut by the employer.
	v.CreatedAt = time.Date(vg.opt.Now.Year(), vg.opt.Now.Month(), vg.opt.Now.Day(), 8+r.IntN(10), r.IntN(60), r.IntN(60), 0, kamchatkaTime).
		AddDate(0, 0, -1-r.IntN(120))
	v.ModifiedAt = v.CreatedAt
	if days := int(vg.opt.Now.Sub(v.CreatedAt).Hours() / 24); days > 1 && r.Float64() < 0.4 {
		v.ModifiedAt = v.CreatedAt.Add(time.Duration(1+r.IntN(days-1)) * 24 * time.Hour)
	}
	v.Closed = r.Float64() < 0.1
	if r.Float64() < 0.1 || e.OGRN == "" {
		v.Source = vacancy.Manual
	} else {
		v.URL = "https://trudvsem.ru/vacancy/card/" + e.OGRN + "/" + v.ID
	}
	return v
}

// uuid makes a random UUID (version 4) from the generator, so that the same
// seed gives the same ids.
func (vg *vacancyGen) uuid() string {
	hi, lo := vg.rng.Uint64(), vg.rng.Uint64()
	hi = hi&^(0xf<<12) | 0x4<<12
	lo = lo&^(0x3<<62) | 0x2<<62
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

func roundSalary(thousands float64) int {
	return int(math.Round(thousands*2)) * 500
}

// requirements writes the education and experience a job asks for.
func requirements(j job) string {
	var b strings.Builder
	switch j.edu {
	case eduGeneral:
		b.WriteString("Образование не ниже среднего общего.")
	case eduSPO:
		b.WriteString("Среднее профессиональное образование по профилю.")
	case eduHigher:
		b.WriteString("Высшее образование по профилю.")
	default:
		b.WriteString("Без требований к образованию, обучение на рабочем месте.")
	}
	switch {
	case j.exp == 0:
		b.WriteString(" Рассматриваем выпускников без опыта работы.")
	default:
		fmt.Fprintf(&b, " Опыт работы от %d %s.", j.exp, years(j.exp))
	}
	return b.String()
}

// years is the plural of «год» after n.
func years(n int) string {
	switch {
	case n%10 == 1 && n%100 != 11:
		return "года"
	default:
		return "лет"
	}
}
