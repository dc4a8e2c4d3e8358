package store

import (
	"context"
	"database/sql"
	"strings"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// Overview counts the region's organisations and the learners in scope.
func (s *Analytics) Overview(ctx context.Context, sc auth.Scope) (analytics.Overview, error) {
	ov := analytics.Overview{Organisations: map[string]int{}, Learners: map[string]int{}}
	var a args
	count := func(q string, into map[string]int) error {
		return eachRowOp(ctx, s.read, "overview", q, a, func(rows *sql.Rows) error {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			into[k] = n
			return nil
		})
	}
	if err := count(`SELECT kind, count(*) FROM organisation WHERE region_code = `+a.add(sc.RegionCode)+` GROUP BY kind`, ov.Organisations); err != nil {
		return ov, wrap("overview", err)
	}
	a = nil
	q := `SELECT l.status, count(*) FROM learner l WHERE ` + learnerScope(sc, "l", &a) + ` GROUP BY l.status`
	if tallied(sc) {
		a = nil
		q = `SELECT t.status, sum(t.n) FROM learner_tally t WHERE ` + tallyScope(sc, "t", &a) + ` GROUP BY t.status`
	}
	if err := count(q, ov.Learners); err != nil {
		return ov, wrap("overview", err)
	}
	return ov, nil
}

// tallied reports whether the learner_tally can count within the scope: it
// knows organisations and municipalities, not an employer's people or a
// learner themself, whose scopes count from the learner table instead.
func tallied(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System, auth.School, auth.College, auth.University, auth.CZN:
		return true
	}
	return false
}

// tallyScope is learnerScope for the learner_tally table, for the scopes tallied accepts.
func tallyScope(sc auth.Scope, t string, a *args) string {
	if sc.Role == auth.CZN && len(sc.Municipalities) == 0 {
		return "1 = 0"
	}
	region := t + ".region_code = " + a.add(sc.RegionCode)
	switch sc.Role {
	case auth.School, auth.College, auth.University:
		return region + " AND " + t + ".org_id = " + a.add(sc.OrgID)
	case auth.CZN:
		return region + " AND " + t + ".municipality_id IN (" + a.in(sc.Municipalities) + ")"
	}
	return region
}

// positive is learner.OccupiedStatuses as SQL.
var positive = func() string {
	var b strings.Builder
	for i, st := range learner.OccupiedStatuses {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + string(st) + "'")
	}
	return "(" + b.String() + ")"
}()

// Cohorts counts graduates of the given years in scope and their employment
// six and twelve months after graduation.
func (s *Analytics) Cohorts(ctx context.Context, sc auth.Scope, years []int) ([]analytics.Cohort, error) {
	if len(years) == 0 {
		return nil, nil
	}
	var a args
	ys := make([]int64, len(years))
	for i, y := range years {
		ys[i] = int64(y)
	}
	// From the tally where the scope allows, each row weighing n learners;
	// otherwise from the learners themselves, each weighing one.
	from, n, where := "learner l", "1", ""
	if tallied(sc) {
		from, n, where = "learner_tally l", "l.n", tallyScope(sc, "l", &a)
	} else {
		where = learnerScope(sc, "l", &a)
	}
	q := `SELECT l.graduation_year, sum(` + n + `),
		sum(CASE WHEN l.outcome_6m IN ` + positive + ` THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_6m NOT IN ('', 'unknown') THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_12m IN ` + positive + ` THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_12m NOT IN ('', 'unknown') THEN ` + n + ` ELSE 0 END)
		FROM ` + from + ` WHERE ` + where + ` AND l.status = 'graduate' AND l.graduation_year IN (` + a.in(ys) + `)
		GROUP BY l.graduation_year`
	found := map[int]analytics.Cohort{}
	if err := eachRowOp(ctx, s.read, "cohorts", q, a, func(rows *sql.Rows) error {
		var c analytics.Cohort
		if err := rows.Scan(&c.Year, &c.Graduates, &c.Employed6, &c.Known6, &c.Employed12, &c.Known12); err != nil {
			return err
		}
		found[c.Year] = c
		return nil
	}); err != nil {
		return nil, wrap("cohorts", err)
	}
	out := make([]analytics.Cohort, len(years))
	for i, y := range years {
		c := found[y]
		c.Year = y
		out[i] = c
	}
	return out, nil
}
