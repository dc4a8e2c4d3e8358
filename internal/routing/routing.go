// Package routing scores the pairs of graduates and vacancies: which
// vacancies a graduate can take, and how much each side would want the other,
// as named components that pages show as reasons. Matching runs feed these
// scores to the matching engine.
package routing

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/ddo"
	"marshrut/internal/vacancy"
)

// Candidate is a graduate or final-year student as routing sees them.
type Candidate struct {
	LearnerID     int64
	Name          string
	SpecialtyCode string
	University    bool      // studies or studied at a university (ВО), else a college (СПО)
	Sex           string    // «м», «ж» or ""
	BirthDate     time.Time // zero when unknown
	// Minor: under 18 on the day work would start, the day of the
	// recommendation or run at the earliest (see MarkMinors).
	Minor          bool
	OrgID          int64
	MunicipalityID int64
	Lat, Lon       float64 // the municipality's centre
	// Preferences; zero values mean «not stated».
	Relocate  bool   // would move to another municipality
	MinSalary int    // roubles a month expected at least
	Schedule  string // preferred schedule, as vacancies name it
	// What the employer side weighs.
	AvgGrade     float64  // 3.0–5.0; 0 unknown
	DemoExam     int      // demonstration exam score 0–100; 0 not taken
	PracticeINNs []string // employers (INN) where the candidate had practice
	MentorINNs   []string // employers (INN) of the candidate's mentors
	ContractINN  string   // employer (INN) of a targeted-education contract
	DDO          *ddo.Result
}

// Place is a vacancy as routing sees it.
type Place struct {
	VacancyID      string
	Title          string
	EmployerName   string
	EmployerINN    string
	MunicipalityID int64 // 0 when unknown
	Lat, Lon       float64
	SalaryMin      int
	SalaryMax      int
	Schedule       string
	Education      vacancy.Education
	WorkPlaces     int
	Links          []vacancy.Link // the specialties the vacancy suits
	// Limits are the limits of the law on who may take the job, and the
	// kind of work that sets them (vacancy.LimitsOf by the title).
	Limits    vacancy.Limit
	LimitWhat string
}

// MarkMinors sets Minor for the candidates under 18 on the day on.
func MarkMinors(list []Candidate, on time.Time) {
	for i := range list {
		b := list[i].BirthDate
		list[i].Minor = !b.IsZero() && b.AddDate(18, 0, 0).After(on)
	}
}

// Excluded are the reasons a pair is refused by the law, as the list of
// unsuitable vacancies says them.
const (
	ExcludedMinor = "работа запрещена лицам моложе 18 лет (ст. 265 ТК РФ)"
	ExcludedWomen = "работа из перечня, ограниченного для женщин (приказ Минтруда России № 512н)"
)

// Travel is how far a place is for a candidate.
type Travel int

const (
	SameMunicipality Travel = iota
	Neighbouring            // the centres are within NeighbourKM
	Relocation              // farther: the candidate must move
)

// NeighbourKM is the distance between municipal centres within which a
// daily or weekly commute is counted as possible.
const NeighbourKM = 120

// Component is one named part of a score.
type Component struct {
	Key    string // pay, distance, specialty, ddo, grades, practice, exam, mentor, contract
	Title  string
	Points int // 0..Max
	Max    int
	Why    string // plain Russian
}

// Score is a side's view of a pair: the sum of its components, 0..1000.
type Score struct {
	Total      int
	Components []Component
}

func (s *Score) add(c Component) {
	c.Points = max(0, min(c.Points, c.Max))
	s.Components = append(s.Components, c)
	s.Total += c.Points
}

// sum adds a component's points alone: runs rate many pairs and explain few.
func (s *Score) sum(c Component) { s.Total += max(0, min(c.Points, c.Max)) }

// Reasons is the score's components with points, as a short Russian text.
func (s Score) Reasons() string {
	var parts []string
	for _, c := range s.Components {
		if c.Points > 0 && c.Why != "" {
			parts = append(parts, c.Why)
		}
	}
	return strings.Join(parts, "; ")
}

// Pair is a compatible candidate and place with both sides' scores.
type Pair struct {
	Candidate *Candidate
	Place     *Place
	Fit       vacancy.Link // the link that makes the pair compatible
	Travel    Travel
	KM        float64
	Graduate  Score // the graduate's view: pay, distance, specialty, ДДО
	Employer  Score // the employer's view: specialty, grades, practice, exam, mentor, contract
}

// Compatible reports whether the candidate can take the place, and why not.
// The specialty must be linked to the vacancy (itself or its group), the
// education the vacancy asks for must not exceed the candidate's, and the
// place must be within reach: the same or a neighbouring municipality, or
// farther for one who would move.
func Compatible(c *Candidate, p *Place) (Pair, bool, string) {
	pair := Pair{Candidate: c, Place: p}
	if p.WorkPlaces <= 0 {
		return pair, false, "у вакансии нет свободных мест"
	}
	fit, ok := linkFor(c.SpecialtyCode, p.Links)
	if !ok {
		return pair, false, "вакансия не связана со специальностью " + c.SpecialtyCode
	}
	return compatibleVia(c, p, fit)
}

// compatibleVia is Compatible for a place already known to be linked to the
// candidate's specialty by fit.
func compatibleVia(c *Candidate, p *Place, fit vacancy.Link) (Pair, bool, string) {
	pair := Pair{Candidate: c, Place: p, Fit: fit}
	if p.WorkPlaces <= 0 {
		return pair, false, "у вакансии нет свободных мест"
	}
	if above(p.Education, c) {
		return pair, false, "вакансия требует высшего образования"
	}
	if c.Minor && p.Limits&vacancy.ForbiddenMinors != 0 {
		return pair, false, ExcludedMinor
	}
	if c.Sex == "ж" && p.Limits&vacancy.RestrictedWomen != 0 {
		return pair, false, ExcludedWomen
	}
	pair.Travel, pair.KM = travel(c, p)
	if pair.Travel == Relocation && !c.Relocate {
		return pair, false, "вакансия далеко от дома, а переезд не рассматривается"
	}
	return pair, true, ""
}

// above tells whether the education a vacancy asks for is above the
// candidate's: higher education, finished or not, for a college's graduate.
func above(e vacancy.Education, c *Candidate) bool {
	return !c.University && (e == vacancy.EduHigher || e == vacancy.EduIncompleteHigher)
}

// levelPoints rate how the education a vacancy asks for fits the
// candidate's, for the graduate: a job of the graduate's own level 100, one
// of college level for a university's graduate 40, one that asks for no
// vocational education 40 for a college's graduate and none for a
// university's (a lawyer is not first offered a guard's post).
func levelPoints(e vacancy.Education, university bool) int {
	switch e {
	case vacancy.EduHigher, vacancy.EduIncompleteHigher:
		return 100 // a college's graduate never reaches it
	case vacancy.EduSPO:
		if university {
			return 40
		}
		return 100
	}
	if university {
		return 0
	}
	return 40
}

// linkFor finds the vacancy's link to the specialty, the exact one first.
func linkFor(spec string, links []vacancy.Link) (vacancy.Link, bool) {
	if len(spec) < 2 {
		return vacancy.Link{}, false
	}
	group := spec[:2] + ".00.00"
	var best vacancy.Link
	found := false
	for _, l := range links {
		switch {
		case l.SpecialtyCode == spec:
			return l, true
		case l.GroupCode == group && (!found || l.Score > best.Score):
			best, found = l, true
		}
	}
	return best, found
}

func travel(c *Candidate, p *Place) (Travel, float64) {
	if p.MunicipalityID != 0 && p.MunicipalityID == c.MunicipalityID {
		return SameMunicipality, 0
	}
	if (p.Lat == 0 && p.Lon == 0) || (c.Lat == 0 && c.Lon == 0) {
		return Neighbouring, 0 // unknown: not held against the pair
	}
	km := Distance(c.Lat, c.Lon, p.Lat, p.Lon)
	if km <= NeighbourKM {
		return Neighbouring, km
	}
	return Relocation, km
}

// Distance is the great-circle distance in kilometres.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Score fills both sides' scores of a compatible pair with the reasons;
// median is the region's median offered salary, against which pay is judged
// when the graduate states no expectation.
func (pair *Pair) Score(median int) { pair.score(median, true) }

// Rate fills both sides' scores without the reasons, for runs over many pairs
// of which few are shown.
func (pair *Pair) Rate(median int) { pair.score(median, false) }

func (pair *Pair) score(median int, explain bool) {
	c, p := pair.Candidate, pair.Place
	pair.Graduate, pair.Employer = Score{}, Score{}
	sprintf := fmt.Sprintf
	gAdd, eAdd := pair.Graduate.add, pair.Employer.add
	if !explain {
		sprintf = func(string, ...any) string { return "" }
		gAdd, eAdd = pair.Graduate.sum, pair.Employer.sum
	}

	// The graduate's view: pay 0..300, distance 0..250, specialty 0..200,
	// level of education 0..100, ДДО 0..150.
	pay := payOf(p)
	want := c.MinSalary
	if want == 0 {
		want = median
	}
	switch {
	case pay == 0:
		gAdd(Component{Key: "pay", Title: "Зарплата", Points: payPoints(pay, want), Max: 300, Why: ""})
	case want == 0:
		gAdd(Component{Key: "pay", Title: "Зарплата", Points: payPoints(pay, want), Max: 300, Why: "зарплата " + roubles(pay)})
	default:
		pts := payPoints(pay, want)
		why := "зарплата " + roubles(pay)
		switch {
		case !explain:
		case c.MinSalary > 0 && pay >= c.MinSalary:
			why += " — не ниже ожидаемой"
		case c.MinSalary > 0:
			why += " — ниже ожидаемой " + roubles(c.MinSalary)
		case pay >= median:
			why += " — выше средней по региону"
		}
		gAdd(Component{Key: "pay", Title: "Зарплата", Points: pts, Max: 300, Why: why})
	}
	switch pair.Travel {
	case SameMunicipality:
		gAdd(Component{Key: "distance", Title: "Расстояние", Points: travelPoints[SameMunicipality], Max: 250, Why: "в своём муниципалитете"})
	case Neighbouring:
		why := "в соседнем муниципалитете"
		if pair.KM > 0 && explain {
			why = sprintf("в соседнем муниципалитете, %.0f км", pair.KM)
		}
		gAdd(Component{Key: "distance", Title: "Расстояние", Points: travelPoints[Neighbouring], Max: 250, Why: why})
	default:
		gAdd(Component{Key: "distance", Title: "Расстояние", Points: travelPoints[Relocation], Max: 250, Why: sprintf("с переездом, %.0f км", pair.KM)})
	}
	gAdd(specialtyComponent(c, pair.Fit, 200, explain, true))
	lv := Component{Key: "level", Title: "Уровень образования", Points: levelPoints(p.Education, c.University), Max: 100}
	if explain {
		switch {
		case lv.Points == lv.Max:
			lv.Why = "по уровню образования"
		case p.Education == vacancy.EduNone || p.Education == vacancy.EduGeneral:
			lv.Why = "не требует профессионального образования"
		default:
			lv.Why = "требует образования ниже полученного"
		}
	}
	gAdd(lv)
	if c.DDO != nil {
		f := ddo.Fit(*c.DDO, c.SpecialtyCode)
		if vf := bestFit(*c.DDO, p.Links); vf > f {
			f = vf
		}
		why := ""
		if f >= 0.75 {
			why = "по душе: совпадает с ведущим типом по опроснику Климова"
		}
		gAdd(Component{Key: "ddo", Title: "Склонности (ДДО)", Points: int(math.Round(150 * f)), Max: 150, Why: why})
	} else {
		gAdd(Component{Key: "ddo", Title: "Склонности (ДДО)", Points: 75, Max: 150})
	}

	// The employer's view: specialty 0..300, grades 0..200, practice 0..200,
	// exam 0..100, mentor 0..100, contract 0..100.
	eAdd(specialtyComponent(c, pair.Fit, 300, explain, false))
	if c.AvgGrade > 0 {
		eAdd(Component{Key: "grades", Title: "Успеваемость", Points: gradePoints(c), Max: 200, Why: sprintf("средний балл %.1f", c.AvgGrade)})
	} else {
		eAdd(Component{Key: "grades", Title: "Успеваемость", Points: gradePoints(c), Max: 200})
	}
	if p.EmployerINN != "" && slices.Contains(c.PracticeINNs, p.EmployerINN) {
		eAdd(Component{Key: "practice", Title: "Практика", Points: 200, Max: 200, Why: "проходил практику у этого работодателя"})
	} else {
		eAdd(Component{Key: "practice", Title: "Практика", Max: 200})
	}
	if c.DemoExam > 0 {
		eAdd(Component{Key: "exam", Title: "Демонстрационный экзамен", Points: c.DemoExam, Max: 100, Why: sprintf("демонстрационный экзамен — %d баллов", c.DemoExam)})
	} else {
		eAdd(Component{Key: "exam", Title: "Демонстрационный экзамен", Max: 100})
	}
	if p.EmployerINN != "" && slices.Contains(c.MentorINNs, p.EmployerINN) {
		eAdd(Component{Key: "mentor", Title: "Наставник", Points: 100, Max: 100, Why: "наставник — сотрудник этого работодателя"})
	} else {
		eAdd(Component{Key: "mentor", Title: "Наставник", Max: 100})
	}
	if p.EmployerINN != "" && c.ContractINN == p.EmployerINN {
		eAdd(Component{Key: "contract", Title: "Целевой договор", Points: 100, Max: 100, Why: "целевой договор с этим работодателем"})
	} else {
		eAdd(Component{Key: "contract", Title: "Целевой договор", Max: 100})
	}
}

// payOf is the pay a vacancy offers: the middle of its range, or its lower
// figure alone.
func payOf(p *Place) int {
	pay := p.SalaryMin
	if p.SalaryMax > pay {
		pay = (pay + p.SalaryMax) / 2
	}
	return pay
}

// payPoints rates pay against what the graduate wants (the region's median
// when the graduate states nothing): 100 when the vacancy names no pay, 150
// when there is nothing to compare with, else up to 300 at 1.4 times the
// wish. For a given wish it never falls as the pay rises, which lists
// produced on demand rely on.
func payPoints(pay, want int) int {
	switch {
	case pay == 0:
		return 100
	case want == 0:
		return 150
	}
	ratio := float64(pay) / float64(want)
	return int(math.Round(300 * math.Min(1, math.Max(0, (ratio-0.6)/0.8))))
}

// travelPoints rates the distance for the graduate.
var travelPoints = [...]int{SameMunicipality: 250, Neighbouring: 150, Relocation: 40}

// gradePoints rates the average grade for the employer; 100 when unknown.
func gradePoints(c *Candidate) int {
	if c.AvgGrade <= 0 {
		return 100
	}
	return int(math.Round(200 * math.Min(1, math.Max(0, (c.AvgGrade-3)/2))))
}

// specialtyComponent rates the fit of the specialty; the graduate's view
// (full) carries the link's own reason, the employer's a short one.
func specialtyComponent(c *Candidate, fit vacancy.Link, max int, explain, full bool) Component {
	comp := Component{Key: "specialty", Title: "Специальность", Points: max, Max: max}
	exact := fit.SpecialtyCode == c.SpecialtyCode
	if !exact {
		comp.Points = int(math.Round(float64(max) * 0.6 * math.Max(0.5, fit.Score)))
	}
	switch {
	case !explain:
	case exact && full:
		comp.Why = "по специальности " + c.SpecialtyCode + ": " + fit.Reason
	case exact:
		comp.Why = "специальность " + c.SpecialtyCode + " совпадает"
	case full:
		comp.Why = "по укрупнённой группе " + fit.GroupCode + ": " + fit.Reason
	default:
		comp.Why = "родственная специальность (группа " + fit.GroupCode + ")"
	}
	return comp
}

func bestFit(r ddo.Result, links []vacancy.Link) float64 {
	best := 0.0
	for _, l := range links {
		best = math.Max(best, ddo.Fit(r, l.Code()))
	}
	return best
}

// Holds reports whether the candidate holds a target contract with the
// place's employer: such a graduate is placed there first.
func (pair *Pair) Holds() bool {
	return pair.Candidate.ContractINN != "" && pair.Candidate.ContractINN == pair.Place.EmployerINN
}

// roubles writes a sum as people read it: «127 250 ₽», thousands apart.
func roubles(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	return b.String() + "\u00a0₽"
}
