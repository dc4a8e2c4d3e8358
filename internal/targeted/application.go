package targeted

import (
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// Application is a learner's application for an offer and, once selected,
// the targeted-education contract that follows from it. Dates are calendar
// days at midnight in the location of the time they came from.
type Application struct {
	ID               int64
	OfferID          int64
	LearnerID        int64
	Status           Status
	StatusReason     string // why the latest move was made; required for the endings
	SubmittedAt      time.Time
	ContractNo       string
	ContractSignedOn time.Time
	StudyStart       time.Time
	GraduatedOn      time.Time
	ObligationStart  time.Time // first day of work for the employer
	ObligationEnd    time.Time // the day the obligation ends: ObligationStart plus WorkYears
	UpdatedAt        time.Time
	History          []Step // every move, oldest first, the submission included
}

// Step is one move of an application.
type Step struct {
	Status Status
	At     time.Time
	Reason string
	UserID int64 // who made the move; 0 for the system
}

// Transition carries what a move needs besides the target status. Only the
// fields of the move at hand are read.
type Transition struct {
	UserID           int64
	ContractNo       string    // to ContractSigned: required
	ContractSignedOn time.Time // to ContractSigned: required, not after the move
	StudyStart       time.Time // to Studying: defaults to the day of the move
	GraduatedOn      time.Time // to Graduated: required, not after the move
	ObligationStart  time.Time // to WorkingOff: defaults to the day of the move
	WorkYears        int       // to WorkingOff: the offer's WorkYears, required
}

// NewApplication returns a submitted application with its first step.
func NewApplication(offerID, learnerID int64, at time.Time, userID int64) Application {
	return Application{
		OfferID: offerID, LearnerID: learnerID, Status: Submitted, SubmittedAt: at, UpdatedAt: at,
		History: []Step{{Status: Submitted, At: at, UserID: userID}},
	}
}

// Validate checks what every application must have.
func (a *Application) Validate() error {
	var errs apperr.List
	if a.OfferID <= 0 {
		errs.Add("offer_id", "укажите предложение целевого обучения")
	}
	if a.LearnerID <= 0 {
		errs.Add("learner_id", "укажите обучающегося")
	}
	if !a.Status.Valid() {
		errs.Add("status", "неизвестное состояние заявки «%s»", a.Status)
	}
	if a.SubmittedAt.IsZero() {
		errs.Add("submitted_at", "укажите дату подачи заявки")
	}
	return errs.Err()
}

// Move takes the application to status to at the time at, for the given
// reason, checking that the move is legal and that it carries what it needs:
// a reason for an ending other than the fulfilled obligation, the contract's
// number and date for ContractSigned, the graduation date for Graduated, and
// the years owed for WorkingOff, from which the end of the obligation is set.
// The move is appended to History. On error nothing changes.
func (a *Application) Move(to Status, at time.Time, reason string, d Transition) error {
	if !to.Valid() {
		return apperr.Field("status", "неизвестное состояние заявки «%s»", to)
	}
	if !CanMove(a.Status, to) {
		return apperr.New(apperr.Conflict, "нельзя перевести заявку из состояния «%s» в «%s»", a.Status.Title(), to.Title())
	}
	if at.IsZero() {
		return apperr.Field("at", "не указано время перевода заявки")
	}
	reason = strings.TrimSpace(reason)
	b := *a // the changes go to b and reach a only when all is well
	var errs apperr.List
	if to.NeedsReason() && reason == "" {
		errs.Add("reason", "укажите причину: заявка переводится в состояние «%s»", to.Title())
	}
	if utf8.RuneCountInString(reason) > 1000 {
		errs.Add("reason", "причина длиннее 1000 знаков")
	}
	today := dateOf(at)
	switch to {
	case ContractSigned:
		no := strings.TrimSpace(d.ContractNo)
		switch {
		case no == "":
			errs.Add("contract_no", "укажите номер договора о целевом обучении")
		case utf8.RuneCountInString(no) > 100:
			errs.Add("contract_no", "номер договора длиннее 100 знаков")
		}
		switch {
		case d.ContractSignedOn.IsZero():
			errs.Add("contract_signed_on", "укажите дату заключения договора")
		case dayBefore(at, d.ContractSignedOn):
			errs.Add("contract_signed_on", "дата заключения договора %s позже даты записи %s",
				d.ContractSignedOn.Format("02.01.2006"), at.Format("02.01.2006"))
		}
		b.ContractNo, b.ContractSignedOn = no, dateOf(d.ContractSignedOn)
	case Studying:
		b.StudyStart = today
		if !d.StudyStart.IsZero() {
			b.StudyStart = dateOf(d.StudyStart)
		}
	case Graduated:
		switch {
		case d.GraduatedOn.IsZero():
			errs.Add("graduated_on", "укажите дату окончания обучения")
		case dayBefore(at, d.GraduatedOn):
			errs.Add("graduated_on", "дата окончания обучения %s позже даты записи %s",
				d.GraduatedOn.Format("02.01.2006"), at.Format("02.01.2006"))
		case !a.StudyStart.IsZero() && dayBefore(d.GraduatedOn, a.StudyStart):
			errs.Add("graduated_on", "дата окончания обучения %s раньше начала обучения %s",
				d.GraduatedOn.Format("02.01.2006"), a.StudyStart.Format("02.01.2006"))
		}
		b.GraduatedOn = dateOf(d.GraduatedOn)
	case WorkingOff:
		start := today
		if !d.ObligationStart.IsZero() {
			start = dateOf(d.ObligationStart)
		}
		if !a.GraduatedOn.IsZero() && dayBefore(start, a.GraduatedOn) {
			errs.Add("obligation_start", "начало работы %s раньше окончания обучения %s",
				start.Format("02.01.2006"), a.GraduatedOn.Format("02.01.2006"))
		}
		if d.WorkYears < WorkYearsMin || d.WorkYears > WorkYearsMax {
			errs.Add("work_years", "срок работы у заказчика должен быть от %d до %d лет, указано %d", WorkYearsMin, WorkYearsMax, d.WorkYears)
		}
		b.ObligationStart, b.ObligationEnd = start, AddYears(start, d.WorkYears)
	case Fulfilled:
		// The obligation is fulfilled when its term has run; earlier only
		// for a reason the law accepts (the employer released the graduate,
		// the contract was amended), which must be said.
		if !a.ObligationEnd.IsZero() && dayBefore(today, a.ObligationEnd) && reason == "" {
			errs.Add("reason", "срок отработки истекает %s: до него обязательство отмечают исполненным только с причиной (работодатель освободил, договор изменён)",
				a.ObligationEnd.Format("02.01.2006"))
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	b.Status, b.StatusReason, b.UpdatedAt = to, reason, at
	// A fresh slice, so that a caller's copy of the old application keeps its history.
	b.History = append(append(make([]Step, 0, len(a.History)+1), a.History...), Step{Status: to, At: at, Reason: reason, UserID: d.UserID})
	*a = b
	return nil
}

// AddYears returns the same day and month n years after t, or the last day of
// the month when that year has no such day (29 February → 28 February), as a
// period counted in years ends under the Civil Code (ГК РФ, ст. 192).
func AddYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	last := time.Date(y+n, m+1, 0, 0, 0, 0, 0, t.Location()).Day()
	return time.Date(y+n, m, min(d, last), h, mi, s, t.Nanosecond(), t.Location())
}

// ApplicationView is an application with what lists show of its learner and offer.
type ApplicationView struct {
	Application
	Learner       string // full name
	EmployerID    int64
	Employer      string
	SpecialtyCode string
	OrgID         int64
}

// ApplicationFilter selects applications in a list.
type ApplicationFilter struct {
	OfferID       int64
	LearnerID     int64
	Status        Status
	Limit, Offset int
}
