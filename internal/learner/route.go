package learner

import (
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

// CountsAsEmployed reports whether the status counts towards the graduate
// employment figure: employed, self-employed, continuing education or military service.
func (s OutcomeStatus) CountsAsEmployed() bool {
	return s == Employed || s == SelfEmployed || s == Studying || s == Military
}

// Outcome is one entry of a graduate's employment history, valid from Start
// until the next entry (or End, when the job ended).
type Outcome struct {
	ID           int64
	LearnerID    int64
	Status       OutcomeStatus
	EmployerID   int64 // employed: the employer when it is in the region's registry
	EmployerName string
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

// StatusAt returns the status in force on date d from a history sorted by Start,
// Unknown when nothing was recorded by then.
func StatusAt(history []Outcome, d time.Time) OutcomeStatus {
	st := Unknown
	for _, o := range history {
		if o.Start.After(d) {
			break
		}
		st = o.Status
		if !o.End.IsZero() && o.End.Before(d) && o.Status == Employed {
			st = NotEmployed
		}
	}
	return st
}

// GraduationDay is the day a cohort is taken to graduate: 30 June of the year.
func GraduationDay(year int) time.Time { return time.Date(year, time.June, 30, 0, 0, 0, 0, time.UTC) }

// Milestones returns the current status and the statuses six and twelve months
// after graduation in the given year, from a history sorted by Start.
func Milestones(history []Outcome, graduationYear int) (current, after6, after12 OutcomeStatus) {
	if len(history) > 0 {
		current = history[len(history)-1].Status
	}
	if graduationYear == 0 {
		return current, "", ""
	}
	g := GraduationDay(graduationYear)
	return current, StatusAt(history, g.AddDate(0, 6, 0)), StatusAt(history, g.AddDate(0, 12, 0))
}
