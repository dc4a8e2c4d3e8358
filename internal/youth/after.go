package youth

import (
	"context"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/ddo"
)

// Programme is a specialty an organisation of the region teaches, with its
// places of admission and the open offers of targeted education for it.
type Programme struct {
	OrgID         int64
	OrgName       string
	OrgKind       string
	Municipality  string
	SpecialtyCode string
	SpecialtyName string
	Places        int // the plan of admission, or the capacity when there is no plan
	Offers        int // open offers of targeted education for this specialty here
}

// Trial is a профпроба open for booking that suits a pupil's grade.
type Trial struct {
	ID        int64
	Title     string
	HeldOn    time.Time
	Place     string
	Organiser string
	Specialty string
	Free      int // free places; -1 when the event has no limit
	Signed    bool
}

// Programmes are the programmes of the region's colleges and universities
// whose specialties fit the leading types of a ДДО result.
func (s *Service) Programmes(ctx context.Context, sc auth.Scope, leading []ddo.Type, limit int) ([]Programme, error) {
	var groups []string
	seen := map[string]bool{}
	for _, t := range leading {
		for _, g := range ddo.Groups(t) {
			if !seen[g] {
				seen[g] = true
				groups = append(groups, g[:2])
			}
		}
	}
	if len(groups) == 0 {
		return nil, nil
	}
	return s.store.StudyProgrammes(ctx, sc.RegionCode, groups, limit)
}

// Trials are the профпробы open for booking from today that suit the
// caller's grade, with whether the pupil is signed up.
func (s *Service) Trials(ctx context.Context, sc auth.Scope, limit int) ([]Trial, error) {
	if !sc.Own() {
		return nil, apperr.New(apperr.Forbidden, "профпробы для записи видит сам школьник и его родитель")
	}
	return s.store.Trials(ctx, sc, s.now(), limit)
}

// SignUp books a pupil one place on a профпроба; a minor needs the parent's
// consent to the processing of personal data, as the organiser learns the name.
func (s *Service) SignUp(ctx context.Context, sc auth.Scope, eventID int64) error {
	if sc.Role != auth.Learner {
		return apperr.New(apperr.Forbidden, "записывается на профпробу сам школьник")
	}
	if err := s.Needs(ctx, sc, sc.LearnerID, PersonalData); err != nil {
		return err
	}
	return s.store.SignUp(ctx, sc, eventID, s.now())
}
