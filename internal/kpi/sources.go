package kpi

import (
	"context"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/measures"
)

// DemandClosure is the region-wide count of the workforce balance: how much
// of the region's forecast demand for the first year the graduates close.
// A region whose balance cannot be computed yet (no vacancy history) shows
// no such figure rather than no monitoring.
func DemandClosure(b *balance.Service) analytics.ExtraSource {
	return func(ctx context.Context, region string, _ time.Time) (analytics.Figures, error) {
		res, err := b.Balance(ctx, auth.SystemScope(region), 0)
		if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound) {
			return analytics.Figures{}, nil
		}
		if err != nil || len(res.Totals) == 0 {
			return analytics.Figures{}, err
		}
		c := res.Totals[0].Closure()
		return analytics.Figures{DemandNeed: c.Need, DemandClosed: c.Closed}, nil
	}
}

// ProgrammeEmployment is the region-wide count of the active employment
// measures: those who completed a programme and work within three months.
func ProgrammeEmployment(m *measures.Service) analytics.ExtraSource {
	return func(ctx context.Context, region string, _ time.Time) (analytics.Figures, error) {
		figs, err := m.Figures(ctx, auth.SystemScope(region), measures.FigureFilter{})
		if err != nil {
			return analytics.Figures{}, err
		}
		t := figs.Total
		return analytics.Figures{ProgrammeDone: t.Known(), ProgrammeEmployed: t.Employed, ProgrammeUnknown: t.Waiting}, nil
	}
}
