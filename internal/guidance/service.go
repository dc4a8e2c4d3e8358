package guidance

import (
	"context"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/history"
)

// Diagnostic is one ДДО taken by a pupil: in the browser by the pupil, or
// entered by a teacher from the paper sheet.
type Diagnostic struct {
	ID        int64
	LearnerID int64
	TakenOn   time.Time
	Answers   ddo.Answers
	Result    ddo.Result
	Source    string // "self" or "paper"
}

// Service is the logic of guidance: who may do what.
type Service struct {
	store  Store
	now    func() time.Time
	counts cache[counted]
	trends cache[[]MonthPoint]
}

// counted is a coverage count: its rows and their total.
type counted struct {
	rows  []Coverage
	total Coverage
}

// NewService returns a Service on the store; now is the clock.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Year is the current school year.
func (s *Service) Year() SchoolYear { return YearOf(s.now()) }

// CanOrganise reports whether the scope may create events: the region for
// any organiser, and schools, colleges, universities, employers and
// employment centres for themselves.
func CanOrganise(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System:
		return true
	case auth.School, auth.College, auth.University, auth.Employer, auth.CZN:
		return sc.OrgID != 0
	}
	return false
}

// CanRecord reports whether the scope records pupils' participation and
// informing: the school for its pupils, and the region.
func CanRecord(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.School && sc.OrgID != 0
}

// CreateEvent validates and stores an event within the caller's rights.
func (s *Service) CreateEvent(ctx context.Context, sc auth.Scope, e *Event) error {
	if !CanOrganise(sc) {
		return apperr.New(apperr.Forbidden, "недостаточно прав для создания мероприятий")
	}
	if !sc.WholeRegion() {
		e.OrganiserID = sc.OrgID
	}
	e.RegionCode = sc.RegionCode
	if err := e.Validate(); err != nil {
		return err
	}
	return s.store.CreateEvent(ctx, e)
}

// UpdateEvent validates and stores the changes of an event: who may create
// it may change it (its organiser and the region), validated as when it was
// created; an event that has taken place keeps its day, place and organiser
// (Event.CheckEdit), checked against the event as it is in the edit's own
// transaction.
func (s *Service) UpdateEvent(ctx context.Context, sc auth.Scope, e *Event) error {
	if !CanOrganise(sc) {
		return apperr.New(apperr.Forbidden, "недостаточно прав для изменения мероприятий")
	}
	old, err := s.store.Event(ctx, sc.RegionCode, e.ID)
	if err != nil {
		return err
	}
	if !old.EditableBy(sc) {
		return apperr.New(apperr.Forbidden, "мероприятие изменяют его организатор и регион")
	}
	switch {
	case !sc.WholeRegion():
		e.OrganiserID = sc.OrgID
	case e.OrganiserID == 0: // the region keeps the organiser unless it names another
		e.OrganiserID = old.OrganiserID
	}
	e.RegionCode = sc.RegionCode
	if err := e.Validate(); err != nil {
		return err
	}
	now := s.now()
	err = s.store.UpdateEvent(ctx, e, func(before Event) error {
		if !before.EditableBy(sc) {
			return apperr.New(apperr.Forbidden, "мероприятие изменяют его организатор и регион")
		}
		return e.CheckEdit(before, now)
	})
	if err == nil {
		s.forget() // the day, the hours or the ticket count in the coverage
	}
	return err
}

// EventHistory returns the edits of an event, the latest first, to those who
// may edit it: its organiser and the region.
func (s *Service) EventHistory(ctx context.Context, sc auth.Scope, id int64) ([]history.Entry, error) {
	e, err := s.store.Event(ctx, sc.RegionCode, id)
	if err != nil {
		return nil, err
	}
	if !e.EditableBy(sc) {
		return nil, apperr.New(apperr.Forbidden, "историю изменений мероприятия видят его организатор и регион")
	}
	return s.store.History(ctx, sc.RegionCode, history.Event, id)
}

// Event returns an event of the caller's region with its bookings.
func (s *Service) Event(ctx context.Context, sc auth.Scope, id int64) (Event, []Booking, error) {
	e, err := s.store.Event(ctx, sc.RegionCode, id)
	if err != nil {
		return e, nil, err
	}
	b, err := s.store.Bookings(ctx, id)
	return e, b, err
}

// Events returns a page of the region's events.
func (s *Service) Events(ctx context.Context, sc auth.Scope, f EventFilter) ([]Event, int, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, 0, apperr.Field("kind", "вид мероприятия «%s» неизвестен", f.Kind)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Events(ctx, sc.RegionCode, f)
}

// Book reserves places of a bookable event for the caller's school.
func (s *Service) Book(ctx context.Context, sc auth.Scope, eventID int64, seats int) error {
	if sc.Role != auth.School || sc.OrgID == 0 {
		return apperr.New(apperr.Forbidden, "места на мероприятия бронирует школа")
	}
	if seats < 1 || seats > 1000 {
		return apperr.Field("seats", "число мест должно быть от 1 до 1000, указано %d", seats)
	}
	return s.store.Book(ctx, sc.RegionCode, eventID, sc.OrgID, seats)
}

// Record marks pupils as taking part in an event: all of them or none.
func (s *Service) Record(ctx context.Context, sc auth.Scope, eventID int64, ids []int64) (int, error) {
	if !CanRecord(sc) {
		return 0, apperr.New(apperr.Forbidden, "участие отмечает школа или региональный оператор")
	}
	ev, err := s.store.Event(ctx, sc.RegionCode, eventID)
	if err != nil {
		return 0, err
	}
	if now := s.now(); ev.HeldOn.After(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)) {
		return 0, apperr.Field("learner_ids", "мероприятие «%s» пройдёт %s: участие отмечают после него", ev.Title, ev.HeldOn.Format("02.01.2006"))
	}
	n, err := s.store.AddParticipants(ctx, sc, eventID, ids)
	s.forget()
	return n, err
}

// Unrecord takes a pupil off an event's list.
func (s *Service) Unrecord(ctx context.Context, sc auth.Scope, eventID, learnerID int64) error {
	if !CanRecord(sc) {
		return apperr.New(apperr.Forbidden, "участие отмечает школа или региональный оператор")
	}
	defer s.forget()
	return s.store.RemoveParticipant(ctx, sc, eventID, learnerID)
}

// Participants lists the pupils of an event the caller sees.
func (s *Service) Participants(ctx context.Context, sc auth.Scope, eventID int64) ([]Pupil, error) {
	if !sc.SeesPersons() {
		return nil, nil
	}
	return s.store.Participants(ctx, sc, eventID)
}

// Inform records that pupils were informed about targeted education on a day
// in a way; all of them or none.
func (s *Service) Inform(ctx context.Context, sc auth.Scope, ids []int64, on time.Time, m Method, note string) error {
	if !CanRecord(sc) {
		return apperr.New(apperr.Forbidden, "информирование отмечает школа или региональный оператор")
	}
	recs := make([]Informing, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		i := Informing{RegionCode: sc.RegionCode, LearnerID: id, OrgID: sc.OrgID, On: on, Method: m, Note: strings.TrimSpace(note)}
		if err := i.Validate(s.now()); err != nil {
			return err
		}
		recs = append(recs, i)
	}
	defer s.forget()
	return s.store.Inform(ctx, sc, recs)
}

// SetLevel records the профминимум level of the caller's school (or, for the
// region, of any school) for the current school year.
func (s *Service) SetLevel(ctx context.Context, sc auth.Scope, orgID int64, level Level) error {
	if !level.Valid() {
		return apperr.Field("level", "уровень профминимума «%s» неизвестен: базовый, основной или продвинутый", level)
	}
	switch {
	case sc.WholeRegion():
	case sc.Role == auth.School && sc.OrgID == orgID:
	default:
		return apperr.New(apperr.Forbidden, "уровень профминимума выбирает сама школа")
	}
	defer s.forget()
	return s.store.SetLevel(ctx, sc.RegionCode, orgID, s.Year(), level)
}

// Level returns a school's level for the current year and whether it chose one.
func (s *Service) Level(ctx context.Context, orgID int64) (Level, bool, error) {
	return s.store.Level(ctx, orgID, s.Year())
}

// Coverage is the coverage of a school year by school or municipality, the
// total and the monthly trend, over what the caller sees.
type CoverageReport struct {
	Year  SchoolYear
	By    string
	Rows  []Coverage
	Total Coverage
	Trend []MonthPoint
}

// Coverage computes the coverage report.
func (s *Service) Coverage(ctx context.Context, sc auth.Scope, year SchoolYear, by string) (CoverageReport, error) {
	if by != "municipality" {
		by = "school"
	}
	if year == 0 {
		year = s.Year()
	}
	rep := CoverageReport{Year: year, By: by}
	var err error
	if rep.Rows, rep.Total, err = s.CountCoverage(ctx, sc, year, by); err != nil {
		return rep, err
	}
	rep.Trend, err = s.trend(ctx, sc, year)
	return rep, err
}

// Trend is the current school year's reach and informing by the end of each
// month among the caller's pupils, from the same count as Coverage's.
func (s *Service) Trend(ctx context.Context, sc auth.Scope) ([]MonthPoint, error) {
	return s.trend(ctx, sc, s.Year())
}

// trend counts a school year's months, from a count at most two minutes old
// that no write through this Service has made stale.
func (s *Service) trend(ctx context.Context, sc auth.Scope, year SchoolYear) ([]MonthPoint, error) {
	return s.trends.get(ctx, coverageKey(sc, year, ""), s.now(), func() ([]MonthPoint, error) {
		return s.store.Trend(context.WithoutCancel(ctx), sc, year, s.now())
	})
}

// forget drops the counts: something was written.
func (s *Service) forget() {
	s.counts.forget()
	s.trends.forget()
}

// CountCoverage counts the coverage of a school year by school,
// municipality or ("") in total, from a count at most two minutes old that
// no write through this Service has made stale.
func (s *Service) CountCoverage(ctx context.Context, sc auth.Scope, year SchoolYear, by string) ([]Coverage, Coverage, error) {
	c, err := s.counts.get(ctx, coverageKey(sc, year, by), s.now(), func() (counted, error) {
		rows, total, err := s.store.Coverage(context.WithoutCancel(ctx), sc, year, by)
		return counted{rows, total}, err
	})
	return c.rows, c.total, err
}

// Pupils returns a page of pupils with their guidance this school year.
func (s *Service) Pupils(ctx context.Context, sc auth.Scope, f PupilFilter) ([]Pupil, int, error) {
	switch f.Not {
	case "", "reached", "informed", "hours":
	default:
		return nil, 0, apperr.Field("not", "неизвестный отбор «%s»", f.Not)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	return s.store.Pupils(ctx, sc, s.Year(), f)
}

// Classes lists a school's classes of grades 6–11.
func (s *Service) Classes(ctx context.Context, sc auth.Scope, orgID int64) ([]Class, error) {
	return s.store.Classes(ctx, sc, orgID)
}

// ClassPupils lists the pupils of one class with their guidance this year.
func (s *Service) ClassPupils(ctx context.Context, sc auth.Scope, orgID int64, c Class) ([]Pupil, error) {
	list, _, err := s.store.Pupils(ctx, sc, s.Year(), PupilFilter{OrgID: orgID, Grade: c.Grade, Group: c.Group, Limit: 1000})
	return list, err
}

// TakeDiagnostic scores a complete ДДО sheet and stores it for the learner.
// A pupil takes it for themself; a school or the region enters a paper sheet.
func (s *Service) TakeDiagnostic(ctx context.Context, sc auth.Scope, learnerID int64, answers string) (Diagnostic, error) {
	d := Diagnostic{LearnerID: learnerID, TakenOn: s.now(), Source: "paper"}
	switch {
	case sc.Role == auth.Learner:
		if sc.LearnerID != learnerID {
			return d, apperr.New(apperr.Forbidden, "опросник проходят только за себя")
		}
		d.Source = "self"
	case CanRecord(sc):
	default:
		return d, apperr.New(apperr.Forbidden, "недостаточно прав для записи результатов диагностики")
	}
	a, err := ddo.ParseAnswers(answers)
	if err != nil {
		return d, err
	}
	d.Answers, d.Result = a, ddo.Score(a)
	return d, s.store.SaveDiagnostic(ctx, sc, &d)
}

// LearnerGuidance is what a learner's card shows of guidance.
type LearnerGuidance struct {
	Events      []Event
	Informings  []Informing
	Diagnostics []Diagnostic
	Hours       int // this school year
}

// ForLearner returns a learner's guidance; the caller has already read the card.
func (s *Service) ForLearner(ctx context.Context, sc auth.Scope, learnerID int64) (LearnerGuidance, error) {
	var g LearnerGuidance
	var err error
	if g.Events, err = s.store.LearnerEvents(ctx, sc, learnerID); err != nil {
		return g, err
	}
	year := s.Year()
	for _, e := range g.Events {
		if YearOf(e.HeldOn) == year {
			g.Hours += e.Hours
		}
	}
	if g.Informings, err = s.store.Informings(ctx, sc, learnerID); err != nil {
		return g, err
	}
	g.Diagnostics, err = s.store.Diagnostics(ctx, sc, learnerID)
	return g, err
}
