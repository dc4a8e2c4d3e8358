package main

import (
	"context"
	"fmt"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/demo"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/rollup"
	"marshrut/internal/routing"
	"marshrut/internal/store"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("demo", e, &cfg)
	cfg.RegisterServe(fs)
	seed := fs.Uint64("seed", 1, "зерно генератора: одно и то же зерно даёт один и тот же регион")
	n := fs.Int("learners", 0, fmt.Sprintf("число обучающихся (0 — как в Камчатском крае, %d)", demo.DefaultLearners))
	only := fs.Bool("generate-only", false, "только создать данные, не запускать сервер")
	oidcTest := fs.Bool("oidc-test", false, "запустить вместе с демонстрацией учебный провайдер единого входа (OpenID Connect), чтобы попробовать вход через него")
	today := fs.String("today", "", "день, на который создаётся регион, ГГГГ-ММ-ДД (по умолчанию сегодня); с этого дня идут и часы сервера демонстрации")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if *today != "" {
		clock, err := clockFrom(*today, cfg.Location())
		if err != nil {
			return fmt.Errorf("--today: %w", err)
		}
		cfg.Clock = clock
	}
	if *n < 0 {
		return fmt.Errorf("--learners: число обучающихся не может быть отрицательным")
	}
	log := cfg.Logger()
	st, err := openStore(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()

	// A demo goes into a region without people; it never mixes with real data.
	if _, total, err := st.Learners.Learners(ctx, auth.SystemScope(cfg.Region), learnerFilterOne); err != nil {
		return err
	} else if total > 0 {
		fmt.Fprintf(e.stdout, "В базе %s уже есть обучающиеся региона (%d); демонстрационные данные не добавлены.\n", cfg.DatabaseURL, total)
	} else {
		if err := generate(ctx, e, &cfg, st, *seed, *n); err != nil {
			return err
		}
		if err := demoUsers(ctx, e.stdout, &cfg, st); err != nil {
			return err
		}
		if err := demoInvitations(ctx, e, &cfg, st); err != nil {
			return err
		}
		if err := demoRun(ctx, e, &cfg, st, *seed); err != nil {
			return err
		}
		if err := demoRisk(ctx, e, st, &cfg, *seed); err != nil {
			return err
		}
		if err := demoMeasures(ctx, e, st, &cfg, *seed); err != nil {
			return err
		}
		if err := demoServices(ctx, e, st, &cfg); err != nil {
			return err
		}
		if err := demoTargets(ctx, e, st, &cfg); err != nil {
			return err
		}
		if err := demoEdits(ctx, e, st, &cfg); err != nil {
			return err
		}
		if err := demoFeeds(ctx, e, &cfg, st); err != nil {
			return err
		}
		if err := demoRollup(ctx, e, &cfg, st); err != nil {
			return err
		}
	}
	if *only {
		return nil
	}
	if *oidcTest {
		if err := startTestIdP(ctx, e, &cfg, st); err != nil {
			return err
		}
	}
	return serve(ctx, e, &cfg, st, nil)
}

func generate(ctx context.Context, e *env, cfg *config.Config, st *store.Store, seed uint64, n int) error {
	fmt.Fprintf(e.stdout, "Создаётся демонстрационный регион (зерно %d) в %s…\n", seed, cfg.DatabaseURL)
	last := time.Now()
	opt := demo.Options{Seed: seed, Learners: n, Region: cfg.Region, Now: cfg.Now(),
		Progress: func(step string, done, total int) {
			if time.Since(last) > 2*time.Second || done == total {
				last = time.Now()
				fmt.Fprintf(e.stdout, "  %s: %d из %d (%.0f%%)\n", step, done, total, 100*float64(done)/float64(max(total, 1)))
			}
		}}
	var sum demo.Summary
	err := st.Load(ctx, func(l *store.Loader) error {
		var err error
		sum, err = demo.Generate(ctx, l, opt)
		return err
	})
	if err != nil {
		return fmt.Errorf("демонстрационный регион не создан, база не изменена: %w", err)
	}
	fmt.Fprintf(e.stdout, "Готово за %s: %d муниципальных образований, %d школ, %d колледжей, %d вузов, %d работодателей, %d центров занятости;\n"+
		"  %d школьников, %d студентов, %d выпускников; %d этапов маршрутов, %d записей о занятости; %d вакансий;\n"+
		"  %d профориентационных мероприятий, %d отметок участия, %d проинформированных о целевом обучении, %d результатов ДДО;\n"+
		"  %d предложений целевого обучения, %d заявок, %d договоров.\n",
		sum.Duration.Round(time.Millisecond), sum.Municipalities, sum.Schools, sum.Colleges, sum.Universities, sum.Employers, sum.CZN,
		sum.Pupils, sum.Students, sum.Graduates, sum.Stages, sum.Outcomes, sum.Vacancies,
		sum.Events, sum.Participations, sum.Informed, sum.Diagnostics, sum.Offers, sum.Applications, sum.Contracts)
	return nil
}

// clockFrom is the clock of a demo region as of day: that day at the
// present time of day, running on from it.
func clockFrom(day string, loc *time.Location) (func() time.Time, error) {
	d, err := config.ParseDay(day, loc)
	if err != nil {
		return nil, err
	}
	now := time.Now().In(loc)
	return config.StartingAt(time.Date(d.Year(), d.Month(), d.Day(), now.Hour(), now.Minute(), now.Second(), 0, loc)), nil
}

// learnerFilterOne asks only whether there is anyone at all.
var learnerFilterOne = learner.Filter{Limit: 1}

// demoRun makes the first matching of the demo region and works a part of
// its proposals as an employment centre would: some sent, of those some
// accepted (they become jobs) and some declined.
func demoRun(ctx context.Context, e *env, cfg *config.Config, st *store.Store, seed uint64) error {
	sys := auth.SystemScope(cfg.Region)
	svc := routing.NewService(st.Routing, inline{}, cfg.NowFunc())
	run, err := svc.Start(ctx, sys, routing.Stable, 1, seed)
	if err != nil {
		return fmt.Errorf("распределение в демонстрационном регионе: %w", err)
	}
	props, _, err := st.Routing.Proposals(ctx, sys, routing.ProposalFilter{RunID: run.ID, Status: routing.Proposed, Limit: 400})
	if err != nil {
		return err
	}
	for i, p := range props {
		if i%3 != 0 {
			continue
		}
		if err := st.Routing.DecideProposal(ctx, sys, p.ID, routing.Sent); err != nil {
			return err
		}
		switch i % 9 {
		case 0:
			err = st.Routing.DecideProposal(ctx, sys, p.ID, routing.Accepted)
		case 3:
			err = st.Routing.DecideProposal(ctx, sys, p.ID, routing.Declined)
		}
		if err != nil {
			return err
		}
	}
	if err := demoSendOwn(ctx, st, sys, run.ID); err != nil {
		return err
	}
	run, err = svc.Run(ctx, sys, run.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Распределение выпускников: кандидатов %d, распределено %d, блокирующих пар %d (%.1f с).\n",
		run.Candidates, run.Matched, run.Blocking, run.Seconds)
	return nil
}

// demoTargets sets the targets a regional ministry would: last year's and
// this year's, with what they rest on, so that the catalogue shows a history.
func demoTargets(ctx context.Context, e *env, st *store.Store, cfg *config.Config) error {
	region := cfg.Region
	u, _, err := st.Auth.UserByLogin(ctx, "region")
	if err != nil {
		return err
	}
	now := cfg.Now()
	year := now.Year()
	pct := func(v float64) *float64 { return &v }
	for i, t := range []kpi.Target{
		{Code: "employment6", Year: year - 1, Value: pct(0.8), Note: "Региональная программа «Кадры для Камчатки», первый год"},
		{Code: "employment6", Year: year, Value: pct(0.85), Note: "Соглашение с Минпросвещения России о трудоустройстве выпускников"},
		{Code: "mentorship", Year: year, Value: pct(0.65), Note: "Целевая модель наставничества, региональный план"},
		{Code: "contract", Year: year, Value: pct(0.1), Note: "План целевого обучения по заявкам работодателей края"},
		{Code: "retention_employer", Year: year, Value: pct(0.7), Note: ""},
		{Code: "demand_closure", Year: year, Value: pct(0.75), Note: "Прогноз баланса трудовых ресурсов на год"},
	} {
		t.SetBy, t.SetAt = u.ID, now.AddDate(0, -11+i, 0)
		if t.Year < year {
			t.SetAt = time.Date(t.Year, time.January, 20, 10, 0, 0, 0, time.UTC)
		}
		if err := st.Targets.AddTarget(ctx, region, &t); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.stdout, "Цели показателей: установлены министерством на текущий и прошлый год (раздел «Мониторинг» → «Показатели и цели»).")
	return nil
}

// demoRollup puts the region's own protected bundle into the installation's
// «Регионы», as a federal operator would see it: its key registered, its
// bundle imported.
func demoRollup(ctx context.Context, e *env, cfg *config.Config, st *store.Store) error {
	pemKey, pub, err := rollup.GenerateKey()
	if err != nil {
		return err
	}
	key, err := rollup.ParsePrivateKey(pemKey)
	if err != nil {
		return err
	}
	signed, b, err := buildRollup(ctx, cfg, st, key)
	if err != nil {
		return fmt.Errorf("сводка демонстрационного региона: %w", err)
	}
	svc := rollup.NewService(st.Rollup, cfg.NowFunc())
	sys := auth.SystemScope(cfg.Region)
	if err := svc.Trust(ctx, sys, cfg.Region, rollupKeyText(pub)); err != nil {
		return err
	}
	if _, err := svc.Import(ctx, sys, signed); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Федеральная сводка региона за %s загружена в раздел «Регионы»: числа защищены методом ключа ячейки.\n", b.Period)
	return nil
}
