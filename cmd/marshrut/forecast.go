package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/config"
	"marshrut/internal/engine/ts"
	"marshrut/internal/imports"
)

const forecastUsage = `Использование:
  marshrut forecast balance [--scenario N] [--years 1,3,5,7]   баланс кадров региона по группам специальностей
  marshrut forecast import needs|capacity|ages ФАЙЛ            загрузить потребность, вместимость или возраст занятых
  marshrut forecast limit ПРОЦЕНТ                              предел изменения приёма специальности за год (по умолчанию 20)
  marshrut forecast proposals [--save НАЗВАНИЕ] [--confirm ID,ID]  предложения по приёму; сохранить как сценарий с подтверждёнными
  marshrut forecast bench --m3 ФАЙЛ                            проверить методы прогноза на годовых рядах M3`

// runForecast is `marshrut forecast …`: the workforce balance from a shell,
// loads of its data, and the benchmark of the forecasting engine.
func runForecast(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, forecastUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "bench":
		return forecastBench(ctx, e, args[1:])
	case "balance":
		return forecastBalance(ctx, e, args[1:])
	case "import":
		return forecastImport(ctx, e, args[1:])
	case "limit":
		return forecastLimit(ctx, e, args[1:])
	case "proposals":
		return forecastProposals(ctx, e, args[1:])
	}
	fmt.Fprintln(e.stderr, forecastUsage)
	return fmt.Errorf("неизвестная команда «forecast %s»", args[0])
}

// forecastBench runs the M3 yearly protocol and prints one line per method:
// method=M smape=S mase=A owa=O seconds=T.
func forecastBench(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("forecast bench", e, &cfg)
	m3 := fs.String("m3", "", "файл годовых рядов M3 (M3_yearly_TSTS.csv, можно .gz)")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if *m3 == "" {
		return errors.New("укажите файл: marshrut forecast bench --m3 M3_yearly_TSTS.csv")
	}
	return ts.Bench(ctx, *m3, e.stdout)
}

// forecastBalance prints the region's balance: a line per group and level,
// demand, supply and gap for the years asked.
func forecastBalance(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("forecast balance", e, &cfg)
	scenario := fs.Int64("scenario", 0, "номер сценария; 0 — базовый баланс")
	yearsArg := fs.String("years", "1,3,5,7", "через сколько лет показать баланс, через запятую (от 1 до 7)")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	ahead, err := parseAhead(*yearsArg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	svc := balance.NewService(st.Balance, cfg.NowFunc())
	res, err := svc.Balance(ctx, auth.SystemScope(cfg.Region), *scenario)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	head := "группа\tуровень\t"
	for _, a := range ahead {
		y := res.Years[a-1]
		head += fmt.Sprintf("спрос %d\tвыпуск %d\tразрыв %d\t", y, y, y)
	}
	fmt.Fprintln(tw, head+"ошибка за год, %\tOWA\t")
	line := func(group, level string, cells []balance.Cell, acc *balance.Accuracy, annual *balance.Annual) {
		s := group + "\t" + level + "\t"
		for _, a := range ahead {
			c := cells[a-1]
			s += fmt.Sprintf("%.0f\t%.0f\t%+.0f\t", c.Demand.Mean, c.Supply, c.Gap)
		}
		if annual != nil {
			s += fmt.Sprintf("%.1f\t", annual.SMAPE)
		} else {
			s += "—\t"
		}
		if acc != nil {
			s += fmt.Sprintf("%.2f\t", acc.OWA)
		} else {
			s += "—\t"
		}
		fmt.Fprintln(tw, s)
	}
	for _, r := range res.Rows {
		line(r.Key.Group, r.Key.Level.Name(), r.Cells, r.Accuracy, r.Annual)
	}
	line("всего", "", res.Totals, nil, nil)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Групп: %d, предложений по приёму: %d; рассчитано за %.2f с.\n", len(res.Rows), len(res.Proposals), res.Seconds)
	if len(res.Totals) > 0 {
		cl := res.Totals[0].Closure()
		fmt.Fprintf(e.stdout, "Потребность %d года: %d; закрывают выпускники %d, из них по целевым договорам %d.\n", res.Totals[0].Year, cl.Need, cl.Closed, cl.ByContracts)
	}
	return nil
}

// forecastLimit sets the region's limit on a proposal's change of admission, in percent.
func forecastLimit(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("forecast limit", e, &cfg)
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	var pct float64
	if fs.NArg() != 1 {
		return errors.New("укажите предел в процентах: marshrut forecast limit 20")
	}
	if _, err := fmt.Sscan(strings.Replace(fs.Arg(0), ",", ".", 1), &pct); err != nil {
		return fmt.Errorf("предел изменения приёма — число процентов от 1 до 100, а не «%s»", fs.Arg(0))
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	if err := balance.NewService(st.Balance, cfg.NowFunc()).SetMaxChange(ctx, auth.SystemScope(cfg.Region), pct/100); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Предел изменения приёма: %g %% в год.\n", pct)
	return nil
}

// forecastProposals prints the proposals of admission, those beyond the
// region's limit with the reason, and saves them as a scenario with the
// confirmed ones in full when --save is given.
func forecastProposals(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("forecast proposals", e, &cfg)
	save := fs.String("save", "", "сохранить предложения как сценарий с этим названием")
	confirm := fs.String("confirm", "", "обозначения предложений больше предела, которые подтверждаются, через запятую")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	svc := balance.NewService(st.Balance, cfg.NowFunc())
	sc := auth.SystemScope(cfg.Region)
	res, err := svc.Balance(ctx, sc, 0)
	if err != nil {
		return err
	}
	share, err := svc.MaxChange(ctx, sc)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "обозначение\tприём\tорганизация\tспециальность\tсейчас\tпредложено\tнужно\tспрос (80 %)\tпочему больше предела\t")
	waiting := 0
	for _, p := range res.Proposals {
		why := "—"
		if p.Confirm() {
			why, waiting = p.Why, waiting+1
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%d\t%.0f (%.0f–%.0f)\t%s\t\n", p.ID(), p.AdmissionYear, p.OrgName, p.Specialty.Code,
			p.Current, p.Proposed, p.Wanted, p.Demand.Mean, p.Demand.Lo80, p.Demand.Hi80, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Предложений: %d; больше предела %g %% в год, ждут подтверждения: %d.\n", len(res.Proposals), share*100, waiting)
	if *save == "" {
		return nil
	}
	var ids []string
	for _, id := range strings.Split(*confirm, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	x, err := svc.FromProposals(ctx, sc, *save, ids)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Сохранён сценарий №%d «%s»: подтверждено %d.\n", x.ID, x.Name, len(ids))
	return nil
}

// parseAhead reads the years ahead to show: from 1 to 7.
func parseAhead(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(p), &n); err != nil || n < 1 || n > balance.MaxHorizon {
			return nil, fmt.Errorf("--years: «%s» — горизонт указывается числом лет от 1 до %d", strings.TrimSpace(p), balance.MaxHorizon)
		}
		out = append(out, n)
	}
	return out, nil
}

// forecastImport loads a file of needs, capacities or the age structure as the region.
func forecastImport(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("forecast import", e, &cfg)
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) != 2 {
		return errors.New("укажите вид данных и файл: marshrut forecast import needs|capacity|ages ФАЙЛ")
	}
	f, err := os.Open(rest[1])
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := imports.Balance(ctx, balance.NewService(st.Balance, cfg.NowFunc()), auth.SystemScope(cfg.Region), rest[0], f, rest[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Загружено: %s.\n", rep)
	for _, x := range rep.Rejected {
		fmt.Fprintf(e.stdout, "  строка %d: %s\n", x.Line, x.Reason)
	}
	if rep.Loaded == 0 && rep.Rows > 0 {
		return errRejected
	}
	return nil
}
