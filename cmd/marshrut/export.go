package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/tables"
)

// runExport writes a list of the region to a file, streaming it page by page.
func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.stderr, "Использование: marshrut export learners|orgs ФАЙЛ.xlsx|ФАЙЛ.csv [--status pupil|student|graduate] [--org НОМЕР]\n"+
			"               marshrut export rollup --key КЛЮЧ.pem --out ПАКЕТ.json\n"+
			"               marshrut export sfr-request ФАЙЛ.xlsx|ФАЙЛ.csv --year ГОД [--org НОМЕР] [--to ГГГГ-ММ-ДД]")
		return flag.ErrHelp
	}
	kind := args[0]
	if kind == "rollup" {
		return exportRollup(ctx, e, args[1:])
	}
	if kind == "sfr-request" {
		return exportSFRRequest(ctx, e, args[1:])
	}
	if kind != "learners" && kind != "orgs" {
		return fmt.Errorf("выгрузка «%s» не поддерживается; доступно: learners, orgs, rollup, sfr-request", kind)
	}
	cfg := config.Default()
	fs := flags("export "+kind, e, &cfg)
	status := fs.String("status", "", "только обучающиеся с этим статусом: pupil, student, graduate")
	orgID := fs.Int64("org", 0, "только обучающиеся этой организации")
	rest := args[1:]
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := cfg.Parse(fs, rest, e.getenv); err != nil {
		return err
	}
	if file == "" {
		return errors.New("укажите файл: marshrut export " + kind + " ФАЙЛ.xlsx")
	}
	format := exchange.Format(strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), "."))
	if format != exchange.CSV && format != exchange.XLSX {
		return fmt.Errorf("файл «%s»: расширение должно быть .xlsx или .csv", file)
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	cols := tables.LearnerColumns
	if kind == "orgs" {
		cols = tables.OrgColumns
	}
	w, err := exchange.NewWriter(format, f, "Лист1", cols)
	if err != nil {
		f.Close()
		return err
	}
	n, lastID := 0, int64(0)
	err = func() error {
		if kind == "orgs" {
			flt := org.Filter{Limit: 500}
			for ; ; flt.Offset += flt.Limit {
				list, _, err := st.Orgs.Organisations(ctx, flt)
				if err != nil {
					return err
				}
				for _, o := range list {
					if err := w.Write(tables.OrgRow(o)); err != nil {
						return err
					}
				}
				n += len(list)
				if len(list) < flt.Limit {
					return nil
				}
			}
		}
		flt := learner.Filter{Status: learner.Status(*status), OrgID: *orgID, Limit: 5000, ByID: true}
		if flt.Status != "" && !flt.Status.Valid() {
			return fmt.Errorf("--status: «%s» — допустимы pupil, student, graduate", *status)
		}
		sc := auth.SystemScope(cfg.Region)
		for ; ; flt.AfterID = lastID {
			list, _, err := st.Learners.Learners(ctx, sc, flt)
			if err != nil {
				return err
			}
			for _, l := range list {
				if err := w.Write(tables.LearnerRow(l)); err != nil {
					return err
				}
				lastID = l.ID
			}
			n += len(list)
			if len(list) < flt.Limit {
				return nil
			}
		}
	}()
	if err == nil {
		err = w.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
		return err
	}
	fmt.Fprintf(e.stdout, "Выгружено строк: %d → %s\n", n, file)
	return nil
}
