package store

import (
	"context"
	"fmt"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
)

// Overview counts the region's organisations and the learners in scope.
func (s *Store) Overview(ctx context.Context, sc auth.Scope) (analytics.Overview, error) {
	ov := analytics.Overview{Organisations: map[string]int{}, Learners: map[string]int{}}
	var a args
	count := func(q string, into map[string]int) error {
		rows, err := s.read.QueryContext(ctx, q, a...)
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
	if err := count(`SELECT kind, count(*) FROM organisation WHERE region_code = `+a.add(sc.RegionCode)+` GROUP BY kind`, ov.Organisations); err != nil {
		return ov, err
	}
	a = nil
	if err := count(`SELECT l.status, count(*) FROM learner l WHERE `+learnerScope(sc, "l", &a)+` GROUP BY l.status`, ov.Learners); err != nil {
		return ov, err
	}
	return ov, nil
}

// positive lists the statuses that count as employed in SQL.
const positive = `('employed', 'self_employed', 'studying', 'military')`

// Cohorts counts graduates of the given years in scope and their employment
// six and twelve months after graduation.
func (s *Store) Cohorts(ctx context.Context, sc auth.Scope, years []int) ([]analytics.Cohort, error) {
	if len(years) == 0 {
		return nil, nil
	}
	var a args
	ys := make([]int64, len(years))
	for i, y := range years {
		ys[i] = int64(y)
	}
	q := `SELECT l.graduation_year, count(*),
		sum(CASE WHEN l.outcome_6m IN ` + positive + ` THEN 1 ELSE 0 END),
		sum(CASE WHEN l.outcome_6m NOT IN ('', 'unknown') THEN 1 ELSE 0 END),
		sum(CASE WHEN l.outcome_12m IN ` + positive + ` THEN 1 ELSE 0 END),
		sum(CASE WHEN l.outcome_12m NOT IN ('', 'unknown') THEN 1 ELSE 0 END)
		FROM learner l WHERE ` + learnerScope(sc, "l", &a) + ` AND l.status = 'graduate' AND l.graduation_year IN (` + a.in(ys) + `)
		GROUP BY l.graduation_year`
	rows, err := s.read.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("store: cohorts: %w", err)
	}
	defer rows.Close()
	found := map[int]analytics.Cohort{}
	for rows.Next() {
		var c analytics.Cohort
		if err := rows.Scan(&c.Year, &c.Graduates, &c.Employed6, &c.Known6, &c.Employed12, &c.Known12); err != nil {
			return nil, err
		}
		found[c.Year] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]analytics.Cohort, len(years))
	for i, y := range years {
		c := found[y]
		c.Year = y
		out[i] = c
	}
	return out, nil
}
