package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/tables"
)

// exportSFRRequest writes the request to the social fund for the periods of
// work of a cohort's graduates: their СНИЛС and the period asked.
func exportSFRRequest(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("export sfr-request", e, &cfg)
	year := fs.Int("year", 0, "год выпуска, выпускники которого запрашиваются")
	orgID := fs.Int64("org", 0, "только выпускники этой организации")
	toFlag := fs.String("to", "", "конец запрашиваемого периода, ГГГГ-ММ-ДД (по умолчанию сегодня)")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if file == "" {
		return errors.New("укажите файл: marshrut export sfr-request ФАЙЛ.xlsx --year ГОД")
	}
	if *year < 1970 || *year > cfg.Now().Year() {
		return fmt.Errorf("--year: укажите год выпуска от 1970 до %d", cfg.Now().Year())
	}
	to := cfg.Now().UTC().Truncate(24 * time.Hour)
	if *toFlag != "" {
		t, err := time.Parse(time.DateOnly, *toFlag)
		if err != nil {
			return fmt.Errorf("--to: дата «%s» не в формате ГГГГ-ММ-ДД", *toFlag)
		}
		to = t
	}
	from, to := tables.SFRPeriod(*year, to)
	if to.Before(from) {
		return fmt.Errorf("--to: конец периода %s раньше его начала %s", to.Format("02.01.2006"), from.Format("02.01.2006"))
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
	w, err := exchange.NewWriter(format, f, "Запрос в СФР", tables.SFRRequestColumns)
	if err != nil {
		f.Close()
		return err
	}
	n, without := 0, 0
	err = func() error {
		flt := learner.Filter{Status: learner.Graduate, GraduationYear: *year, OrgID: *orgID, Limit: 5000, ByID: true}
		sc := auth.SystemScope(cfg.Region)
		for {
			list, _, err := st.Learners.Learners(ctx, sc, flt)
			if err != nil {
				return err
			}
			for _, l := range list {
				flt.AfterID = l.ID
				if l.SNILS == "" {
					without++
					continue
				}
				n++
				if err := w.Write(tables.SFRRequestRow(n, l, from, to)); err != nil {
					return err
				}
			}
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
	fmt.Fprintf(e.stdout, "Запрос в СФР: выпускников %d года — %d, период с %s по %s → %s\n", *year, n,
		from.Format("02.01.2006"), to.Format("02.01.2006"), file)
	if without > 0 {
		fmt.Fprintf(e.stdout, "Без СНИЛС и потому не включены в запрос: %d; занятость их подтвердить через СФР нельзя.\n", without)
	}
	return nil
}
