package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
	"marshrut/internal/org"
	"marshrut/internal/referral"
	"marshrut/internal/risk"
)

func TestReferrals(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
		svc := referral.NewService(s.Referrals, func() time.Time { return now })
		ms := measures.NewService(s.Measures, func() time.Time { return now })
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

		// A training service is a group of a programme of active measures.
		prog := measures.Programme{Name: "Сварщик ручной дуговой сварки", ProviderID: f.college.ID, Customer: measures.B2G,
			Profession: "Сварщик", Hours: 256, Format: measures.FullTime, Price: 40000}
		if err := ms.CreateProgramme(ctx, region, &prog); err != nil {
			t.Fatal(err)
		}
		group := measures.Group{ProgrammeID: prog.ID, Name: "С-2026-2", Start: day(2026, 11, 2), End: day(2027, 3, 31), Capacity: 12}
		if err := ms.CreateGroup(ctx, region, &group); err != nil {
			t.Fatal(err)
		}
		training := referral.Offering{Kind: referral.Training, Name: "Обучение сварщиков для молодёжи", AgeMin: 16, AgeMax: 35, Places: 5,
			Start: day(2026, 11, 2), End: day(2027, 3, 31), GroupID: group.ID}
		if err := svc.Create(ctx, centre, &training); err != nil {
			t.Fatal(err)
		}
		if training.CZNID != czn.ID {
			t.Errorf("a centre's service belongs to %d, want %d", training.CZNID, czn.ID)
		}
		// Summer work for teenagers of the Elizovo district only, with one place.
		summer := referral.Offering{Kind: referral.SummerWork, Name: "Летняя трудовая бригада", AgeMin: 14, AgeMax: 17, Places: 1,
			MunicipalityID: f.muni2.ID, Start: day(2026, 11, 1), End: day(2027, 8, 31), Provider: "МАУ «Молодёжный центр»"}
		if err := svc.Create(ctx, centre, &summer); err != nil {
			t.Fatal(err)
		}
		consult := referral.Offering{Kind: referral.Consultation, Name: "Профконсультация: выбор профессии", AgeMin: 14, AgeMax: 35, Places: 1,
			Start: day(2026, 11, 1), End: day(2027, 6, 30)}
		if err := svc.Create(ctx, centre, &consult); err != nil {
			t.Fatal(err)
		}
		// Refusals: a training service without a group, a college adding one,
		// a centre changing another's, a group of nowhere.
		bad := referral.Offering{Kind: referral.Training, Name: "Без группы", AgeMin: 16, AgeMax: 35, Places: 5, Start: day(2026, 12, 1), End: day(2027, 1, 1)}
		if err := svc.Create(ctx, centre, &bad); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "группу") {
			t.Errorf("training without a group: %v", err)
		}
		if err := svc.Create(ctx, college, &summer); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college adds a service: %v", err)
		}
		other := summer
		if err := svc.Update(ctx, centre2, summer.ID, &other); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another centre edits the service: %v", err)
		}
		bad.GroupID = 999999
		if err := svc.Create(ctx, centre, &bad); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "999999") {
			t.Errorf("a group of nowhere: %v", err)
		}
		// The catalogue is the region's: a college and another centre see it,
		// filtered by age and municipality.
		list, total, err := svc.Offerings(ctx, college, referral.Filter{Age: 15, MunicipalityID: f.muni1.ID})
		if err != nil || total != 1 || list[0].ID != consult.ID {
			t.Errorf("for a 15-year-old of Petropavlovsk: %v %d %+v", err, total, list)
		}
		if list, total, _ := svc.Offerings(ctx, centre2, referral.Filter{Query: "ПРОФКОНСУЛЬТАЦИЯ"}); total != 1 || list[0].ID != consult.ID {
			t.Errorf("search in any case: %d %+v", total, list)
		}
		if _, total, _ := svc.Offerings(ctx, centre2, referral.Filter{}); total != 3 {
			t.Errorf("another centre sees %d services, want 3", total)
		}

		// Referral to training enrols the graduate, in one step.
		before := countRows(t, s, "measure_enrolment")
		r := referral.Referral{LearnerID: f.graduate.ID, OfferingID: training.ID}
		if err := svc.Refer(ctx, centre, &r); err != nil {
			t.Fatal(err)
		}
		if r.EnrolmentID == 0 || r.Status != referral.Started || countRows(t, s, "measure_enrolment") != before+1 {
			t.Errorf("training referral %+v: enrolments %d → %d", r, before, countRows(t, s, "measure_enrolment"))
		}
		_, enrolled, err := ms.Group(ctx, region, group.ID)
		if err != nil || len(enrolled) != 1 || enrolled[0].LearnerID != f.graduate.ID || enrolled[0].ManagerID != czn.ID {
			t.Errorf("the group's enrolments: %v %+v", err, enrolled)
		}
		// The same again is refused and writes nothing.
		again := referral.Referral{LearnerID: f.graduate.ID, OfferingID: training.ID}
		if err := svc.Refer(ctx, centre, &again); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("the same training twice: %v", err)
		}
		if n := countRows(t, s, "referral"); n != 1 {
			t.Errorf("referrals after a refusal: %d", n)
		}
		// Completion is recorded on the group; the referral reads it.
		if err := ms.Complete(ctx, centre, r.EnrolmentID, day(2026, 11, 24), time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.Referral(ctx, centre, r.ID); got.Status != referral.Done || !got.Result.Equal(day(2026, 11, 24)) {
			t.Errorf("after completion the referral is %s on %s", got.Status, got.Result)
		}
		if err := svc.Change(ctx, centre, r.ID, referral.Change{Status: referral.Done, On: day(2026, 11, 24)}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a training referral's status set by hand: %v", err)
		}

		// Age, municipality and places: the student of Petropavlovsk is not
		// the Elizovo centre's; the other student (19) is too old for summer work.
		foreign := referral.Referral{LearnerID: f.student.ID, OfferingID: consult.ID}
		if err := svc.Refer(ctx, centre, &foreign); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a person outside the centre's municipalities: %v", err)
		}
		old := referral.Referral{LearnerID: f.other.ID, OfferingID: summer.ID}
		if err := svc.Refer(ctx, centre, &old); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "14–17") {
			t.Errorf("summer work for a 19-year-old: %v", err)
		}
		ok := referral.Referral{LearnerID: f.other.ID, OfferingID: consult.ID}
		if err := svc.Refer(ctx, centre, &ok); err != nil {
			t.Fatal(err)
		}
		full := referral.Referral{LearnerID: f.graduate.ID, OfferingID: consult.ID}
		if err := svc.Refer(ctx, centre, &full); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "мест") {
			t.Errorf("a service with no place left: %v", err)
		}
		// Only the centre that referred records the result; dates are checked.
		if err := svc.Change(ctx, centre2, ok.ID, referral.Change{Status: referral.Done, On: day(2026, 11, 24)}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another centre records the result: %v", err)
		}
		if err := svc.Change(ctx, centre, ok.ID, referral.Change{Status: referral.Done, On: day(2026, 12, 24)}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a result in the future: %v", err)
		}
		if err := svc.Change(ctx, centre, ok.ID, referral.Change{Status: referral.Refused, On: day(2026, 11, 24)}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a refusal without a reason: %v", err)
		}
		if err := svc.Change(ctx, centre, ok.ID, referral.Change{Status: referral.Done, On: day(2026, 11, 24)}); err != nil {
			t.Fatal(err)
		}

		// A referral to a vacancy made in a case: the case records it, a hire
		// becomes work in the graduate's history with the vacancy's employer.
		items := vacancies(t, f, matcher(t))
		if _, err := s.Vacancies.UpsertVacancies(ctx, items); err != nil {
			t.Fatal(err)
		}
		c := risk.Case{RegionCode: "41", LearnerID: f.graduate.ID, CZNID: czn.ID, Probability: 0.7, Status: risk.CaseOpen, OpenedBy: 2, OpenedAt: now}
		if err := s.Risks.OpenCase(ctx, centre, &c); err != nil {
			t.Fatal(err)
		}
		closed := referral.Referral{LearnerID: f.graduate.ID, VacancyID: items[1].Vacancy.ID, CaseID: c.ID}
		if err := svc.Refer(ctx, centre, &closed); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a closed vacancy: %v", err)
		}
		wrongCase := referral.Referral{LearnerID: f.other.ID, VacancyID: items[0].Vacancy.ID, CaseID: c.ID}
		if err := svc.Refer(ctx, centre, &wrongCase); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a case of another person: %v", err)
		}
		job := referral.Referral{LearnerID: f.graduate.ID, VacancyID: items[0].Vacancy.ID, CaseID: c.ID, Note: "собеседование 25.11"}
		if err := svc.Refer(ctx, centre, &job); err != nil {
			t.Fatal(err)
		}
		if job.EmployerID != f.empl.ID || job.VacancyTitle != "Электрогазосварщик 5 разряда" {
			t.Errorf("vacancy referral %+v", job)
		}
		got, err := s.Risks.Case(ctx, centre, c.ID)
		if err != nil || len(got.Actions) != 1 || got.Actions[0].Kind != risk.ActVacancy || !strings.Contains(got.Actions[0].Note, "Электрогазосварщик") {
			t.Errorf("the case's actions: %v %+v", err, got.Actions)
		}
		if err := svc.Change(ctx, centre, job.ID, referral.Change{Status: referral.Started, On: day(2026, 11, 24)}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a vacancy referral «started»: %v", err)
		}
		if err := svc.Change(ctx, centre, job.ID, referral.Change{Status: referral.Hired, On: day(2026, 11, 24)}); err != nil {
			t.Fatal(err)
		}
		hist, err := s.Learners.Outcomes(ctx, region, f.graduate.ID)
		if err != nil || len(hist) == 0 {
			t.Fatalf("history: %v %+v", err, hist)
		}
		last := hist[len(hist)-1]
		if last.Status != learner.Employed || last.Source != learner.SourceCZN || last.EmployerID != f.empl.ID || !last.Start.Equal(day(2026, 11, 24)) {
			t.Errorf("the hire in the history: %+v", last)
		}

		// Lists: the centre its own, the region all, a college none.
		if _, n, _ := svc.Referrals(ctx, centre, referral.RefFilter{}); n != 3 {
			t.Errorf("the centre's referrals: %d, want 3", n)
		}
		if _, n, _ := svc.Referrals(ctx, centre2, referral.RefFilter{}); n != 0 {
			t.Errorf("another centre's referrals: %d, want 0", n)
		}
		if _, n, _ := svc.Referrals(ctx, region, referral.RefFilter{CaseID: c.ID}); n != 1 {
			t.Errorf("the case's referrals for the region: %d, want 1", n)
		}
		if _, _, err := svc.Referrals(ctx, college, referral.RefFilter{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college lists referrals: %v", err)
		}
		// Places cannot fall below those taken.
		fewer := consult
		fewer.Places = 0
		if err := svc.Update(ctx, centre, consult.ID, &fewer); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("no places: %v", err)
		}
		more := consult
		more.Places = 20
		more.Name = "Профконсультация: выбор профессии и работы"
		if err := svc.Update(ctx, region, consult.ID, &more); err != nil {
			t.Fatal(err)
		}
		if o, _ := svc.Offering(ctx, centre, consult.ID); o.Places != 20 || o.Referred != 1 || o.CZNID != czn.ID || o.Free() != 19 {
			t.Errorf("after the region's edit: %+v", o)
		}
		// The refused edit left nothing; the region's edit is in the history,
		// which the centre reads and a college does not.
		h, err := svc.OfferingHistory(ctx, centre, consult.ID)
		if err != nil || len(h) != 1 {
			t.Fatalf("the service's history: %+v, %v; want the region's edit alone", h, err)
		}
		if got := h[0].Changes; len(got) != 2 || got[0].Field != "Название" || got[1] != (history.Change{Field: "Мест", Old: history.Int(consult.Places), New: "20"}) {
			t.Errorf("the edit's changes: %+v", got)
		}
		if _, err := svc.OfferingHistory(ctx, college, consult.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college reads the service's history: %v", err)
		}
	})
}
