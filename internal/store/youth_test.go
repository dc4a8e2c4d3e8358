package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
	"marshrut/internal/org"
	"marshrut/internal/vacancy"
	"marshrut/internal/youth"
)

// youthFixture adds to the fixture the accounts of the young person's side
// and an open vacancy of the fixture's employer.
func youthFixture(t *testing.T, s *Store, f *fixture) (grad, pupil, parent, empl, other auth.User, vac string) {
	t.Helper()
	ctx := context.Background()
	second := org.Organisation{RegionCode: "41", Kind: org.Employer, Name: "ООО «Другой работодатель»", INN: "4101000022", MunicipalityID: f.muni1.ID}
	if err := s.Orgs.CreateOrganisation(ctx, &second); err != nil {
		t.Fatal(err)
	}
	users := []*auth.User{
		{Login: "grad", Name: "Пётр Ёлкин", Role: auth.Learner, LearnerID: f.graduate.ID},
		{Login: "pupil", Name: "Мария Иванова", Role: auth.Learner, LearnerID: f.pupil.ID},
		{Login: "parent", Name: "Иванова Ольга", Role: auth.Guardian, LearnerID: f.pupil.ID},
		{Login: "empl", Name: "Отдел кадров", Role: auth.Employer, OrgID: f.empl.ID},
		{Login: "other", Name: "Другой отдел кадров", Role: auth.Employer, OrgID: second.ID},
	}
	for _, u := range users {
		u.RegionCode = "41"
		if err := s.Auth.CreateUser(ctx, u, "hash"); err != nil {
			t.Fatal(err)
		}
	}
	v := vacancy.Vacancy{ID: "resp-0001", Source: vacancy.Manual, RegionCode: "41", EmployerName: f.empl.Name, EmployerINN: f.empl.INN,
		Title: "Техник-механик", Education: vacancy.EduSPO}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Vacancies.UpsertVacancies(ctx, []vacancy.Item{{Vacancy: v}}); err != nil {
		t.Fatal(err)
	}
	return *users[0], *users[1], *users[2], *users[3], *users[4], v.ID
}

func TestYouth(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		gradU, pupilU, parentU, emplU, otherU, vac := youthFixture(t, s, f)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := youth.NewService(s.Youth, s.Youth, func() time.Time { return now })
		grad, pupil, parent, empl, other := gradU.Scope(""), pupilU.Scope(""), parentU.Scope(""), emplU.Scope(""), otherU.Scope("")

		// Consents: a minor cannot give them, the parent can; the history keeps both decisions.
		if err := svc.SetConsent(ctx, pupil, f.pupil.ID, youth.PersonalData, true); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a minor gave a consent: %v", err)
		}
		if err := svc.Needs(ctx, pupil, f.pupil.ID, youth.TargetedContract); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a minor's application went on without consent: %v", err)
		}
		if err := svc.SetConsent(ctx, parent, f.pupil.ID, youth.TargetedContract, true); err != nil {
			t.Fatal(err)
		}
		if err := svc.Needs(ctx, pupil, f.pupil.ID, youth.TargetedContract); err != nil {
			t.Fatalf("consent given, still waiting: %v", err)
		}
		if err := svc.SetConsent(ctx, parent, f.pupil.ID, youth.TargetedContract, false); err != nil {
			t.Fatal(err)
		}
		state, hist, err := svc.Consents(ctx, pupil, f.pupil.ID)
		if err != nil || len(hist) != 2 || state.Has(youth.TargetedContract) || state[youth.TargetedContract].ByName != "Иванова Ольга" {
			t.Fatalf("consents = %+v, %+v, %v", state, hist, err)
		}
		if err := svc.SetConsent(ctx, parent, f.graduate.ID, youth.PersonalData, true); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a parent gave consent for another child: %v", err)
		}
		if _, _, err := svc.Consents(ctx, grad, f.pupil.ID); err == nil {
			if list, _ := s.Youth.Consents(ctx, grad, f.pupil.ID); len(list) != 0 {
				t.Fatal("a graduate read another person's consents")
			}
		}
		// The pupil and the parent both heard of the request and of each decision.
		for _, sc := range []auth.Scope{pupil, parent} {
			msgs, unread, err := svc.Messages(ctx, sc, 10)
			if err != nil || len(msgs) != 3 || unread != 3 || msgs[2].Text != "Нужно согласие родителя: «"+youth.TargetedContract.Name()+"»" {
				t.Fatalf("%s inbox = %d messages, %d unread, %v", sc.Role, len(msgs), unread, err)
			}
		}

		// A response: the employer of the vacancy sees it, another does not.
		// The employer gave an address: the notice waits in the outbox too.
		if err := svc.SetEmail(ctx, empl, "не почта"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a wrong address kept: %v", err)
		}
		if err := svc.SetEmail(ctx, empl, "hr@example.ru"); err != nil {
			t.Fatal(err)
		}
		r, err := svc.Respond(ctx, grad, vac, "Готов выйти с понедельника", "+7 900 000-00-00")
		if err != nil {
			t.Fatal(err)
		}
		due, err := s.Mail.DueLetters(ctx, now.Add(time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].To != "hr@example.ru" || due[0].Kind != "response" || due[0].Link == "" {
			t.Fatalf("outbox = %+v, %v", due, err)
		}
		if err := s.Mail.LetterFailed(ctx, due[0].ID, 1, now.Add(2*time.Hour), "451"); err != nil {
			t.Fatal(err)
		}
		if due, _ := s.Mail.DueLetters(ctx, now.Add(time.Hour), 10); len(due) != 0 {
			t.Fatal("a letter is due before its next attempt")
		}
		if due, _ := s.Mail.DueLetters(ctx, now.Add(3*time.Hour), 10); len(due) != 1 || due[0].Attempts != 1 {
			t.Fatalf("after the wait: %+v", due)
		} else if err := s.Mail.LetterSent(ctx, due[0].ID, now); err != nil {
			t.Fatal(err)
		}
		if due, _ := s.Mail.DueLetters(ctx, now.Add(3*time.Hour), 10); len(due) != 0 {
			t.Fatal("a sent letter is due again")
		}
		if _, err := svc.Respond(ctx, grad, vac, "", ""); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second response to the same vacancy: %v", err)
		}
		if _, err := svc.Respond(ctx, empl, vac, "", ""); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("an employer responded: %v", err)
		}
		for sc, want := range map[*auth.Scope]int{&grad: 1, &empl: 1, &other: 0, &pupil: 0, &parent: 0} {
			list, total, err := svc.Responses(ctx, *sc, youth.ResponseFilter{})
			if err != nil || len(list) != want || total != want {
				t.Fatalf("%s (%d) sees %d responses of %d, want %d: %v", sc.Role, sc.UserID, len(list), total, want, err)
			}
		}
		if _, err := svc.Response(ctx, other, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another employer read the response: %v", err)
		}
		seen, err := svc.Response(ctx, empl, r.ID)
		if err != nil || seen.Status != youth.Viewed || seen.Contact != "+7 900 000-00-00" || seen.Learner != "Ёлкин Пётр" {
			t.Fatalf("employer's view = %+v, %v", seen, err)
		}
		if _, err := svc.Answer(ctx, empl, r.ID, youth.Declined, " "); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a refusal without a reason: %v", err)
		}
		if _, err := svc.Answer(ctx, empl, r.ID, youth.Accepted, ""); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("accepted before the invitation: %v", err)
		}
		if _, err := svc.Answer(ctx, other, r.ID, youth.Invited, ""); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another employer answered: %v", err)
		}
		if x, err := svc.Answer(ctx, empl, r.ID, youth.Invited, ""); err != nil || x.Status != youth.Invited {
			t.Fatalf("invite = %+v, %v", x, err)
		}
		mine, _, _ := svc.Responses(ctx, grad, youth.ResponseFilter{})
		if mine[0].Status != youth.Invited {
			t.Fatalf("the graduate sees %s", mine[0].Status)
		}
		msgs, _, _ := svc.Messages(ctx, grad, 10)
		if len(msgs) != 2 || msgs[0].Kind != "status" {
			t.Fatalf("graduate's inbox = %+v", msgs)
		}
		emsgs, _, _ := svc.Messages(ctx, empl, 10)
		if len(emsgs) != 1 || emsgs[0].Kind != "response" {
			t.Fatalf("employer's inbox = %+v", emsgs)
		}
		if err := svc.ReadMessages(ctx, empl); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := svc.Messages(ctx, empl, 10); unread != 0 {
			t.Fatalf("unread after reading = %d", unread)
		}

		// The invite opens a parent's account once.
		code, _, err := svc.Invite(ctx, auth.Scope{Role: auth.School, RegionCode: "41", OrgID: f.school.ID}, f.pupil.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Invite(ctx, auth.Scope{Role: auth.School, RegionCode: "41", OrgID: f.school.ID}, f.graduate.ID); err == nil {
			t.Fatal("a school invited a parent of another organisation's learner")
		}
		u, err := svc.AcceptInvite(ctx, code, "otec.ivanov", "Иванов Пётр", "длинный-пароль-отца")
		if err != nil || u.Role != auth.Guardian || u.LearnerID != f.pupil.ID {
			t.Fatalf("accept = %+v, %v", u, err)
		}
		if _, err := svc.AcceptInvite(ctx, code, "mat.ivanova", "Иванова", "длинный-пароль-матери"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("an invite used twice: %v", err)
		}
		gs, err := svc.Guardians(ctx, pupil, f.pupil.ID)
		if err != nil || len(gs) != 2 {
			t.Fatalf("guardians = %+v, %v", gs, err)
		}
	})
}

func TestYouthAfterDDO(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		_, pupilU, parentU, _, _, _ := youthFixture(t, s, f)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := youth.NewService(s.Youth, s.Youth, func() time.Time { return now })
		pupil, parent := pupilU.Scope(""), parentU.Scope("")
		sys := auth.SystemScope("41")
		if err := s.Balance.SaveCapacities(ctx, sys, []balance.Capacity{{OrgID: f.college.ID, Specialty: "15.02.08", Capacity: 25, Plan: 20, UpdatedAt: now},
			{OrgID: f.college2.ID, Specialty: "34.02.01", Capacity: 50, UpdatedAt: now}}); err != nil {
			t.Fatal(err)
		}
		progs, err := svc.Programmes(ctx, pupil, []ddo.Type{ddo.Technics}, 10)
		if err != nil || len(progs) != 1 || progs[0].SpecialtyCode != "15.02.08" || progs[0].Places != 20 || progs[0].OrgID != f.college.ID {
			t.Fatalf("programmes of technics = %+v, %v", progs, err)
		}
		// Two places: one booked by a school, one left for a pupil of grade 9.
		ev := guidance.Event{RegionCode: "41", OrganiserID: f.empl.ID, Kind: guidance.Proba, Title: "Профпроба «Сварщик»",
			HeldOn: now.AddDate(0, 0, 7), GradeFrom: 8, GradeTo: 11, Capacity: 2, Hours: 2, Bookable: true}
		past := ev
		past.Title, past.HeldOn = "Прошедшая профпроба", now.AddDate(0, 0, -7)
		for _, e := range []*guidance.Event{&ev, &past} {
			if err := s.Guidance.CreateEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Guidance.Book(ctx, "41", ev.ID, f.school.ID, 1); err != nil {
			t.Fatal(err)
		}
		trials, err := svc.Trials(ctx, pupil, 10)
		if err != nil || len(trials) != 1 || trials[0].ID != ev.ID || trials[0].Free != 1 {
			t.Fatalf("trials = %+v, %v", trials, err)
		}
		// The minor waits for the parent's consent.
		if err := svc.SignUp(ctx, pupil, ev.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("signed up without consent: %v", err)
		}
		if err := svc.SetConsent(ctx, parent, f.pupil.ID, youth.PersonalData, true); err != nil {
			t.Fatal(err)
		}
		if err := svc.SignUp(ctx, parent, ev.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a parent signed up: %v", err)
		}
		if err := svc.SignUp(ctx, pupil, past.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("signed up for a past event: %v", err)
		}
		if err := svc.SignUp(ctx, pupil, ev.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.SignUp(ctx, pupil, ev.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("signed up twice: %v", err)
		}
		trials, _ = svc.Trials(ctx, parent, 10)
		if len(trials) != 1 || !trials[0].Signed || trials[0].Free != 0 {
			t.Fatalf("after signing up, the parent sees %+v", trials)
		}
		// The event is full now: a school cannot book past it either.
		if err := s.Guidance.Book(ctx, "41", ev.ID, f.school.ID, 2); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a school booked the pupil's place: %v", err)
		}
		// The day before, the pupil and the parent are reminded, once.
		if n, err := s.RemindTrials(ctx, "41", now.AddDate(0, 0, 6)); err != nil || n != 0 {
			t.Errorf("reminders two days ahead: %d, %v", n, err)
		}
		if n, err := s.RemindTrials(ctx, "41", ev.HeldOn); err != nil || n != 2 {
			t.Errorf("reminders the day before: %d, %v; want the pupil and the parent", n, err)
		}
		if n, err := s.RemindTrials(ctx, "41", ev.HeldOn); err != nil || n != 0 {
			t.Errorf("reminders again: %d, %v", n, err)
		}
		msgs, _, err := svc.Messages(ctx, parent, 10)
		if err != nil || len(msgs) == 0 || msgs[0].Kind != "deadline" || !strings.Contains(msgs[0].Text, ev.Title) {
			t.Errorf("the parent's inbox: %v %+v", err, msgs)
		}
	})
}

func TestYouthProfile(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		gradU, pupilU, parentU, emplU, _, vac := youthFixture(t, s, f)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := youth.NewService(s.Youth, s.Youth, func() time.Time { return now })
		grad, pupil, parent, empl := gradU.Scope(""), pupilU.Scope(""), parentU.Scope(""), emplU.Scope("")

		bad := youth.Profile{Phone: "12", Email: "нет", MinPay: -5}
		if err := svc.SaveProfile(ctx, grad, bad); !apperr.Is(err, apperr.Invalid) || len(apperr.Fields(err)) != 3 {
			t.Fatalf("a wrong profile: %v", err)
		}
		p := youth.Profile{Phone: "+7 (900) 111-22-33", Email: "petr@example.ru", Wish: youth.WishWork, Municipalities: []int64{f.muni2.ID},
			Relocation: true, MinPay: 80000, ShowContacts: true}
		if err := svc.SaveProfile(ctx, parent, p); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a parent edited a profile: %v", err)
		}
		if err := svc.SaveProfile(ctx, grad, youth.Profile{Municipalities: []int64{999999}}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a municipality of nowhere: %v", err)
		}
		if err := svc.SaveProfile(ctx, grad, p); err != nil {
			t.Fatal(err)
		}
		a, err := svc.AddAchievement(ctx, grad, youth.Achievement{Kind: youth.Professionals, Title: "Чемпионат «Профессионалы»", Year: 2026, Result: "1 место"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddAchievement(ctx, grad, youth.Achievement{Kind: "чудо", Title: "", Year: 1990}); len(apperr.Fields(err)) != 3 {
			t.Fatalf("a wrong achievement: %v", err)
		}
		got, ach, err := svc.ProfileOf(ctx, grad, f.graduate.ID)
		if err != nil || got.Phone != p.Phone || len(got.Municipalities) != 1 || got.Municipalities[0] != f.muni2.ID || len(ach) != 1 {
			t.Fatalf("profile = %+v, %+v, %v", got, ach, err)
		}
		if _, _, err := svc.ProfileOf(ctx, parent, f.graduate.ID); err == nil {
			t.Fatal("a parent read another child's profile")
		}
		// Contacts shown to employers go with a response.
		r, err := svc.Respond(ctx, grad, vac, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if seen, _ := svc.Response(ctx, empl, r.ID); seen.Contact != "+7 (900) 111-22-33 petr@example.ru" {
			t.Fatalf("the employer sees contact %q", seen.Contact)
		}
		if err := svc.DeleteAchievement(ctx, pupil, a.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another learner deleted the achievement: %v", err)
		}
		if err := svc.DeleteAchievement(ctx, grad, a.ID); err != nil {
			t.Fatal(err)
		}
	})
}
