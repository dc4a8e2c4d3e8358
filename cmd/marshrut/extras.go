package main

import (
	"context"
	"fmt"
	"math"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/measures"
)

// demandClosure is the monitoring figure of the workforce balance: how much
// of the region's forecast demand for the first year the graduates close.
// A region whose balance cannot be computed yet (no vacancy history) shows
// no such figure rather than no monitoring.
func demandClosure(b *balance.Service) analytics.ExtraSource {
	return func(ctx context.Context, region string) (string, analytics.Ratio, bool, error) {
		res, err := b.Balance(ctx, auth.SystemScope(region), 0)
		if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound) {
			return "", analytics.Ratio{}, false, nil
		}
		if err != nil || len(res.Totals) == 0 {
			return "", analytics.Ratio{}, false, err
		}
		c := res.Totals[0]
		demand, supply := int(math.Round(c.Demand.Mean)), int(math.Round(c.Supply))
		return "demand", analytics.Ratio{Title: "Закрытие потребности в кадрах", Num: min(supply, demand), Den: demand,
			Note: fmt.Sprintf("выпускники %d года против прогноза потребности экономики региона", c.Year)}, demand > 0, nil
	}
}

// measuresEmployment is the monitoring figure of the active employment
// measures: those who completed a programme and work within three months.
func measuresEmployment(m *measures.Service) analytics.ExtraSource {
	return func(ctx context.Context, region string) (string, analytics.Ratio, bool, error) {
		h, err := m.Headline(ctx, auth.SystemScope(region), measures.FigureFilter{})
		if err != nil {
			return "", analytics.Ratio{}, false, err
		}
		return "measures", analytics.Ratio{Title: "Активные меры: трудоустроены после обучения", Num: h.Employed, Den: h.Completed,
			Note: "из окончивших программы содействия занятости — работают в течение трёх месяцев"}, h.Completed > 0, nil
	}
}
