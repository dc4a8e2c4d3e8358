package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
	"marshrut/internal/org"
)

// MeasuresData is what the demo of active measures reads and writes beside
// the service: the region's organisations, its graduates without work and
// their employment history; store.Store is one.
type MeasuresData interface {
	Organisations(ctx context.Context, f org.Filter) ([]org.Organisation, int, error)
	Learners(ctx context.Context, sc auth.Scope, f learner.Filter) ([]learner.Learner, int, error)
	AddOutcome(ctx context.Context, sc auth.Scope, o *learner.Outcome) error
}

// MeasuresSummary counts what the demo of active measures made.
type MeasuresSummary struct {
	Programmes, Groups, Enrolments, Learners, Completed, Employed int
}

// course is a programme of the catalogue the demo draws from.
type course struct {
	name, profession string
	hours, price     int
	format           measures.Format
	b2b              bool
	teacher          string // a word of the name of the college or university that teaches it; "" for a training centre
	// okved are the branches whose employers order it (b2b) and hire those
	// it trains; nil for a trade any employer hires.
	okved []string
}

// catalogue is what employment centres of a northern region buy: working
// trades of fishing, building and services, care and digital skills.
var catalogue = []course{
	{"Сварщик ручной дуговой сварки плавящимся покрытым электродом", "Сварщик", 320, 52000, measures.FullTime, false, "политехн", []string{"41.20", "52.22", "07.29"}},
	{"Водитель погрузчика", "Водитель погрузчика", 160, 31000, measures.FullTime, true, "индустр", []string{"10.20", "52.22", "47.11"}},
	{"Обработчик рыбы и морепродуктов", "Обработчик рыбы и морепродуктов", 144, 24000, measures.FullTime, true, "морск", []string{"10.20", "03.11"}},
	{"Повар", "Повар", 288, 38000, measures.Mixed, false, "сервис", []string{"56.10", "55.10"}},
	{"Кондитер", "Кондитер", 240, 36000, measures.Mixed, false, "сервис", []string{"56.10", "47.11"}},
	{"Электромонтёр по ремонту и обслуживанию электрооборудования", "Электромонтёр", 360, 48000, measures.FullTime, true, "энергетич", []string{"35.11", "41.20"}},
	{"Оператор котельной", "Оператор котельной", 200, 33000, measures.FullTime, true, "энергетич", []string{"35.11"}},
	{"Младшая медицинская сестра по уходу за больными", "Младшая медицинская сестра", 288, 35000, measures.Mixed, false, "медицин", []string{"86.10", "88.10"}},
	{"Помощник воспитателя", "Помощник воспитателя", 144, 21000, measures.Mixed, false, "педагог", []string{"85.11"}},
	{"Бухгалтерский учёт и 1С: Предприятие", "Бухгалтер", 256, 42000, measures.Distance, false, "сервис", nil},
	{"Специалист по кадровому делопроизводству", "Специалист по кадрам", 180, 29000, measures.Distance, false, "экономик", nil},
	{"Основы программирования на Python", "Программист", 256, 64000, measures.Distance, false, "технический университет", []string{"62.01", "61.10"}},
	{"Оператор беспилотных авиационных систем", "Оператор БАС", 144, 72000, measures.FullTime, false, "политехн", nil},
	{"Продавец-кассир", "Продавец", 120, 18000, measures.Mixed, false, "сервис", []string{"47.11"}},
	{"Парикмахер", "Парикмахер", 320, 41000, measures.FullTime, false, "сервис", []string{"96.02"}},
	{"Тракторист-машинист сельскохозяйственного производства", "Тракторист", 300, 46000, measures.FullTime, true, "сельскохоз", []string{"01.41"}},
	{"Слесарь по ремонту автомобилей", "Слесарь по ремонту автомобилей", 320, 47000, measures.FullTime, false, "индустр", []string{"45.20", "49.41"}},
	{"Матрос", "Матрос", 200, 39000, measures.FullTime, true, "морск", []string{"03.11", "52.22"}},
	{"Моторист (машинист) судовой", "Моторист судовой", 280, 54000, measures.FullTime, true, "морск", []string{"03.11", "52.22"}},
	{"Социальный работник по уходу за пожилыми", "Социальный работник", 144, 19000, measures.Mixed, false, "медицин", []string{"88.10"}},
	{"Администратор гостиницы и экскурсионного сервиса", "Администратор гостиницы", 180, 27000, measures.Mixed, false, "сервис", []string{"55.10", "79.90"}},
	{"Гид-проводник по природным туристским маршрутам", "Гид-проводник", 160, 34000, measures.FullTime, false, "университет имени", []string{"79.90"}},
	{"Интернет-маркетинг и продвижение в социальных сетях", "Специалист по интернет-маркетингу", 144, 38000, measures.Distance, false, "", nil},
	{"Охранник 4-го разряда", "Охранник", 98, 16000, measures.FullTime, false, "", nil},
	{"Каменщик", "Каменщик", 300, 43000, measures.FullTime, true, "политехн", []string{"41.20"}},
	{"Электрогазосварщик на предприятиях рыбной отрасли", "Электрогазосварщик", 360, 58000, measures.FullTime, true, "морск", []string{"10.20", "03.11", "52.22"}},
	{"Оператор ЭВМ и делопроизводство", "Оператор ЭВМ", 200, 26000, measures.Distance, false, "политехн", nil},
	{"Предпринимательство: как открыть своё дело", "Индивидуальный предприниматель", 72, 15000, measures.Mixed, false, "", nil},
}

// trainingCentres teach outside the registry of the region.
var trainingCentres = []string{
	"АНО ДПО «Камчатский учебный центр „Профессионал“»",
	"ЧУ ДПО «Учебный центр „Вектор“»",
	"АНО ДПО «Центр подготовки кадров рыбной отрасли»",
	"ООО «Учебный центр „Северная Пальмира“» (дистанционно)",
}

// measuresGen draws the demo's measures.
type measuresGen struct {
	ctx   context.Context
	svc   *measures.Service
	data  MeasuresData
	rng   *rand.Rand
	now   time.Time
	sys   auth.Scope
	sum   MeasuresSummary
	seq   int
	youth []learner.Learner // graduates without work, by chance of being enrolled
	used  map[int64]bool
	firms []org.Organisation
	fit   map[int64][]string // programme → branches whose employers hire those it trains
}

// Measures fills the programmes of active measures of the demo region: a few
// dozen programmes of colleges and training centres, groups over the last
// two years formed by the employment centres (most by the one of main), and
// people enrolled by category — the young mostly the region's recent
// graduates without work, whose jobs go into their employment history so
// that the figures compute them from it. The same seed gives the same data.
func Measures(ctx context.Context, svc *measures.Service, data MeasuresData, region string, main int64, now time.Time, seed uint64) (MeasuresSummary, error) {
	g := &measuresGen{ctx: ctx, svc: svc, data: data, rng: rand.New(rand.NewPCG(seed, seed^0x5bd1e995)), now: now,
		sys: auth.SystemScope(region), used: map[int64]bool{}, fit: map[int64][]string{}}
	orgs := func(k org.Kind) ([]org.Organisation, error) {
		list, _, err := data.Organisations(ctx, org.Filter{Kind: k, Limit: 500})
		return list, err
	}
	colleges, err := orgs(org.College)
	if err != nil {
		return g.sum, err
	}
	universities, err := orgs(org.University)
	if err != nil {
		return g.sum, err
	}
	centres, err := orgs(org.CZN)
	if err != nil {
		return g.sum, err
	}
	if g.firms, err = orgs(org.Employer); err != nil {
		return g.sum, err
	}
	if len(colleges) == 0 || len(centres) == 0 {
		return g.sum, fmt.Errorf("в регионе нет колледжей или центров занятости для программ содействия занятости")
	}
	if err := g.graduates(); err != nil {
		return g.sum, err
	}
	// The main centre forms about half of the groups, the others share the rest.
	weights := make([]float64, len(centres))
	for i, c := range centres {
		weights[i] = 1
		if c.ID == main {
			weights[i] = float64(len(centres))
		}
	}
	teachers := slices.Concat(colleges, universities)
	for i, c := range catalogue {
		p := measures.Programme{Name: c.name, Profession: c.profession, Hours: c.hours, Price: c.price, Format: c.format, Customer: measures.B2G}
		if t, ok := teacher(c.teacher, teachers); ok && g.rng.Float64() < 0.8 {
			p.ProviderID = t.ID
		} else {
			p.ProviderName = trainingCentres[g.rng.IntN(len(trainingCentres))]
		}
		// An employer orders training in its own trade only.
		if firms := fitting(g.firms, c.okved); c.b2b && len(firms) > 0 {
			p.Customer, p.CustomerName = measures.B2B, firms[g.rng.IntN(len(firms))].Name
		}
		owner := g.sys
		if i%3 == 1 {
			owner = centreScope(region, centres[weighted(g.rng, weights)])
		}
		if err := svc.CreateProgramme(ctx, owner, &p); err != nil {
			return g.sum, fmt.Errorf("программа «%s»: %w", p.Name, err)
		}
		g.sum.Programmes++
		g.fit[p.ID] = c.okved
		for k := 0; k < 1+g.rng.IntN(3); k++ {
			if err := g.group(p, k, centreScope(region, centres[weighted(g.rng, weights)])); err != nil {
				return g.sum, err
			}
		}
	}
	return g.sum, nil
}

// fitting are the employers of the branches; all of them when branches is nil.
func fitting(firms []org.Organisation, branches []string) []org.Organisation {
	if branches == nil {
		return firms
	}
	var out []org.Organisation
	for _, f := range firms {
		if slices.Contains(branches, f.OKVED) {
			out = append(out, f)
		}
	}
	return out
}

// teacher finds the organisation whose name holds the word.
func teacher(word string, orgs []org.Organisation) (org.Organisation, bool) {
	if word == "" {
		return org.Organisation{}, false
	}
	for _, o := range orgs {
		if strings.Contains(strings.ToLower(o.Name), word) {
			return o, true
		}
	}
	return org.Organisation{}, false
}

func centreScope(region string, c org.Organisation) auth.Scope {
	return auth.Scope{Role: auth.CZN, RegionCode: region, OrgID: c.ID, Municipalities: []int64{c.MunicipalityID}}
}

func weighted(rng *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	r := rng.Float64() * total
	for i, x := range w {
		if r -= x; r < 0 {
			return i
		}
	}
	return len(w) - 1
}

// graduates finds the recent graduates without work, the young people the
// employment centres send to training first.
func (g *measuresGen) graduates() error {
	for year := g.now.Year() - 2; year <= g.now.Year(); year++ {
		list, _, err := g.data.Learners(g.ctx, g.sys, learner.Filter{Status: learner.Graduate, GraduationYear: year, Limit: 500})
		if err != nil {
			return err
		}
		for _, l := range list {
			switch l.Current {
			case learner.NotEmployed, learner.Unemployed, learner.Unknown, "":
				g.youth = append(g.youth, l)
			}
		}
	}
	g.rng.Shuffle(len(g.youth), func(i, j int) { g.youth[i], g.youth[j] = g.youth[j], g.youth[i] })
	return nil
}

// group forms the k-th group of a programme, started some months ago, and
// fills it.
func (g *measuresGen) group(p measures.Programme, k int, centre auth.Scope) error {
	weeks := max(2, p.Hours/36)
	start := dateOnly(g.now.AddDate(0, -1-g.rng.IntN(23), -g.rng.IntN(28)))
	if k == 0 && g.rng.Float64() < 0.3 {
		start = dateOnly(g.now.AddDate(0, 0, -g.rng.IntN(40))) // a group studying now
	}
	end := start.AddDate(0, 0, 7*weeks+g.rng.IntN(10))
	gr := measures.Group{ProgrammeID: p.ID, Name: fmt.Sprintf("%s-%02d/%d", groupCode(p.Profession), k+1, start.Year()%100),
		Start: start, End: end, Capacity: 12 + g.rng.IntN(14)}
	if err := g.svc.CreateGroup(g.ctx, centre, &gr); err != nil {
		return fmt.Errorf("группа программы «%s»: %w", p.Name, err)
	}
	g.sum.Groups++
	n := gr.Capacity * (60 + g.rng.IntN(41)) / 100
	for range n {
		if err := g.enrol(gr, p); err != nil {
			return err
		}
	}
	return nil
}

// groupCode is the first letters of a profession's words: «Сварщик» → «СВ».
func groupCode(s string) string {
	words := strings.Fields(s)
	if len(words) == 1 {
		r := []rune(strings.ToUpper(words[0]))
		return string(r[:min(2, len(r))])
	}
	var b strings.Builder
	for _, w := range words {
		if r := []rune(w); len(r) > 2 && b.Len() < 9 { // skip «и», «по», «в»
			b.WriteString(strings.ToUpper(string(r[:1])))
		}
	}
	return b.String()
}

func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// categoryShares: the young come first, then the unemployed.
var categoryShares = []struct {
	c      measures.Category
	share  float64
	lo, hi int // ages
}{
	{measures.Youth, 0.36, 18, 34},
	{measures.Unemployed, 0.24, 25, 58},
	{measures.DismissalRisk, 0.10, 28, 60},
	{measures.SVO, 0.08, 22, 55},
	{measures.PreRetirement, 0.12, 52, 62},
	{measures.ParentalLeave, 0.10, 22, 40},
}

// enrol enrols one person in a group and, as the group's dates allow,
// completes or drops them and finds them a job.
func (g *measuresGen) enrol(gr measures.Group, p measures.Programme) error {
	x, i := g.rng.Float64(), 0
	for ; i < len(categoryShares)-1 && x >= categoryShares[i].share; i++ {
		x -= categoryShares[i].share
	}
	cat := categoryShares[i]
	on := gr.Start.AddDate(0, 0, -g.rng.IntN(10))
	if on.After(g.now) {
		on = dateOnly(g.now)
	}
	e := measures.Enrolment{GroupID: gr.ID, Category: cat.c, Enrolled: on}
	if l, ok := g.graduate(gr.Start); ok && cat.c == measures.Youth && g.rng.Float64() < 0.8 {
		e.LearnerID = l.ID
		g.youth = slices.DeleteFunc(g.youth, func(x learner.Learner) bool { return x.ID == l.ID })
	} else {
		e.Person = g.person(on.Year()-cat.lo-g.rng.IntN(cat.hi-cat.lo+1), on)
	}
	if err := g.svc.Enrol(g.ctx, g.sys, &e); err != nil {
		return fmt.Errorf("зачисление в группу %s: %w", gr.Name, err)
	}
	g.sum.Enrolments++
	if e.LearnerID != 0 {
		g.sum.Learners++
	}
	return g.finish(e, gr)
}

// graduate finds a graduate without work who had graduated (by 30 June of
// the year) before the group started.
func (g *measuresGen) graduate(start time.Time) (learner.Learner, bool) {
	for i := len(g.youth) - 1; i >= 0; i-- {
		if l := g.youth[i]; time.Date(l.GraduationYear, time.July, 1, 0, 0, 0, 0, time.UTC).Before(start) {
			return l, true
		}
	}
	return learner.Learner{}, false
}

// person draws a person who is not a learner; half give their SNILS.
func (g *measuresGen) person(born int, on time.Time) measures.Person {
	female := g.rng.Float64() < 0.55
	p := measures.Person{LastName: surnames[g.rng.IntN(len(surnames))], BirthYear: born}
	father := fatherNames[g.rng.IntN(len(fatherNames))]
	if female {
		p.LastName, p.FirstName, p.MiddleName = feminine(p.LastName), femaleNames[g.rng.IntN(len(femaleNames))], father.female
	} else {
		p.FirstName, p.MiddleName = maleNames[g.rng.IntN(len(maleNames))], father.male
	}
	if g.rng.Float64() < 0.5 {
		g.seq++
		body := fmt.Sprintf("%09d", 700_000_000+g.seq*37)
		p.SNILS = fmt.Sprintf("%s%02d", body, learner.SNILSCheck(body))
	}
	return p
}

// finish ends the training of those whose group is over (most complete,
// some drop out) or is running (a few drop out), and finds jobs for some of
// those who completed: young graduates' jobs go into their history.
func (g *measuresGen) finish(e measures.Enrolment, gr measures.Group) error {
	today := dateOnly(g.now)
	running := gr.End.After(today)
	switch {
	case running && g.rng.Float64() < 0.06 && gr.Start.Before(today):
		return g.svc.Drop(g.ctx, g.sys, e.ID, gr.Start.AddDate(0, 0, g.rng.IntN(int(today.Sub(gr.Start).Hours()/24)+1)))
	case running:
		return nil
	case g.rng.Float64() < 0.12:
		days := max(1, int(gr.End.Sub(gr.Start).Hours()/24))
		return g.svc.Drop(g.ctx, g.sys, e.ID, gr.Start.AddDate(0, 0, g.rng.IntN(days)))
	}
	var job time.Time
	chance := 0.62
	if e.Category == measures.DismissalRisk || e.Category == measures.ParentalLeave {
		chance = 0.8 // they mostly keep or return to their work
	}
	if g.rng.Float64() < chance {
		job = gr.End.AddDate(0, 0, 3+g.rng.IntN(80))
	} else if g.rng.Float64() < 0.3 {
		job = gr.End.AddDate(0, 4, g.rng.IntN(60)) // found work, but later than three months
	}
	if job.After(today) {
		job = time.Time{}
	}
	var firm org.Organisation
	if !job.IsZero() && len(g.firms) > 0 {
		firms := fitting(g.firms, g.fit[gr.ProgrammeID])
		if len(firms) == 0 {
			firms = g.firms
		}
		firm = firms[g.rng.IntN(len(firms))]
	}
	employer := firm.Name
	personJob := job
	if e.LearnerID != 0 {
		personJob = time.Time{}
	}
	if err := g.svc.Complete(g.ctx, g.sys, e.ID, gr.End, personJob, employer); err != nil {
		return fmt.Errorf("завершение обучения в группе %s: %w", gr.Name, err)
	}
	g.sum.Completed++
	if job.IsZero() {
		return nil
	}
	if within := !job.After(gr.End.AddDate(0, measures.Window, 0)); within {
		g.sum.Employed++
	}
	if e.LearnerID == 0 {
		return nil
	}
	o := learner.Outcome{LearnerID: e.LearnerID, Status: learner.Employed, Start: job, EmployerID: firm.ID, EmployerName: employer, Source: "czn",
		Note: "после обучения по программе содействия занятости"}
	return g.data.AddOutcome(g.ctx, g.sys, &o)
}
