package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/engine/match"
	"marshrut/internal/jobs"
	"marshrut/internal/routing"
)

// runMatch is `marshrut match`: the matching engine on instance files
// (--instance DIR), or a matching run of the installation's region in its
// database (the scheduled form of the «Распределение» page).
func runMatch(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("match", e, &cfg)
	dir := fs.String("instance", "", "каталог с graduates.csv, vacancies.csv, edges.csv (формат match_instance.py)")
	mode := fs.String("mode", "stable", "stable — устойчивое распределение, optimal — наибольшая суммарная польза")
	seed := fs.Uint64("seed", 1, "зерно жеребьёвки при равных оценках")
	round := fs.Int("round", 1, "тур распределения в базе: 2 и далее — кто остался без места")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if *dir != "" {
		return match.Command(ctx, e.stdout, *dir, *mode, *seed)
	}
	md, err := match.ParseMode(*mode)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	svc := routing.NewService(st, inline{}, time.Now)
	r, err := svc.Start(ctx, auth.SystemScope(cfg.Region), routing.Mode(md), *round, *seed)
	if err != nil {
		return err
	}
	if r, err = svc.Run(ctx, auth.SystemScope(cfg.Region), r.ID); err != nil {
		return err
	}
	if r.Status != routing.Finished {
		return errors.New("расчёт не удался: " + r.Error)
	}
	fmt.Fprintf(e.stdout, "Расчёт № %d, тур %d: кандидатов %d, мест %d в %d вакансиях, распределено %d (первый выбор %.1f%%, по целевым договорам %d); "+
		"польза %d, в распределении с наибольшей пользой %d; блокирующих пар %d; %.1f с.\n", r.ID, r.Round, r.Candidates, r.Places, r.Vacancies,
		r.Matched, 100*r.FirstChoiceShare(), r.Contracts, r.Welfare, r.OptimalWelfare, r.Blocking, r.Seconds)
	return nil
}

// inline runs a job at once: the command waits for its run anyway.
type inline struct{}

func (inline) Start(ctx context.Context, j *jobs.Job, fn func(context.Context, jobs.Progress) (any, error)) error {
	_, err := fn(ctx, func(int, int) {})
	return err
}
