package store

import (
	"context"
	"database/sql"
	"fmt"

	"marshrut/internal/kpi"
)

const targetCols = `t.id, t.code, t.year, t.value, t.note, COALESCE(t.set_by, 0), t.set_by_name, t.set_at`

func scanTarget(r interface{ Scan(...any) error }, t *kpi.Target) error {
	var v sql.NullFloat64
	if err := r.Scan(&t.ID, &t.Code, &t.Year, &v, &t.Note, &t.SetBy, &t.SetByName, timeScan{&t.SetAt}); err != nil {
		return err
	}
	if v.Valid {
		x := v.Float64
		t.Value = &x
	}
	return nil
}

// Targets returns the latest target of each measure the region set for a year.
func (s *Targets) Targets(ctx context.Context, region string, year int) ([]kpi.Target, error) {
	var out []kpi.Target
	err := eachRow(ctx, s.read, `SELECT `+targetCols+` FROM measure_target t
		WHERE t.region_code = $1 AND t.year = $2 AND t.id = (SELECT max(x.id) FROM measure_target x
			WHERE x.region_code = t.region_code AND x.code = t.code AND x.year = t.year)
		ORDER BY t.code`, args{region, year}, func(r *sql.Rows) error {
		var t kpi.Target
		if err := scanTarget(r, &t); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: targets: %w", err)
	}
	return out, nil
}

// TargetHistory returns every target of a measure the region set, newest first.
func (s *Targets) TargetHistory(ctx context.Context, region, code string) ([]kpi.Target, error) {
	var out []kpi.Target
	err := eachRow(ctx, s.read, `SELECT `+targetCols+` FROM measure_target t WHERE t.region_code = $1 AND t.code = $2
		ORDER BY t.id DESC`, args{region, code}, func(r *sql.Rows) error {
		var t kpi.Target
		if err := scanTarget(r, &t); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: target history: %w", err)
	}
	return out, nil
}

// AddTarget records a new target; the name of the user who set it is kept
// with it, so that the history reads after the user is gone.
func (s *Targets) AddTarget(ctx context.Context, region string, t *kpi.Target) error {
	return wrap("add target", s.tx(ctx, func(tx *sql.Tx) error {
		if t.SetBy != 0 && t.SetByName == "" {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(NULLIF(name, ''), login) FROM app_user WHERE id = $1`, t.SetBy).Scan(&t.SetByName); err != nil && !noRows(err) {
				return fmt.Errorf("store: add target: %w", err)
			}
		}
		var v any
		if t.Value != nil {
			v = *t.Value
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO measure_target (region_code, code, year, value, note, set_by, set_by_name, set_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			region, t.Code, t.Year, v, t.Note, nullID(t.SetBy), t.SetByName, tsArg(t.SetAt)).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("store: add target: %w", err)
		}
		return nil
	}))
}
