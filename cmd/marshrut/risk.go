package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/engine/learn"
	"marshrut/internal/risk"
)

const riskUsage = `Использование:
  marshrut risk train [--kind gbt|logreg] [--seed N]   обучить модель на прошлых выпусках и пересчитать оценки
  marshrut risk score                                  пересчитать оценки текущей моделью
  marshrut risk bench --uci ФАЙЛ                       проверить модели на открытых данных UCI (data.csv)`

// runRisk is `marshrut risk …`: the early warning. train and score are the
// scheduled forms of the buttons on the model page; bench runs the protocol
// of the scikit-learn peer on the UCI student data.
func runRisk(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, riskUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "bench":
		return riskBench(ctx, e, args[1:])
	case "train", "score":
		return riskRun(ctx, e, args[0], args[1:])
	}
	fmt.Fprintln(e.stderr, riskUsage)
	return fmt.Errorf("неизвестная команда «risk %s»", args[0])
}

func riskBench(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("risk bench", e, &cfg)
	uci := fs.String("uci", "", "файл data.csv набора UCI «Predict Students' Dropout and Academic Success»")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if *uci == "" {
		return errors.New("укажите файл: marshrut risk bench --uci data.csv")
	}
	return learn.Bench(ctx, *uci, e.stdout)
}

func riskRun(ctx context.Context, e *env, cmd string, args []string) error {
	cfg := config.Default()
	fs := flags("risk "+cmd, e, &cfg)
	kind := fs.String("kind", "", "вид модели: gbt или logreg; пусто — выбрать по проверке на последнем выпуске")
	seed := fs.Uint64("seed", 1, "зерно обучения: те же данные и зерно дают ту же модель")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	// Who is still without work is read from statuses as of today.
	if _, err := st.RefreshStatuses(ctx, cfg.Region); err != nil {
		return err
	}
	svc := risk.NewService(st.Risks, inline{}, cfg.NowFunc())
	sc := auth.SystemScope(cfg.Region)
	if cmd == "train" {
		start := time.Now()
		m, err := svc.Train(ctx, sc, risk.Kind(*kind), *seed)
		if err != nil {
			return err
		}
		r := m.Report
		fmt.Fprintf(e.stdout, "Модель № %d (%s) обучена на выпусках %s (%d выпускников, без работы %d), проверена на выпуске %d (%d): ROC-AUC %.3f, PR-AUC %.3f, Брайер %.3f; %.1f с.\n",
			m.ID, m.Kind, r.Years(), r.TrainRows, r.TrainPositives, r.ValidYear, r.ValidRows, r.Metrics.AUC, r.Metrics.PRAUC, r.Metrics.Brier, time.Since(start).Seconds())
	}
	start := time.Now()
	last := time.Now()
	res, err := svc.Score(ctx, sc, func(done, total int) {
		if time.Since(last) > time.Second && total > 0 {
			fmt.Fprintf(e.stderr, "оценено %d из %d\n", done, total)
			last = time.Now()
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Оценено %d обучающихся моделью № %d, в зоне риска %d; %.1f с.\n", res.Scored, res.ModelID, res.AtRisk, time.Since(start).Seconds())
	return nil
}
