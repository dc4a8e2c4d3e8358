package main

import (
	"context"
	"fmt"
	"io"

	"marshrut/internal/auth"
	"marshrut/internal/cluster"
	"marshrut/internal/config"
	"marshrut/internal/demo"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/store"
	"marshrut/internal/vacancy"
)

// DemoPassword is the password of every demo user; the demo is for showing, not for real data.
const DemoPassword = "marshrut-demo"

// demoUsers creates one user of every role in the demo region and prints their logins.
func demoUsers(ctx context.Context, w io.Writer, cfg *config.Config, st *store.Store) error {
	first := func(kind org.Kind, q string) (org.Organisation, error) {
		list, _, err := st.Orgs.Organisations(ctx, org.Filter{Kind: kind, Query: q, Limit: 1})
		if err != nil {
			return org.Organisation{}, err
		}
		if len(list) == 0 {
			return org.Organisation{}, fmt.Errorf("в демонстрационном регионе нет организации вида %s", kind)
		}
		return list[0], nil
	}
	college, err := first(org.College, "политехнический")
	if err != nil {
		return err
	}
	university, err := first(org.University, "")
	if err != nil {
		return err
	}
	school, err := first(org.School, "")
	if err != nil {
		return err
	}
	czn, err := first(org.CZN, "петропавловска")
	if err != nil {
		return err
	}
	sys := auth.SystemScope(cfg.Region)
	grads, _, err := st.Learners.Learners(ctx, sys, learner.Filter{OrgID: college.ID, Status: learner.Graduate, Limit: 200})
	if err != nil || len(grads) == 0 {
		return fmt.Errorf("в демонстрационном колледже нет выпускников: %v", err)
	}
	pupils, _, err := st.Learners.Learners(ctx, sys, learner.Filter{OrgID: school.ID, Status: learner.Pupil, Grade: 9, Limit: 1})
	if err != nil || len(pupils) == 0 {
		return fmt.Errorf("в демонстрационной школе нет девятиклассников: %v", err)
	}
	// The demo graduate works at the demo employer, so that its page is not
	// empty, and the employer has vacancies still open for the graduate to
	// answer: the first graduate of the college whose employer has three.
	open, err := openVacancies(ctx, st, cfg.Region)
	if err != nil {
		return err
	}
	var employer org.Organisation
	for i, g := range grads {
		card, err := st.Learners.Outcomes(ctx, sys, g.ID)
		if err != nil {
			return err
		}
		var e org.Organisation
		for _, o := range card {
			if o.EmployerID != 0 {
				if e, err = st.Orgs.Organisation(ctx, o.EmployerID); err != nil {
					return err
				}
			}
		}
		if i == 0 {
			employer = e // unless a later graduate's employer has open vacancies
		}
		if e.ID != 0 && open[e.INN] >= 3 {
			employer, grads[0], grads[i] = e, grads[i], grads[0]
			break
		}
	}
	if employer.ID == 0 {
		if employer, err = first(org.Employer, ""); err != nil {
			return err
		}
	}
	users := []auth.User{
		{Login: "admin", Name: "Администратор", Role: auth.Admin},
		{Login: "region", Name: "Министерство образования края", Role: auth.Region},
		{Login: "czn", Name: "Специалист ЦЗН", Role: auth.CZN, OrgID: czn.ID},
		{Login: "school", Name: "Педагог-навигатор", Role: auth.School, OrgID: school.ID},
		{Login: "college", Name: "Центр карьеры колледжа", Role: auth.College, OrgID: college.ID},
		{Login: "university", Name: "Центр карьеры вуза", Role: auth.University, OrgID: university.ID},
		{Login: "employer", Name: "Отдел кадров", Role: auth.Employer, OrgID: employer.ID},
		{Login: "expert", Name: "Эксперт комиссии", Role: auth.Expert},
		{Login: "expert2", Name: "Соколова Ирина Петровна", Role: auth.Expert},
		{Login: "expert3", Name: "Лебедев Андрей Викторович", Role: auth.Expert},
		{Login: "learner", Name: grads[0].FirstName + " " + grads[0].LastName, Role: auth.Learner, LearnerID: grads[0].ID},
		{Login: "pupil", Name: pupils[0].FirstName + " " + pupils[0].LastName, Role: auth.Learner, LearnerID: pupils[0].ID},
		{Login: "federal", Name: "Федеральный оператор", Role: auth.Federal},
	}
	svc := auth.NewService(st.Auth, cfg.SessionTTL, cfg.NowFunc())
	fmt.Fprintf(w, "Пользователи демонстрационного региона (пароль у всех — %s):\n", DemoPassword)
	for i := range users {
		u := &users[i]
		u.RegionCode = cfg.Region
		if err := svc.AddUser(ctx, u, DemoPassword); err != nil {
			return fmt.Errorf("пользователь %s: %w", u.Login, err)
		}
		where := ""
		switch {
		case u.OrgID == college.ID:
			where = college.ShortName
		case u.OrgID != 0:
			o, _ := st.Orgs.Organisation(ctx, u.OrgID)
			where = o.Name
		}
		fmt.Fprintf(w, "  %-11s %s%s\n", u.Login, u.Role.Name(), map[bool]string{true: " — " + where, false: ""}[where != ""])
	}
	// The defences of clusters need the experts, who exist only now.
	byLogin := map[string]auth.User{}
	for _, u := range users {
		byLogin[u.Login] = u
	}
	if err := demoYouth(ctx, cfg, st, byLogin, college, employer); err != nil {
		return fmt.Errorf("кабинеты молодых людей: %w", err)
	}
	fmt.Fprintf(w, "  %-11s %s — %s\n", "parent", auth.Guardian.Name(), "кабинет родителя ученика pupil")
	if err := demo.Commission(ctx, cluster.NewService(st.Clusters, cfg.NowFunc()), byLogin["region"], byLogin["expert"],
		[]auth.User{byLogin["expert2"], byLogin["expert3"]}, 11); err != nil {
		return fmt.Errorf("защиты кластеров: %w", err)
	}
	return nil
}

// openVacancies counts the open vacancies of the region by employer's ИНН.
func openVacancies(ctx context.Context, st *store.Store, region string) (map[string]int, error) {
	out := map[string]int{}
	for off := 0; ; off += 500 {
		list, total, err := st.Vacancies.Vacancies(ctx, vacancy.Filter{RegionCode: region, Limit: 500, Offset: off})
		if err != nil {
			return nil, err
		}
		for _, v := range list {
			out[v.EmployerINN]++
		}
		if off+500 >= total {
			return out, nil
		}
	}
}
