package targeted

import (
	"context"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Service is the logic of targeted education: who may do what.
type Service struct {
	store Store
	now   func() time.Time
	// consent, when set, tells whether an application of the learner may go
	// on: a minor's waits for the parent's consent to a targeted contract.
	consent func(ctx context.Context, sc auth.Scope, learnerID int64) error
}

// RequireConsent makes every application ask check first; the program sets
// it to the parent's consent of a minor.
func (s *Service) RequireConsent(check func(ctx context.Context, sc auth.Scope, learnerID int64) error) {
	s.consent = check
}

// NewService returns a Service on the store; now is the clock.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Taught is a specialty an organisation teaches, as the offer form offers
// them.
type Taught struct {
	OrgID         int64
	OrgName       string
	SpecialtyCode string
	SpecialtyName string
}

// Taught lists what the region's colleges and universities teach, by
// organisation and specialty: an offer is made for one of them.
func (s *Service) Taught(ctx context.Context, sc auth.Scope) ([]Taught, error) {
	if !CanOffer(sc) {
		return nil, apperr.New(apperr.Forbidden, "предложения целевого обучения публикуют работодатели и регион")
	}
	return s.store.Taught(ctx, sc.RegionCode)
}

// CanOffer reports whether the scope publishes offers: an employer its own,
// the region any employer's.
func CanOffer(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.Employer && sc.OrgID != 0
}

// SaveOffer validates and stores an offer; an employer's offers are its own.
func (s *Service) SaveOffer(ctx context.Context, sc auth.Scope, o *Offer) error {
	if !CanOffer(sc) {
		return apperr.New(apperr.Forbidden, "предложения целевого обучения публикуют работодатели и регион")
	}
	if sc.Role == auth.Employer {
		if o.ID != 0 {
			old, err := s.store.Offer(ctx, sc.RegionCode, o.ID)
			if err != nil {
				return err
			}
			if old.EmployerID != sc.OrgID {
				return apperr.New(apperr.NotFound, "предложение целевого обучения не найдено")
			}
		}
		o.EmployerID = sc.OrgID
	}
	o.RegionCode = sc.RegionCode
	var teachErr error
	teaches := func(orgID int64, specialty string) bool {
		ok, err := s.store.Teaches(ctx, orgID, specialty)
		if err != nil {
			teachErr = err
			return true
		}
		return ok
	}
	if err := o.Validate(s.now(), teaches); err != nil {
		return err
	}
	if teachErr != nil {
		return teachErr
	}
	return s.store.SaveOffer(ctx, o)
}

// SetStatus publishes or closes an offer.
func (s *Service) SetStatus(ctx context.Context, sc auth.Scope, id int64, status OfferStatus) (Offer, error) {
	o, err := s.Offer(ctx, sc, id)
	if err != nil {
		return o, err
	}
	if !status.Valid() {
		return o, apperr.Field("status", "неизвестное состояние предложения «%s»", status)
	}
	o.Status = status
	return o, s.SaveOffer(ctx, sc, &o)
}

// Offer returns an offer; a draft only to its employer and the region.
func (s *Service) Offer(ctx context.Context, sc auth.Scope, id int64) (Offer, error) {
	o, err := s.store.Offer(ctx, sc.RegionCode, id)
	if err == nil && o.Status == Draft && !sc.WholeRegion() && !(sc.Role == auth.Employer && sc.OrgID == o.EmployerID) {
		err = apperr.New(apperr.NotFound, "предложение целевого обучения не найдено")
	}
	return o, err
}

// OfferHistory returns the edits of an offer, the latest first, to those who
// may edit it: the region and the offer's employer.
func (s *Service) OfferHistory(ctx context.Context, sc auth.Scope, id int64) ([]history.Entry, error) {
	o, err := s.Offer(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !o.EditableBy(sc) {
		return nil, apperr.New(apperr.Forbidden, "историю изменений предложения видят его работодатель и регион")
	}
	return s.store.History(ctx, sc.RegionCode, history.Offer, id)
}

// EditableBy reports whether the scope may change the offer: the region and
// the offer's own employer.
func (o Offer) EditableBy(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.Employer && sc.OrgID == o.EmployerID
}

// Offers returns a page of offers the caller may see.
func (s *Service) Offers(ctx context.Context, sc auth.Scope, f OfferFilter) ([]Offer, int, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, apperr.Field("status", "неизвестное состояние предложения «%s»", f.Status)
	}
	f.Drafts = sc.WholeRegion() || sc.Role == auth.Employer && f.EmployerID == sc.OrgID && sc.OrgID != 0
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Offers(ctx, sc.RegionCode, f)
}

// Suitable lists the open offers that suit a learner, each with why.
type Suitable struct {
	Offer Offer
	Why   string
}

// ForLearner returns the open offers that suit the learner the caller sees.
func (s *Service) ForLearner(ctx context.Context, sc auth.Scope, learnerID int64) ([]Suitable, error) {
	l, err := s.store.Learner(ctx, sc, learnerID)
	if err != nil {
		return nil, err
	}
	offers, _, err := s.store.Offers(ctx, sc.RegionCode, OfferFilter{Status: Published})
	if err != nil {
		return nil, err
	}
	var out []Suitable
	view := ViewOf(l)
	for _, o := range offers {
		if ok, why := Suits(o, view, s.now()); ok {
			out = append(out, Suitable{Offer: o, Why: why})
		}
	}
	return out, nil
}

// Apply submits a learner's application to an open offer that suits them: a
// learner for themself, a school, college or the region on a learner's behalf.
func (s *Service) Apply(ctx context.Context, sc auth.Scope, offerID, learnerID int64) (Application, error) {
	switch {
	case sc.Role == auth.Learner && sc.LearnerID == learnerID:
	case sc.CanEditLearners():
	default:
		return Application{}, apperr.New(apperr.Forbidden, "заявку подаёт сам обучающийся или его образовательная организация")
	}
	if s.consent != nil {
		if err := s.consent(ctx, sc, learnerID); err != nil {
			return Application{}, err
		}
	}
	o, err := s.Offer(ctx, sc, offerID)
	if err != nil {
		return Application{}, err
	}
	l, err := s.store.Learner(ctx, sc, learnerID)
	if err != nil {
		return Application{}, err
	}
	if ok, why := Suits(o, ViewOf(l), s.now()); !ok {
		return Application{}, apperr.New(apperr.Invalid, "предложение не подходит: %s", why)
	}
	a := NewApplication(offerID, learnerID, s.now(), sc.UserID)
	return a, s.store.CreateApplication(ctx, sc, &a)
}

// Application returns an application with its history.
func (s *Service) Application(ctx context.Context, sc auth.Scope, id int64) (ApplicationView, error) {
	return s.store.Application(ctx, sc, id)
}

// Applications returns a page of applications the caller may see.
func (s *Service) Applications(ctx context.Context, sc auth.Scope, f ApplicationFilter) ([]ApplicationView, int, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, apperr.Field("status", "неизвестное состояние заявки «%s»", f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Applications(ctx, sc, f)
}

// Moves are the statuses the caller may move an application to from where
// it stands: the employer runs selection, the contract and its obligation;
// the education organisation records study and graduation; the learner may
// withdraw before the contract; the region may do all.
func Moves(sc auth.Scope, a ApplicationView) []Status {
	var out []Status
	for _, to := range a.Status.Next() {
		if MayMove(sc, a, to) {
			out = append(out, to)
		}
	}
	return out
}

// MayMove reports whether the caller may make the move.
func MayMove(sc auth.Scope, a ApplicationView, to Status) bool {
	switch {
	case sc.WholeRegion():
		return true
	case sc.Role == auth.Employer && sc.OrgID == a.EmployerID:
		return to != Withdrawn && to != Studying && to != Graduated
	case (sc.Role == auth.College || sc.Role == auth.University) && sc.OrgID == a.OrgID:
		return to == Studying || to == Graduated
	case sc.Role == auth.Learner && sc.LearnerID == a.LearnerID:
		return to == Withdrawn
	}
	return false
}

// Move moves an application; nothing changes on a refusal.
func (s *Service) Move(ctx context.Context, sc auth.Scope, id int64, to Status, reason string, d Transition) error {
	d.UserID = sc.UserID
	return s.store.MoveApplication(ctx, sc, id, func(a *ApplicationView, o Offer) error {
		if !MayMove(sc, *a, to) && CanMove(a.Status, to) {
			return apperr.New(apperr.Forbidden, "этот шаг заявки делает не ваша организация")
		}
		d.WorkYears = o.WorkYears
		return a.Application.Move(to, s.now(), reason, d)
	})
}

// Summary is the region's figures of targeted education.
type Summary struct {
	Report
	Employers     map[string]string // employer ids of ByEmployer → names
	Year          int               // graduation year of the contract share
	Graduates     int
	UnderContract int
	ContractShare float64
}

// Figures computes the region's figures; last year's graduates give the
// share of graduates under a contract.
func (s *Service) Figures(ctx context.Context, sc auth.Scope) (Summary, error) {
	if sc.Own() || sc.RegionCode == "" {
		return Summary{}, apperr.New(apperr.Forbidden, "показатели целевого обучения доступны организациям и региону")
	}
	var groups [3][]Cell
	var err error
	for i, by := range []string{"employer", "specialty", "year"} {
		if groups[i], err = s.store.FigureCells(ctx, sc.RegionCode, by); err != nil {
			return Summary{}, err
		}
	}
	f := Summary{Report: CountCells(groups[0], groups[1], groups[2]), Year: s.now().Year(), Employers: map[string]string{}}
	for _, c := range groups[0] {
		f.Employers[strconv.FormatInt(c.EmployerID, 10)] = c.EmployerName
	}
	if s.now().Month() < time.July {
		f.Year--
	}
	if f.Graduates, f.UnderContract, err = s.store.ContractsOfGraduates(ctx, sc.RegionCode, f.Year); err != nil {
		return f, err
	}
	f.ContractShare = ContractShare(f.Graduates, f.UnderContract)
	return f, nil
}
