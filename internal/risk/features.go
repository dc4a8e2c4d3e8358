// Package risk is the early warning: which final-year students risk staying
// without work six months after graduation, and why. It turns what the region
// holds of a student into the features of internal/engine/learn, trains the
// models on past graduation cohorts and validates them on the latest one,
// scores the students of the coming graduation with the reasons behind each
// score in plain Russian, and keeps the cases an employment centre works.
package risk

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/ddo"
	"marshrut/internal/engine/learn"
	"marshrut/internal/learner"
)

// Social is a social status a college records; "" means not recorded.
type Social string

const (
	SocialNone      Social = "none"         // нет особого статуса
	SocialOrphan    Social = "orphan"       // сирота или оставшийся без попечения родителей
	SocialLowIncome Social = "low_income"   // из малоимущей семьи
	SocialLarge     Social = "large_family" // из многодетной семьи
	SocialSVO       Social = "svo_family"   // из семьи участника СВО
)

// Socials are the statuses in the order forms list them.
var Socials = []Social{SocialNone, SocialOrphan, SocialLowIncome, SocialLarge, SocialSVO}

// Name is the Russian name of the status.
func (s Social) Name() string {
	switch s {
	case SocialNone:
		return "нет особого статуса"
	case SocialOrphan:
		return "сирота или оставшийся без попечения родителей"
	case SocialLowIncome:
		return "из малоимущей семьи"
	case SocialLarge:
		return "из многодетной семьи"
	case SocialSVO:
		return "из семьи участника СВО"
	case "":
		return "не указан"
	}
	return string(s)
}

// Valid reports whether s is a known status or empty.
func (s Social) Valid() bool {
	if s == "" {
		return true
	}
	for _, k := range Socials {
		if s == k {
			return true
		}
	}
	return false
}

// Record is what the region holds of one student or graduate that bears on
// the risk. Values the region has not recorded are NaN (numbers) or empty.
type Record struct {
	LearnerID      int64
	Name           string
	OrgID          int64
	OrgName        string
	MunicipalityID int64
	Municipality   string
	Sex            string
	Disability     bool
	University     bool
	FullTime       bool
	SpecialtyCode  string
	SpecialtyName  string
	GraduationYear int
	AvgGrade       float64 // 3.0–5.0; 0 not known
	DemoExam       int     // 0–100; 0 not taken
	Attendance     float64 // share of classes attended; NaN not recorded
	Debts          float64 // academic debts; NaN not recorded
	Social         Social
	Practice       bool    // had practice at an employer
	Mentor         float64 // 1 with a mentor now or before, else 0
	Contract       bool    // under a targeted-education contract
	DDO            *ddo.Result
	HasSNILS       bool
	HasPreference  bool
	Declined       int // routing proposals the learner declined
	// After6 is the status six months after graduation; the label of the
	// past cohorts.
	After6 learner.OutcomeStatus
}

// Demand is the region's demand for graduates, from the vacancy data.
type Demand struct {
	// BySpecialtyGroup: open places per graduate of a year, by the two-digit
	// group of the specialty.
	BySpecialtyGroup map[string]float64
	// ByMunicipality: open places per graduate of a year living there.
	ByMunicipality map[int64]float64
}

// feature is one column of the model: how it is read from a record and how
// its value is said in a reason.
type feature struct {
	key   string
	label string
	value func(r *Record, d Demand) float64
	// say phrases the value, such as «средний балл 3,4».
	say func(v float64) string
	// missing phrases the absence of the value.
	missing string
	// dir is the direction the risk is known to take as the value grows:
	// -1 never rises (more vacancies, a higher grade, practice done), +1
	// never falls, 0 not stated. The models are held to it.
	dir int
	// less and more say where a value stands among others' when a reason
	// of a feature with a direction is not a yes or no: a value that raises
	// a risk falling with it is «ниже, чем у многих», never a bare number
	// beside «повышает риск».
	less, more string
}

const (
	lower  = "ниже, чем у многих"
	higher = "выше, чем у многих"
	fewer  = "меньше, чем у многих"
	larger = "больше, чем у многих"
)

var nan = math.NaN()

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// features are the model's columns, in order. Changing them changes what a
// stored model means: models keep their feature names and a model whose
// names differ from these is not used for scoring.
var features = []feature{
	{key: "avg_grade", label: "Средний балл",
		value: func(r *Record, _ Demand) float64 {
			if r.AvgGrade <= 0 {
				return nan
			}
			return r.AvgGrade
		},
		say: func(v float64) string { return "средний балл " + decimal(v, 1) }, missing: "средний балл не указан", dir: -1, less: lower, more: higher},
	{key: "attendance", label: "Посещаемость",
		value: func(r *Record, _ Demand) float64 { return r.Attendance },
		say: func(v float64) string {
			return "посещаемость " + strconv.Itoa(int(math.Round(v*100))) + " %"
		}, missing: "посещаемость не отмечена", dir: -1, less: lower, more: higher},
	{key: "debts", label: "Академические задолженности",
		value: func(r *Record, _ Demand) float64 { return r.Debts },
		say: func(v float64) string {
			if v == 0 {
				return "нет академических задолженностей"
			}
			return "академических задолженностей: " + strconv.Itoa(int(v))
		}, missing: "нет сведений об академических задолженностях", dir: 1, less: fewer, more: larger},
	{key: "demo_exam", label: "Демонстрационный экзамен",
		value: func(r *Record, _ Demand) float64 {
			if r.University {
				return nan // not part of higher education
			}
			return float64(r.DemoExam)
		},
		say: func(v float64) string {
			if v == 0 {
				return "демонстрационный экзамен не сдан"
			}
			return "демонстрационный экзамен: " + strconv.Itoa(int(v)) + " из 100"
		}, missing: "демонстрационного экзамена в вузе нет", dir: -1, less: lower, more: higher},
	{key: "practice", label: "Практика у работодателя",
		value: func(r *Record, _ Demand) float64 { return flag(r.Practice) },
		say:   yesNo("была практика у работодателя", "не было практики у работодателя"), missing: "нет сведений о практике", dir: -1},
	{key: "mentor", label: "Наставник",
		value: func(r *Record, _ Demand) float64 { return r.Mentor },
		say:   yesNo("есть наставник", "нет наставника"), missing: "нет сведений о наставничестве", dir: -1},
	{key: "contract", label: "Договор о целевом обучении",
		value: func(r *Record, _ Demand) float64 { return flag(r.Contract) },
		say:   yesNo("учится по договору о целевом обучении", "нет договора о целевом обучении"), missing: "нет сведений о целевом обучении", dir: -1},
	{key: "ddo_fit", label: "Тип по ДДО и специальность",
		value: func(r *Record, _ Demand) float64 {
			if r.DDO == nil || r.SpecialtyCode == "" {
				return nan
			}
			return ddo.Fit(*r.DDO, r.SpecialtyCode)
		},
		say: func(v float64) string {
			if v >= 0.6 {
				return "склонности по ДДО подходят специальности"
			}
			return "склонности по ДДО плохо подходят специальности"
		}, missing: "не проходил(а) ДДО"},
	{key: "demand_specialty", label: "Вакансий на выпускника по специальности",
		value: func(r *Record, d Demand) float64 {
			if len(r.SpecialtyCode) < 2 {
				return nan
			}
			v, ok := d.BySpecialtyGroup[r.SpecialtyCode[:2]]
			if !ok {
				return 0
			}
			return v
		},
		say: func(v float64) string {
			return "по специальности в регионе " + decimal(v, 1) + " вакансии на выпускника"
		}, missing: "специальность не указана", dir: -1, less: fewer, more: larger},
	{key: "demand_municipality", label: "Вакансий на выпускника в муниципалитете",
		value: func(r *Record, d Demand) float64 {
			v, ok := d.ByMunicipality[r.MunicipalityID]
			if !ok {
				return 0
			}
			return v
		},
		say: func(v float64) string {
			return "в муниципалитете проживания " + decimal(v, 1) + " вакансии на выпускника"
		}, missing: "муниципалитет не указан", dir: -1, less: fewer, more: larger},
	{key: "disability", label: "ОВЗ",
		value: func(r *Record, _ Demand) float64 { return flag(r.Disability) },
		say:   yesNo("ограниченные возможности здоровья", "нет ограничений здоровья"), missing: "нет сведений об ОВЗ"},
	{key: "social", label: "Социальный статус",
		value: func(r *Record, _ Demand) float64 {
			switch r.Social {
			case "":
				return nan
			case SocialNone:
				return 0
			}
			return 1
		},
		say: yesNo("особый социальный статус семьи", "нет особого социального статуса"), missing: "социальный статус не указан"},
	{key: "full_time", label: "Очная форма обучения",
		value: func(r *Record, _ Demand) float64 { return flag(r.FullTime) },
		say:   yesNo("очная форма обучения", "заочная или очно-заочная форма обучения"), missing: "форма обучения не указана"},
	{key: "university", label: "Уровень образования",
		value: func(r *Record, _ Demand) float64 { return flag(r.University) },
		say:   yesNo("высшее образование", "среднее профессиональное образование"), missing: "уровень образования не указан"},
	{key: "completeness", label: "Заполненность профиля",
		value: func(r *Record, _ Demand) float64 { return r.Completeness() },
		say: func(v float64) string {
			return "профиль заполнен на " + strconv.Itoa(int(math.Round(v*100))) + " %"
		}, missing: ""},
	{key: "declined", label: "Отказы от предложений работы",
		value: func(r *Record, _ Demand) float64 { return float64(r.Declined) },
		say: func(v float64) string {
			if v == 0 {
				return "не отказывался(ась) от предложенных вакансий"
			}
			return "отказов от предложенных вакансий: " + strconv.Itoa(int(v))
		}, missing: ""},
}

func yesNo(yes, no string) func(float64) string {
	return func(v float64) string {
		if v >= 0.5 {
			return yes
		}
		return no
	}
}

// decimal writes x with digits after a decimal comma, as Russian does.
func decimal(x float64, digits int) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', digits, 64), ".", ",", 1)
}

// Completeness is the share of the profile's optional facts that are known.
func (r *Record) Completeness() float64 {
	known := []bool{r.HasSNILS, r.AvgGrade > 0, r.University || r.DemoExam > 0, !math.IsNaN(r.Attendance),
		!math.IsNaN(r.Debts), r.Social != "", r.DDO != nil, r.HasPreference}
	n := 0
	for _, k := range known {
		if k {
			n++
		}
	}
	return float64(n) / float64(len(known))
}

// FeatureNames are the keys of the model's columns, in order.
func FeatureNames() []string {
	out := make([]string, len(features))
	for j, f := range features {
		out[j] = f.key
	}
	return out
}

// Label is the Russian name of a feature key.
func Label(key string) string {
	for _, f := range features {
		if f.key == key {
			return f.label
		}
	}
	return key
}

// Matrix turns records into the model's rows.
func Matrix(recs []Record, d Demand) learn.Matrix {
	m := learn.NewMatrix(len(recs), len(features), FeatureNames())
	for i := range recs {
		row := m.Row(i)
		for j, f := range features {
			row[j] = f.value(&recs[i], d)
		}
	}
	return m
}

// Reason is one feature's part in a score, said in Russian.
type Reason struct {
	Feature string  `json:"feature"`
	Text    string  `json:"text"`
	Effect  float64 `json:"effect"` // on the logit scale; positive raises the risk
	Missing bool    `json:"missing,omitempty"`
}

// Raises reports whether the reason raises the risk.
func (r Reason) Raises() bool { return r.Effect > 0 }

// reasons phrases the largest contributions of an explanation.
func reasons(e learn.Explanation, top int) []Reason {
	out := make([]Reason, 0, top)
	for _, c := range e.Reasons {
		if len(out) == top {
			break
		}
		if math.Abs(c.Contribution) < 0.01 {
			continue
		}
		f, ok := featureOf(c.Feature)
		if !ok {
			continue
		}
		r := Reason{Feature: c.Feature, Effect: math.Round(c.Contribution*1000) / 1000, Missing: c.Missing}
		switch {
		case c.Missing && f.missing != "":
			r.Text = f.missing
		case c.Missing:
			r.Text = "нет данных: " + strings.ToLower(f.label)
		case f.contradicts(c.Value, c.Contribution):
			// A part of the score that no person would say: practice done
			// raising the risk. The trees cannot make one from the value
			// itself; one comes from the feature's being recorded at all
			// (a demonstration exam is in colleges only), and is not said.
			continue
		default:
			r.Text = f.say(c.Value)
			if f.dir != 0 && f.less != "" && f.extreme(c.Value) == 0 {
				q := f.more
				if c.Contribution*float64(f.dir) < 0 {
					q = f.less
				}
				r.Text += " (" + q + ")"
			}
		}
		out = append(out, r)
	}
	return out
}

// extreme is -1 when v is the least value the feature takes (no, none,
// zero), +1 when the greatest of a yes or no, 0 otherwise.
func (f feature) extreme(v float64) int {
	switch {
	case f.less == "" && v >= 0.5:
		return 1
	case v <= 0:
		return -1
	}
	return 0
}

// contradicts tells whether an effect on the risk goes against the
// feature's direction for a value at an end of its range: the least
// vacancies, no practice, no debts never lower a risk they are said to
// raise, and the other way round.
func (f feature) contradicts(v, effect float64) bool {
	if f.dir == 0 || math.IsNaN(v) {
		return false
	}
	return effect*float64(f.dir*f.extreme(v)) < 0
}

// Directions are the features' directions in the order of FeatureNames:
// the monotone constraints the models are trained with.
func Directions() []int {
	out := make([]int, len(features))
	for j, f := range features {
		out[j] = f.dir
	}
	return out
}

func featureOf(key string) (feature, bool) {
	for _, f := range features {
		if f.key == key {
			return f, true
		}
	}
	return feature{}, false
}

// Missing lists the features a record lacks, in words, for the card.
func (r *Record) Missing(d Demand) []string {
	var out []string
	for _, f := range features {
		if v := f.value(r, d); math.IsNaN(v) && f.missing != "" {
			out = append(out, f.missing)
		}
	}
	return out
}

// Positive is the label of a past graduate: not working and not studying six
// months after graduation. ok is false when the status is not known.
func Positive(after6 learner.OutcomeStatus) (positive, ok bool) {
	switch after6 {
	case learner.Unemployed, learner.NotEmployed:
		return true, true
	case learner.Employed, learner.SelfEmployed, learner.Studying, learner.Military, learner.Parental:
		return false, true
	}
	return false, false
}

func (r Reason) String() string { return fmt.Sprintf("%s (%+.2f)", r.Text, r.Effect) }

// StudyRecord is what a college records of a student beyond the roster:
// attendance, academic debts, social status. NaN or "" is «not recorded».
type StudyRecord struct {
	LearnerID  int64
	Attendance float64 // share of classes attended, 0–1
	Debts      float64 // academic debts now
	Social     Social
}

// Validate checks the record.
func (r StudyRecord) Validate() error {
	var errs apperr.List
	if !math.IsNaN(r.Attendance) && (r.Attendance < 0 || r.Attendance > 1) {
		errs.Add("attendance", "посещаемость — доля от 0 до 100 %%, а не %s %%", decimal(r.Attendance*100, 0))
	}
	if !math.IsNaN(r.Debts) && (r.Debts < 0 || r.Debts > 50 || r.Debts != math.Trunc(r.Debts)) {
		errs.Add("debts", "число академических задолженностей — целое от 0 до 50")
	}
	if !r.Social.Valid() {
		errs.Add("social", "неизвестный социальный статус «%s»", r.Social)
	}
	return errs.Err()
}
