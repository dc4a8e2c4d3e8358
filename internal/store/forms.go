package store

import (
	"context"
	"database/sql"
	"fmt"

	"marshrut/internal/learner"
	"marshrut/internal/report"
	"marshrut/internal/targeted"
)

// The counts of the official forms (report.Forms). They read the same columns
// as the snapshot of the catalogue of measures (learner.outcome_6m,
// guidance_reach), so a form's totals are the catalogue's figures.

// EmploymentBySpecialty counts the graduates of year by specialty and status
// six months after graduation, in the region or at one organisation.
func (s *Reports) EmploymentBySpecialty(ctx context.Context, region string, year int, orgID int64) ([]report.SpecialtyOutcomes, error) {
	a := args{region, year}
	q := `SELECT COALESCE(l.specialty_code, ''), COALESCE(sp.name, ''), l.outcome_6m, count(*)
		FROM learner l LEFT JOIN specialty sp ON sp.code = l.specialty_code
		WHERE l.region_code = $1 AND l.status = 'graduate' AND l.graduation_year = $2`
	if orgID != 0 {
		q += ` AND l.org_id = ` + a.add(orgID)
	}
	var out []report.SpecialtyOutcomes
	if err := eachRowOp(ctx, s.reader(ctx), "employment by specialty", q+` GROUP BY l.specialty_code, sp.name, l.outcome_6m ORDER BY 1, 3`, a, func(rows *sql.Rows) error {
		var code, name string
		var st learner.OutcomeStatus
		var n int
		if err := rows.Scan(&code, &name, &st, &n); err != nil {
			return err
		}
		if len(out) == 0 || out[len(out)-1].Code != code {
			out = append(out, report.SpecialtyOutcomes{Code: code, Name: name, By: map[learner.OutcomeStatus]int{}})
		}
		out[len(out)-1].By[st] += n
		return nil
	}); err != nil {
		return nil, wrap("employment by specialty", err)
	}
	return out, nil
}

// ProfminimumByGrade counts a school's pupils of grades 6–11 in a school year
// with their reach and hours of guidance, as the catalogue's «profminimum».
func (s *Reports) ProfminimumByGrade(ctx context.Context, region string, schoolYear int, orgID int64) (string, []report.GradeHours, error) {
	q, end := s.snapshot(ctx, s.reader(ctx))
	defer end()
	level := "basic"
	err := q.QueryRowContext(ctx, `SELECT level FROM profminimum_level WHERE org_id = $1 AND school_year = $2`, orgID, schoolYear).Scan(&level)
	if err != nil && !noRows(err) {
		return "", nil, fmt.Errorf("store: profminimum level: %w", err)
	}
	var out []report.GradeHours
	if err := eachRowOp(ctx, q, "profminimum by grade", `SELECT l.grade, count(*),
			COALESCE(sum(CASE WHEN r.activities > 0 THEN 1 ELSE 0 END), 0),
			COALESCE(sum(CASE WHEN r.hours >= `+levelHours+` THEN 1 ELSE 0 END), 0),
			COALESCE(sum(r.hours), 0)
		FROM learner l LEFT JOIN guidance_reach r ON r.learner_id = l.id AND r.school_year = $2
		LEFT JOIN profminimum_level pl ON pl.org_id = l.org_id AND pl.school_year = $2
		WHERE l.region_code = $1 AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11 AND l.org_id = $3
		GROUP BY l.grade ORDER BY l.grade`, args{region, schoolYear, orgID}, func(rows *sql.Rows) error {
		var g report.GradeHours
		if err := rows.Scan(&g.Grade, &g.Pupils, &g.Reached, &g.HoursMet, &g.Hours); err != nil {
			return err
		}
		out = append(out, g)
		return nil
	}); err != nil {
		return "", nil, wrap("profminimum by grade", err)
	}
	return level, out, nil
}

// TargetedByEmployer counts the targeted-education offers of a year and
// their applications by employer and specialty; orgID, when not zero, keeps
// the offers of that employer or educating organisation.
func (s *Reports) TargetedByEmployer(ctx context.Context, region string, year int, orgID int64) ([]report.TargetedRow, error) {
	a := args{region, year}
	st := func(list ...targeted.Status) string {
		out := "("
		for i, x := range list {
			if i > 0 {
				out += ", "
			}
			out += "'" + string(x) + "'"
		}
		return out + ")"
	}
	contract := st(targeted.ContractSigned, targeted.Studying, targeted.Graduated, targeted.WorkingOff, targeted.Fulfilled, targeted.Terminated, targeted.Broken)
	q := `SELECT e.name, t.specialty_code, COALESCE(sp.name, ''), sum(t.places),
			COALESCE(sum(x.apps), 0), COALESCE(sum(x.contracts), 0), COALESCE(sum(x.studying), 0), COALESCE(sum(x.graduated), 0),
			COALESCE(sum(x.working), 0), COALESCE(sum(x.broken), 0)
		FROM targeted_offer t JOIN organisation e ON e.id = t.employer_id
		LEFT JOIN specialty sp ON sp.code = t.specialty_code
		LEFT JOIN (SELECT offer_id, count(*) AS apps,
				sum(CASE WHEN status IN ` + contract + ` THEN 1 ELSE 0 END) AS contracts,
				sum(CASE WHEN status IN ` + st(targeted.ContractSigned, targeted.Studying) + ` THEN 1 ELSE 0 END) AS studying,
				sum(CASE WHEN status IN ` + st(targeted.Graduated, targeted.WorkingOff, targeted.Fulfilled) + ` THEN 1 ELSE 0 END) AS graduated,
				sum(CASE WHEN status IN ` + st(targeted.WorkingOff, targeted.Fulfilled) + ` THEN 1 ELSE 0 END) AS working,
				sum(CASE WHEN status IN ` + st(targeted.Terminated, targeted.Broken) + ` THEN 1 ELSE 0 END) AS broken
			FROM targeted_application WHERE region_code = $1 GROUP BY offer_id) x ON x.offer_id = t.id
		WHERE t.region_code = $1 AND t.year = $2`
	if orgID != 0 {
		p := a.add(orgID)
		q += ` AND (t.employer_id = ` + p + ` OR t.org_id = ` + p + `)`
	}
	return list(ctx, s.reader(ctx), "targeted by employer", q+` GROUP BY e.name, t.specialty_code, sp.name ORDER BY e.name, t.specialty_code`, a, func(rows *sql.Rows) (report.TargetedRow, error) {
		var r report.TargetedRow
		if err := rows.Scan(&r.Employer, &r.SpecialtyCode, &r.SpecialtyName, &r.Places, &r.Applications, &r.Contracts,
			&r.Studying, &r.Graduated, &r.Working, &r.Broken); err != nil {
			return r, err
		}
		return r, nil
	})
}
