package main

import (
	"context"
	"fmt"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/measures"
	"marshrut/internal/org"
	"marshrut/internal/referral"
	"marshrut/internal/risk"
	"marshrut/internal/routing"
	"marshrut/internal/store"
)

// demoServices fills the catalogue of youth services of every employment
// centre of the demo region and lets the demo user's centre refer the
// people of its open cases: to a consultation, to training, to a vacancy
// recommended to them; some referrals have their results.
func demoServices(ctx context.Context, e *env, st *store.Store, cfg *config.Config) error {
	region, now := cfg.Region, cfg.Now()
	today := referral.Day(now)
	svc := referral.NewService(st.Referrals, func() time.Time { return now })
	centres, _, err := st.Orgs.Organisations(ctx, org.Filter{Kind: org.CZN, Sort: "name", Limit: 100})
	if err != nil {
		return err
	}
	u, _, err := st.Auth.UserByLogin(ctx, "czn")
	if err != nil {
		return err
	}
	summer := time.Date(today.Year()+1, time.June, 1, 0, 0, 0, 0, time.UTC)
	if today.Month() >= time.June && today.Month() <= time.August {
		summer = time.Date(today.Year(), time.June, 1, 0, 0, 0, 0, time.UTC)
	}
	fair := nextWorkday(today.AddDate(0, 0, 20))
	services := 0
	for _, c := range centres {
		sc := auth.Scope{Role: auth.CZN, RegionCode: region, OrgID: c.ID, Municipalities: []int64{c.MunicipalityID}, UserID: 0}
		if c.ID == u.OrgID {
			sc = u.Scope("")
		}
		list := []referral.Offering{
			{Kind: referral.SummerWork, Name: "Трудовая бригада подростков на лето", Audience: "школьники и студенты в каникулы, с согласия родителей",
				AgeMin: 14, AgeMax: 17, Places: 20 + int(c.ID%4)*10, MunicipalityID: c.MunicipalityID, Provider: "администрация муниципалитета",
				Start: summer, End: summer.AddDate(0, 3, -1)},
			{Kind: referral.Consultation, Name: "Профориентационная консультация: выбор профессии и работы", Audience: "школьники, студенты и выпускники",
				AgeMin: 14, AgeMax: 35, Places: 60, Start: today.AddDate(0, -1, 0), End: today.AddDate(0, 6, 0)},
			{Kind: referral.Internship, Name: "Стажировка выпускников колледжей у работодателей района", Audience: "выпускники без опыта работы, до года после выпуска",
				AgeMin: 17, AgeMax: 25, Places: 8 + int(c.ID%3)*4, MunicipalityID: c.MunicipalityID, Start: today.AddDate(0, 0, -14), End: today.AddDate(0, 4, 0)},
			{Kind: referral.Psychology, Name: "Психологическая поддержка молодёжи в поиске работы", Audience: "молодёжь, долго не находящая работу",
				AgeMin: 16, AgeMax: 35, Places: 15, Start: today.AddDate(0, -2, 0), End: today.AddDate(0, 5, 0)},
		}
		if c.ID == u.OrgID {
			list = append(list, referral.Offering{Kind: referral.Fair, Name: "Ярмарка вакансий для молодёжи", Audience: "выпускники и студенты выпускных курсов",
				AgeMin: 16, AgeMax: 35, Places: 300, Provider: "Агентство по занятости населения Камчатского края", Start: fair, End: fair})
		}
		// Training: a group of the centre's own programme that still takes people.
		if g, ok := demoGroupOf(ctx, st, sc, today); ok {
			list = append(list, referral.Offering{Kind: referral.Training, Name: "Обучение: " + g.ProgrammeName, Audience: "молодёжь без профессии или с профессией, на которую нет спроса",
				AgeMin: 16, AgeMax: 35, Places: min(g.Free(), 10), GroupID: g.ID, Start: g.Start, End: g.End})
		}
		for i := range list {
			if err := svc.Create(ctx, sc, &list[i]); err != nil {
				return fmt.Errorf("услуга «%s» центра «%s»: %w", list[i].Name, c.Name, err)
			}
			services++
		}
	}
	n, err := demoReferrals(ctx, st, svc, u.Scope(""), now)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Услуги центров занятости для молодёжи: в каталоге %d, направлений %d.\n", services, n)
	return nil
}

// demoGroupOf is a group the centre formed that has not ended and has
// places left.
func demoGroupOf(ctx context.Context, st *store.Store, sc auth.Scope, today time.Time) (measures.Group, bool) {
	ms := measures.NewService(st.Measures, func() time.Time { return today })
	progs, _, err := ms.Programmes(ctx, sc, measures.Filter{Limit: 200})
	if err != nil {
		return measures.Group{}, false
	}
	for _, p := range progs {
		_, groups, err := ms.Programme(ctx, sc, p.ID)
		if err != nil {
			continue
		}
		for _, g := range groups {
			if g.ManagerID == sc.OrgID && !g.End.Before(today) && !g.Start.After(today.AddDate(0, 2, 0)) && g.Free() > 0 {
				return g, true
			}
		}
	}
	return measures.Group{}, false
}

// demoReferrals refers the people of the centre's open cases.
func demoReferrals(ctx context.Context, st *store.Store, svc *referral.Service, czn auth.Scope, now time.Time) (int, error) {
	cases, _, err := st.Risks.Cases(ctx, czn, risk.CaseFilter{Status: risk.CaseOpen, Limit: 40})
	if err != nil {
		return 0, err
	}
	offers, _, err := svc.Offerings(ctx, czn, referral.Filter{CZNID: czn.OrgID, Current: true, Limit: 50})
	if err != nil {
		return 0, err
	}
	byKind := map[referral.Kind]referral.Offering{}
	for _, o := range offers {
		byKind[o.Kind] = o
	}
	routes := routing.NewService(st.Routing, inline{}, func() time.Time { return now })
	made := 0
	for i, c := range cases {
		var x referral.Referral
		switch i % 4 {
		case 0:
			x = referral.Referral{LearnerID: c.LearnerID, CaseID: c.ID, OfferingID: byKind[referral.Consultation].ID}
		case 1:
			x = referral.Referral{LearnerID: c.LearnerID, CaseID: c.ID, OfferingID: byKind[referral.Training].ID}
		default:
			rec, err := routes.ForLearner(ctx, czn, c.LearnerID, 3)
			if err != nil || len(rec.Pairs) == 0 {
				continue
			}
			x = referral.Referral{LearnerID: c.LearnerID, CaseID: c.ID, VacancyID: rec.Pairs[0].Place.VacancyID, Note: "собеседование назначено"}
		}
		if x.OfferingID == 0 && x.VacancyID == "" {
			continue
		}
		if err := svc.Refer(ctx, czn, &x); err != nil {
			// A person the service is not for (too old, lives elsewhere) is
			// simply not referred, as a specialist would not.
			continue
		}
		made++
		switch {
		case i%4 == 0 && i%8 == 0:
			err = svc.Change(ctx, czn, x.ID, referral.Change{Status: referral.Done, On: referral.Day(now)})
		case i%4 == 2:
			err = svc.Change(ctx, czn, x.ID, referral.Change{Status: referral.Hired, On: referral.Day(now)})
		case i%4 == 3 && i%8 == 3:
			err = svc.Change(ctx, czn, x.ID, referral.Change{Status: referral.Refused, On: referral.Day(now), Reason: "работодатель выбрал кандидата с опытом работы"})
		}
		if err != nil {
			return made, err
		}
	}
	return made, nil
}

// nextWorkday is day itself or the next Monday when it falls on a weekend.
func nextWorkday(day time.Time) time.Time {
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	return day
}
