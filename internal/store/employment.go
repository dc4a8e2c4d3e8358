package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
)

// employmentCut is the key and name of a cut of graduates.
func employmentCut(by string) (key, name, join string) {
	switch by {
	case "specialty":
		return `COALESCE(l.specialty_code, '')`, `COALESCE(sp.name, '')`, `LEFT JOIN specialty sp ON sp.code = l.specialty_code`
	case "municipality":
		return `CAST(l.municipality_id AS TEXT)`, `m.name`, `JOIN municipality m ON m.id = l.municipality_id`
	}
	return `CAST(l.org_id AS TEXT)`, `COALESCE(NULLIF(o.short_name, ''), o.name)`, `JOIN organisation o ON o.id = l.org_id`
}

// Employment counts the employment of the graduates of the years the caller
// sees, by organisation, specialty or municipality of residence.
func (s *Analytics) Employment(ctx context.Context, sc auth.Scope, by string, years []int) ([]analytics.EmploymentRow, error) {
	if !sc.SeesPersons() {
		sc = auth.SystemScope(sc.RegionCode) // counts carry no person
	}
	key, name, join := employmentCut(by)
	var a args
	// By organisation or municipality, from the tally where the scope
	// allows, each row weighing n graduates; by specialty, which the tally
	// does not keep, or for an employer's people, from the learners.
	from, n, where := "learner l", "1", ""
	if tallied(sc) && by != "specialty" {
		// rows emptied by moves count nothing and make no line
		from, n, where = "learner_tally l", "l.n", tallyScope(sc, "l", &a)+" AND l.n > 0"
	} else {
		where = learnerScope(sc, "l", &a)
	}
	q := `SELECT ` + key + `, ` + name + `, l.graduation_year, sum(` + n + `),
		sum(CASE WHEN l.outcome_6m IN ` + positive + ` THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_12m IN ` + positive + ` THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_6m IN ` + positive + ` AND l.outcome_12m IN ` + positive + ` THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_6m IN ('', 'unknown') THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_12m IN ('', 'unknown') THEN ` + n + ` ELSE 0 END),
		sum(CASE WHEN l.outcome_6m IN ('', 'unknown') AND l.outcome_12m IN ` + positive + ` THEN ` + n + ` ELSE 0 END)
		FROM ` + from + ` ` + join + ` WHERE ` + where + ` AND l.status = 'graduate' AND l.graduation_year IN (` + a.inInts(years) + `)
		GROUP BY ` + key + `, ` + name + `, l.graduation_year ORDER BY ` + name + `, l.graduation_year`
	var out []analytics.EmploymentRow
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var e analytics.EmploymentRow
		if err := r.Scan(&e.Key, &e.Name, &e.Year, &e.Graduates, &e.Employed6, &e.Employed12, &e.Retained, &e.Unknown6, &e.Unknown12, &e.UnknownThenEmployed); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: employment: %w", err)
	}
	return out, nil
}

// Rating computes the national rating's two indicators for the graduates of
// a year the caller sees, by organisation or specialty.
func (s *Analytics) Rating(ctx context.Context, sc auth.Scope, by string, year int) ([]analytics.RatingRow, error) {
	if !sc.SeesPersons() {
		sc = auth.SystemScope(sc.RegionCode)
	}
	key, name, join := employmentCut(by)
	var a args
	from, to := a.add(strconv.Itoa(year+1)+"-01-01"), a.add(strconv.Itoa(year+1)+"-12-31")
	// One row per graduate: whether at work in the second year, and the best
	// salary recorded for that work.
	q := `SELECT ` + key + `, ` + name + `, l.id,
		max(CASE WHEN oc.id IS NULL THEN 0 ELSE 1 END), COALESCE(max(oc.salary), 0)
		FROM learner l ` + join + `
		LEFT JOIN outcome oc ON oc.learner_id = l.id AND oc.status IN ('employed', 'self_employed')
			AND oc.started_on <= ` + to + ` AND (oc.ended_on IS NULL OR oc.ended_on >= ` + from + `)
		WHERE ` + learnerScope(sc, "l", &a) + ` AND l.status = 'graduate' AND l.graduation_year = ` + a.add(year) + `
		GROUP BY ` + key + `, ` + name + `, l.id`
	rows := map[string]*analytics.RatingRow{}
	salaries := map[string][]int{}
	var order []string
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var k, n string
		var id int64
		var working, salary int
		if err := r.Scan(&k, &n, &id, &working, &salary); err != nil {
			return err
		}
		row, ok := rows[k]
		if !ok {
			row = &analytics.RatingRow{Key: k, Name: n, Year: year}
			rows[k] = row
			order = append(order, k)
		}
		row.Graduates++
		if working == 1 {
			row.Working++
			if salary > 0 {
				salaries[k] = append(salaries[k], salary)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: rating: %w", err)
	}
	out := make([]analytics.RatingRow, 0, len(order))
	for _, k := range order {
		row := rows[k]
		if sal := salaries[k]; len(sal) > 0 {
			slices.Sort(sal)
			row.WithSalary = len(sal)
			if len(sal)%2 == 1 {
				row.MedianSalary = sal[len(sal)/2]
			} else {
				row.MedianSalary = (sal[len(sal)/2-1] + sal[len(sal)/2]) / 2
			}
		}
		out = append(out, *row)
	}
	slices.SortFunc(out, func(x, y analytics.RatingRow) int {
		if x.Name < y.Name {
			return -1
		}
		if x.Name > y.Name {
			return 1
		}
		return 0
	})
	return out, nil
}
