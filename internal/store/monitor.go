package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/risk"
)

// MonitorSnapshot counts the region's figures by organisation: guidance this
// school year, employment of the latest cohorts, students under contract and
// with a mentor, students at risk with a case, the funnel of the last three
// graduation cohorts and of the two still studying to graduate, and the
// region's trend by month. Each figure is one
// grouped query; the levels above an organisation are sums of these rows.
func (s *Store) MonitorSnapshot(ctx context.Context, region string, now time.Time) (analytics.Snapshot, error) {
	six, twelve := analytics.LastYears(now)
	snap := analytics.Snapshot{Region: region, At: now, Year: six, Year12: twelve, Units: map[int64]analytics.Unit{},
		Figures: map[int64]analytics.Figures{}, Funnels: map[int64]map[int]analytics.Funnel{}}
	fig := func(org int64) *analytics.Figures {
		f := snap.Figures[org]
		return &f
	}
	set := func(org int64, f *analytics.Figures) { snap.Figures[org] = *f }
	run := func(what, q string, a args, fn func(r *sql.Rows) error) error {
		if err := eachRow(ctx, s.read, q, a, fn); err != nil {
			return fmt.Errorf("store: monitoring, %s: %w", what, err)
		}
		return nil
	}
	if err := run("organisations", `SELECT o.id, COALESCE(NULLIF(o.short_name, ''), o.name), o.kind, o.municipality_id, m.name
		FROM organisation o JOIN municipality m ON m.id = o.municipality_id
		WHERE o.region_code = $1 AND o.kind IN ('school', 'college', 'university')`, args{region}, func(r *sql.Rows) error {
		var u analytics.Unit
		if err := r.Scan(&u.ID, &u.Name, &u.Kind, &u.MunicipalityID, &u.Municipality); err != nil {
			return err
		}
		snap.Units[u.ID] = u
		return nil
	}); err != nil {
		return snap, err
	}
	year := int(guidance.YearOf(now))
	steps := []struct {
		what, q string
		a       args
		scan    func(r *sql.Rows) error
	}{
		{"guidance", `SELECT l.org_id, count(*), COALESCE(sum(CASE WHEN r.activities > 0 THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.grade >= 9 THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.grade >= 9 AND r.informed_on IS NOT NULL THEN 1 ELSE 0 END), 0)
			FROM learner l LEFT JOIN guidance_reach r ON r.learner_id = l.id AND r.school_year = $2
			WHERE l.region_code = $1 AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11 GROUP BY l.org_id`, args{region, year},
			func(r *sql.Rows) error {
				var org int64
				var p, re, se, in int
				if err := r.Scan(&org, &p, &re, &se, &in); err != nil {
					return err
				}
				f := fig(org)
				f.Pupils, f.Reached, f.Seniors, f.Informed = p, re, se, in
				set(org, f)
				return nil
			}},
		{"employment", `SELECT t.org_id, t.graduation_year, sum(t.n),
			sum(CASE WHEN t.outcome_6m IN ` + positive + ` THEN t.n ELSE 0 END),
			sum(CASE WHEN t.outcome_6m IN ` + positive + ` AND t.outcome_12m IN ` + positive + ` THEN t.n ELSE 0 END)
			FROM learner_tally t WHERE t.region_code = $1 AND t.status = 'graduate' AND t.graduation_year IN ($2, $3)
			GROUP BY t.org_id, t.graduation_year`, args{region, six, twelve},
			func(r *sql.Rows) error {
				var org int64
				var y, g, w6, both int
				if err := r.Scan(&org, &y, &g, &w6, &both); err != nil {
					return err
				}
				f := fig(org)
				if y == six {
					f.Graduates, f.Working = g, w6
				}
				if y == twelve {
					f.Employed, f.Retained = w6, both
				}
				set(org, f)
				return nil
			}},
		{"students", `SELECT l.org_id, count(*), COALESCE(sum(CASE WHEN l.study_form = 'full_time' THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE l.region_code = $1 AND l.status = 'student' GROUP BY l.org_id`, args{region},
			func(r *sql.Rows) error {
				var org int64
				var n, ft int
				if err := r.Scan(&org, &n, &ft); err != nil {
					return err
				}
				f := fig(org)
				f.Students, f.FullTime = n, ft
				set(org, f)
				return nil
			}},
		{"contracts", `SELECT l.org_id, count(DISTINCT a.learner_id) FROM targeted_application a JOIN learner l ON l.id = a.learner_id
			WHERE l.region_code = $1 AND l.status = 'student' AND a.status IN ` + signedStatuses + ` GROUP BY l.org_id`, args{region},
			func(r *sql.Rows) error {
				var org int64
				var n int
				if err := r.Scan(&org, &n); err != nil {
					return err
				}
				f := fig(org)
				f.Contract = n
				set(org, f)
				return nil
			}},
		{"mentors", `SELECT l.org_id, count(DISTINCT p.learner_id) FROM mentor_pair p JOIN learner l ON l.id = p.learner_id
			WHERE p.region_code = $1 AND p.status = 'active' AND l.status = 'student' AND l.study_form = 'full_time' GROUP BY l.org_id`, args{region},
			func(r *sql.Rows) error {
				var org int64
				var n int
				if err := r.Scan(&org, &n); err != nil {
					return err
				}
				f := fig(org)
				f.Mentored = n
				set(org, f)
				return nil
			}},
		{"risk", `SELECT l.org_id, count(*), COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM risk_case c WHERE c.learner_id = l.id) THEN 1 ELSE 0 END), 0)
			FROM risk_score rs JOIN learner l ON l.id = rs.learner_id
			WHERE rs.region_code = $1 AND rs.probability >= COALESCE((SELECT threshold FROM risk_setting WHERE region_code = $1), $2)
			GROUP BY l.org_id`, args{region, risk.DefaultThreshold},
			func(r *sql.Rows) error {
				var org int64
				var n, c int
				if err := r.Scan(&org, &n, &c); err != nil {
					return err
				}
				f := fig(org)
				f.AtRisk, f.WithCase = n, c
				set(org, f)
				return nil
			}},
		{"funnel", `SELECT l.org_id, l.graduation_year, count(*),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM learner_stage st WHERE st.learner_id = l.id AND st.kind = 'school') THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM guidance_participation gp WHERE gp.learner_id = l.id) THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM learner_stage st WHERE st.learner_id = l.id AND st.kind = 'practice') THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair p WHERE p.learner_id = l.id) THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM targeted_application a WHERE a.learner_id = l.id AND a.status IN ` + signedStatuses + `) THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.status = 'graduate' THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.outcome_6m IN ` + positive + ` THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.outcome_12m IN ` + positive + ` THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE l.region_code = $1 AND l.status IN ('student', 'graduate') AND l.graduation_year BETWEEN $2 AND $3
			GROUP BY l.org_id, l.graduation_year`, args{region, six - 2, six + 2},
			func(r *sql.Rows) error {
				var org int64
				var f analytics.Funnel
				if err := r.Scan(&org, &f.Year, &f.Admitted, &f.FromSchool, &f.Guided, &f.Practice, &f.Mentor, &f.Contract,
					&f.Graduated, &f.Working6, &f.Working12); err != nil {
					return err
				}
				// A cohort whose six or twelve months have not passed has no such status yet.
				if f.Year > six {
					f.Working6 = 0
				}
				if f.Year > twelve {
					f.Working12 = 0
				}
				if snap.Funnels[org] == nil {
					snap.Funnels[org] = map[int]analytics.Funnel{}
				}
				snap.Funnels[org][f.Year] = f
				if _, ok := snap.Figures[org]; !ok {
					snap.Figures[org] = analytics.Figures{}
				}
				return nil
			}},
	}
	for _, st := range steps {
		if err := run(st.what, st.q, st.a, st.scan); err != nil {
			return snap, err
		}
	}
	var err error
	snap.Months, err = s.monitorMonths(ctx, region, now)
	return snap, err
}

// monitorMonths is the region's trend: guidance reach and informing by the
// end of each month of the school year, and employment-centre cases opened
// in each of the last twelve months.
func (s *Store) monitorMonths(ctx context.Context, region string, now time.Time) ([]analytics.MonthFigures, error) {
	trend, err := s.Trend(ctx, auth.SystemScope(region), guidance.YearOf(now), now)
	if err != nil {
		return nil, err
	}
	var out []analytics.MonthFigures
	for _, p := range trend {
		out = append(out, analytics.MonthFigures{Month: p.Month, Reached: p.Reached, Informed: p.Informed})
	}
	index := map[string]int{}
	for i, m := range out {
		index[m.Month.Format("2006-01")] = i
	}
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	err = eachRow(ctx, s.read, `SELECT opened_at, status FROM risk_case WHERE region_code = $1 AND opened_at >= $2`, args{region, tsArg(from)},
		func(r *sql.Rows) error {
			var at time.Time
			var status string
			if err := r.Scan(timeScan{&at}, &status); err != nil {
				return err
			}
			key := at.Format("2006-01")
			i, ok := index[key]
			if !ok {
				out = append(out, analytics.MonthFigures{Month: time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC)})
				i = len(out) - 1
				index[key] = i
			}
			out[i].Cases++
			if status == "closed" {
				out[i].Closed++
			}
			return nil
		})
	slices.SortFunc(out, func(a, b analytics.MonthFigures) int { return a.Month.Compare(b.Month) })
	return out, err
}
