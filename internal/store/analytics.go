package store

import (
	"context"
	"fmt"

	"marshrut/internal/analytics"
)

// Overview counts the region's organisations, learners, stages and outcomes.
func (s *Store) Overview(ctx context.Context, region string) (analytics.Overview, error) {
	ov := analytics.Overview{Organisations: map[string]int{}, Learners: map[string]int{}}
	count := func(q string, into map[string]int) error {
		rows, err := s.read.QueryContext(ctx, q, region)
		if err != nil {
			return fmt.Errorf("store: overview: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			into[k] = n
		}
		return rows.Err()
	}
	if err := count(`SELECT kind, count(*) FROM organisation WHERE region_code = $1 GROUP BY kind`, ov.Organisations); err != nil {
		return ov, err
	}
	if err := count(`SELECT status, count(*) FROM learner WHERE region_code = $1 GROUP BY status`, ov.Learners); err != nil {
		return ov, err
	}
	if err := s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM learner_stage WHERE region_code = $1),
		(SELECT count(*) FROM outcome WHERE region_code = $1)`, region).Scan(&ov.Stages, &ov.Outcomes); err != nil {
		return ov, fmt.Errorf("store: overview: %w", err)
	}
	return ov, nil
}
