package main

import (
	"context"
	"fmt"
	"strings"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/routing"
	"marshrut/internal/store"
	"marshrut/internal/vacancy"
	"marshrut/internal/youth"
)

// demoYouth gives the demo region the young person's side: a parent of the
// demo pupil with a consent given and one awaited, and responses of the
// college's graduates to the demo employer's vacancies in every state, with
// the messages they produce.
func demoYouth(ctx context.Context, cfg *config.Config, st *store.Store, byLogin map[string]auth.User, college, employer org.Organisation) error {
	svc := auth.NewService(st.Auth, cfg.SessionTTL, cfg.NowFunc())
	young := youth.NewService(st.Youth, st.Youth, cfg.NowFunc())
	pupil := byLogin["pupil"]
	parent := auth.User{Login: "parent", Name: "Родитель ученика", Role: auth.Guardian, LearnerID: pupil.LearnerID, RegionCode: cfg.Region}
	if l, err := st.Learners.Learner(ctx, auth.SystemScope(cfg.Region), pupil.LearnerID); err == nil {
		parent.Name = l.LastName + " Ольга Сергеевна"
		for _, end := range []string{"ов", "ев", "ин", "ын"} {
			if strings.HasSuffix(l.LastName, end) {
				parent.Name = l.LastName + "а Ольга Сергеевна"
			}
		}
	}
	if err := svc.AddUser(ctx, &parent, DemoPassword); err != nil {
		return fmt.Errorf("пользователь parent: %w", err)
	}
	byLogin["parent"] = parent
	if err := young.SetConsent(ctx, parent.Scope(""), pupil.LearnerID, youth.PersonalData, true); err != nil {
		return fmt.Errorf("согласие родителя: %w", err)
	}

	// Profiles the demo graduate and pupil keep, with achievements.
	year := cfg.Now().Year()
	profiles := []struct {
		login   string
		profile youth.Profile
		ach     []youth.Achievement
	}{
		{"learner", youth.Profile{Phone: "+7 900 410-20-30", Email: "graduate@example.ru", Wish: youth.WishWork, MinPay: 70000, Schedule: "полный день или сменный",
			ShowContacts: true, About: "Люблю разбираться в технике; практика — на рыбоперерабатывающем производстве."},
			[]youth.Achievement{{Kind: youth.Professionals, Title: "Региональный чемпионат «Профессионалы»", Year: year - 1, Result: "2 место"},
				{Kind: youth.DemoExam, Title: "Демонстрационный экзамен профильного уровня", Year: year - 1, Result: "79 баллов"},
				{Kind: youth.Volunteering, Title: "Волонтёр фестиваля «Берингия»", Year: year - 2, Result: "40 часов"}}},
		{"pupil", youth.Profile{Wish: youth.WishStudy, About: "Хочу поступить в колледж после 9 класса."},
			[]youth.Achievement{{Kind: youth.Olympiad, Title: "Муниципальный этап олимпиады по информатике", Year: year, Result: "призёр"},
				{Kind: youth.Sports, Title: "Первенство края по лыжным гонкам", Year: year - 1, Result: "3 место"},
				{Kind: youth.Course, Title: "Курс «Основы программирования» в «Кванториуме»", Year: year - 1, Result: "72 часа"}}},
	}
	for _, p := range profiles {
		u := byLogin[p.login]
		own := auth.Scope{Role: auth.Learner, RegionCode: cfg.Region, LearnerID: u.LearnerID, UserID: u.ID}
		if err := young.SaveProfile(ctx, own, p.profile); err != nil {
			return fmt.Errorf("профиль %s: %w", p.login, err)
		}
		for _, a := range p.ach {
			if _, err := young.AddAchievement(ctx, own, a); err != nil {
				return fmt.Errorf("достижение %s: %w", p.login, err)
			}
		}
	}

	var open []vacancy.Vacancy
	for off := 0; len(open) < 6 && employer.INN != ""; off += 500 {
		list, total, err := st.Vacancies.Vacancies(ctx, vacancy.Filter{RegionCode: cfg.Region, Limit: 500, Offset: off})
		if err != nil {
			return err
		}
		for _, v := range list {
			if v.EmployerINN == employer.INN && len(open) < 6 {
				open = append(open, v)
			}
		}
		if off+500 >= total {
			break
		}
	}
	if len(open) == 0 {
		return nil
	}
	grads, _, err := st.Learners.Learners(ctx, auth.SystemScope(cfg.Region), learner.Filter{OrgID: college.ID, Status: learner.Graduate, Limit: 8})
	if err != nil {
		return err
	}
	// The demo graduate first, invited; the others in the remaining states.
	self := byLogin["learner"]
	type plan struct {
		id     int64
		to     []youth.ResponseStatus
		reason string
	}
	plans := []plan{{id: self.LearnerID, to: []youth.ResponseStatus{youth.Viewed, youth.Invited}}}
	rest := [][]youth.ResponseStatus{nil, {youth.Viewed}, {youth.Viewed, youth.Invited, youth.Accepted}, {youth.Declined}, {youth.Withdrawn}}
	for _, g := range grads {
		if g.ID == self.LearnerID || len(plans) > len(rest) {
			continue
		}
		p := plan{id: g.ID, to: rest[len(plans)-1]}
		if len(p.to) == 1 && p.to[0] == youth.Declined {
			p.reason = "ищем специалиста с опытом работы от года"
		}
		plans = append(plans, p)
	}
	emp := auth.Scope{Role: auth.Employer, RegionCode: cfg.Region, OrgID: employer.ID, UserID: byLogin["employer"].ID}
	messages := []string{"Здравствуйте! Готов выйти на работу в ближайшее время.", "", "Проходил практику на похожем производстве.", "", ""}
	for i, p := range plans {
		own := auth.Scope{Role: auth.Learner, RegionCode: cfg.Region, LearnerID: p.id, UserID: self.ID}
		if p.id != self.LearnerID {
			own.UserID = 0
		}
		r, err := young.Respond(ctx, own, open[i%len(open)].ID, messages[i%len(messages)], "")
		if err != nil {
			return fmt.Errorf("отклик: %w", err)
		}
		for _, to := range p.to {
			sc := emp
			if to == youth.Withdrawn {
				sc = own
			}
			if _, err := young.Answer(ctx, sc, r.ID, to, p.reason); err != nil {
				return fmt.Errorf("ответ на отклик: %w", err)
			}
		}
	}
	return nil
}

// demoSendOwn sends the proposals of a run that concern the demo graduate
// and the demo employer, so that both have one to answer.
func demoSendOwn(ctx context.Context, st *store.Store, sys auth.Scope, runID int64) error {
	grad, _, err := st.Auth.UserByLogin(ctx, "learner")
	if err != nil {
		return nil // the region has no demo users
	}
	emp, _, err := st.Auth.UserByLogin(ctx, "employer")
	if err != nil {
		return nil
	}
	o, err := st.Orgs.Organisation(ctx, emp.OrgID)
	if err != nil {
		return err
	}
	props, _, err := st.Routing.Proposals(ctx, sys, routing.ProposalFilter{RunID: runID, Status: routing.Proposed})
	if err != nil {
		return err
	}
	sent := 0
	for _, p := range props {
		mine := p.LearnerID == grad.LearnerID
		if !mine && o.INN != "" && p.VacancyID != "" && sent < 3 {
			v, err := st.Vacancies.Vacancy(ctx, p.VacancyID)
			mine = err == nil && v.EmployerINN == o.INN
		}
		if !mine {
			continue
		}
		if err := st.Routing.DecideProposal(ctx, sys, p.ID, routing.Sent); err != nil {
			return err
		}
		sent++
	}
	return nil
}
