package main

import (
	"context"
	"fmt"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/referral"
	"marshrut/internal/store"
	"marshrut/internal/targeted"
)

// demoEdits corrects a few objects after they were published, as their
// owners do, so that their pages show a history from the first run: the
// ministry extends an offer's intake, the employment centre enlarges its job
// fair, a school moves its event to the assembly hall.
func demoEdits(ctx context.Context, e *env, st *store.Store, cfg *config.Config) error {
	now := cfg.NowFunc()
	as := func(login string) (context.Context, auth.Scope, error) {
		u, _, err := st.Auth.UserByLogin(ctx, login)
		if err != nil {
			return nil, auth.Scope{}, fmt.Errorf("пользователь демонстрации %s: %w", login, err)
		}
		sc := u.Scope("")
		return auth.WithCaller(ctx, u, sc), sc, nil
	}
	edits := 0

	// The ministry extends the intake of an offer and adds places to it,
	// as the employer asked.
	rctx, sc, err := as("region")
	if err != nil {
		return err
	}
	offers := targeted.NewService(st.Targeted, now)
	list, _, err := offers.Offers(rctx, sc, targeted.OfferFilter{Status: targeted.Published, Limit: 20})
	if err != nil {
		return err
	}
	// An offer of a specialty its college no longer teaches cannot be
	// saved as it is: the next one is taken.
	for _, o := range list {
		o.Places += 2
		o.Deadline = o.Deadline.AddDate(0, 0, 14)
		err := offers.SaveOffer(rctx, sc, &o)
		if apperr.Is(err, apperr.Invalid) {
			continue
		}
		if err != nil {
			return fmt.Errorf("правка предложения целевого обучения: %w", err)
		}
		edits++
		break
	}

	cctx, sc, err := as("czn")
	if err != nil {
		return err
	}
	services := referral.NewService(st.Referrals, now)
	fairs, _, err := services.Offerings(cctx, sc, referral.Filter{Kind: referral.Fair, CZNID: sc.OrgID, Current: true, Limit: 1})
	if err != nil {
		return err
	}
	if len(fairs) > 0 {
		f := fairs[0]
		f.Places += 50
		f.Audience = "выпускники, студенты выпускных курсов и молодёжь до 35 лет, ищущая работу"
		if err := services.Update(cctx, sc, f.ID, &f); err != nil {
			return fmt.Errorf("правка ярмарки вакансий: %w", err)
		}
		edits++
	}

	sctx, sc, err := as("school")
	if err != nil {
		return err
	}
	guide := guidance.NewService(st.Guidance, now)
	events, _, err := guide.Events(sctx, sc, guidance.EventFilter{OrganiserID: sc.OrgID, Limit: 200})
	if err != nil {
		return err
	}
	today := learner.Day(now())
	for _, ev := range events {
		if learner.Day(ev.HeldOn).After(today) {
			ev.Place = "актовый зал школы"
			if err := guide.UpdateEvent(sctx, sc, &ev); err != nil {
				return fmt.Errorf("правка мероприятия «%s»: %w", ev.Title, err)
			}
			edits++
			break
		}
	}
	fmt.Fprintf(e.stdout, "Правки после публикации (с историей изменений): %d.\n", edits)
	return nil
}
