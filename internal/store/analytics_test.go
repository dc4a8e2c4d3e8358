package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// The tally kept by triggers gives the same figures as counting the learners.
func TestTallyMatchesLearners(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		region := auth.Scope{Role: auth.Region, RegionCode: "41"}
		d := func(y, m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
		// The graduate of 2025 works from August: employed at six and twelve months.
		if err := s.Learners.AddOutcome(ctx, region, &learner.Outcome{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: d(2025, 8)}); err != nil {
			t.Fatal(err)
		}
		// A student graduates: status and year change.
		st := f.other
		st.Status, st.Course, st.GraduationYear = learner.Graduate, 0, 2025
		if err := s.Learners.UpdateLearner(ctx, region, &st); err != nil {
			t.Fatal(err)
		}
		scopes := []auth.Scope{
			region,
			{Role: auth.College, RegionCode: "41", OrgID: f.college.ID},
			{Role: auth.CZN, RegionCode: "41", Municipalities: []int64{f.muni2.ID}},
			{Role: auth.School, RegionCode: "41", OrgID: f.school.ID},
		}
		for _, sc := range scopes {
			ov, err := s.Analytics.Overview(ctx, sc)
			if err != nil {
				t.Fatal(err)
			}
			list, _, err := s.Learners.Learners(ctx, sc, learner.Filter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, l := range list {
				want[string(l.Status)]++
			}
			for _, st := range learner.Statuses {
				if ov.Learners[string(st)] != want[string(st)] {
					t.Errorf("%s scope: %d %s by the tally, %d by the list", sc.Role, ov.Learners[string(st)], st, want[string(st)])
				}
			}
		}
		cs, err := s.Analytics.Cohorts(ctx, region, []int{2025})
		if err != nil {
			t.Fatal(err)
		}
		want := analytics.Cohort{Year: 2025, Graduates: 2, Employed6: 1, Known6: 1, Employed12: 1, Known12: 1}
		if cs[0] != want {
			t.Errorf("cohort 2025: %+v, want %+v", cs[0], want)
		}
		// The employer's scope counts from the learners, not the tally.
		cs, err = s.Analytics.Cohorts(ctx, auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID}, []int{2025})
		if err != nil {
			t.Fatal(err)
		}
		if cs[0].Graduates != 1 || cs[0].Employed6 != 1 {
			t.Errorf("employer's cohort: %+v", cs[0])
		}
	})
}
