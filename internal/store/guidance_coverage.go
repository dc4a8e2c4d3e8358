package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/guidance"
)

// Coverage of pupils by guidance, its monthly trend, the lists of pupils and
// classes the schools work from.

// coverageScope keeps a coverage query within the caller's reach: persons'
// roles by their scope, and roles that see no person (the federal operator,
// experts) the whole region's counts, which carry no person.
func coverageScope(sc auth.Scope, a *args) string {
	if !sc.SeesPersons() && sc.RegionCode != "" {
		return `l.region_code = ` + a.add(sc.RegionCode)
	}
	return learnerScope(sc, "l", a)
}

// levelHours is the SQL of the hours the school's level asks for.
const levelHours = `CASE pl.level WHEN 'main' THEN 60 WHEN 'advanced' THEN 80 ELSE 40 END`

// coverageTallyScope is coverageScope for the kept counts (learner_grade_tally,
// guidance_tally), and whether they can count within the scope at all: they
// know organisations and municipalities of residence, not an employer's
// people or a learner themself.
func coverageTallyScope(sc auth.Scope, t string, a *args) (string, bool) {
	switch {
	case !countsKnow(sc):
		return "", false
	case !sc.SeesPersons() && sc.RegionCode != "":
		return t + `.region_code = ` + a.add(sc.RegionCode), true
	}
	return tallyScope(sc, t, a), true
}

// countsKnow reports whether the kept counts can count within sc: a region's
// figures for those who see no person, or a scope the tallies know.
func countsKnow(sc auth.Scope) bool {
	return (!sc.SeesPersons() && sc.RegionCode != "") || tallied(sc)
}

// Coverage counts the pupils reached by guidance and informed about targeted
// education in a school year, by school or by municipality (of the school),
// and the total over all the caller sees: from the kept counts where they
// count within the scope, from the learners otherwise.
func (s *Guidance) Coverage(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, by string) ([]guidance.Coverage, guidance.Coverage, error) {
	if countsKnow(sc) {
		return s.tallyCoverage(ctx, sc, year, by)
	}
	return s.learnerCoverage(ctx, sc, year, by)
}

// tallyCoverage is Coverage summed from learner_grade_tally (the pupils) and
// guidance_tally (their reach in the year), by organisation first.
func (s *Guidance) tallyCoverage(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, by string) ([]guidance.Coverage, guidance.Coverage, error) {
	var a args
	y := a.add(int(year))
	pupils, _ := coverageTallyScope(sc, "t", &a)
	reach, _ := coverageTallyScope(sc, "g", &a)
	// Each table summed by organisation first, the level of профминимум
	// applied to an organisation's sums, then the names joined: a few
	// thousand organisations rather than every cell.
	cells := `SELECT t.org_id, sum(t.n) AS pupils, sum(CASE WHEN t.grade >= 9 THEN t.n ELSE 0 END) AS seniors,
			0 AS reached, 0 AS informed, 0 AS hours_met, 0 AS ticket
		FROM learner_grade_tally t WHERE ` + pupils + ` AND t.status = 'pupil' AND t.grade BETWEEN 6 AND 11 GROUP BY t.org_id
		UNION ALL
		SELECT r.org_id, 0, 0, r.reached, r.informed, CASE pl.level WHEN 'main' THEN r.h60 WHEN 'advanced' THEN r.h80 ELSE r.h40 END, r.ticket
		FROM (SELECT g.org_id, sum(g.reached) AS reached, sum(CASE WHEN g.grade >= 9 THEN g.informed ELSE 0 END) AS informed,
				sum(g.h40) AS h40, sum(g.h60) AS h60, sum(g.h80) AS h80, sum(g.ticket) AS ticket
			FROM guidance_tally g WHERE g.school_year = ` + y + ` AND ` + reach + ` GROUP BY g.org_id) r
		LEFT JOIN profminimum_level pl ON pl.org_id = r.org_id AND pl.school_year = ` + y
	perOrg := `SELECT c.org_id, sum(c.pupils) AS pupils, sum(c.reached) AS reached, sum(c.seniors) AS seniors, sum(c.informed) AS informed,
		sum(c.hours_met) AS hours_met, sum(c.ticket) AS ticket FROM (` + cells + `) c GROUP BY c.org_id HAVING sum(c.pupils) > 0`
	sums := `COALESCE(sum(c.pupils), 0), COALESCE(sum(c.reached), 0), COALESCE(sum(c.seniors), 0), COALESCE(sum(c.informed), 0),
		COALESCE(sum(c.hours_met), 0), COALESCE(sum(c.ticket), 0)`
	var q string
	switch by {
	case "municipality":
		q = `SELECT o.municipality_id, m.name, ` + sums + ` FROM (` + perOrg + `) c JOIN organisation o ON o.id = c.org_id
			JOIN municipality m ON m.id = o.municipality_id GROUP BY o.municipality_id, m.name ORDER BY m.name, o.municipality_id`
	case "":
		// The total alone, for dashboards.
		q = `SELECT 0, 'Всего', ` + sums + ` FROM (` + perOrg + `) c`
	default:
		q = `SELECT c.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), c.pupils, c.reached, c.seniors, c.informed, c.hours_met, c.ticket
			FROM (` + perOrg + `) c JOIN organisation o ON o.id = c.org_id ORDER BY COALESCE(NULLIF(o.short_name, ''), o.name), c.org_id`
	}
	return s.coverageRows(ctx, q, a)
}

// coverageRows reads the rows of a coverage query (id, name, pupils,
// reached, seniors, informed, hours met, ticket) and their total.
func (s *Guidance) coverageRows(ctx context.Context, q string, a args) ([]guidance.Coverage, guidance.Coverage, error) {
	var out []guidance.Coverage
	total := guidance.Coverage{Name: "Всего"}
	if err := eachRowOp(ctx, s.read, "coverage", q, a, func(rows *sql.Rows) error {
		var c guidance.Coverage
		if err := rows.Scan(&c.ID, &c.Name, &c.Pupils, &c.Reached, &c.Seniors, &c.Informed, &c.HoursMet, &c.Ticket); err != nil {
			return err
		}
		total.Add(c)
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, guidance.Coverage{}, wrap("coverage", err)
	}
	return out, total, nil
}

// learnerCoverage is Coverage counted from the learners of the scope.
func (s *Guidance) learnerCoverage(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, by string) ([]guidance.Coverage, guidance.Coverage, error) {
	var a args
	y := a.add(int(year))
	key, name, join := `l.org_id`, `COALESCE(NULLIF(o.short_name, ''), o.name)`, `JOIN organisation o ON o.id = l.org_id`
	group := ` GROUP BY ` + key + `, ` + name + ` ORDER BY ` + name
	switch by {
	case "municipality":
		key, name, join = `o.municipality_id`, `m.name`, `JOIN organisation o ON o.id = l.org_id JOIN municipality m ON m.id = o.municipality_id`
		group = ` GROUP BY ` + key + `, ` + name + ` ORDER BY ` + name
	case "":
		// The total alone, for dashboards.
		key, name, join, group = `0`, `'Всего'`, ``, ``
	}
	q := `SELECT ` + key + `, ` + name + `, count(*),
		COALESCE(sum(CASE WHEN r.activities > 0 THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN l.grade >= 9 THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN l.grade >= 9 AND r.informed_on IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN r.hours >= ` + levelHours + ` THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN r.ticket > 0 THEN 1 ELSE 0 END), 0)
		FROM learner l ` + join + `
		LEFT JOIN guidance_reach r ON r.learner_id = l.id AND r.school_year = ` + y + `
		LEFT JOIN profminimum_level pl ON pl.org_id = l.org_id AND pl.school_year = ` + y + `
		WHERE ` + coverageScope(sc, &a) + ` AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11` + group
	return s.coverageRows(ctx, q, a)
}

// Trend counts, for each month of the school year up to now, the pupils
// reached and informed by its end.
func (s *Guidance) Trend(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, now time.Time) ([]guidance.MonthPoint, error) {
	months := year.Months(now)
	out := make([]guidance.MonthPoint, len(months))
	for i, m := range months {
		out[i].Month = m
	}
	var ta args
	if scope, ok := coverageTallyScope(sc, "g", &ta); ok {
		// From guidance_tally, whose cells are months: a month's point counts
		// the pupils first reached (informed) in it or before.
		if err := eachRowOp(ctx, s.read, "trend", `SELECT g.month, COALESCE(sum(g.reached), 0), COALESCE(sum(CASE WHEN g.grade >= 9 THEN g.informed ELSE 0 END), 0)
			FROM guidance_tally g WHERE g.school_year = `+ta.add(int(year))+` AND `+scope+` GROUP BY g.month`, ta, func(rows *sql.Rows) error {
			var month, reached, informed int
			if err := rows.Scan(&month, &reached, &informed); err != nil {
				return err
			}
			first := time.Date(month/100, time.Month(month%100), 1, 0, 0, 0, 0, time.UTC)
			for i, m := range months {
				if !first.After(m) {
					out[i].Reached += reached
					out[i].Informed += informed
				}
			}
			return nil
		}); err != nil {
			return nil, wrap("trend", err)
		}
		return out, nil
	}
	return s.learnerTrend(ctx, sc, year, months, out)
}

// learnerTrend is Trend counted from the learners of the scope, for the
// scopes the kept counts do not know.
func (s *Guidance) learnerTrend(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, months []time.Time, out []guidance.MonthPoint) ([]guidance.MonthPoint, error) {
	for _, col := range []string{"first_on", "informed_on"} {
		var a args
		grade := "6"
		if col == "informed_on" {
			grade = "9"
		}
		if err := eachRowOp(ctx, s.read, "trend", `SELECT r.`+col+`, count(*) FROM guidance_reach r JOIN learner l ON l.id = r.learner_id
			WHERE r.school_year = `+a.add(int(year))+` AND r.`+col+` IS NOT NULL AND `+coverageScope(sc, &a)+`
			AND l.status = 'pupil' AND l.grade BETWEEN `+grade+` AND 11 GROUP BY r.`+col, a, func(rows *sql.Rows) error {
			var day time.Time
			var n int
			if err := rows.Scan(timeScan{&day}, &n); err != nil {
				return err
			}
			for i, m := range months {
				if day.Before(m.AddDate(0, 1, 0)) {
					if col == "first_on" {
						out[i].Reached += n
					} else {
						out[i].Informed += n
					}
				}
			}
			return nil
		}); err != nil {
			return nil, wrap("trend", err)
		}
	}
	return out, nil
}

// Pupils returns a page of pupils of grades 6–11 the caller sees with their
// guidance in a school year, and the total: the lists of pupils not yet
// reached or not yet informed, and a class's hours against its level.
func (s *Guidance) Pupils(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, f guidance.PupilFilter) ([]guidance.Pupil, int, error) {
	if !sc.SeesPersons() {
		return nil, 0, apperr.New(apperr.Forbidden, "списки обучающихся вам недоступны")
	}
	var a args
	y := a.add(int(year))
	where := learnerScope(sc, "l", &a) + ` AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11`
	if f.OrgID != 0 {
		where += ` AND l.org_id = ` + a.add(f.OrgID)
	}
	if f.Grade != 0 {
		where += ` AND l.grade = ` + a.add(f.Grade)
	}
	if f.Group != "" {
		where += ` AND l.study_group = ` + a.add(f.Group)
	}
	switch f.Not {
	case "reached":
		where += ` AND COALESCE(r.activities, 0) = 0`
	case "informed":
		where += ` AND l.grade >= 9 AND r.informed_on IS NULL`
	case "hours":
		where += ` AND COALESCE(r.hours, 0) < ` + levelHours
	}
	from := ` FROM learner l LEFT JOIN guidance_reach r ON r.learner_id = l.id AND r.school_year = ` + y + `
		LEFT JOIN profminimum_level pl ON pl.org_id = l.org_id AND pl.school_year = ` + y + ` JOIN organisation o ON o.id = l.org_id`
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*)`+from+` WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, wrap("pupils", err)
	}
	q := `SELECT l.id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, l.grade, l.study_group, l.org_id,
		COALESCE(NULLIF(o.short_name, ''), o.name), COALESCE(r.activities, 0), COALESCE(r.hours, 0), COALESCE(pl.level, 'basic'), r.informed_on` +
		from + ` WHERE ` + where + ` ORDER BY o.search_name, l.grade, l.study_group, l.search_name, l.id`
	if f.Limit > 0 {
		q += ` LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	}
	out, err := list(ctx, s.read, "pupils", q, a, func(rows *sql.Rows) (guidance.Pupil, error) {
		var p guidance.Pupil
		if err := rows.Scan(&p.LearnerID, &p.Name, &p.Grade, &p.Group, &p.OrgID, &p.School, &p.Activities, &p.Hours, &p.Level, timeScan{&p.InformedOn}); err != nil {
			return p, err
		}
		p.Name = strings.TrimSpace(p.Name)
		return p, nil
	})
	return out, total, wrap("pupils", err)
}

// Classes lists the classes of a school's pupils of grades 6–11 with their sizes.
func (s *Guidance) Classes(ctx context.Context, sc auth.Scope, orgID int64) ([]guidance.Class, error) {
	var a args
	return list(ctx, s.read, "classes", `SELECT l.grade, l.study_group, count(*) FROM learner l WHERE l.org_id = `+a.add(orgID)+
		` AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11 AND `+learnerScope(sc, "l", &a)+` GROUP BY l.grade, l.study_group ORDER BY l.grade, l.study_group`, a, func(rows *sql.Rows) (guidance.Class, error) {
		var c guidance.Class
		if err := rows.Scan(&c.Grade, &c.Group, &c.Pupils); err != nil {
			return c, err
		}
		return c, nil
	})
}
