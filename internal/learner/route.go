package learner

import (
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
)

// StageKind is a step of the route.
type StageKind string

const (
	StageSchool     StageKind = "school"     // обучение в школе
	StageCollege    StageKind = "college"    // обучение в колледже (СПО)
	StageUniversity StageKind = "university" // обучение в вузе
	StagePractice   StageKind = "practice"   // практика у работодателя
	StageWork       StageKind = "work"       // работа
	StageMilitary   StageKind = "military"   // служба в армии
	StageTraining   StageKind = "training"   // переобучение по программе занятости
)

// StageKinds lists every stage kind.
var StageKinds = []StageKind{StageSchool, StageCollege, StageUniversity, StagePractice, StageWork, StageMilitary, StageTraining}

// Name is the Russian name of the stage kind.
func (k StageKind) Name() string {
	switch k {
	case StageSchool:
		return "Школа"
	case StageCollege:
		return "Колледж"
	case StageUniversity:
		return "Вуз"
	case StagePractice:
		return "Практика"
	case StageWork:
		return "Работа"
	case StageMilitary:
		return "Военная служба"
	case StageTraining:
		return "Обучение по программе занятости"
	}
	return string(k)
}

// Stage is a dated step of a learner's route. End is zero while it lasts.
type Stage struct {
	ID            int64
	LearnerID     int64
	Kind          StageKind
	OrgID         int64
	OrgName       string
	SpecialtyCode string
	Start         time.Time
	End           time.Time
	Note          string
}

// Validate checks a stage.
func (s *Stage) Validate() error {
	var errs apperr.List
	known := false
	for _, k := range StageKinds {
		known = known || k == s.Kind
	}
	if !known {
		errs.Add("kind", "неизвестный этап маршрута «%s»", s.Kind)
	}
	if s.Start.IsZero() {
		errs.Add("start", "укажите дату начала этапа")
	}
	if !s.End.IsZero() && s.End.Before(s.Start) {
		errs.Add("end", "дата окончания %s раньше даты начала %s", s.End.Format("02.01.2006"), s.Start.Format("02.01.2006"))
	}
	if s.SpecialtyCode != "" {
		if err := classifier.CheckSpecialtyCode("specialty_code", s.SpecialtyCode); err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
	}
	s.Note = strings.TrimSpace(s.Note)
	return errs.Err()
}

// OutcomeStatus is what a graduate is doing.
type OutcomeStatus string

const (
	Employed     OutcomeStatus = "employed"
	SelfEmployed OutcomeStatus = "self_employed"
	Studying     OutcomeStatus = "studying" // продолжает обучение
	Military     OutcomeStatus = "military"
	Parental     OutcomeStatus = "parental_leave"
	Unemployed   OutcomeStatus = "unemployed" // зарегистрирован в центре занятости
	NotEmployed  OutcomeStatus = "not_employed"
	Unknown      OutcomeStatus = "unknown"
)

// OutcomeStatuses lists every outcome status.
var OutcomeStatuses = []OutcomeStatus{Employed, SelfEmployed, Studying, Military, Parental, Unemployed, NotEmployed, Unknown}

// Name is the Russian name of the outcome status.
func (s OutcomeStatus) Name() string {
	switch s {
	case Employed:
		return "Трудоустроен"
	case SelfEmployed:
		return "Самозанятый / ИП"
	case Studying:
		return "Продолжает обучение"
	case Military:
		return "Военная служба"
	case Parental:
		return "Отпуск по уходу за ребёнком"
	case Unemployed:
		return "Безработный (состоит на учёте в ЦЗН)"
	case NotEmployed:
		return "Не трудоустроен"
	case Unknown:
		return "Нет сведений"
	}
	return string(s)
}

// Valid reports whether s is one of OutcomeStatuses.
func (s OutcomeStatus) Valid() bool {
	for _, v := range OutcomeStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// Occupied reports whether the status counts as occupied in the sense of
// Минпросвещения's monitoring of graduate employment: work (self-employed and
// sole traders included), continuing education, military service or
// parental leave.
func (s OutcomeStatus) Occupied() bool {
	return s == Employed || s == SelfEmployed || s == Studying || s == Military || s == Parental
}

// OccupiedStatuses are the statuses Occupied accepts.
var OccupiedStatuses = []OutcomeStatus{Employed, SelfEmployed, Studying, Military, Parental}

// Working reports whether the status is work, as the national rating counts
// it: employed, self-employed or a sole trader.
func (s OutcomeStatus) Working() bool { return s == Employed || s == SelfEmployed }

// Outcome is one period of a graduate's activity: from Start to End, or
// while it lasts when End is zero. Resolve says which one counts on a day.
type Outcome struct {
	ID           int64
	LearnerID    int64
	Status       OutcomeStatus
	EmployerID   int64 // employed: the employer when it is in the region's registry
	EmployerName string
	EmployerINN  string // the employer's ИНН when the source gives it (СФР, the registry)
	Start        time.Time
	End          time.Time
	Source       string // who or what reported it: college, czn, import, survey
	Note         string
	Salary       int // roubles a month, when known; 0 unknown
}

// Validate checks an outcome.
func (o *Outcome) Validate() error {
	var errs apperr.List
	if !o.Status.Valid() {
		errs.Add("status", "неизвестный статус занятости «%s»", o.Status)
	}
	if o.Start.IsZero() {
		errs.Add("start", "укажите дату, с которой действует статус")
	}
	if !o.End.IsZero() && o.End.Before(o.Start) {
		errs.Add("end", "дата окончания %s раньше даты начала %s", o.End.Format("02.01.2006"), o.Start.Format("02.01.2006"))
	}
	if o.EmployerID != 0 && o.Status != Employed {
		errs.Add("employer_id", "работодатель указывается только для статуса «трудоустроен»")
	}
	o.Note = strings.TrimSpace(o.Note)
	if o.Salary < 0 || o.Salary > 10_000_000 {
		errs.Add("salary", "зарплата %d ₽ вне разумных пределов", o.Salary)
	}
	return errs.Err()
}

// Sources of employment records. Which record counts when two overlap is
// decided by Resolve; the source's rank is part of that rule.
const (
	SourceCollege   = "college"   // the college or university
	SourceCZN       = "czn"       // the employment centre, entered by hand
	SourceCase      = "case"      // a closed employment-centre case
	SourceMatching  = "matching"  // an accepted proposal of the region's matching
	SourceProgramme = "programme" // the result of an active-employment programme
	SourceImport    = "import"    // a loaded file
	SourceSurvey    = "survey"    // the graduate's own answer
	SourceSFR       = "sfr"       // the social fund (СФР) by СНИЛС
)

// SourceName is the Russian name of a record's source.
func SourceName(s string) string {
	switch s {
	case SourceCollege:
		return "образовательная организация"
	case SourceCZN:
		return "центр занятости"
	case SourceCase:
		return "случай центра занятости"
	case SourceMatching:
		return "принятое предложение распределения"
	case SourceProgramme:
		return "программа содействия занятости"
	case SourceImport:
		return "загрузка данных"
	case SourceSurvey:
		return "опрос выпускника"
	case SourceSFR:
		return "СФР"
	case "":
		return "не указан"
	}
	return s
}

// rank orders sources for Resolve: the social fund's records of work
// outrank everything entered by people, who are equal among themselves.
func rank(source string) int {
	if source == SourceSFR {
		return 1
	}
	return 0
}

// Rule is the rule Resolve applies, as pages state it.
const Rule = "Каждая запись — период с датой начала и, если известна, датой окончания. Запись без даты окончания длится до начала " +
	"следующей записи с известным статусом из источника не ниже рангом, а если такой нет — без срока. Окончившийся период " +
	"своё действие прекращает: дальше действует следующая запись или «нет сведений». Если на дату действуют несколько записей, " +
	"учитывается запись с известным статусом, из них — сведения СФР, а среди равных по источнику — начавшаяся позже."

// Until is the last day a record is in force: its end when it has one; for
// an open record, the day before the next record with a known status whose
// source ranks at least as high starts; zero when it lasts. history is
// sorted by Start.
func Until(history []Outcome, i int) time.Time {
	o := history[i]
	if !o.End.IsZero() {
		return o.End
	}
	if o.Status == Unknown {
		// «Нет сведений» ends with any known record after it.
		for _, n := range history[i+1:] {
			if n.Start.After(o.Start) && n.Status != Unknown {
				return n.Start.AddDate(0, 0, -1)
			}
		}
		return time.Time{}
	}
	for _, n := range history[i+1:] {
		if n.Start.After(o.Start) && n.Status != Unknown && rank(n.Source) >= rank(o.Source) {
			return n.Start.AddDate(0, 0, -1)
		}
	}
	return time.Time{}
}

// InForce reports whether record i of history is in force on day d.
func InForce(history []Outcome, i int, d time.Time) bool {
	o := history[i]
	if o.Start.After(d) {
		return false
	}
	u := Until(history, i)
	return u.IsZero() || !u.Before(d)
}

// Resolve answers what a person was doing on day d: the index of the record
// that counts in a history sorted by Start, and -1 when none is in force
// («нет сведений»). Of the records in force, a known status beats «нет
// сведений», the social fund's record beats the others, and of equals the
// later start (then the later entry) counts. Every page, figure, export and
// run reads a status through it; Rule states it in words.
func Resolve(history []Outcome, d time.Time) int {
	best := -1
	for i := range history {
		if history[i].Start.After(d) {
			break
		}
		if !InForce(history, i, d) {
			continue
		}
		if best < 0 || better(history[i], history[best]) {
			best = i
		}
	}
	return best
}

// better reports whether a counts over b when both are in force; a comes
// later in the history.
func better(a, b Outcome) bool {
	if (a.Status == Unknown) != (b.Status == Unknown) {
		return b.Status == Unknown
	}
	if ra, rb := rank(a.Source), rank(b.Source); ra != rb {
		return ra > rb
	}
	return !a.Start.Before(b.Start)
}

// StatusAt returns the status in force on day d from a history sorted by
// Start: Unknown when no record is in force then.
func StatusAt(history []Outcome, d time.Time) OutcomeStatus {
	if i := Resolve(history, d); i >= 0 {
		return history[i].Status
	}
	return Unknown
}

// GraduationDay is the day a cohort is taken to graduate: 30 June of the year.
func GraduationDay(year int) time.Time { return time.Date(year, time.June, 30, 0, 0, 0, 0, time.UTC) }

// Milestones are a learner's statuses read from the history on the days the
// figures count them.
type Milestones struct {
	Current OutcomeStatus // on the day asked
	// Next is the first day after it on which the current status may change
	// (a record starts or ends); zero when nothing is due.
	Next time.Time
	// After6 and After12 are the statuses six and twelve months after
	// graduation; empty for one who has not graduated.
	After6, After12 OutcomeStatus
	// Employer6 and Employer12 identify the employer then (its INN when known,
	// else its registry number or name); empty when not at work for one.
	Employer6, Employer12 string
}

// SameEmployer reports whether a graduate at work six months on works for
// the same employer twelve months on.
func (m Milestones) SameEmployer() bool {
	return m.Employer6 != "" && m.Employer6 == m.Employer12
}

// MilestonesOf reads the milestones from a history sorted by Start, on day
// today, for a graduate of graduationYear (0 for one who has not graduated).
func MilestonesOf(history []Outcome, graduationYear int, today time.Time) Milestones {
	today = Day(today)
	m := Milestones{Current: StatusAt(history, today)}
	for i, o := range history {
		if o.Start.After(today) && (m.Next.IsZero() || o.Start.Before(m.Next)) {
			m.Next = o.Start
		}
		if u := Until(history, i); !u.IsZero() && !u.Before(today) {
			if after := u.AddDate(0, 0, 1); m.Next.IsZero() || after.Before(m.Next) {
				m.Next = after
			}
		}
	}
	if graduationYear == 0 {
		return m
	}
	g := GraduationDay(graduationYear)
	at := func(d time.Time) (OutcomeStatus, string) {
		i := Resolve(history, d)
		if i < 0 {
			return Unknown, ""
		}
		return history[i].Status, history[i].EmployerKey()
	}
	m.After6, m.Employer6 = at(g.AddDate(0, 6, 0))
	m.After12, m.Employer12 = at(g.AddDate(0, 12, 0))
	return m
}

// EmployerKey identifies the employer of a work record: its INN, else its
// number in the registry, else its name; empty for other statuses.
func (o Outcome) EmployerKey() string {
	if o.Status != Employed {
		return ""
	}
	switch {
	case o.EmployerINN != "":
		return "inn:" + o.EmployerINN
	case o.EmployerID != 0:
		return "org:" + strconv.FormatInt(o.EmployerID, 10)
	case strings.TrimSpace(o.EmployerName) != "":
		return "name:" + strings.ToLower(strings.Join(strings.Fields(o.EmployerName), " "))
	}
	return ""
}

// Day is the calendar day of t, as the history keeps dates.
func Day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
