package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"marshrut/internal/config"
	"marshrut/internal/engine/learn"
)

// runRisk is `marshrut risk …`: the early-warning models. `bench --uci FILE`
// runs the protocol of the scikit-learn peer on the UCI student data and
// prints one line per feature set and model.
func runRisk(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "bench" {
		fmt.Fprintln(e.stderr, "Использование:\n  marshrut risk bench --uci ФАЙЛ   проверить модели на открытых данных UCI (data.csv)")
		return flag.ErrHelp
	}
	cfg := config.Default()
	fs := flags("risk bench", e, &cfg)
	uci := fs.String("uci", "", "файл data.csv набора UCI «Predict Students' Dropout and Academic Success»")
	if err := cfg.Parse(fs, args[1:], e.getenv); err != nil {
		return err
	}
	if *uci == "" {
		return errors.New("укажите файл: marshrut risk bench --uci data.csv")
	}
	return learn.Bench(ctx, *uci, e.stdout)
}
