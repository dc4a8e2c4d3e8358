package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/mentor"
)

// Mentorship figures: the candidates for pairs and the counts the figures
// page and the measures read.

// candidateLimit bounds the candidates of one run of proposals.
const candidateLimit = 5000

// MentorCandidates lists the learners the caller sees whom the programme's form
// may mentor and who have no active pair: full-time students (and pupils
// where the form takes them) of the programme's organisation, or for
// student–pupil the pupils of grades 8–11 of its municipality. Each comes
// with the enterprise of their latest practice.
func (s *Mentorship) MentorCandidates(ctx context.Context, sc auth.Scope, prog mentor.Programme) ([]mentor.Candidate, error) {
	var a args
	where := learnerScope(sc, "l", &a)
	student := `(l.status = 'student' AND l.study_form = 'full_time')`
	switch prog.Form {
	case mentor.EmployerStudent:
		where += ` AND l.org_id = ` + a.add(prog.OrgID) + ` AND ` + student
	case mentor.StudentPupil:
		where += ` AND l.status = 'pupil' AND l.grade >= 8 AND l.municipality_id = (SELECT municipality_id FROM organisation WHERE id = ` + a.add(prog.OrgID) + `)`
	default:
		where += ` AND l.org_id = ` + a.add(prog.OrgID) + ` AND (` + student + ` OR l.status = 'pupil')`
	}
	q := `SELECT l.id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, l.org_id, COALESCE(l.specialty_code, ''), l.course,
		COALESCE((SELECT st.org_id FROM learner_stage st WHERE st.learner_id = l.id AND st.kind = 'practice' AND st.org_id IS NOT NULL
			ORDER BY st.started_on DESC LIMIT 1), 0)
		FROM learner l WHERE ` + where + ` AND NOT EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id AND x.status = 'active')
		ORDER BY l.course DESC, l.grade DESC, l.id LIMIT ` + strconv.Itoa(candidateLimit)
	return list(ctx, s.read, "candidates", q, a, func(rows *sql.Rows) (mentor.Candidate, error) {
		var c mentor.Candidate
		if err := rows.Scan(&c.LearnerID, &c.Name, &c.OrgID, &c.SpecialtyCode, &c.Course, &c.PracticeEmployerID); err != nil {
			return c, err
		}
		c.Name = strings.Join(strings.Fields(c.Name), " ")
		return c, nil
	})
}

// Counts counts, within the scope, the full-time students and
// those with an active mentor by organisation and municipality of residence,
// the pairs and their meetings by form and status, and the employment six
// months after graduation of the year's graduates who had a pair and of the rest.
func (s *Mentorship) Counts(ctx context.Context, sc auth.Scope, year int) (mentor.Counts, error) {
	var c mentor.Counts
	if !sc.SeesPersons() {
		sc = auth.SystemScope(sc.RegionCode)
	}
	if err := s.coverageCounts(ctx, sc, &c); err != nil {
		return c, wrap("counts", err)
	}
	if err := s.pairCounts(ctx, sc, &c); err != nil {
		return c, wrap("counts", err)
	}
	// The year compared: the latest up to year with mentored graduates of a
	// known status, so that the comparison is never of nobody.
	var ya args
	if err := s.read.QueryRowContext(ctx, `SELECT COALESCE(max(l.graduation_year), 0) FROM learner l WHERE `+learnerScope(sc, "l", &ya)+`
		AND l.status = 'graduate' AND l.graduation_year <= `+ya.add(year)+` AND l.outcome_6m NOT IN ('', 'unknown')
		AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id)`, ya...).Scan(&c.Year); err != nil {
		return c, fmt.Errorf("store: mentored graduates' year: %w", err)
	}
	if c.Year > 0 {
		year = c.Year
	}
	if err := s.mentorStrata(ctx, sc, year, &c); err != nil {
		return c, wrap("counts", err)
	}
	var a args
	q := `SELECT CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id) THEN 1 ELSE 0 END, count(*),
		COALESCE(sum(CASE WHEN l.outcome_6m IN ` + positive + ` THEN 1 ELSE 0 END), 0)
		FROM learner l WHERE ` + learnerScope(sc, "l", &a) + ` AND l.status = 'graduate' AND l.graduation_year = ` + a.add(year) + ` GROUP BY 1`
	if err := eachRowOp(ctx, s.read, "mentored graduates", q, a, func(rows *sql.Rows) error {
		var mentored int
		var g mentor.Graduates
		if err := rows.Scan(&mentored, &g.Graduates, &g.Employed); err != nil {
			return err
		}
		if mentored == 1 {
			c.Mentored = g
		} else {
			c.Rest = g
		}
		return nil
	}); err != nil {
		return c, wrap("counts", err)
	}
	return c, nil
}

// mentorStrata counts the year's graduates of a known status by specialty,
// organisation, band of grades (learner.GradeBand) and mentorship.
func (s *Mentorship) mentorStrata(ctx context.Context, sc auth.Scope, year int, c *mentor.Counts) error {
	var a args
	q := `SELECT CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id) THEN 1 ELSE 0 END,
		COALESCE(l.specialty_code, ''), l.org_id,
		CASE WHEN COALESCE(l.avg_grade, 0) <= 0 THEN 0 WHEN l.avg_grade < 3.5 THEN 1 WHEN l.avg_grade < 4 THEN 2
			WHEN l.avg_grade < 4.5 THEN 3 ELSE 4 END,
		count(*), COALESCE(sum(CASE WHEN l.outcome_6m IN ` + positive + ` THEN 1 ELSE 0 END), 0)
		FROM learner l WHERE ` + learnerScope(sc, "l", &a) + ` AND l.status = 'graduate' AND l.graduation_year = ` + a.add(year) + `
		AND l.outcome_6m NOT IN ('', 'unknown') GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4, 1`
	return eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		st := learner.Stratum{Year: year}
		var mentored int
		if err := r.Scan(&mentored, &st.Specialty, &st.OrgID, &st.Band, &st.Graduates, &st.Employed); err != nil {
			return err
		}
		st.Treated = mentored == 1
		c.Strata = append(c.Strata, st)
		return nil
	})
}

// mentorCells is the SQL of the kept counts of mentorship by organisation
// and municipality of residence within a scope tallied accepts: the
// full-time students (learner_grade_tally) and those with an active mentor
// (mentor_tally), as columns org_id, municipality_id, full_time, mentored,
// at_enterprise.
func mentorCells(sc auth.Scope, a *args) string {
	return `SELECT t.org_id, t.municipality_id, t.n AS full_time, 0 AS mentored, 0 AS at_enterprise
		FROM learner_grade_tally t WHERE ` + tallyScope(sc, "t", a) + ` AND t.status = 'student' AND t.study_form = 'full_time'
		UNION ALL
		SELECT t.org_id, t.municipality_id, 0, t.mentored, t.at_enterprise FROM mentor_tally t WHERE ` + tallyScope(sc, "t", a)
}

func (s *Mentorship) coverageCounts(ctx context.Context, sc auth.Scope, c *mentor.Counts) error {
	var a args
	if !tallied(sc) {
		q := s.learnerCoverageCounts(sc, &a)
		return s.sumCoverage(ctx, q, a, c)
	}
	q := `SELECT c.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), c.municipality_id, mu.name, sum(c.full_time), sum(c.mentored), sum(c.at_enterprise)
		FROM (` + mentorCells(sc, &a) + `) c JOIN organisation o ON o.id = c.org_id JOIN municipality mu ON mu.id = c.municipality_id
		GROUP BY c.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), c.municipality_id, mu.name HAVING sum(c.full_time) > 0`
	return s.sumCoverage(ctx, q, a, c)
}

// learnerCoverageCounts is the SQL of coverageCounts from the learners of
// the scope, for the scopes the kept counts do not know.
func (s *Mentorship) learnerCoverageCounts(sc auth.Scope, a *args) string {
	return `SELECT l.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), l.municipality_id, mu.name, count(*),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id AND x.status = 'active') THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
			WHERE x.learner_id = l.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END), 0)
		FROM learner l JOIN organisation o ON o.id = l.org_id JOIN municipality mu ON mu.id = l.municipality_id
		WHERE ` + learnerScope(sc, "l", a) + ` AND l.status = 'student' AND l.study_form = 'full_time'
		GROUP BY l.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), l.municipality_id, mu.name`
}

// sumCoverage sums the rows of q (organisation, its name, municipality, its
// name, full-time students, mentored, at an enterprise) by organisation and
// by municipality.
func (s *Mentorship) sumCoverage(ctx context.Context, q string, a args, c *mentor.Counts) error {
	byOrg, byMuni := map[int64]*mentor.Coverage{}, map[int64]*mentor.Coverage{}
	var orgs, munis []int64
	if err := eachRowOp(ctx, s.read, "mentorship coverage", q, a, func(rows *sql.Rows) error {
		var orgID, muniID int64
		var orgName, muniName string
		var n mentor.Coverage
		if err := rows.Scan(&orgID, &orgName, &muniID, &muniName, &n.FullTime, &n.Mentored, &n.AtEnterprise); err != nil {
			return err
		}
		if byOrg[orgID] == nil {
			byOrg[orgID] = &mentor.Coverage{Key: strconv.FormatInt(orgID, 10), Name: orgName}
			orgs = append(orgs, orgID)
		}
		if byMuni[muniID] == nil {
			byMuni[muniID] = &mentor.Coverage{Key: strconv.FormatInt(muniID, 10), Name: muniName}
			munis = append(munis, muniID)
		}
		for _, t := range []*mentor.Coverage{byOrg[orgID], byMuni[muniID]} {
			t.FullTime += n.FullTime
			t.Mentored += n.Mentored
			t.AtEnterprise += n.AtEnterprise
		}
		return nil
	}); err != nil {
		return err
	}
	for _, id := range orgs {
		c.ByOrg = append(c.ByOrg, *byOrg[id])
	}
	for _, id := range munis {
		c.ByMunicipality = append(c.ByMunicipality, *byMuni[id])
	}
	return nil
}

func (s *Mentorship) pairCounts(ctx context.Context, sc auth.Scope, c *mentor.Counts) error {
	var a args
	q := `SELECT t.form, t.status, sum(t.pairs), sum(t.meetings) FROM pair_tally t WHERE t.region_code = ` + a.add(sc.RegionCode)
	switch {
	case sc.WholeRegion():
	case educates(sc):
		q += ` AND t.org_id = ` + a.add(sc.OrgID)
	default:
		a = nil
		q = `SELECT t.form, t.status, sum(t.pairs), sum(t.meetings) FROM (` + s.learnerPairCounts(sc, &a) + `) t WHERE true`
	}
	return eachRowOp(ctx, s.read, "mentorship pairs", q+` GROUP BY t.form, t.status HAVING sum(t.pairs) <> 0`, a, func(rows *sql.Rows) error {
		var p mentor.PairCount
		if err := rows.Scan(&p.Form, &p.Status, &p.Pairs, &p.Meetings); err != nil {
			return err
		}
		c.Pairs = append(c.Pairs, p)
		return nil
	})
}

// learnerPairCounts is the SQL of pairCounts from the pairs themselves, for
// the scopes pair_tally does not know (an employer's, a learner's own):
// columns form, status, pairs, meetings.
func (s *Mentorship) learnerPairCounts(sc auth.Scope, a *args) string {
	return `SELECT p.form, x.status, count(*) AS pairs, COALESCE(sum(mt.n), 0) AS meetings
		FROM mentor_pair x JOIN mentor_programme p ON p.id = x.programme_id JOIN mentor m ON m.id = x.mentor_id
		LEFT JOIN (SELECT pair_id, count(*) AS n FROM mentor_meeting GROUP BY pair_id) mt ON mt.pair_id = x.id
		WHERE ` + pairScope(sc, a) + ` GROUP BY p.form, x.status`
}

// MentorshipCoverage counts the full-time students in scope and those of
// them with an active mentor, for the dashboard.
func (s *Store) MentorshipCoverage(ctx context.Context, sc auth.Scope) (mentored, fullTime int, err error) {
	var a args
	var q string
	if tallied(sc) {
		q = `SELECT COALESCE(sum(c.full_time), 0), COALESCE(sum(c.mentored), 0) FROM (` + mentorCells(sc, &a) + `) c`
	} else {
		q = `SELECT count(*), COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x
			WHERE x.learner_id = l.id AND x.status = 'active') THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE ` + learnerScope(sc, "l", &a) + ` AND l.status = 'student' AND l.study_form = 'full_time'`
	}
	err = s.read.QueryRowContext(ctx, q, a...).Scan(&fullTime, &mentored)
	return mentored, fullTime, wrap("mentorship coverage", err)
}
