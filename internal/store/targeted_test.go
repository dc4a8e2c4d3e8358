package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/targeted"
)

func TestTargetedRoute(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := targeted.NewService(s.Targeted, func() time.Time { return now })
		empl := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID, UserID: 7}
		offer := targeted.Offer{OrgID: f.college.ID, SpecialtyCode: "15.02.08", Places: 2, WorkYears: 3, MunicipalityID: f.muni1.ID,
			Deadline: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), Year: 2027, Status: targeted.Published,
			Support: targeted.Support{Stipend: 5000, Housing: true}}
		if err := svc.SaveOffer(ctx, empl, &offer); err != nil {
			t.Fatal(err)
		}
		// The medical college does not teach 15.02.08.
		wrong := offer
		wrong.ID, wrong.OrgID = 0, f.college2.ID
		if err := svc.SaveOffer(ctx, empl, &wrong); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("offer for a specialty not taught: %v", err)
		}
		// The student of 15.02.08 applies; the pupil of grade 9 may too (СПО).
		student := auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: f.student.ID, UserID: 9}
		sugg, err := svc.ForLearner(ctx, student, f.student.ID)
		if err != nil || len(sugg) != 1 || sugg[0].Offer.ID != offer.ID {
			t.Fatalf("suitable offers %+v, %v", sugg, err)
		}
		app, err := svc.Apply(ctx, student, offer.ID, f.student.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Apply(ctx, student, offer.ID, f.student.ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second application: %v", err)
		}
		// The other college's student sees no suitable offer and cannot apply.
		other := auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: f.other.ID}
		if _, err := svc.Apply(ctx, other, offer.ID, f.other.ID); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("application to an unsuitable offer: %v", err)
		}
		// The employer sees the application to its offer; the other college does not.
		list, total, err := svc.Applications(ctx, empl, targeted.ApplicationFilter{OfferID: offer.ID})
		if err != nil || total != 1 || list[0].Learner == "" {
			t.Fatalf("employer's applications %+v, %v", list, err)
		}
		if _, total, _ := svc.Applications(ctx, auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college2.ID}, targeted.ApplicationFilter{}); total != 0 {
			t.Errorf("another college sees %d applications", total)
		}
		if got := targeted.Moves(empl, list[0]); len(got) != 2 {
			t.Errorf("employer's moves from submitted: %v", got)
		}
		// The route: selected, contract, studying (by the college), graduated, working off.
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 3}
		steps := []struct {
			sc   auth.Scope
			to   targeted.Status
			d    targeted.Transition
			fail bool
		}{
			{student, targeted.Selected, targeted.Transition{}, true}, // not the learner's move
			{empl, targeted.Selected, targeted.Transition{}, false},
			{empl, targeted.ContractSigned, targeted.Transition{}, true}, // no contract number
			{empl, targeted.ContractSigned, targeted.Transition{ContractNo: "ЦО-17", ContractSignedOn: now.AddDate(0, 0, -1)}, false},
			{empl, targeted.Studying, targeted.Transition{}, true}, // the college's move
			{college, targeted.Studying, targeted.Transition{}, false},
			{college, targeted.Graduated, targeted.Transition{GraduatedOn: now}, false},
			{empl, targeted.WorkingOff, targeted.Transition{ObligationStart: time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)}, false},
		}
		for i, st := range steps {
			err := svc.Move(ctx, st.sc, app.ID, st.to, "", st.d)
			if (err != nil) != st.fail {
				t.Fatalf("step %d to %s: %v", i, st.to, err)
			}
		}
		got, err := svc.Application(ctx, empl, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != targeted.WorkingOff || got.ContractNo != "ЦО-17" || len(got.History) != 6 ||
			!got.ObligationEnd.Equal(time.Date(2031, 2, 28, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("application %+v", got)
		}
		fig, err := svc.Figures(ctx, auth.Scope{Role: auth.Region, RegionCode: "41"})
		if err != nil || fig.Total.Offers != 1 || fig.Total.Places != 2 || fig.Total.Applications != 1 || fig.Total.Contracts != 1 {
			t.Errorf("figures %+v, %v", fig.Total, err)
		}
	})
}
