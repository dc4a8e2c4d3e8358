package learner

import (
	"context"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// Filter selects learners in a list.
type Filter struct {
	Status         Status
	OrgID          int64
	MunicipalityID int64
	SpecialtyCode  string
	Grade          int
	GraduationYear int
	// Unknown is 3, 6 or 12: graduates whose status that many months after
	// graduation is not known, for someone to find out (3 needs GraduationYear).
	Unknown int
	// NoWork6 keeps the graduates known to be neither at work, in study nor
	// in service six months after graduation.
	NoWork6       bool
	Query         string // start of the surname, or «Фамилия Имя»
	Sort          string // name, birth_date, org, graduation_year
	Desc          bool
	Limit, Offset int
	// ByID pages by id instead of by offset: the learners with an id larger
	// than AfterID, in id order, and no total is counted. Exports walk a whole
	// region this way in time that does not grow with the page number.
	ByID    bool
	AfterID int64
}

// Auditor records who read whose record.
type Auditor interface {
	Audit(ctx context.Context, e auth.AuditEntry) error
}

// Service is the logic of learners and their routes.
type Service struct {
	store Store
	audit Auditor
	now   func() time.Time
}

// NewService returns a Service on the given store; every read of a card is
// written to audit; now is the clock.
func NewService(s Store, audit Auditor, now func() time.Time) *Service {
	return &Service{store: s, audit: audit, now: now}
}

// Create validates and stores a new learner within the caller's scope.
func (s *Service) Create(ctx context.Context, sc auth.Scope, l *Learner) error {
	if !sc.CanEditLearners() {
		return apperr.New(apperr.Forbidden, "недостаточно прав для добавления обучающихся")
	}
	if !sc.WholeRegion() && l.OrgID != sc.OrgID {
		return apperr.Field("org_id", "можно добавлять только обучающихся своей организации")
	}
	l.RegionCode = sc.RegionCode
	if err := l.Validate(s.now()); err != nil {
		return err
	}
	return s.store.CreateLearner(ctx, sc, l)
}

// Update validates and stores changes within the caller's scope.
func (s *Service) Update(ctx context.Context, sc auth.Scope, l *Learner) error {
	if !sc.CanEditLearners() {
		return apperr.New(apperr.Forbidden, "недостаточно прав для изменения сведений об обучающихся")
	}
	if !sc.WholeRegion() && l.OrgID != sc.OrgID {
		return apperr.Field("org_id", "нельзя перевести обучающегося в чужую организацию")
	}
	l.RegionCode = sc.RegionCode
	if err := l.Validate(s.now()); err != nil {
		return err
	}
	return s.store.UpdateLearner(ctx, sc, l)
}

// Card is everything shown on a learner's card.
type Card struct {
	Learner  Learner
	Stages   []Stage
	Outcomes []Outcome
	// Periods are the outcomes as Resolve reads them today, in the same order.
	Periods []Period
	// Now is the status in force today, read from the history (not the
	// stored column, which the nightly pass may not have reached yet).
	Now Milestones
	// Risk is the early warning's figure of a student or graduate, read
	// with the card for those who see risk scores; nil otherwise.
	Risk *RiskNote
}

// RiskNote is a learner's latest risk score and the region's threshold, as
// plain values (the early warning itself lives in package risk).
type RiskNote struct {
	Scored      bool    // the learner has a score
	Probability float64 // of staying without work, when Scored
	ModelID     int64   // the model that scored, when Scored
	// Threshold is the region's threshold when ThresholdSet; a region that
	// has not chosen one uses the early warning's default.
	Threshold    float64
	ThresholdSet bool
}

// Period is an outcome with how the rule of periods reads it on a day.
type Period struct {
	Outcome
	Until   time.Time // the last day it is in force; zero while it lasts
	InForce bool      // in force on the day
	Counts  bool      // the record that counts on the day
	// Over is the record that counts instead while this one is in force.
	Over *Outcome
}

// PeriodsOn reads a history sorted by Start on day d.
func PeriodsOn(history []Outcome, d time.Time) []Period {
	d = Day(d)
	out := make([]Period, len(history))
	win := Resolve(history, d)
	for i, o := range history {
		p := Period{Outcome: o, Until: Until(history, i), InForce: InForce(history, i, d), Counts: i == win}
		if p.InForce && !p.Counts && win >= 0 {
			w := history[win]
			p.Over = &w
		}
		out[i] = p
	}
	return out
}

// Get returns a learner's card within the caller's scope and writes the read
// to the audit log; a read that cannot be audited is not served.
func (s *Service) Get(ctx context.Context, sc auth.Scope, id int64) (Card, error) {
	c, err := s.store.Card(ctx, sc, id)
	if err != nil {
		return Card{}, err
	}
	if err := s.audit.Audit(ctx, auth.AuditEntry{At: s.now(), UserID: sc.UserID, Role: sc.Role, Action: "learner.read", LearnerID: id, From: sc.From}); err != nil {
		return Card{}, err
	}
	year := 0
	if c.Learner.Status == Graduate {
		year = c.Learner.GraduationYear
	}
	now := s.now()
	c.Periods, c.Now = PeriodsOn(c.Outcomes, now), MilestonesOf(c.Outcomes, year, now)
	return c, nil
}

// List returns a page of learners within the caller's scope and the total count.
func (s *Service) List(ctx context.Context, sc auth.Scope, f Filter) ([]Learner, int, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, apperr.Field("status", "неизвестный статус «%s»", f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Learners(ctx, sc, f)
}

// AddStage validates and records a stage of a learner's route.
func (s *Service) AddStage(ctx context.Context, sc auth.Scope, st *Stage) error {
	if !sc.CanEditLearners() {
		return apperr.New(apperr.Forbidden, "недостаточно прав для изменения маршрута")
	}
	if err := st.Validate(); err != nil {
		return err
	}
	return s.store.AddStage(ctx, sc, st)
}

// AddOutcome validates and records an employment outcome.
func (s *Service) AddOutcome(ctx context.Context, sc auth.Scope, o *Outcome) error {
	if !sc.CanRecordOutcomes() {
		return apperr.New(apperr.Forbidden, "недостаточно прав для записи сведений о трудоустройстве")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.store.AddOutcome(ctx, sc, o)
}
