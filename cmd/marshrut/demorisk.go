package main

import (
	"context"
	"fmt"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/risk"
	"marshrut/internal/store"
)

// demoRisk trains the early-warning model on the demo region's past cohorts,
// scores the coming graduation, and lets the demo employment centre work
// cases for some of its at-risk graduates: contacts, consultations,
// vacancies, and outcomes for the older cases.
func demoRisk(ctx context.Context, e *env, st *store.Store, cfg *config.Config, seed uint64) error {
	region, now := cfg.Region, cfg.Now()
	svc := risk.NewService(st.Risks, inline{}, func() time.Time { return now })
	sys := auth.SystemScope(region)
	m, err := svc.Train(ctx, sys, "", seed)
	if apperr.Is(err, apperr.Invalid) {
		// A small region may have too few graduates without work to learn from.
		fmt.Fprintf(e.stdout, "Раннее предупреждение: модель не обучена — %s\n", apperr.Text(err))
		return nil
	}
	if err != nil {
		return fmt.Errorf("модель риска в демонстрационном регионе: %w", err)
	}
	res, err := svc.Score(ctx, sys, nil)
	if err != nil {
		return err
	}
	u, _, err := st.Auth.UserByLogin(ctx, "czn")
	if err != nil {
		return err
	}
	// The centre of the demo user works most cases, so that its pages are
	// full; every other centre works a few of its own municipality's.
	centres, _, err := st.Orgs.Organisations(ctx, org.Filter{Kind: org.CZN, Sort: "name", Limit: 100})
	if err != nil {
		return err
	}
	cases := 0
	for _, c := range centres {
		sc, limit := auth.Scope{Role: auth.CZN, RegionCode: region, OrgID: c.ID, Municipalities: []int64{c.MunicipalityID}}, 8
		if c.ID == u.OrgID {
			sc, limit = u.Scope(""), 40
		}
		n, err := demoCases(ctx, st, svc, sys, sc, now, limit)
		if err != nil {
			return err
		}
		cases += n
	}
	fmt.Fprintf(e.stdout, "Раннее предупреждение: модель обучена на выпусках %s, проверена на %d (ROC-AUC %.3f); оценено %d, в зоне риска %d; случаев центра занятости %d.\n",
		m.Report.Years(), m.Report.ValidYear, m.Report.Metrics.AUC, res.Scored, res.AtRisk, cases)
	return nil
}

// demoCases opens cases for half of a centre's at-risk people (the other
// half stays without one, for the comparison), works them and closes the
// older ones.
func demoCases(ctx context.Context, st *store.Store, svc *risk.Service, sys, czn auth.Scope, now time.Time, limit int) (int, error) {
	rows, _, err := svc.List(ctx, czn, risk.Filter{Threshold: risk.DefaultThreshold, Limit: limit})
	if err != nil {
		return 0, err
	}
	cases := 0
	for i, r := range rows {
		if i%2 == 1 {
			// A few of those left without a case find work on their own, as a survey tells.
			if r.Status == "graduate" && i%5 == 1 {
				o := learner.Outcome{LearnerID: r.LearnerID, Status: learner.Employed, Start: now.AddDate(0, 0, -10), Source: "survey"}
				if err := st.Learners.AddOutcome(ctx, sys, &o); err != nil {
					return 0, err
				}
			}
			continue
		}
		opened := now.AddDate(0, 0, -7*(len(rows)-i)/2-3)
		at := risk.NewService(st.Risks, inline{}, func() time.Time { return opened })
		c, err := at.OpenCase(ctx, czn, r.LearnerID, "")
		if err != nil {
			return 0, err
		}
		steps := []risk.ActionKind{risk.ActContact, risk.ActConsult, risk.ActVacancy, risk.ActTraining, risk.ActMentor, risk.ActPsychology}
		for k := 0; k <= i%4; k++ {
			a := risk.Action{CaseID: c.ID, Kind: steps[(i/2+k)%len(steps)], On: opened.AddDate(0, 0, 2+5*k), Note: demoNotes[(i+k)%len(demoNotes)]}
			if a.On.After(now) {
				break
			}
			if err := svc.AddAction(ctx, czn, &a); err != nil {
				return 0, err
			}
		}
		if i%3 == 0 && r.Status == "graduate" {
			out := []risk.CaseOutcome{risk.EndEmployed, risk.EndTraining, risk.EndEmployed, risk.EndNoJob}[(i/3)%4]
			cl := risk.Closing{Outcome: out, Since: learner.Day(now.AddDate(0, 0, -3-i%9))}
			if out == risk.EndEmployed {
				cl.EmployerName = demoHirers[(i/3)%len(demoHirers)]
			}
			if err := svc.CloseCase(ctx, czn, c.ID, cl); err != nil {
				return 0, err
			}
		}
		cases++
	}
	return cases, nil
}

var demoNotes = []string{
	"Созвонились, договорились о встрече в центре занятости.",
	"Обсудили вакансии по специальности в своём районе.",
	"Направлена вакансия работодателя, где проходил(а) практику.",
	"Предложено обучение по программе содействия занятости.",
	"",
}

// demoHirers are the employers the demo's closed cases found work with.
var demoHirers = []string{"ООО «Камчатская рыбная компания»", "ИП Ковалёв А. С.", "МУП «Елизовский водоканал»", "ООО «Северо-Восточный ремонтный центр»"}
