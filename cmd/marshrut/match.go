package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/engine/match"
	"marshrut/internal/exchange"
	"marshrut/internal/jobs"
	"marshrut/internal/routing"
	"marshrut/internal/store"
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
	explain := fs.String("explain", "", "файл CSV: итог и причина по каждому кандидату расчёта в базе")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if *dir != "" {
		if *explain != "" {
			return errors.New("--explain пишет итоги расчёта по базе региона и не сочетается с --instance")
		}
		return match.Command(ctx, e.stdout, *dir, *mode, *seed)
	}
	if *explain != "" && !strings.EqualFold(filepath.Ext(*explain), ".csv") {
		return fmt.Errorf("--explain: файл «%s» должен иметь расширение .csv", *explain)
	}
	if *explain != "" {
		if fi, err := os.Stat(filepath.Dir(*explain)); err != nil || !fi.IsDir() {
			return fmt.Errorf("--explain: каталога «%s» для файла нет", filepath.Dir(*explain))
		}
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
	svc := routing.NewService(st.Routing, inline{}, cfg.NowFunc())
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
	optimal := fmt.Sprintf("в распределении с наибольшей пользой %d (оптимальность не доказана)", r.OptimalWelfare)
	switch {
	case r.OptimalProven:
		optimal = fmt.Sprintf("в распределении с наибольшей пользой %d (оптимальность доказана по всем парам)", r.OptimalWelfare)
	case r.OptimalWelfare == 0:
		optimal = fmt.Sprintf("сравнение с распределением наибольшей пользы не считалось: кандидатов больше %d, "+
			"а проверка оптимальности на таком размере заняла бы во много раз больше времени, чем сам расчёт", routing.CompareLimit)
	}
	fmt.Fprintf(e.stdout, "Расчёт № %d, тур %d: кандидатов %d, мест %d в %d вакансиях, распределено %d из наибольших возможных %d "+
		"(первый выбор %.1f%%, по целевым договорам %d из %d держателей договоров); "+
		"польза %d, %s; блокирующих пар %d; "+
		"без места: нет совместимых вакансий %d, пожелания исключают все места %d, места заняты в прежних турах %d, "+
		"места заняты кандидатами выше в списках работодателей %d; совместимых пар %d, оценено %d; %.1f с.\n",
		r.ID, r.Round, r.Candidates, r.Places, r.Vacancies, r.Matched, r.MaxMatched, 100*r.FirstChoiceShare(), r.Contracts, r.Holders,
		r.Welfare, optimal, r.Blocking, r.UnplacedNone, r.UnplacedWishes, r.UnplacedTaken, r.UnplacedOutranked,
		r.Edges, r.Scored, r.Seconds)
	if *explain != "" {
		n, err := writeExplain(ctx, st, auth.SystemScope(cfg.Region), r.ID, *explain)
		if err != nil {
			return fmt.Errorf("--explain: %w", err)
		}
		fmt.Fprintf(e.stdout, "Итоги по %d кандидатам → %s\n", n, *explain)
	}
	return nil
}

// explainColumns are the columns of the file --explain writes.
var explainColumns = []exchange.Column{
	{Title: "Номер обучающегося", Kind: exchange.Int}, {Title: "ФИО", Width: 36}, {Title: "Организация", Width: 30},
	{Title: "Специальность"}, {Title: "Итог"}, {Title: "Вакансия", Width: 30}, {Title: "Работодатель", Width: 30},
	{Title: "Место вакансии в списке кандидата", Kind: exchange.Int}, {Title: "Оценка выпускника", Kind: exchange.Int},
	{Title: "Оценка работодателя", Kind: exchange.Int}, {Title: "Причина", Width: 60}, {Title: "Целевой договор: почему не у работодателя", Width: 60},
}

// writeExplain writes each candidate's outcome of the run and why to a CSV
// file; a file left half-written by an error is removed.
func writeExplain(ctx context.Context, st *store.Store, sc auth.Scope, runID int64, file string) (n int, err error) {
	f, err := os.Create(file)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(file)
		}
	}()
	w := exchange.NewCSV(f, explainColumns)
	flt := routing.ProposalFilter{RunID: runID, Limit: 5000}
	for ; ; flt.Offset += flt.Limit {
		list, _, err := st.Routing.Proposals(ctx, sc, flt)
		if err != nil {
			return n, err
		}
		for _, p := range list {
			outcome := "без места"
			switch {
			case p.Contract:
				outcome = "распределён по целевому договору"
			case p.VacancyID != "":
				outcome = "распределён"
			}
			if err := w.Write([]any{p.LearnerID, p.Learner, p.OrgName, p.SpecialtyCode, outcome, p.Vacancy, p.Employer, p.Choice,
				p.GraduateScore, p.EmployerScore, p.Reasons, p.ContractNote}); err != nil {
				return n, err
			}
		}
		n += len(list)
		if len(list) < flt.Limit {
			return n, w.Close()
		}
	}
}

// inline runs a job at once: the command waits for its run anyway.
type inline struct{}

func (inline) Start(ctx context.Context, j *jobs.Job, fn func(context.Context, jobs.Progress) (any, error)) error {
	_, err := fn(ctx, func(int, int) {})
	return err
}
