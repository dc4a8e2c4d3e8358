package risk

import (
	"context"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// ActionKind is what a specialist did in a case.
type ActionKind string

const (
	ActContact    ActionKind = "contact"      // звонок, письмо, встреча
	ActConsult    ActionKind = "consultation" // профконсультация
	ActVacancy    ActionKind = "vacancy"      // предложение вакансии
	ActTraining   ActionKind = "training"     // направление на обучение
	ActMentor     ActionKind = "mentor"       // наставник
	ActPsychology ActionKind = "psychology"   // психологическая помощь
)

// ActionKinds are the kinds in the order forms list them.
var ActionKinds = []ActionKind{ActContact, ActConsult, ActVacancy, ActTraining, ActMentor, ActPsychology}

// Name is the Russian name of the kind.
func (k ActionKind) Name() string {
	switch k {
	case ActContact:
		return "контакт (звонок, письмо, встреча)"
	case ActConsult:
		return "профконсультация"
	case ActVacancy:
		return "предложение вакансии"
	case ActTraining:
		return "направление на обучение"
	case ActMentor:
		return "наставник"
	case ActPsychology:
		return "психологическая помощь"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k ActionKind) Valid() bool {
	for _, v := range ActionKinds {
		if k == v {
			return true
		}
	}
	return false
}

// CaseOutcome is how a case ended.
type CaseOutcome string

const (
	EndEmployed CaseOutcome = "employed"     // трудоустроен
	EndTraining CaseOutcome = "training"     // направлен на обучение
	EndStudying CaseOutcome = "studying"     // продолжает образование
	EndMilitary CaseOutcome = "military"     // призван на военную службу
	EndRefused  CaseOutcome = "refused"      // отказался от помощи
	EndMoved    CaseOutcome = "moved"        // уехал из региона
	EndNoJob    CaseOutcome = "not_employed" // не трудоустроен
)

// CaseOutcomes are the outcomes in the order forms list them.
var CaseOutcomes = []CaseOutcome{EndEmployed, EndTraining, EndStudying, EndMilitary, EndRefused, EndMoved, EndNoJob}

// Name is the Russian name of the outcome.
func (o CaseOutcome) Name() string {
	switch o {
	case EndEmployed:
		return "трудоустроен(а)"
	case EndTraining:
		return "направлен(а) на обучение"
	case EndStudying:
		return "продолжает образование"
	case EndMilitary:
		return "призван(а) на военную службу"
	case EndRefused:
		return "отказался(ась) от помощи"
	case EndMoved:
		return "уехал(а) из региона"
	case EndNoJob:
		return "не трудоустроен(а)"
	}
	return string(o)
}

// Good reports whether the outcome is work, training or study.
func (o CaseOutcome) Good() bool {
	return o == EndEmployed || o == EndTraining || o == EndStudying || o == EndMilitary
}

// Status is the employment status a closed case records for a graduate; ok
// is false for outcomes that are not one (training, refusal, moving away).
func (o CaseOutcome) Status() (learner.OutcomeStatus, bool) {
	switch o {
	case EndEmployed:
		return learner.Employed, true
	case EndStudying:
		return learner.Studying, true
	case EndMilitary:
		return learner.Military, true
	case EndNoJob:
		return learner.NotEmployed, true
	}
	return "", false
}

// Valid reports whether o is a known outcome.
func (o CaseOutcome) Valid() bool {
	for _, v := range CaseOutcomes {
		if o == v {
			return true
		}
	}
	return false
}

// Case statuses.
const (
	CaseOpen   = "open"
	CaseClosed = "closed"
)

// Case is the work of an employment centre with one at-risk student.
type Case struct {
	ID           int64
	RegionCode   string
	LearnerID    int64
	LearnerName  string
	OrgName      string // the student's college or university
	CZNID        int64
	CZNName      string
	Probability  float64 // at opening
	Status       string
	Outcome      CaseOutcome
	Note         string
	OpenedBy     int64
	OpenedByName string
	OpenedAt     time.Time
	ClosedAt     time.Time
	Due          time.Time // the day the next step is due by, while the case is open
	Actions      []Action
	LastAction   time.Time
}

// Open reports whether the case is still being worked.
func (c Case) Open() bool { return c.Status == CaseOpen }

// The centre's own rhythm of work on a case: the first contact within
// FirstContactDays of opening, then a step at least every NextStepDays
// unless an action sets another day.
const (
	FirstContactDays = 3
	NextStepDays     = 30
)

// Overdue reports whether the open case's next step is past its day.
func (c Case) Overdue(today time.Time) bool {
	return c.Open() && !c.Due.IsZero() && c.Due.Before(learner.Day(today))
}

// DueAfterOpening is the day of the first contact of a case opened at t.
func DueAfterOpening(t time.Time) time.Time {
	return learner.Day(t).AddDate(0, 0, FirstContactDays)
}

// Action is one thing done in a case.
type Action struct {
	ID        int64
	CaseID    int64
	Kind      ActionKind
	On        time.Time
	Note      string
	By        int64
	ByName    string
	CreatedAt time.Time
	// Next is the day the next step is due by; zero means NextStepDays
	// after the action.
	Next time.Time
}

// NextDue is the day the case is due again after the action.
func (a Action) NextDue() time.Time {
	if !a.Next.IsZero() {
		return a.Next
	}
	return a.On.AddDate(0, 0, NextStepDays)
}

// Validate checks an action against the day it is recorded.
func (a *Action) Validate(now time.Time) error {
	var errs apperr.List
	if !a.Kind.Valid() {
		errs.Add("kind", "выберите вид действия: контакт, профконсультация, вакансия, обучение, наставник или психологическая помощь")
	}
	if a.On.IsZero() {
		errs.Add("on", "укажите дату действия")
	} else if learner.Day(a.On).After(learner.Day(now)) {
		errs.Add("on", "дата действия %s ещё не наступила", a.On.Format("02.01.2006"))
	}
	a.Note = strings.TrimSpace(a.Note)
	if len([]rune(a.Note)) > 2000 {
		errs.Add("note", "комментарий длиннее 2000 знаков")
	}
	switch {
	case a.Next.IsZero() || a.On.IsZero():
	case a.Next.Before(a.On):
		errs.Add("next", "следующий шаг %s раньше самого действия %s", a.Next.Format("02.01.2006"), a.On.Format("02.01.2006"))
	case a.Next.After(a.On.AddDate(0, 6, 0)):
		errs.Add("next", "следующий шаг %s дальше полугода от действия: случай не ждёт так долго", a.Next.Format("02.01.2006"))
	}
	return errs.Err()
}

// The work of an employment centre with the people at risk: opening a case,
// recording actions, closing it with an outcome.

// OpenCase opens a case for a student the centre sees; the probability at
// opening is the student's score.
func (s *Service) OpenCase(ctx context.Context, sc auth.Scope, learnerID int64, note string) (Case, error) {
	if !CanWorkCases(sc) {
		return Case{}, apperr.New(apperr.Forbidden, "случаи ведут специалисты центров занятости")
	}
	c := Case{RegionCode: sc.RegionCode, LearnerID: learnerID, CZNID: sc.OrgID, Status: CaseOpen, Note: note, OpenedBy: sc.UserID, OpenedAt: s.now()}
	if row, err := s.store.RiskOf(ctx, sc, learnerID); err == nil {
		c.Probability = row.Probability
	} else if !apperr.Is(err, apperr.NotFound) {
		return c, err
	}
	if len([]rune(note)) > 2000 {
		return c, apperr.Field("note", "комментарий длиннее 2000 знаков")
	}
	defer s.forget()
	return c, s.store.OpenCase(ctx, sc, &c)
}

// Case returns a case the caller sees, with its actions.
func (s *Service) Case(ctx context.Context, sc auth.Scope, id int64) (Case, error) {
	if !CanSee(sc) {
		return Case{}, notAllowed()
	}
	return s.store.Case(ctx, sc, id)
}

// Cases lists the cases the caller sees.
func (s *Service) Cases(ctx context.Context, sc auth.Scope, f CaseFilter) ([]Case, int, error) {
	if !CanSee(sc) {
		return nil, 0, notAllowed()
	}
	switch f.Status {
	case "", CaseOpen, CaseClosed:
	default:
		return nil, 0, apperr.Field("status", "состояние случая: open или closed, а не «%s»", f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Cases(ctx, sc, f)
}

// AddAction records an action in an open case.
func (s *Service) AddAction(ctx context.Context, sc auth.Scope, a *Action) error {
	if !CanWorkCases(sc) {
		return apperr.New(apperr.Forbidden, "случаи ведут специалисты центров занятости")
	}
	if err := a.Validate(s.now()); err != nil {
		return err
	}
	a.By, a.CreatedAt = sc.UserID, s.now()
	defer s.forget()
	return s.store.AddAction(ctx, sc, a)
}

// Closing is how a case ends: its outcome and, when the young person went
// to work, the employer and the day the work began, which become a period
// of the person's employment history.
type Closing struct {
	Outcome      CaseOutcome
	Note         string
	Since        time.Time // the day the new status began; zero: the day of closing
	EmployerID   int64     // an employer of the region's registry
	EmployerName string    // or its name
}

// CloseCase closes an open case with its outcome; an outcome that is a
// status (work, study, service, no work) is written into the person's
// employment history as a period that starts on c.Since. Work asks for the
// employer and the day it began.
func (s *Service) CloseCase(ctx context.Context, sc auth.Scope, id int64, c Closing) error {
	if !CanWorkCases(sc) {
		return apperr.New(apperr.Forbidden, "случаи ведут специалисты центров занятости")
	}
	var errs apperr.List
	if !c.Outcome.Valid() {
		errs.Add("outcome", "выберите, чем закончился случай")
	}
	if len([]rune(c.Note)) > 2000 {
		errs.Add("note", "комментарий длиннее 2000 знаков")
	}
	c.EmployerName = strings.TrimSpace(c.EmployerName)
	now := s.now()
	if c.Outcome == EndEmployed {
		if c.EmployerID == 0 && c.EmployerName == "" {
			errs.Add("employer_name", "укажите работодателя, у которого человек начал работать")
		}
		if c.Since.IsZero() {
			errs.Add("since", "укажите дату начала работы")
		}
	}
	if !c.Since.IsZero() && learner.Day(c.Since).After(learner.Day(now)) {
		errs.Add("since", "дата %s ещё не наступила", c.Since.Format("02.01.2006"))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	defer s.forget()
	return s.store.CloseCase(ctx, sc, id, c, now)
}
