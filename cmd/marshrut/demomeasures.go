package main

import (
	"context"
	"fmt"
	"time"

	"marshrut/internal/config"
	"marshrut/internal/demo"
	"marshrut/internal/measures"
	"marshrut/internal/store"
)

// demoMeasures fills the programmes of active employment measures of the
// demo region; most groups are formed by the employment centre of the demo
// user «czn», so that its pages are full on the first run.
func demoMeasures(ctx context.Context, e *env, st *store.Store, cfg *config.Config, seed uint64) error {
	region, now := cfg.Region, cfg.Now()
	var main int64
	if u, _, err := st.Auth.UserByLogin(ctx, "czn"); err == nil {
		main = u.OrgID
	}
	svc := measures.NewService(st.Measures, func() time.Time { return now })
	sum, err := demo.Measures(ctx, svc, st.DemoData, region, main, now, seed)
	if err != nil {
		return fmt.Errorf("программы содействия занятости в демонстрационном регионе: %w", err)
	}
	fmt.Fprintf(e.stdout, "Программы содействия занятости: программ — %d, групп — %d, зачислено — %d (из них выпускников региона — %d), завершили — %d, трудоустроены в течение трёх месяцев — %d.\n",
		sum.Programmes, sum.Groups, sum.Enrolments, sum.Learners, sum.Completed, sum.Employed)
	return nil
}
