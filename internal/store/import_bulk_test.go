package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestLoaderOrganisations(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		var fresh org.Organisation
		err := s.Load(ctx, func(l *Loader) error {
			list, err := l.RegionOrganisations("41")
			if err != nil {
				return err
			}
			if len(list) != 4 || list[3].ID != f.empl.ID || list[3].INN != f.empl.INN || list[3].Municipality != f.muni1.Name {
				t.Errorf("region organisations %+v", list)
			}
			if other, err := l.RegionOrganisations("25"); err != nil || len(other) != 0 {
				t.Errorf("another region: %v, %v", other, err)
			}
			empl := list[3]
			empl.Address, empl.Name = "ул. Ленина, 1", "АО «Камчатрыбпром»"
			if err := l.UpdateOrganisations([]org.Organisation{empl}); err != nil {
				return err
			}
			id, err := l.NextID("organisation")
			if err != nil {
				return err
			}
			fresh = org.Organisation{ID: id, RegionCode: "41", Kind: org.Employer, Name: "ООО «Судоремсервис»", INN: "4101000036", MunicipalityID: f.muni2.ID}
			if err := l.Organisations([]org.Organisation{fresh}); err != nil {
				return err
			}
			foreign := empl
			foreign.RegionCode = "25"
			if err := l.UpdateOrganisations([]org.Organisation{foreign}); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("update of another region's organisation: %v, want NotFound", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Orgs.Organisation(ctx, f.empl.ID)
		if err != nil || got.Address != "ул. Ленина, 1" || got.Name != "АО «Камчатрыбпром»" {
			t.Errorf("updated employer %+v, %v", got, err)
		}
		if list, _, err := s.Orgs.Organisations(ctx, org.Filter{Query: "судоремсервис", Limit: 5}); err != nil || len(list) != 1 || list[0].ID != fresh.ID {
			t.Errorf("new organisation not found by name: %+v, %v", list, err)
		}
		// The identity sequence went past the loaded id.
		next := org.Organisation{RegionCode: "41", Kind: org.Employer, Name: "ООО «Новое»", INN: "4101000043", MunicipalityID: f.muni1.ID}
		if err := s.Orgs.CreateOrganisation(ctx, &next); err != nil || next.ID <= fresh.ID {
			t.Errorf("create after load: id %d, %v", next.ID, err)
		}
	})
}

func TestLoaderSaveOutcomes(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		sys := auth.SystemScope("41")
		g := f.graduate.ID // graduated in 2025: milestones on 30.12.2025 and 30.06.2026
		err := s.Load(ctx, func(l *Loader) error {
			add := []learner.Outcome{
				{LearnerID: g, Status: learner.Employed, EmployerID: f.empl.ID, Start: day(2025, 8, 1), Source: "import"},
				{LearnerID: g, Status: learner.Military, Start: day(2025, 11, 15), Source: "import"},
				{LearnerID: f.student.ID, Status: learner.Employed, EmployerName: "ИП Сидоров", Start: day(2026, 9, 1)},
			}
			if err := l.SaveOutcomes("41", add, nil); err != nil {
				return err
			}
			if add[0].ID == 0 || add[1].ID != add[0].ID+1 {
				t.Errorf("ids %d, %d", add[0].ID, add[1].ID)
			}
			hist, err := l.LearnerOutcomes([]int64{g, f.student.ID, f.pupil.ID})
			if err != nil {
				return err
			}
			if len(hist[g]) != 2 || hist[g][0].EmployerName != f.empl.Name || hist[g][1].Status != learner.Military ||
				len(hist[f.student.ID]) != 1 || len(hist[f.pupil.ID]) != 0 {
				t.Errorf("histories %+v", hist)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		check := func(cur, m6, m12 learner.OutcomeStatus) {
			t.Helper()
			l, err := s.Learners.Learner(ctx, sys, g)
			if err != nil {
				t.Fatal(err)
			}
			if l.Current != cur || l.After6 != m6 || l.After12 != m12 {
				t.Errorf("milestones %s/%s/%s, want %s/%s/%s", l.Current, l.After6, l.After12, cur, m6, m12)
			}
			// The tally the dashboards read follows the milestones.
			var n int
			if err := s.read.QueryRowContext(ctx, `SELECT COALESCE(sum(n), 0) FROM learner_tally
				WHERE status = 'graduate' AND graduation_year = 2025 AND outcome_6m = $1 AND outcome_12m = $2`, m6, m12).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("tally of %s/%s: %d, want 1", m6, m12, n)
			}
		}
		check(learner.Military, learner.Military, learner.Military)
		if st, _ := s.Learners.Learner(ctx, sys, f.student.ID); st.Current != learner.Employed || st.After6 != "" {
			t.Errorf("student %s/%s", st.Current, st.After6)
		}

		// The job ended in October and the service began in January: at six months nothing is known.
		err = s.Load(ctx, func(l *Loader) error {
			hist, err := l.LearnerOutcomes([]int64{g})
			if err != nil {
				return err
			}
			job, service := hist[g][0], hist[g][1]
			job.End, service.Start = day(2025, 10, 31), day(2026, 1, 15)
			return l.SaveOutcomes("41", nil, []learner.Outcome{job, service})
		})
		if err != nil {
			t.Fatal(err)
		}
		check(learner.Military, learner.Unknown, learner.Military)
		if hist, _ := s.Learners.Outcomes(ctx, sys, g); len(hist) != 2 || !hist[0].End.Equal(day(2025, 10, 31)) || hist[0].EmployerID != f.empl.ID {
			t.Errorf("history after the change %+v", hist)
		}

		// An employer id must be an employer of the region; the load is then undone.
		errWrong := errors.New("not reached")
		err = s.Load(ctx, func(l *Loader) error {
			if err := l.SaveOutcomes("41", []learner.Outcome{{LearnerID: g, Status: learner.Employed, EmployerID: f.college.ID, Start: day(2026, 3, 1)}}, nil); err != nil {
				return err
			}
			return errWrong
		})
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("outcome with a college as employer: %v, want Invalid", err)
		}
		if hist, _ := s.Learners.Outcomes(ctx, sys, g); len(hist) != 2 {
			t.Errorf("%d outcomes after a refused load, want 2", len(hist))
		}
	})
}
