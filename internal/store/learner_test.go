package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// fixture is a small region: two municipalities, a school, two colleges, an
// employer and a few learners.
type fixture struct {
	muni1, muni2                    classifier.Municipality
	school, college, college2, empl org.Organisation
	pupil, student, graduate, other learner.Learner
}

func seed(t *testing.T, s *Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{}
	f.muni1 = classifier.Municipality{RegionCode: "41", Name: "Петропавловск-Камчатский городской округ", Kind: "городской округ"}
	f.muni2 = classifier.Municipality{RegionCode: "41", Name: "Елизовский муниципальный район", Kind: "муниципальный район"}
	for _, m := range []*classifier.Municipality{&f.muni1, &f.muni2} {
		if err := s.CreateMunicipality(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	orgs := []*org.Organisation{&f.school, &f.college, &f.college2, &f.empl}
	f.school = org.Organisation{RegionCode: "41", Kind: org.School, Name: "МБОУ «Средняя школа № 1»", MunicipalityID: f.muni1.ID}
	f.college = org.Organisation{RegionCode: "41", Kind: org.College, Name: "Камчатский политехнический техникум", MunicipalityID: f.muni1.ID}
	f.college2 = org.Organisation{RegionCode: "41", Kind: org.College, Name: "Камчатский медицинский колледж", MunicipalityID: f.muni2.ID}
	f.empl = org.Organisation{RegionCode: "41", Kind: org.Employer, Name: "ООО «Камчатрыбпром»", INN: "4101000011", MunicipalityID: f.muni1.ID}
	for _, o := range orgs {
		if err := o.Validate(); err != nil {
			t.Fatalf("fixture %s: %v", o.Name, err)
		}
		if err := s.Orgs.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	sys := auth.SystemScope("41")
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f.pupil = learner.Learner{RegionCode: "41", LastName: "Иванова", FirstName: "Мария", MiddleName: "Петровна", Sex: "ж",
		BirthDate: time.Date(2011, 3, 4, 0, 0, 0, 0, time.UTC), SNILS: "112-233-445 95", Status: learner.Pupil, OrgID: f.school.ID,
		MunicipalityID: f.muni1.ID, Grade: 9}
	f.student = learner.Learner{RegionCode: "41", LastName: "Смирнов", FirstName: "Артём", Sex: "м",
		BirthDate: time.Date(2008, 5, 6, 0, 0, 0, 0, time.UTC), Status: learner.Student, OrgID: f.college.ID, MunicipalityID: f.muni1.ID,
		SpecialtyCode: "15.02.08", Course: 2, Form: learner.FullTime, GraduationYear: 2028}
	f.graduate = learner.Learner{RegionCode: "41", LastName: "Ёлкин", FirstName: "Пётр", Sex: "м",
		BirthDate: time.Date(2004, 1, 2, 0, 0, 0, 0, time.UTC), Status: learner.Graduate, OrgID: f.college.ID, MunicipalityID: f.muni2.ID,
		SpecialtyCode: "22.02.06", Form: learner.FullTime, GraduationYear: 2025}
	f.other = learner.Learner{RegionCode: "41", LastName: "Кузнецова", FirstName: "Анна", Sex: "ж",
		BirthDate: time.Date(2007, 7, 8, 0, 0, 0, 0, time.UTC), Status: learner.Student, OrgID: f.college2.ID, MunicipalityID: f.muni2.ID,
		SpecialtyCode: "34.02.01", Course: 3, Form: learner.FullTime, GraduationYear: 2027}
	for _, l := range []*learner.Learner{&f.pupil, &f.student, &f.graduate, &f.other} {
		if err := l.Validate(now); err != nil {
			t.Fatalf("fixture %s: %v", l.FullName(), err)
		}
		if err := s.Learners.CreateLearner(ctx, sys, l); err != nil {
			t.Fatalf("create %s: %v", l.FullName(), err)
		}
	}
	return f
}

func TestLearnerScope(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}
		czn := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: 99, Municipalities: []int64{f.muni2.ID}}
		tests := []struct {
			name  string
			sc    auth.Scope
			sees  []int64
			hides []int64
		}{
			{"region sees all", auth.Scope{Role: auth.Region, RegionCode: "41"}, []int64{f.pupil.ID, f.student.ID, f.graduate.ID, f.other.ID}, nil},
			{"college sees its own", college, []int64{f.student.ID, f.graduate.ID}, []int64{f.pupil.ID, f.other.ID}},
			{"czn sees its municipalities", czn, []int64{f.graduate.ID, f.other.ID}, []int64{f.pupil.ID, f.student.ID}},
			{"learner sees self", auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: f.pupil.ID}, []int64{f.pupil.ID}, []int64{f.student.ID}},
			{"federal sees no one", auth.Scope{Role: auth.Federal, RegionCode: "41"}, nil, []int64{f.pupil.ID, f.student.ID}},
			{"other region sees no one", auth.Scope{Role: auth.Region, RegionCode: "25"}, nil, []int64{f.pupil.ID}},
			{"employer sees no one yet", auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID}, nil, []int64{f.graduate.ID}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := s.Learners.Learners(ctx, tt.sc, learner.Filter{Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				if total != len(tt.sees) || len(list) != len(tt.sees) {
					t.Errorf("list has %d (total %d), want %d", len(list), total, len(tt.sees))
				}
				for _, id := range tt.sees {
					if _, err := s.Learners.Learner(ctx, tt.sc, id); err != nil {
						t.Errorf("learner %d: %v", id, err)
					}
				}
				for _, id := range tt.hides {
					_, err := s.Learners.Learner(ctx, tt.sc, id)
					if !apperr.Is(err, apperr.NotFound) {
						t.Errorf("learner %d outside the scope: got %v, want NotFound", id, err)
					}
					if _, err := s.Learners.Outcomes(ctx, tt.sc, id); !apperr.Is(err, apperr.NotFound) {
						t.Errorf("outcomes of learner %d outside the scope: got %v, want NotFound", id, err)
					}
				}
			})
		}
		// A foreign learner is answered exactly as a missing one.
		_, errForeign := s.Learners.Learner(ctx, college, f.other.ID)
		_, errMissing := s.Learners.Learner(ctx, college, 999999)
		if errForeign.Error() != errMissing.Error() {
			t.Errorf("foreign %q differs from missing %q", errForeign, errMissing)
		}
		// Once the graduate works for the employer, the employer sees them.
		out := learner.Outcome{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)}
		if err := s.Learners.AddOutcome(ctx, college, &out); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Learners.Learner(ctx, auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID}, f.graduate.ID); err != nil {
			t.Errorf("employer does not see its employee: %v", err)
		}
	})
}

func TestLearnerSearchAndOutcomes(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		region := auth.Scope{Role: auth.Region, RegionCode: "41"}
		for q, want := range map[string]int64{"ивАНова": f.pupil.ID, "елкин": f.graduate.ID, "Смирнов Артём": f.student.ID, "11223344595": f.pupil.ID} {
			list, total, err := s.Learners.Learners(ctx, region, learner.Filter{Query: q, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || list[0].ID != want {
				t.Errorf("search %q: %d found, want learner %d", q, total, want)
			}
		}
		// Sorting and paging.
		list, total, err := s.Learners.Learners(ctx, region, learner.Filter{Sort: "birth_date", Desc: true, Limit: 2, Offset: 1})
		if err != nil {
			t.Fatal(err)
		}
		if total != 4 || len(list) != 2 || list[0].ID != f.student.ID || list[1].ID != f.other.ID {
			t.Errorf("page by birth date desc: total %d, got %v", total, ids(list))
		}
		// Outcomes keep the learner's current status.
		d := func(m int) time.Time { return time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
		for _, o := range []learner.Outcome{
			{LearnerID: f.graduate.ID, Status: learner.Unemployed, Start: d(7)},
			{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: d(10)},
		} {
			if err := s.Learners.AddOutcome(ctx, region, &o); err != nil {
				t.Fatal(err)
			}
		}
		g, err := s.Learners.Learner(ctx, region, f.graduate.ID)
		if err != nil {
			t.Fatal(err)
		}
		if g.Current != learner.Employed || g.SpecialtyName != "Сварочное производство" || g.OrgName != f.college.Name {
			t.Errorf("graduate read back as %+v", g)
		}
		hist, err := s.Learners.Outcomes(ctx, region, f.graduate.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[1].EmployerName != f.empl.Name || !hist[0].Start.Equal(d(7)) {
			t.Errorf("history %+v", hist)
		}
		if st := learner.StatusAt(hist, d(9)); st != learner.Unemployed {
			t.Errorf("status in September: %s", st)
		}
	})
}

func ids(ls []learner.Learner) []int64 {
	out := make([]int64, len(ls))
	for i, l := range ls {
		out[i] = l.ID
	}
	return out
}

func TestLearnerWritesRefused(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		region := auth.Scope{Role: auth.Region, RegionCode: "41"}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}
		count := func() int {
			_, n, err := s.Learners.Learners(ctx, region, learner.Filter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()

		dup := f.student
		dup.ID, dup.SNILS = 0, f.pupil.SNILS
		err := s.Learners.CreateLearner(ctx, region, &dup)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), "СНИЛС 112-233-445 95 уже есть") {
			t.Errorf("duplicate SNILS: %v", err)
		}
		wrong := f.student
		wrong.ID, wrong.OrgID, wrong.SpecialtyCode = 0, f.school.ID, "99.02.99"
		err = s.Learners.CreateLearner(ctx, region, &wrong)
		msg := apperr.Message(err)
		if !strings.Contains(msg, "org_id: студент и выпускник должны быть приписаны к колледжу или вузу") || !strings.Contains(msg, "specialty_code") {
			t.Errorf("wrong references: %q", msg)
		}
		if n := count(); n != before {
			t.Errorf("refused writes left %d learners, want %d", n, before)
		}
		// A college cannot change a learner of another college: NotFound, nothing written.
		other := f.other
		other.LastName = "Изменённая"
		if err := s.Learners.UpdateLearner(ctx, college, &other); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("foreign update: %v", err)
		}
		got, _ := s.Learners.Learner(ctx, region, f.other.ID)
		if got.LastName != "Кузнецова" {
			t.Errorf("foreign update went through: %s", got.LastName)
		}
		// An outcome for a foreign learner, or with a school as the employer, is refused.
		o := learner.Outcome{LearnerID: f.other.ID, Status: learner.Employed, Start: s.now()}
		if err := s.Learners.AddOutcome(ctx, college, &o); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("foreign outcome: %v", err)
		}
		o = learner.Outcome{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.school.ID, Start: s.now()}
		if err := s.Learners.AddOutcome(ctx, college, &o); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("school as employer: %v", err)
		}
		if h, _ := s.Learners.Outcomes(ctx, region, f.graduate.ID); len(h) != 0 {
			t.Errorf("refused outcomes were written: %d", len(h))
		}
	})
}

func TestOrganisations(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		list, total, err := s.Orgs.Organisations(ctx, org.Filter{Kind: org.College, Sort: "name"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || list[0].ID != f.college2.ID || list[1].Learners != 2 {
			t.Errorf("colleges: total %d, %+v", total, list)
		}
		list, _, err = s.Orgs.Organisations(ctx, org.Filter{Query: "4101000011"})
		if err != nil || len(list) != 1 || list[0].ID != f.empl.ID {
			t.Errorf("by INN: %v %+v", err, list)
		}
		list, _, _ = s.Orgs.Organisations(ctx, org.Filter{Query: "медицинский"})
		if len(list) != 1 || list[0].ID != f.college2.ID {
			t.Errorf("by a word of the name: %+v", list)
		}
		o, err := s.Orgs.Organisation(ctx, f.college.ID)
		if err != nil || o.Learners != 2 || o.Municipality != f.muni1.Name {
			t.Errorf("card: %v %+v", err, o)
		}
		if _, err := s.Orgs.Organisation(ctx, 424242); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing organisation: %v", err)
		}
		bad := org.Organisation{RegionCode: "41", Kind: org.Employer, Name: "X", INN: "4101000011", MunicipalityID: 9999}
		if err := s.Orgs.CreateOrganisation(ctx, &bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown municipality: %v", err)
		}
	})
}
