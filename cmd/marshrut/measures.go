package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/config"
	"marshrut/internal/kpi"
	"marshrut/internal/measures"
	"marshrut/internal/web"
)

// runMeasures is `marshrut measures`: the headline measures of a scope on
// a day, the same document GET /api/v1/measures answers, for scripts and
// the monthly run.
func runMeasures(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("measures", e, &cfg)
	scopeFlag := fs.String("scope", "region", "область: region, municipality:НОМЕР или org:НОМЕР")
	asOf := fs.String("as-of", "", "дата расчёта ГГГГ-ММ-ДД (по умолчанию — сегодня по времени региона)")
	format := fs.String("format", "table", "вывод: table — таблица, json — документ как в API")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	scope, err := kpi.ParseScope(*scopeFlag)
	if err != nil {
		return err
	}
	var day time.Time
	if *asOf != "" {
		if day, err = time.Parse("2006-01-02", *asOf); err != nil {
			return fmt.Errorf("дата «%s» не распознана: укажите ГГГГ-ММ-ДД", *asOf)
		}
	}
	if *format != "table" && *format != "json" {
		return fmt.Errorf("формат «%s»: допустимы table и json", *format)
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
	d, err := figures.Document(ctx, auth.SystemScope(cfg.Region), scope, day)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d.JSON())
	}
	fmt.Fprintf(e.stdout, "%s: показатели на %s\n\n", d.ScopeName, d.AsOf.Format("02.01.2006"))
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Показатель\tЧисло\tИз\tЗначение\tЦель\tНет сведений\t")
	for _, it := range d.Items {
		value, target, unknown := "—", "—", "—"
		if v, ok := it.Value(); ok {
			value = web.Percent(v)
		}
		if it.Target != nil {
			target = web.Percent(*it.Target)
		}
		if it.Status {
			unknown = strconv.Itoa(it.Unknown)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t\n", it.Name, it.Numerator, it.Denominator, value, target, unknown)
	}
	return tw.Flush()
}
