package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/config"
	"marshrut/internal/kpi"
	"marshrut/internal/measures"
	"marshrut/internal/report"
	"marshrut/internal/store"
	"marshrut/internal/tables"
)

// newForms is the maker of official forms over the store and the catalogue.
func newForms(st *store.Store, figures *kpi.Service) *report.Forms {
	return report.NewForms(st.Reports, figures, func(ctx context.Context, id int64) (string, string, error) {
		o, err := st.Orgs.Organisation(ctx, id)
		return string(o.Kind), o.Name, err
	})
}

// runReport is `marshrut report`: the official forms, listed or written to XLSX.
func runReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.stderr, "Использование:\n  marshrut report list\n  marshrut report ФОРМА [--year ГОД] [--org НОМЕР] [--as-of ГГГГ-ММ-ДД] --out ФАЙЛ.xlsx")
		return flag.ErrHelp
	}
	if args[0] == "list" {
		for _, f := range report.FormList {
			where := "регион"
			switch {
			case f.Org && f.Region:
				where = "организация или регион"
			case f.Org:
				where = "организация"
			}
			fmt.Fprintf(e.stdout, "%-12s %s (%s)\n", f.Name, f.Title, where)
		}
		return nil
	}
	name := args[0]
	if _, ok := report.FormByName(name); !ok {
		return fmt.Errorf("формы «%s» нет; список — marshrut report list", name)
	}
	cfg := config.Default()
	fs := flags("report "+name, e, &cfg)
	year := fs.Int("year", 0, "год выпуска (по умолчанию — последний, прошедший полгода)")
	orgID := fs.Int64("org", 0, "организация (по умолчанию — регион)")
	asOf := fs.String("as-of", "", "дата расчёта ГГГГ-ММ-ДД (по умолчанию — сегодня)")
	out := fs.String("out", "", "файл XLSX, куда записать форму")
	if err := cfg.Parse(fs, args[1:], e.getenv); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("укажите файл: --out ФОРМА.xlsx")
	}
	opt := report.FormOptions{OrgID: *orgID, Year: *year}
	if *asOf != "" {
		d, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return fmt.Errorf("--as-of: дата «%s» не распознана: укажите ГГГГ-ММ-ДД", *asOf)
		}
		opt.AsOf = d
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.RefreshStatuses(ctx, cfg.Region); err != nil {
		return err
	}
	_, figures := newFigures(&cfg, st, balance.NewService(st.Balance, cfg.NowFunc()), measures.NewService(st.Measures, cfg.NowFunc()), cfg.NowFunc())
	sh, err := newForms(st, figures).Build(ctx, auth.SystemScope(cfg.Region), name, opt)
	if err != nil {
		return err
	}
	b, err := tables.FormXLSX(sh)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s — %s, %s: строк %d → %s\n", sh.Title, sh.Org, sh.Period, len(sh.Rows), *out)
	return nil
}
