package measures

import (
	"context"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Filter narrows a list of programmes.
type Filter struct {
	Query         string // in the name, profession or provider
	Customer      Customer
	Format        Format
	ProviderID    int64
	Limit, Offset int
}

// FigureFilter narrows the enrolments the figures count.
type FigureFilter struct {
	Year           int   // year of enrolment; 0 for every year
	MunicipalityID int64 // where the person lives
	OrgID          int64 // the provider or the employment centre that enrolled
	ProgrammeID    int64
}

// Service is the logic of the measures: who may do what.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Now is the service's clock, for forms that offer today's date.
func (s *Service) Now() time.Time { return s.now() }

// CanSee reports whether the scope sees the measures: the region, the
// employment centres, colleges and universities as providers, and employers
// the programmes they ordered.
func CanSee(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System:
		return true
	case auth.CZN, auth.College, auth.University, auth.Employer:
		return sc.OrgID != 0
	}
	return false
}

// CanManage reports whether the scope creates programmes and groups: the
// region and the employment centres.
func CanManage(sc auth.Scope) bool {
	return sc.WholeRegion() || (sc.Role == auth.CZN && sc.OrgID != 0)
}

// CanEnrol reports whether the scope enrols people and records their
// completion: those who manage, and a provider in the groups it teaches
// (the store keeps it to them).
func CanEnrol(sc auth.Scope) bool {
	return CanManage(sc) || ((sc.Role == auth.College || sc.Role == auth.University) && sc.OrgID != 0)
}

func notAllowed() error {
	return apperr.New(apperr.Forbidden, "программы содействия занятости видят регион, центры занятости, организации, которые по ним обучают, и работодатели-заказчики")
}

func notManager() error {
	return apperr.New(apperr.Forbidden, "программы и группы ведут регион и центры занятости")
}

func notEnroller() error {
	return apperr.New(apperr.Forbidden, "зачисляют и отмечают завершение обучения регион, центры занятости и организация, которая обучает группу")
}

// Programmes lists the programmes the caller sees.
func (s *Service) Programmes(ctx context.Context, sc auth.Scope, f Filter) ([]Programme, int, error) {
	if !CanSee(sc) {
		return nil, 0, notAllowed()
	}
	f.Query = strings.TrimSpace(f.Query)
	if f.Customer != "" && !f.Customer.Valid() {
		return nil, 0, apperr.Field("customer", "заказчик: b2b или b2g, а не «%s»", f.Customer)
	}
	if f.Format != "" && !f.Format.Valid() {
		return nil, 0, apperr.Field("format", "форма обучения: full_time, mixed или distance, а не «%s»", f.Format)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Programmes(ctx, sc, f)
}

// Programme returns a programme the caller sees with its groups.
func (s *Service) Programme(ctx context.Context, sc auth.Scope, id int64) (Programme, []Group, error) {
	if !CanSee(sc) {
		return Programme{}, nil, notAllowed()
	}
	p, err := s.store.Programme(ctx, sc, id)
	if err != nil {
		return p, nil, err
	}
	gs, err := s.store.Groups(ctx, sc, id)
	return p, gs, err
}

// CreateProgramme adds a programme; an employment centre's is its own to manage.
func (s *Service) CreateProgramme(ctx context.Context, sc auth.Scope, p *Programme) error {
	if !CanManage(sc) {
		return notManager()
	}
	p.RegionCode, p.CreatedBy, p.CreatedAt = sc.RegionCode, sc.UserID, s.now()
	p.ManagerID = 0
	if sc.Role == auth.CZN {
		p.ManagerID = sc.OrgID
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.store.CreateProgramme(ctx, sc, p)
}

func notEditor() error {
	return apperr.New(apperr.Forbidden, "программу правят регион и центр занятости, который её ведёт")
}

// UpdateProgramme rewrites a programme: the region any, an employment centre
// the programmes it manages. The values are checked as on creation, and
// against what the programme already holds (CheckEdit); the manager, the
// author and the day of creation stay.
func (s *Service) UpdateProgramme(ctx context.Context, sc auth.Scope, p *Programme) error {
	if !CanManage(sc) {
		return notManager()
	}
	old, err := s.store.Programme(ctx, sc, p.ID)
	if err != nil {
		return err
	}
	if !old.EditableBy(sc) {
		return notEditor()
	}
	p.RegionCode = sc.RegionCode
	if err := p.Validate(); err != nil {
		return err
	}
	return s.store.UpdateProgramme(ctx, sc, p, func(old Programme, groups []Group) error {
		if !old.EditableBy(sc) {
			return notEditor()
		}
		p.ManagerID, p.CreatedBy, p.CreatedAt = old.ManagerID, old.CreatedBy, old.CreatedAt
		return CheckEdit(old, *p, groups)
	})
}

// ProgrammeHistory returns the edits of a programme, the latest first, to
// those who may edit it.
func (s *Service) ProgrammeHistory(ctx context.Context, sc auth.Scope, id int64) ([]history.Entry, error) {
	if !CanSee(sc) {
		return nil, notAllowed()
	}
	p, err := s.store.Programme(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !p.EditableBy(sc) {
		return nil, apperr.New(apperr.Forbidden, "историю изменений программы видят регион и центр занятости, который её ведёт")
	}
	return s.store.History(ctx, sc.RegionCode, history.Programme, id)
}

// CreateGroup adds a group to a programme the caller sees.
func (s *Service) CreateGroup(ctx context.Context, sc auth.Scope, g *Group) error {
	if !CanManage(sc) {
		return notManager()
	}
	g.RegionCode, g.CreatedBy, g.CreatedAt = sc.RegionCode, sc.UserID, s.now()
	g.ManagerID = 0
	if sc.Role == auth.CZN {
		g.ManagerID = sc.OrgID
	}
	if err := g.Validate(); err != nil {
		return err
	}
	return s.store.CreateGroup(ctx, sc, g)
}

// Group returns a group the caller sees with the enrolments the caller sees
// in it: all of them for the region and the provider, an employment
// centre's own for a centre.
func (s *Service) Group(ctx context.Context, sc auth.Scope, id int64) (Group, []Enrolment, error) {
	if !CanSee(sc) {
		return Group{}, nil, notAllowed()
	}
	g, err := s.store.Group(ctx, sc, id)
	if err != nil {
		return g, nil, err
	}
	es, err := s.store.Enrolments(ctx, sc, id)
	return g, es, err
}

// Enrolment returns an enrolment the caller sees.
func (s *Service) Enrolment(ctx context.Context, sc auth.Scope, id int64) (Enrolment, error) {
	if !CanSee(sc) {
		return Enrolment{}, notAllowed()
	}
	return s.store.Enrolment(ctx, sc, id)
}

// Enrol enrols a learner of the region (LearnerID) or another person
// (Person) in a group, as a category; nothing is written when it is refused.
func (s *Service) Enrol(ctx context.Context, sc auth.Scope, e *Enrolment) error {
	if !CanEnrol(sc) {
		return notEnroller()
	}
	now := s.now()
	if !e.Category.Valid() {
		return apperr.Field("category", "неизвестная категория «%s»; допустимы: youth, unemployed, dismissal_risk, svo, pre_retirement, parental_leave", e.Category)
	}
	if e.LearnerID == 0 {
		if err := e.Person.Validate(now); err != nil {
			return err
		}
	}
	e.RegionCode, e.Status, e.CreatedBy, e.CreatedAt = sc.RegionCode, Enrolled, sc.UserID, now
	e.Completed, e.Dropped, e.EmployedOn, e.Employer = time.Time{}, time.Time{}, time.Time{}, ""
	if !e.Enrolled.IsZero() {
		e.Enrolled = dateOf(e.Enrolled)
	}
	e.ManagerID = 0
	if sc.Role == auth.CZN {
		e.ManagerID = sc.OrgID
	}
	return s.store.Enrol(ctx, sc, e, func(g Group) error { return CheckEnrol(e, g, now) })
}

// Complete records that an enrolment completed training on a day; for a
// person who is not a learner, the job found (employedOn, employer) may be
// recorded at once.
func (s *Service) Complete(ctx context.Context, sc auth.Scope, id int64, on, employedOn time.Time, employer string) error {
	if !CanEnrol(sc) {
		return notEnroller()
	}
	now := s.now()
	on = dateOf(on)
	return s.store.ChangeEnrolment(ctx, sc, id, func(e *Enrolment) error {
		if err := CheckComplete(*e, on, now); err != nil {
			return err
		}
		e.Status, e.Completed = Completed, on
		if employedOn.IsZero() {
			return nil
		}
		if err := CheckEmployment(*e, dateOf(employedOn), employer, now); err != nil {
			return err
		}
		e.EmployedOn, e.Employer = dateOf(employedOn), tidy(employer)
		return nil
	}, now)
}

// CompleteAll records that several enrolments of a group completed on one
// day, all or none: one that cannot (dropped, already completed, enrolled
// after that day) refuses the whole form, naming the person.
func (s *Service) CompleteAll(ctx context.Context, sc auth.Scope, ids []int64, on time.Time) error {
	if !CanEnrol(sc) {
		return notEnroller()
	}
	if len(ids) == 0 {
		return apperr.Field("ids", "отметьте хотя бы одного человека")
	}
	now := s.now()
	on = dateOf(on)
	return s.store.ChangeEnrolments(ctx, sc, ids, func(e *Enrolment) error {
		if err := CheckComplete(*e, on, now); err != nil {
			return apperr.Field("ids", "%s: %s", e.Person.Name(), apperr.Text(err))
		}
		e.Status, e.Completed = Completed, on
		return nil
	}, now)
}

// Drop records that an enrolment ended by dropping out on a day.
func (s *Service) Drop(ctx context.Context, sc auth.Scope, id int64, on time.Time) error {
	if !CanEnrol(sc) {
		return notEnroller()
	}
	now := s.now()
	on = dateOf(on)
	return s.store.ChangeEnrolment(ctx, sc, id, func(e *Enrolment) error {
		if err := CheckDrop(*e, on, now); err != nil {
			return err
		}
		e.Status, e.Dropped = Dropped, on
		return nil
	}, now)
}

// RecordEmployment records the job of a person who is not a learner after
// completion.
func (s *Service) RecordEmployment(ctx context.Context, sc auth.Scope, id int64, on time.Time, employer string) error {
	if !CanEnrol(sc) {
		return notEnroller()
	}
	now := s.now()
	on = dateOf(on)
	return s.store.ChangeEnrolment(ctx, sc, id, func(e *Enrolment) error {
		if err := CheckEmployment(*e, on, employer, now); err != nil {
			return err
		}
		e.EmployedOn, e.Employer = on, tidy(employer)
		return nil
	}, now)
}

// Figures are the results of the enrolments the caller sees: the region's
// all, a centre's own, a provider's groups.
func (s *Service) Figures(ctx context.Context, sc auth.Scope, f FigureFilter) (Figures, error) {
	if !CanSee(sc) {
		return Figures{}, notAllowed()
	}
	now := s.now()
	if f.Year != 0 && (f.Year < 2000 || f.Year > now.Year()) {
		return Figures{}, apperr.Field("year", "год зачисления — от 2000 до %d, указано %d", now.Year(), f.Year)
	}
	facts, err := s.store.Facts(ctx, sc, f)
	if err != nil {
		return Figures{}, err
	}
	out := Tally(facts, now)
	out.Year = f.Year
	gs, err := s.store.Graduates(ctx, sc)
	if err != nil {
		return Figures{}, err
	}
	out.Comparison = Compare(gs)
	return out, nil
}

// Headline is the short result for a dashboard: enrolled, completed and at
// work within three months, of the region, a municipality (f.MunicipalityID)
// or an organisation (f.OrgID: the provider or the employment centre), within
// what the caller sees.
func (s *Service) Headline(ctx context.Context, sc auth.Scope, f FigureFilter) (Headline, error) {
	figs, err := s.Figures(ctx, sc, f)
	if err != nil {
		return Headline{}, err
	}
	return HeadlineOf(figs.Total), nil
}
