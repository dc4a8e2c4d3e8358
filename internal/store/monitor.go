package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
)

// MonitorSnapshot counts the region's figures by organisation and
// municipality of residence: guidance this school year, employment of the
// latest cohorts, the national rating's cohort, students under contract and
// with a mentor, contracts whose obligation ended, students at risk with a
// case, the funnel of the last three graduation cohorts and of the two still
// studying, and the region's trend by month. Each figure is one grouped
// query; the levels above a cell are sums of these rows. With orgs, only
// those organisations are counted (after a write touched them) and the
// trend is left out.
func (s *Analytics) MonitorSnapshot(ctx context.Context, region string, now time.Time, orgs []int64) (analytics.Snapshot, error) {
	six, twelve := analytics.LastYears(now)
	snap := analytics.Snapshot{Region: region, At: now, Year: six, Year12: twelve, RatingYear: analytics.RatingYear(now),
		Units: map[int64]analytics.Unit{}, Figures: map[analytics.Cell]analytics.Figures{}, Funnels: map[analytics.Cell]map[int]analytics.Funnel{},
		Municipalities: map[int64]string{}}
	// On a replica that has replayed every write committed before now (the
	// snapshot is kept and served to every user), in one snapshot of the
	// database, so that the cells' figures agree with one another.
	q, end := s.snapshot(ctx, s.caughtUp(ctx))
	defer end()
	m := monitorRead{ctx: ctx, q: q, region: region, orgs: orgs, snap: &snap}
	if err := m.units(); err != nil {
		return snap, wrap("monitor snapshot", err)
	}
	for _, st := range monitorSteps(region, now, six, twelve, snap.RatingYear, m.only) {
		if err := m.figures(st); err != nil {
			return snap, wrap("monitor snapshot", err)
		}
	}
	if err := m.funnels(six, twelve); err != nil {
		return snap, wrap("monitor snapshot", err)
	}
	end()
	if len(orgs) > 0 {
		return snap, nil
	}
	var err error
	snap.Months, err = s.monitorMonths(ctx, region, now)
	return snap, wrap("monitor snapshot", err)
}

// monitorRead is one reading of the monitor's snapshot: where it reads, what
// it counts, and the snapshot it fills.
type monitorRead struct {
	ctx    context.Context
	q      querier
	region string
	orgs   []int64 // only these organisations, after a write touched them; all when empty
	snap   *analytics.Snapshot
}

func (m *monitorRead) run(what, q string, a args, fn func(r *sql.Rows) error) error {
	if err := eachRow(m.ctx, m.q, q, a, fn); err != nil {
		return fmt.Errorf("store: monitoring, %s: %w", what, err)
	}
	return nil
}

// only narrows a query on table alias t to the organisations asked for.
func (m *monitorRead) only(t string, a *args) string {
	if len(m.orgs) == 0 {
		return ""
	}
	return " AND " + t + ".org_id IN (" + a.in(m.orgs) + ")"
}

// units reads the educating organisations and the region's municipalities.
func (m *monitorRead) units() error {
	ua := args{m.region}
	if err := m.run("organisations", `SELECT o.id, COALESCE(NULLIF(o.short_name, ''), o.name), o.kind, o.municipality_id, m.name
		FROM organisation o JOIN municipality m ON m.id = o.municipality_id
		WHERE o.region_code = $1 AND o.kind IN ('school', 'college', 'university')`+strings.Replace(m.only("o", &ua), "o.org_id", "o.id", 1), ua,
		func(r *sql.Rows) error {
			var u analytics.Unit
			if err := r.Scan(&u.ID, &u.Name, &u.Kind, &u.MunicipalityID, &u.Municipality); err != nil {
				return err
			}
			m.snap.Units[u.ID] = u
			return nil
		}); err != nil {
		return err
	}
	return m.run("municipalities", `SELECT id, name FROM municipality WHERE region_code = $1`, args{m.region}, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		m.snap.Municipalities[id] = name
		return nil
	})
}

// monitorStep is one figure of the cells: a grouped query whose rows start
// with the cell (organisation, municipality) and the setter of its columns.
type monitorStep struct {
	what, q string
	a       args
	scan    func(r rowScan) (func(f *analytics.Figures), error)
}

// figures reads one step's rows into the cells.
func (m *monitorRead) figures(st monitorStep) error {
	return m.run(st.what, st.q, st.a, func(r *sql.Rows) error {
		var c analytics.Cell
		set, err := st.scan(func(dest ...any) error { return r.Scan(append([]any{&c.Org, &c.Municipality}, dest...)...) })
		if err != nil {
			return err
		}
		f := m.snap.Figures[c]
		set(&f)
		m.snap.Figures[c] = f
		return nil
	})
}

// monitorSteps are the figures of the cells, each one grouped query: guidance
// this school year, employment of the latest cohorts, the national rating's
// cohort, students, contracts and their ended obligations, mentors, risk.
func monitorSteps(region string, now time.Time, six, twelve, ratingYear int, only func(t string, a *args) string) []monitorStep {
	year := int(guidance.YearOf(now))
	day := dateArg(learner.Day(now))
	// The rating counts work at any time in the calendar year after graduation, as store.Rating does.
	ratingFrom, ratingTo := dateArg(time.Date(ratingYear+1, 1, 1, 0, 0, 0, 0, time.UTC)), dateArg(time.Date(ratingYear+1, 12, 31, 0, 0, 0, 0, time.UTC))
	var steps []monitorStep
	add := func(what string, a args, q func(a *args) string, scan func(r rowScan) (func(f *analytics.Figures), error)) {
		qs := q(&a)
		steps = append(steps, monitorStep{what, qs, a, scan})
	}
	add("guidance", args{region, year, day}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(*),
			COALESCE(sum(CASE WHEN r.activities > 0 AND r.first_on <= $3 THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN r.hours >= ` + levelHours + ` THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.grade >= 9 THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.grade >= 9 AND r.informed_on <= $3 THEN 1 ELSE 0 END), 0)
			FROM learner l LEFT JOIN guidance_reach r ON r.learner_id = l.id AND r.school_year = $2
			LEFT JOIN profminimum_level pl ON pl.org_id = l.org_id AND pl.school_year = $2
			WHERE l.region_code = $1 AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11` + only("l", a) + ` GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var g analytics.Figures
		if err := r(&g.Pupils, &g.Reached, &g.HoursMet, &g.Seniors, &g.Informed); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) {
			f.Pupils, f.Reached, f.HoursMet, f.Seniors, f.Informed = g.Pupils, g.Reached, g.HoursMet, g.Seniors, g.Informed
		}, nil
	})
	add("employment", args{region, six, twelve}, func(a *args) string {
		return `SELECT t.org_id, t.municipality_id, t.graduation_year, sum(t.n),
			sum(CASE WHEN t.outcome_6m IN ` + positive + ` THEN t.n ELSE 0 END),
			sum(CASE WHEN t.outcome_6m IN ('', 'unknown') THEN t.n ELSE 0 END),
			sum(CASE WHEN t.outcome_12m IN ` + positive + ` THEN t.n ELSE 0 END),
			sum(CASE WHEN t.outcome_12m IN ('', 'unknown') THEN t.n ELSE 0 END),
			sum(CASE WHEN t.outcome_6m IN ` + positive + ` AND t.outcome_12m IN ` + positive + ` THEN t.n ELSE 0 END)
			FROM learner_tally t WHERE t.region_code = $1 AND t.status = 'graduate' AND t.graduation_year IN ($2, $3)` + only("t", a) + `
			GROUP BY t.org_id, t.municipality_id, t.graduation_year`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var y, g, w6, u6, w12, u12, both int
		if err := r(&y, &g, &w6, &u6, &w12, &u12, &both); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) {
			if y == six {
				f.Graduates, f.Working, f.Unknown6 = g, w6, u6
			}
			if y == twelve {
				f.Graduates12, f.Working12, f.Unknown12, f.Employed, f.Retained = g, w12, u12, w6, both
			}
		}, nil
	})
	add("employer", args{region, twelve}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(*), COALESCE(sum(CASE WHEN l.same_employer_12m THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE l.region_code = $1 AND l.status = 'graduate' AND l.graduation_year = $2 AND l.outcome_6m = 'employed'` + only("l", a) + `
			GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var h, same int
		if err := r(&h, &same); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) { f.Hired, f.SameEmployer = h, same }, nil
	})
	add("rating", args{region, ratingYear, ratingFrom, ratingTo}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(*),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM outcome oc WHERE oc.learner_id = l.id AND oc.status IN ('employed', 'self_employed')
				AND oc.started_on <= $4 AND (oc.ended_on IS NULL OR oc.ended_on >= $3)) THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE l.region_code = $1 AND l.status = 'graduate' AND l.graduation_year = $2` + only("l", a) + `
			GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var g, w int
		if err := r(&g, &w); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) { f.RatingGraduates, f.RatingWorking = g, w }, nil
	})
	add("students", args{region}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(*), COALESCE(sum(CASE WHEN l.study_form = 'full_time' THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE l.region_code = $1 AND l.status = 'student'` + only("l", a) + ` GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var n, ft int
		if err := r(&n, &ft); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) { f.Students, f.FullTime = n, ft }, nil
	})
	add("contracts", args{region}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(DISTINCT a.learner_id) FROM targeted_application a JOIN learner l ON l.id = a.learner_id
			WHERE l.region_code = $1 AND l.status = 'student' AND a.status IN ` + signedStatuses + only("l", a) + ` GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var n int
		if err := r(&n); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) { f.Contract = n }, nil
	})
	add("obligations", args{region}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(*), COALESCE(sum(CASE WHEN a.status = 'fulfilled' THEN 1 ELSE 0 END), 0)
			FROM targeted_application a JOIN learner l ON l.id = a.learner_id
			WHERE l.region_code = $1 AND a.status IN ('fulfilled', 'broken')` + only("l", a) + ` GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var n, ok int
		if err := r(&n, &ok); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) { f.ContractsEnded, f.ContractsFulfilled = n, ok }, nil
	})
	add("mentors", args{region}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(DISTINCT p.learner_id),
			count(DISTINCT CASE WHEN m.employer_id IS NOT NULL OR m.kind = 'staff' THEN p.learner_id END)
			FROM mentor_pair p JOIN learner l ON l.id = p.learner_id JOIN mentor m ON m.id = p.mentor_id
			WHERE p.region_code = $1 AND p.status = 'active' AND l.status = 'student' AND l.study_form = 'full_time'` + only("l", a) + `
			GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var n, e int
		if err := r(&n, &e); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) { f.Mentored, f.MentoredEnterprise = n, e }, nil
	})
	add("risk", args{region, risk.DefaultThreshold}, func(a *args) string {
		return `SELECT l.org_id, l.municipality_id, count(*), COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM risk_case c WHERE c.learner_id = l.id) THEN 1 ELSE 0 END), 0)
			FROM risk_score rs JOIN learner l ON l.id = rs.learner_id
			WHERE rs.region_code = $1 AND rs.probability >= COALESCE((SELECT threshold FROM risk_setting WHERE region_code = $1), $2)` + only("l", a) + `
			GROUP BY l.org_id, l.municipality_id`
	}, func(r rowScan) (func(f *analytics.Figures), error) {
		var n, k int
		if err := r(&n, &k); err != nil {
			return nil, err
		}
		return func(f *analytics.Figures) { f.AtRisk, f.WithCase = n, k }, nil
	})
	return steps
}

// funnels reads the funnel of the last three graduation cohorts and of the
// two still studying, by cell.
func (m *monitorRead) funnels(six, twelve int) error {
	fa := args{m.region, six - 2, six + 2}
	return m.run("funnel", `SELECT l.org_id, l.municipality_id, l.graduation_year, count(*),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM learner_stage st WHERE st.learner_id = l.id AND st.kind = 'school') THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM guidance_participation gp WHERE gp.learner_id = l.id) THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM learner_stage st WHERE st.learner_id = l.id AND st.kind = 'practice') THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair p WHERE p.learner_id = l.id) THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM targeted_application a WHERE a.learner_id = l.id AND a.status IN `+signedStatuses+`) THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.status = 'graduate' THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.outcome_6m IN `+positive+` THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN l.outcome_12m IN `+positive+` THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE l.region_code = $1 AND l.status IN ('student', 'graduate') AND l.graduation_year BETWEEN $2 AND $3`+m.only("l", &fa)+`
			GROUP BY l.org_id, l.municipality_id, l.graduation_year`, fa,
		func(r *sql.Rows) error {
			var c analytics.Cell
			var f analytics.Funnel
			if err := r.Scan(&c.Org, &c.Municipality, &f.Year, &f.Admitted, &f.FromSchool, &f.Guided, &f.Practice, &f.Mentor, &f.Contract,
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
			if m.snap.Funnels[c] == nil {
				m.snap.Funnels[c] = map[int]analytics.Funnel{}
			}
			m.snap.Funnels[c][f.Year] = f
			return nil
		})
}

// rowScan scans the columns of a snapshot row after its cell.
type rowScan func(dest ...any) error

// monitorMonths is the region's trend: guidance reach and informing by the
// end of each month of the school year, and employment-centre cases opened
// in each of the last twelve months.
func (s *Analytics) monitorMonths(ctx context.Context, region string, now time.Time) ([]analytics.MonthFigures, error) {
	trend, err := (&Guidance{s.db}).Trend(ctx, auth.SystemScope(region), guidance.YearOf(now), now)
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
