package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/measures"
	"marshrut/internal/mentor"
	"marshrut/internal/org"
)

// A programme's edit lands with its record: the changed fields read by name
// and with roubles, the editor from the request; a save that changed nothing
// and a refused edit (another centre's programme, a new provider once groups
// exist, a new price once people are enrolled) change and record nothing.
func TestProgrammeEditHistory(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := measures.NewService(s.Measures, func() time.Time { return now })
		bg := context.Background()
		czn := org.Organisation{RegionCode: "41", Kind: org.CZN, Name: "ЦЗН Елизовского района", MunicipalityID: f.muni2.ID}
		czn2 := org.Organisation{RegionCode: "41", Kind: org.CZN, Name: "ЦЗН Петропавловска-Камчатского", MunicipalityID: f.muni1.ID}
		for _, o := range []*org.Organisation{&czn, &czn2} {
			if err := s.Orgs.CreateOrganisation(bg, o); err != nil {
				t.Fatal(err)
			}
		}
		centre := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: czn.ID, UserID: 7}
		centre2 := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: czn2.ID, UserID: 8}
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
		ctx := auth.WithCaller(bg, auth.User{ID: 7, Login: "czn.elizovo"}, centre)

		p := measures.Programme{Name: "Повар", ProviderName: "АНО ДПО «Профи»", Customer: measures.B2G, Profession: "Повар",
			Hours: 144, Format: measures.Mixed, Price: 25000}
		if err := svc.CreateProgramme(ctx, centre, &p); err != nil {
			t.Fatal(err)
		}
		edit := p
		edit.ProviderID, edit.ProviderName, edit.Hours, edit.Price = f.college.ID, "", 160, 30000
		if err := svc.UpdateProgramme(ctx, centre, &edit); err != nil {
			t.Fatal(err)
		}
		same := edit
		if err := svc.UpdateProgramme(ctx, centre, &same); err != nil {
			t.Fatal(err)
		}
		// Another centre sees the programme but does not edit it.
		other := edit
		other.Name = "Кондитер"
		if err := svc.UpdateProgramme(ctx, centre2, &other); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another centre edits the programme: %v", err)
		}
		bad := edit
		bad.Hours = 8
		if err := svc.UpdateProgramme(ctx, centre, &bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("8 hours: %v", err)
		}
		// A group with one person: the provider and the price now stay.
		g := measures.Group{ProgrammeID: p.ID, Name: "П-1", Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			End: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), Capacity: 10}
		if err := svc.CreateGroup(ctx, centre, &g); err != nil {
			t.Fatal(err)
		}
		e := measures.Enrolment{GroupID: g.ID, Category: measures.Unemployed, Person: measures.Person{LastName: "Орлов", FirstName: "Иван", BirthYear: 1990}}
		if err := svc.Enrol(ctx, centre, &e); err != nil {
			t.Fatal(err)
		}
		moved := edit
		moved.ProviderID = f.college2.ID
		if err := svc.UpdateProgramme(ctx, centre, &moved); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), "1 группа") {
			t.Errorf("a new provider with a group: %v", err)
		}
		dearer := edit
		dearer.Price = 35000
		if err := svc.UpdateProgramme(ctx, centre, &dearer); !apperr.Is(err, apperr.Conflict) ||
			!strings.Contains(apperr.Text(err), "зачислено 1 человек") || !strings.Contains(apperr.Text(err), "30 000") {
			t.Errorf("a new price with people enrolled: %v", err)
		}
		if got, _, err := svc.Programme(ctx, centre, p.ID); err != nil || got.Price != 30000 || got.ProviderID != f.college.ID || got.Name != "Повар" {
			t.Errorf("refused edits changed the programme: %+v, %v", got, err)
		}
		h, err := svc.ProgrammeHistory(ctx, centre, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 1 {
			t.Fatalf("history has %d entries, want 1: %+v", len(h), h)
		}
		want := []history.Change{
			{Field: "Обучает", Old: "АНО ДПО «Профи»", New: f.college.Name},
			{Field: "Объём, часов", Old: "144", New: "160"},
			{Field: "Стоимость обучения одного человека", Old: "25 000 ₽", New: "30 000 ₽"},
		}
		if !reflect.DeepEqual(h[0].Changes, want) || h[0].Login != "czn.elizovo" || h[0].UserID != 7 {
			t.Errorf("the edit %+v by %q, want %+v by czn.elizovo", h[0].Changes, h[0].Login, want)
		}
		if h, err := svc.ProgrammeHistory(ctx, region, p.ID); err != nil || len(h) != 1 {
			t.Errorf("the region reads %d entries, %v", len(h), err)
		}
		if _, err := svc.ProgrammeHistory(ctx, centre2, p.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another centre reads the history: %v", err)
		}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}
		if _, err := svc.ProgrammeHistory(ctx, college, p.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the provider reads the history: %v", err)
		}
	})
}

// A mentor's edit lands with its record; with active pairs the organisation
// stays and the mentees at once do not fall below them; a refused edit and
// one that changed nothing record nothing.
func TestMentorEditHistory(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := mentor.NewService(s.Mentorship, nil, func() time.Time { return now })
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 3}
		college2 := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college2.ID, UserID: 4}
		empl := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID, UserID: 5}
		ctx := auth.WithCaller(context.Background(), auth.User{ID: 5, Login: "hr.kamrybprom"}, empl)

		m := mentor.Mentor{OrgID: f.college.ID, FullName: "Петров Олег Иванович", Position: "механик", Capacity: 2}
		if err := svc.SaveMentor(ctx, empl, &m); err != nil {
			t.Fatal(err)
		}
		edit := m
		edit.Position, edit.SpecialtyCode, edit.Capacity = "главный механик", "15.02.08", 3
		if err := svc.UpdateMentor(ctx, empl, &edit); err != nil {
			t.Fatal(err)
		}
		if edit.SpecialtyName == "" || !edit.Active {
			t.Errorf("the edited mentor read back: %+v", edit)
		}
		same := edit
		if err := svc.UpdateMentor(ctx, empl, &same); err != nil {
			t.Fatal(err)
		}
		if err := svc.UpdateMentor(ctx, college2, &edit); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another college edits the mentor: %v", err)
		}
		// A pair: now the college and the load stay.
		prog := mentor.Programme{Form: mentor.EmployerStudent, Title: "Наставники «Камчатрыбпрома»", Year: 2026}
		if err := svc.SaveProgramme(ctx, college, &prog); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.MakePairs(ctx, college, prog.ID, []mentor.Choice{{MentorID: m.ID, LearnerID: f.student.ID}},
			mentor.Terms{Start: now, PlannedEnd: now.AddDate(0, 6, 0), Goals: "Практика"}); err != nil {
			t.Fatal(err)
		}
		moved := edit
		moved.OrgID = f.college2.ID
		if err := svc.UpdateMentor(ctx, empl, &moved); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), "1 действующая пара") {
			t.Errorf("a new college with an active pair: %v", err)
		}
		less := edit
		less.Capacity = 0
		if err := svc.UpdateMentor(ctx, empl, &less); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("no mentees at once: %v", err)
		}
		if got, err := svc.Mentor(ctx, empl, m.ID); err != nil || got.OrgID != f.college.ID || got.Capacity != 3 {
			t.Errorf("refused edits changed the mentor: %+v, %v", got, err)
		}
		h, err := svc.MentorHistory(ctx, empl, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 1 {
			t.Fatalf("history has %d entries, want 1: %+v", len(h), h)
		}
		want := []history.Change{
			{Field: "Должность", Old: "механик", New: "главный механик"},
			{Field: "Специальность по ОКСО", Old: "любая", New: edit.SpecialtyCode + " " + edit.SpecialtyName},
			{Field: "Наставляемых одновременно", Old: "2", New: "3"},
		}
		if !reflect.DeepEqual(h[0].Changes, want) || h[0].Login != "hr.kamrybprom" {
			t.Errorf("the edit %+v by %q, want %+v", h[0].Changes, h[0].Login, want)
		}
		if h, err := svc.MentorHistory(ctx, college, m.ID); err != nil || len(h) != 1 {
			t.Errorf("the college reads %d entries, %v", len(h), err)
		}
		// The mentee sees the mentor of their pair, not the history.
		mentee := auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: f.student.ID}
		if _, err := svc.MentorHistory(ctx, mentee, m.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the mentee reads the history: %v", err)
		}
	})
}
