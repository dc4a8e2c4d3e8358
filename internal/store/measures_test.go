package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
	"marshrut/internal/org"
)

// countRows counts every row of a table, whoever wrote it.
func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.read.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMeasures(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
		svc := measures.NewService(s.Measures, func() time.Time { return now })
		czn := org.Organisation{RegionCode: "41", Kind: org.CZN, Name: "ЦЗН Елизовского района", MunicipalityID: f.muni2.ID}
		czn2 := org.Organisation{RegionCode: "41", Kind: org.CZN, Name: "ЦЗН Петропавловска-Камчатского", MunicipalityID: f.muni1.ID}
		for _, o := range []*org.Organisation{&czn, &czn2} {
			if err := s.Orgs.CreateOrganisation(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
		centre := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: czn.ID, Municipalities: []int64{f.muni2.ID}, UserID: 2}
		centre2 := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: czn2.ID, Municipalities: []int64{f.muni1.ID}, UserID: 3}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 4}
		college2 := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college2.ID, UserID: 5}

		// Programmes: one taught by the college, one by a training centre outside the registry.
		welder := measures.Programme{Name: "Сварщик ручной дуговой сварки", ProviderID: f.college.ID, Customer: measures.B2G,
			Profession: "Сварщик", Hours: 256, Format: measures.FullTime, Price: 40000}
		if err := svc.CreateProgramme(ctx, region, &welder); err != nil {
			t.Fatal(err)
		}
		cook := measures.Programme{Name: "Повар", ProviderName: "АНО ДПО «Учебный центр „Профи“»", Customer: measures.B2B,
			CustomerName: "ООО «Камчатрыбпром»", Profession: "Повар", Hours: 144, Format: measures.Mixed, Price: 25000}
		if err := svc.CreateProgramme(ctx, centre, &cook); err != nil {
			t.Fatal(err)
		}
		if cook.ManagerID != czn.ID || welder.ManagerID != 0 {
			t.Errorf("managers: cook %d, welder %d", cook.ManagerID, welder.ManagerID)
		}
		// The B2B customer named as in the registry is linked to the
		// employer, which sees the programme it ordered and no other.
		if cook.CustomerID != f.empl.ID {
			t.Errorf("the B2B customer %q is linked to %d, want %d", cook.CustomerName, cook.CustomerID, f.empl.ID)
		}
		buyer := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID, UserID: 6}
		if list, total, err := svc.Programmes(ctx, buyer, measures.Filter{}); err != nil || total != 1 || list[0].ID != cook.ID {
			t.Errorf("the employer's programmes: %v %d %+v", err, total, list)
		}
		bad := welder
		bad.ProviderID = f.school.ID
		if err := svc.CreateProgramme(ctx, region, &bad); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "школа") {
			t.Errorf("a school as provider: %v", err)
		}
		if err := svc.CreateProgramme(ctx, college, &bad); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college creates a programme: %v", err)
		}
		got, _, err := svc.Programmes(ctx, centre, measures.Filter{Query: "СВАРЩИК"})
		if err != nil || len(got) != 1 || got[0].ProviderName != f.college.Name {
			t.Errorf("search by profession: %v %+v", err, got)
		}
		if list, total, _ := svc.Programmes(ctx, college, measures.Filter{}); total != 1 || list[0].ID != welder.ID {
			t.Errorf("the college sees %d programmes", total)
		}
		if _, _, err := svc.Programme(ctx, college2, welder.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another college's programme: %v", err)
		}

		group := measures.Group{ProgrammeID: welder.ID, Name: "СВ-2026-1", Start: day(2026, 9, 1), End: day(2026, 12, 20), Capacity: 2}
		if err := svc.CreateGroup(ctx, centre, &group); err != nil {
			t.Fatal(err)
		}
		spring := measures.Group{ProgrammeID: cook.ID, Name: "П-2026-1", Start: day(2026, 2, 1), End: day(2026, 4, 30), Capacity: 10}
		if err := svc.CreateGroup(ctx, region, &spring); err != nil {
			t.Fatal(err)
		}

		// The centre enrols its municipality's graduate and a person who is not a learner.
		grad := measures.Enrolment{GroupID: group.ID, LearnerID: f.graduate.ID, Category: measures.Youth, Enrolled: day(2026, 8, 25)}
		if err := svc.Enrol(ctx, centre, &grad); err != nil {
			t.Fatal(err)
		}
		if grad.Person.BirthYear != 2004 || grad.MunicipalityID != f.muni2.ID || grad.ManagerID != czn.ID {
			t.Errorf("graduate's enrolment %+v", grad)
		}
		adult := measures.Enrolment{GroupID: group.ID, Category: measures.Unemployed, Enrolled: day(2026, 8, 26),
			Person: measures.Person{LastName: "Петров", FirstName: "Олег", MiddleName: "Ильич", BirthYear: 1979, SNILS: "123-456-789 64"}}
		if err := svc.Enrol(ctx, centre, &adult); err != nil {
			t.Fatal(err)
		}
		if adult.Person.ID == 0 || adult.MunicipalityID != f.muni2.ID {
			t.Errorf("person %+v, municipality %d: want the centre's", adult.Person, adult.MunicipalityID)
		}
		// Refusals write nothing: a full group, an unknown category, the same person twice.
		persons := countRows(t, s, "measure_person")
		third := measures.Enrolment{GroupID: group.ID, Category: measures.SVO, Person: measures.Person{LastName: "Сидоров", FirstName: "Иван", BirthYear: 1985}}
		if err := svc.Enrol(ctx, centre, &third); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "заняты все места") {
			t.Errorf("over capacity: %v", err)
		}
		third.GroupID, third.Category = spring.ID, "pensioner"
		if err := svc.Enrol(ctx, centre, &third); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "категория") {
			t.Errorf("unknown category: %v", err)
		}
		if n := countRows(t, s, "measure_person"); n != persons || countRows(t, s, "measure_enrolment") != 2 {
			t.Errorf("refusals wrote: %d persons (were %d)", n, persons)
		}
		// A college that does not teach the group: not found.
		if _, _, err := svc.Group(ctx, college2, group.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a foreign organisation's group: %v", err)
		}
		other := measures.Enrolment{GroupID: group.ID, Category: measures.Youth, Person: measures.Person{LastName: "А", FirstName: "Б", BirthYear: 2000}}
		if err := svc.Enrol(ctx, college2, &other); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a foreign organisation enrols: %v", err)
		}
		// Who sees whom: the provider and the region all, another centre none.
		for _, c := range []struct {
			name string
			sc   auth.Scope
			n    int
		}{{"region", region, 2}, {"centre", centre, 2}, {"provider", college, 2}, {"another centre", centre2, 0}} {
			g, es, err := svc.Group(ctx, c.sc, group.ID)
			if err != nil || len(es) != c.n || g.Taken() != 2 || g.Free() != 0 {
				t.Errorf("%s: %v, %d enrolments, taken %d", c.name, err, len(es), g.Taken())
			}
		}
		if _, err := svc.Enrolment(ctx, centre2, adult.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another centre reads an enrolment: %v", err)
		}

		// Completion before the group started is refused; the provider records it.
		if err := svc.Complete(ctx, college, grad.ID, day(2026, 8, 31), time.Time{}, ""); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(err.Error(), "начинается 01.09.2026") {
			t.Errorf("completion before start: %v", err)
		}
		// Dates are checked against the service's clock: the group ends in December, its people complete early.
		// Both in one form: one that cannot complete refuses the form, and nothing changes.
		if err := svc.CompleteAll(ctx, college, []int64{grad.ID, adult.ID}, day(2026, 8, 31)); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(err.Error(), grad.Person.Name()) {
			t.Errorf("a form with a completion before the start: %v", err)
		}
		if e, _ := svc.Enrolment(ctx, region, adult.ID); e.Status != measures.Enrolled {
			t.Errorf("after the refused form the other is %s", e.Status)
		}
		if err := svc.CompleteAll(ctx, college, []int64{grad.ID}, day(2026, 10, 1)); err != nil {
			t.Fatal(err)
		}
		if err := svc.Complete(ctx, college, grad.ID, day(2026, 10, 2), time.Time{}, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("completed twice: %v", err)
		}
		if err := svc.Complete(ctx, centre, adult.ID, day(2026, 10, 1), day(2026, 10, 20), "ИП Сомов"); err != nil {
			t.Fatal(err)
		}
		figs, err := svc.Figures(ctx, region, measures.FigureFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if tot := figs.Total; tot.Enrolled != 2 || tot.Completed != 2 || tot.Employed != 1 || tot.Waiting != 1 {
			t.Errorf("before the graduate's job: %+v", tot)
		}
		// A learner's job recorded after the programme becomes a period of the learner's history.
		if err := svc.RecordEmployment(ctx, centre, grad.ID, day(2026, 10, 5), ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a learner's job without its employer: %v", err)
		}
		if err := svc.RecordEmployment(ctx, centre, grad.ID, day(2026, 10, 5), "ООО «Камчатрыбпром»"); err != nil {
			t.Fatal(err)
		}
		hist, err := s.Learners.Outcomes(ctx, auth.SystemScope("41"), f.graduate.ID)
		if err != nil || len(hist) == 0 || hist[len(hist)-1].Source != learner.SourceProgramme || !hist[len(hist)-1].Start.Equal(day(2026, 10, 5)) {
			t.Errorf("the programme's period of work: %+v, %v", hist, err)
		}
		e, err := svc.Enrolment(ctx, college, grad.ID)
		if err != nil || !e.EmployedOn.Equal(day(2026, 10, 5)) {
			t.Errorf("graduate's job from the outcome: %v %v", err, e.EmployedOn)
		}

		// In spring's group: one completed without a job, one dropped.
		late := measures.Enrolment{GroupID: spring.ID, Category: measures.ParentalLeave, Enrolled: day(2026, 1, 20),
			Person: measures.Person{LastName: "Кузьмина", FirstName: "Ольга", BirthYear: 1994}}
		gone := measures.Enrolment{GroupID: spring.ID, Category: measures.PreRetirement, Enrolled: day(2026, 1, 20),
			Person: measures.Person{LastName: "Морозов", FirstName: "Пётр", BirthYear: 1968}}
		for _, x := range []*measures.Enrolment{&late, &gone} {
			if err := svc.Enrol(ctx, region, x); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Complete(ctx, region, late.ID, day(2026, 4, 30), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		if err := svc.Drop(ctx, region, gone.ID, day(2026, 3, 1)); err != nil {
			t.Fatal(err)
		}
		figs, err = svc.Figures(ctx, region, measures.FigureFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := measures.Row{Key: "total", Name: "Всего", Enrolled: 4, Completed: 3, Dropped: 1, Employed: 2, Cost: 2*40000 + 2*25000}
		if figs.Total != want {
			t.Errorf("total = %+v\nwant    %+v", figs.Total, want)
		}
		if c, ok := figs.Total.CostPerEmployed(); !ok || c != 65000 {
			t.Errorf("cost per employed = %v", c)
		}
		if len(figs.ByProvider) != 2 || figs.ByProvider[0].Employed+figs.ByProvider[1].Employed != 2 {
			t.Errorf("by provider %+v", figs.ByProvider)
		}
		// Scoped figures: the second centre enrolled nobody; the first centre
		// enrolled two (the region enrolled the spring group, managed by the region).
		for _, c := range []struct {
			name string
			sc   auth.Scope
			f    measures.FigureFilter
			want measures.Headline
		}{
			{"centre", centre, measures.FigureFilter{}, measures.Headline{Enrolled: 2, Completed: 2, Employed: 2, EmploymentShare: 1}},
			{"another centre", centre2, measures.FigureFilter{}, measures.Headline{}},
			{"provider", college, measures.FigureFilter{}, measures.Headline{Enrolled: 2, Completed: 2, Employed: 2, EmploymentShare: 1}},
			{"municipality", region, measures.FigureFilter{MunicipalityID: f.muni2.ID}, measures.Headline{Enrolled: 2, Completed: 2, Employed: 2, EmploymentShare: 1}},
			{"organisation", region, measures.FigureFilter{OrgID: f.college.ID}, measures.Headline{Enrolled: 2, Completed: 2, Employed: 2, EmploymentShare: 1}},
			{"year 2025", region, measures.FigureFilter{Year: 2025}, measures.Headline{}},
			{"region", region, measures.FigureFilter{Year: 2026}, measures.Headline{Enrolled: 4, Completed: 3, Employed: 2, EmploymentShare: 2.0 / 3}},
		} {
			h, err := svc.Headline(ctx, c.sc, c.f)
			if err != nil || h != c.want {
				t.Errorf("%s: %v %+v, want %+v", c.name, err, h, c.want)
			}
		}
		// The same SNILS is the same person: enrolled again, no second row.
		again := measures.Enrolment{GroupID: spring.ID, Category: measures.Unemployed, Enrolled: day(2026, 1, 25),
			Person: measures.Person{LastName: "Петров", FirstName: "Олег", BirthYear: 1979, SNILS: "12345678964"}}
		if err := svc.Enrol(ctx, region, &again); err != nil {
			t.Fatal(err)
		}
		if again.Person.ID != adult.Person.ID {
			t.Errorf("SNILS reused: person %d, was %d", again.Person.ID, adult.Person.ID)
		}
		again.ID = 0
		if err := svc.Enrol(ctx, region, &again); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("enrolled twice in a group: %v", err)
		}
		// A SNILS of a learner the caller sees enrols the learner.
		viaSNILS := measures.Enrolment{GroupID: spring.ID, Category: measures.Youth, Enrolled: day(2026, 1, 25),
			Person: measures.Person{LastName: "Иванова", FirstName: "Мария", BirthYear: 2011, SNILS: "112-233-445 95"}}
		if err := svc.Enrol(ctx, region, &viaSNILS); err != nil {
			t.Fatal(err)
		}
		if viaSNILS.LearnerID != f.pupil.ID || viaSNILS.Person.ID != 0 {
			t.Errorf("enrolled by the SNILS of a learner: learner %d, person %d", viaSNILS.LearnerID, viaSNILS.Person.ID)
		}
	})
}
