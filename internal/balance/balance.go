package balance

import (
	"math"
	"time"
)

// MaxHorizon is the furthest year the balance looks at: seven years ahead.
const MaxHorizon = 7

// Horizons are the years ahead employers declare their needs for.
var Horizons = []int{1, 3, 5, 7}

// Level is the level of professional education a row of the balance is for.
type Level string

const (
	SPO    Level = "spo"    // среднее профессиональное образование
	Higher Level = "higher" // высшее образование
)

// Name is the short Russian name of the level.
func (l Level) Name() string {
	if l == Higher {
		return "ВО"
	}
	return "СПО"
}

// LevelOf tells the level of a specialty from its classifier level:
// profession and specialty are СПО, the rest higher education.
func LevelOf(specialtyLevel string) Level {
	switch specialtyLevel {
	case "profession", "specialty":
		return SPO
	}
	return Higher
}

// Key is a row of the balance: a group of specialties at a level.
type Key struct {
	Group string // "15.00.00"
	Level Level
}

// ID is the key as it goes into a URL: "15.00.00-spo".
func (k Key) ID() string { return k.Group + "-" + string(k.Level) }

// ParseKey reads a key written by ID.
func ParseKey(s string) (Key, bool) {
	for _, l := range []Level{SPO, Higher} {
		if g, ok := cutSuffix(s, "-"+string(l)); ok && len(g) == 8 {
			return Key{Group: g, Level: l}, true
		}
	}
	return Key{}, false
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// Specialty is a specialty of the classifier as the balance needs it.
type Specialty struct {
	Code, Name       string
	Group, GroupName string
	Level            Level
	// Years is the usual length of study in academic years, by the level
	// of the classifier: 3 for a profession, 4 for a specialty of СПО and a
	// bachelor's programme, 5 for a specialist's, 2 for a master's.
	Years int
}

// Key is the row of the balance the specialty falls in.
func (s Specialty) Key() Key { return Key{Group: s.Group, Level: s.Level} }

// StudyYears is the usual length of study of a classifier level.
func StudyYears(specialtyLevel string) int {
	switch specialtyLevel {
	case "profession":
		return 3
	case "specialist":
		return 5
	case "master":
		return 2
	}
	return 4
}

// VacancyMonth is the count of vacancies published in a month for a group
// at a level, in a municipality (0 when the employer's is not known).
type VacancyMonth struct {
	Month          time.Time // the first day of the month
	Key            Key
	MunicipalityID int64
	Vacancies      int
	Places         int // work places of those vacancies
}

// Enrolment is the number of students of an organisation in a course of a
// specialty, due to graduate in a year.
type Enrolment struct {
	OrgID          int64
	Specialty      string
	Course         int
	GraduationYear int
	Count          int
}

// Graduated is the number of graduates of an organisation and specialty in a year.
type Graduated struct {
	OrgID     int64
	Specialty string
	Year      int
	Count     int
}

// Contracted is the number of people under signed targeted-education
// contracts for a specialty, due to graduate in a year.
type Contracted struct {
	Specialty      string
	GraduationYear int
	Count          int
}

// Capacity is how many an organisation can admit to a specialty a year, and
// its plan of admission (0: none; this year's first course stands for it).
type Capacity struct {
	OrgID     int64
	OrgName   string
	Specialty string
	Capacity  int
	Plan      int
	UpdatedAt time.Time
}

// Need is an employer's declared need of specialists: Count people of a
// specialty in the year BaseYear+Horizon, for new jobs.
type Need struct {
	ID            int64
	RegionCode    string
	EmployerID    int64
	EmployerName  string
	Specialty     string
	SpecialtyName string
	BaseYear      int
	Horizon       int
	Count         int
	Note          string
	Source        string // form or import
	CreatedBy     int64
	UpdatedAt     time.Time
}

// Year is the calendar year the need is for.
func (n Need) Year() int { return n.BaseYear + n.Horizon }

// Band is an age band of the employed.
type Band string

// The age bands of the age structure, youngest first.
const (
	Under30 Band = "under30"
	From30  Band = "30-44"
	From45  Band = "45-54"
	From55  Band = "55-59"
	Over60  Band = "60+"
)

// Bands lists the age bands in order.
var Bands = []Band{Under30, From30, From45, From55, Over60}

// Name is the band as people write it.
func (b Band) Name() string {
	switch b {
	case Under30:
		return "до 30 лет"
	case From30:
		return "30–44 года"
	case From45:
		return "45–54 года"
	case From55:
		return "55–59 лет"
	case Over60:
		return "60 лет и старше"
	}
	return string(b)
}

// Age is the number employed in a group at a level in an age band, as of a year.
type Age struct {
	Key       Key
	GroupName string
	Band      Band
	Year      int
	Employed  int
	UpdatedAt time.Time
}

// Input is everything the balance is computed from, loaded in one pass.
type Input struct {
	Now        time.Time
	SchoolYear int // the year the current school year began
	// Specialties are the classifier's, by code; Groups names the rows.
	Specialties map[string]Specialty
	Orgs        map[int64]string // names of the organisations that teach
	Vacancies   []VacancyMonth
	Enrolment   []Enrolment
	Graduated   []Graduated
	Contracted  []Contracted
	Capacity    []Capacity
	Needs       []Need
	Ages        []Age
	// MaxChange is the largest share by which a proposal changes a
	// programme's admission in a year without a confirmation; 0 means
	// DefaultMaxChange.
	MaxChange float64
}

// DefaultMaxChange is the limit of a proposal's change when the region has
// set none: a fifth of the places a year.
const DefaultMaxChange = 0.2

// maxChange is the region's limit or the default.
func (in Input) maxChange() float64 {
	if in.MaxChange > 0 {
		return in.MaxChange
	}
	return DefaultMaxChange
}

// Years are the calendar years of the balance: graduations from next June
// on, seven of them.
func (in Input) Years() []int {
	out := make([]int, MaxHorizon)
	for i := range out {
		out[i] = in.SchoolYear + 1 + i
	}
	return out
}

// Band is a forecast's mean with its 80% and 95% prediction intervals.
type Interval struct {
	Mean, Lo80, Hi80, Lo95, Hi95 float64
}

// shift adds a known amount to every bound.
func (b Interval) shift(x float64) Interval {
	return Interval{b.Mean + x, b.Lo80 + x, b.Hi80 + x, b.Lo95 + x, b.Hi95 + x}
}

// Cell is the balance of a row in a year.
type Cell struct {
	Year        int
	Vacancies   Interval // the forecast flow of vacancies' work places
	Declared    float64  // employers' declared needs
	Replacement float64  // replacement of those reaching pension age
	Demand      Interval // the three together
	Supply      float64  // graduates projected
	Targeted    float64  // of them, under targeted-education contracts
	// Contracted is what the targeted contracts add to demand: employers
	// have signed for these graduates, so demand is never below them.
	Contracted float64
	// Gap is supply minus demand: below zero the region lacks graduates.
	// Its bounds are those of demand taken from the supply: GapLo80 is the
	// gap if demand is at the top of its 80% interval.
	Gap              float64
	GapLo80, GapHi80 float64
}

// Closure is how much of a year's demand the graduates close, and how much
// the graduates under targeted contracts close: the one definition behind
// the measure «Закрытие потребности в кадрах» (kpi.DemandClosure) and the
// balance's page.
type Closure struct {
	Need, Closed, ByContracts int
}

// Closure of the cell: demand and supply rounded to people, the closed part
// never above the need.
func (c Cell) Closure() Closure {
	need := int(math.Round(c.Demand.Mean))
	return Closure{Need: need, Closed: min(int(math.Round(c.Supply)), need), ByContracts: min(int(math.Round(c.Targeted)), need)}
}

// Share is Closed ÷ Need; ContractShare is ByContracts ÷ Need; 0 without need.
func (c Closure) Share() float64         { return share(c.Closed, c.Need) }
func (c Closure) ContractShare() float64 { return share(c.ByContracts, c.Need) }

func share(a, b int) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Shortage reports that the supply is below even the low bound of demand's 80% interval.
func (c Cell) Shortage() bool { return c.Supply < c.Demand.Lo80 }

// Surplus reports that the supply is above even the high bound of demand's 80% interval.
func (c Cell) Surplus() bool { return c.Supply > c.Demand.Hi80 }

// Point is a month of history or of forecast.
type Point struct {
	Month time.Time
	Value float64
}

// SpecialtySupply is the projected graduates of one specialty by year.
type SpecialtySupply struct {
	Specialty Specialty
	Students  int       // students now
	Supply    []float64 // by year of the balance
	Declared  []float64 // declared needs by year
	Survival  float64   // share of a first-year student expected to graduate
}

// Row is the balance of a group at a level over the years.
type Row struct {
	Key       Key
	GroupName string
	Cells     []Cell

	// History is the monthly work places of the vacancies, Forecast their
	// forecast from the month after the last complete one.
	History  []Point
	Forecast []Point
	Lo80     []Point
	Hi80     []Point
	Model    string // the fitted model, as "ETS(A,Ad,N)"
	// Note says what was done differently from what was asked: a fallback
	// to a simpler method for a short series, or no forecast at all.
	Note     string
	Accuracy *Accuracy // nil when the history is too short to check
	// AccuracyNote says why there is no accuracy, or what the check met.
	AccuracyNote string
	// Annual is the accuracy of the forecast of a year's total; nil with Accuracy.
	Annual *Annual

	Specialties []SpecialtySupply
	Students    int
	// Municipalities are the places of the last twelve months' vacancies.
	Municipalities map[int64]int
}

// Totals sums the cells of the rows, year by year; intervals are summed
// bound by bound, which takes the rows' errors as moving together.
func Totals(rows []Row, years []int) []Cell {
	out := make([]Cell, len(years))
	for i, y := range years {
		out[i].Year = y
	}
	for _, r := range rows {
		for i, c := range r.Cells {
			t := &out[i]
			t.Vacancies = addInterval(t.Vacancies, c.Vacancies)
			t.Demand = addInterval(t.Demand, c.Demand)
			t.Declared += c.Declared
			t.Replacement += c.Replacement
			t.Supply += c.Supply
			t.Targeted += c.Targeted
			t.Contracted += c.Contracted
			t.Gap += c.Gap
			t.GapLo80 += c.GapLo80
			t.GapHi80 += c.GapHi80
		}
	}
	return out
}

func addInterval(a, b Interval) Interval {
	return Interval{a.Mean + b.Mean, a.Lo80 + b.Lo80, a.Hi80 + b.Hi80, a.Lo95 + b.Lo95, a.Hi95 + b.Hi95}
}

// Result is the computed balance.
type Result struct {
	Years     []int
	Rows      []Row
	Totals    []Cell
	Proposals []Proposal
	Plans     []Plan
	// LastMonth is the last complete month of the vacancy history.
	LastMonth  time.Time
	FirstMonth time.Time
	Rates      Rates
	Scenario   *Scenario // the scenario applied, nil for the baseline
	Notes      []string
	Computed   time.Time
	Seconds    float64
}

// Row returns the row of a key.
func (r *Result) Row(k Key) (Row, bool) {
	for _, x := range r.Rows {
		if x.Key == k {
			return x, true
		}
	}
	return Row{}, false
}
