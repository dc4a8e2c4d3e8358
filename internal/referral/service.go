package referral

import (
	"context"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/measures"
)

// Filter narrows the catalogue.
type Filter struct {
	Kind           Kind
	CZNID          int64
	MunicipalityID int64 // services open to the people of this municipality
	Age            int   // services for this age; 0 for any
	Current        bool  // only those that have not ended
	Query          string
	Limit, Offset  int
}

// RefFilter narrows a list of referrals.
type RefFilter struct {
	OfferingID    int64
	LearnerID     int64
	CaseID        int64
	Status        Status
	Kind          Kind // "vacancy" is not a kind: see Vacancies
	Vacancies     bool // only referrals to vacancies
	Limit, Offset int
}

// Person is what a referral needs to know of the young person.
type Person struct {
	ID             int64
	BirthDate      time.Time
	MunicipalityID int64
}

// Service is the logic of the catalogue and the referrals: who may do what.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the referrals' logic over a store.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Now is the clock, for forms that offer today's date.
func (s *Service) Now() time.Time { return s.now() }

// CanSee reports whether the scope sees the catalogue: the region, the
// employment centres, and schools, colleges and universities, whose pupils
// and students the services are for.
func CanSee(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System:
		return true
	case auth.CZN, auth.School, auth.College, auth.University:
		return sc.OrgID != 0
	}
	return false
}

// CanManage reports whether the scope keeps services in the catalogue: the
// region for every centre, a centre for its own.
func CanManage(sc auth.Scope) bool {
	return sc.WholeRegion() || (sc.Role == auth.CZN && sc.OrgID != 0)
}

// CanRefer reports whether the scope refers people: the employment centres,
// for the young people of the municipalities they serve.
func CanRefer(sc auth.Scope) bool { return sc.Role == auth.CZN && sc.OrgID != 0 }

// CanSeeReferrals reports whether the scope sees referrals: the region
// (all), a centre (its own).
func CanSeeReferrals(sc auth.Scope) bool { return sc.WholeRegion() || CanRefer(sc) }

func notAllowed() error {
	return apperr.New(apperr.Forbidden, "каталог услуг для молодёжи видят регион, центры занятости, школы, колледжи и вузы")
}

// Services lists the catalogue.
func (s *Service) Offerings(ctx context.Context, sc auth.Scope, f Filter) ([]Offering, int, error) {
	if !CanSee(sc) {
		return nil, 0, notAllowed()
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Offerings(ctx, sc, f)
}

// Offering is one service of the catalogue.
func (s *Service) Offering(ctx context.Context, sc auth.Scope, id int64) (Offering, error) {
	if !CanSee(sc) {
		return Offering{}, notAllowed()
	}
	return s.store.Offering(ctx, sc, id)
}

// OfferingHistory returns the edits of a service, the latest first, to those
// who may edit it: its centre and the region.
func (s *Service) OfferingHistory(ctx context.Context, sc auth.Scope, id int64) ([]history.Entry, error) {
	o, err := s.Offering(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !o.EditableBy(sc) {
		return nil, apperr.New(apperr.Forbidden, "историю изменений услуги видят её центр занятости и регион")
	}
	return s.store.History(ctx, sc.RegionCode, history.Service, id)
}

// EditableBy reports whether the scope may change the service: the region
// and the centre that offers it.
func (o Offering) EditableBy(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.CZN && sc.OrgID == o.CZNID
}

// Create adds a service to the catalogue: a centre adds its own, the region
// names the centre.
func (s *Service) Create(ctx context.Context, sc auth.Scope, x *Offering) error {
	if !CanManage(sc) {
		return apperr.New(apperr.Forbidden, "услуги в каталог добавляют центры занятости и регион")
	}
	if sc.Role == auth.CZN {
		x.CZNID = sc.OrgID
	}
	if x.CZNID == 0 {
		return apperr.Field("czn_id", "выберите центр занятости, который оказывает услугу")
	}
	if err := x.Validate(); err != nil {
		return err
	}
	now := s.now()
	x.RegionCode, x.CreatedBy, x.CreatedAt, x.UpdatedAt = sc.RegionCode, sc.UserID, now, now
	return s.store.CreateOffering(ctx, sc, x)
}

// Update rewrites a service; its places cannot fall below those taken, and
// a training service keeps its group once people were enrolled through it.
func (s *Service) Update(ctx context.Context, sc auth.Scope, id int64, x *Offering) error {
	if !CanManage(sc) {
		return apperr.New(apperr.Forbidden, "услуги каталога правят центр занятости, который их оказывает, и регион")
	}
	if err := x.Validate(); err != nil {
		return err
	}
	now := s.now()
	return s.store.UpdateOffering(ctx, sc, id, x, func(old Offering) error {
		if x.Places < old.Referred {
			return apperr.Field("places", "мест не может стать меньше, чем уже направлено: %d", old.Referred)
		}
		if old.Referred > 0 && old.Kind != x.Kind {
			return apperr.Field("kind", "по услуге уже есть направления: вид услуги не меняется")
		}
		if old.Referred > 0 && old.GroupID != x.GroupID {
			return apperr.Field("group_id", "по услуге уже зачисляли в группу «%s»: группа не меняется", old.GroupName)
		}
		x.ID, x.RegionCode, x.CZNID, x.CreatedBy, x.CreatedAt, x.UpdatedAt = old.ID, old.RegionCode, old.CZNID, old.CreatedBy, old.CreatedAt, now
		return nil
	})
}

// Refer sends a young person to a service of the catalogue or to a
// vacancy; nothing is written when it is refused.
func (s *Service) Refer(ctx context.Context, sc auth.Scope, r *Referral) error {
	if !CanRefer(sc) {
		return apperr.New(apperr.Forbidden, "направляют на услуги и вакансии специалисты центров занятости")
	}
	if (r.OfferingID == 0) == (r.VacancyID == "") {
		return apperr.Field("offering_id", "выберите услугу из каталога или вакансию — что-то одно")
	}
	r.Note = tidy(r.Note)
	if len([]rune(r.Note)) > 500 {
		return apperr.Field("note", "комментарий — не длиннее 500 знаков")
	}
	now := s.now()
	r.RegionCode, r.CZNID, r.CreatedBy, r.CreatedAt = sc.RegionCode, sc.OrgID, sc.UserID, now
	r.On, r.Status, r.Reason, r.Result = Day(now), Sent, "", time.Time{}
	return s.store.Refer(ctx, sc, r, func(p Person, x *Offering) error {
		if x == nil {
			return nil
		}
		if err := x.Eligible(p.BirthDate, p.MunicipalityID, now); err != nil {
			return err
		}
		r.Kind = x.Kind
		if x.Kind == Training {
			r.Status, r.Result = Started, r.On
		}
		return nil
	})
}

// EnrolmentOf is the enrolment a referral to training makes: the person as
// young, enrolled by the centre on the day of the referral; the store
// checks it against the group with measures.CheckEnrol.
func EnrolmentOf(r Referral, groupID int64) measures.Enrolment {
	return measures.Enrolment{RegionCode: r.RegionCode, GroupID: groupID, LearnerID: r.LearnerID, Category: measures.Youth,
		Status: measures.Enrolled, ManagerID: r.CZNID, Enrolled: r.On, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
}

// Referrals lists referrals: the region's all, a centre's own.
func (s *Service) Referrals(ctx context.Context, sc auth.Scope, f RefFilter) ([]Referral, int, error) {
	if !CanSeeReferrals(sc) {
		return nil, 0, apperr.New(apperr.Forbidden, "направления видят центры занятости и регион")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Referrals(ctx, sc, f)
}

// Referral is one referral.
func (s *Service) Referral(ctx context.Context, sc auth.Scope, id int64) (Referral, error) {
	if !CanSeeReferrals(sc) {
		return Referral{}, apperr.New(apperr.Forbidden, "направления видят центры занятости и регион")
	}
	return s.store.Referral(ctx, sc, id)
}

// Change records what came of a referral.
func (s *Service) Change(ctx context.Context, sc auth.Scope, id int64, c Change) error {
	if !CanRefer(sc) {
		return apperr.New(apperr.Forbidden, "итог направления отмечает центр занятости, который направил")
	}
	now := s.now()
	return s.store.ChangeReferral(ctx, sc, id, func(r *Referral) error {
		if err := r.Check(&c, now); err != nil {
			return err
		}
		r.Status, r.Result, r.Reason = c.Status, c.On, c.Reason
		return nil
	}, now)
}
