package store

import (
	"database/sql"
	"fmt"
	"time"

	"marshrut/internal/learner"
)

// LearnerByName finds the learner of the region with this full name and
// birth date, at the organisation when orgID is not zero, for files that give
// no СНИЛС. ok is false when there is none or more than one.
func (l *Loader) LearnerByName(region string, orgID int64, last, first, middle string, birth time.Time) (learner.Learner, bool, error) {
	var a args
	q := `SELECT ` + learnerCols + learnerFrom + ` WHERE l.region_code = ` + a.add(region) + ` AND l.search_name = ` +
		a.add(searchKey(last, first, middle)) + ` AND l.birth_date = ` + a.add(dateArg(birth))
	if orgID != 0 {
		q += ` AND l.org_id = ` + a.add(orgID)
	}
	found, err := list(l.ctx, l.tx, "learner by name", q+` ORDER BY l.id LIMIT 2`, a, func(rows *sql.Rows) (p learner.Learner, err error) {
		err = scanLearner(rows, &p)
		return p, err
	})
	if err != nil {
		return learner.Learner{}, false, wrap("learner by name", err)
	}
	if len(found) != 1 {
		return learner.Learner{}, false, nil
	}
	return found[0], true, nil
}

// SaveDocuments writes documents of education, each replacing the one of the
// same organisation, series and number; it reports how many were new, changed
// and the same.
func (l *Loader) SaveDocuments(region string, docs []learner.Document) (created, updated, same int, err error) {
	for _, d := range docs {
		var id, learnerID int64
		var regNumber, name, code, qual string
		var year int
		var issued time.Time
		err := l.tx.QueryRowContext(l.ctx, `SELECT id, learner_id, reg_number, name, specialty_code, qualification, graduation_year, issued_on
			FROM education_document WHERE region_code = $1 AND org_id = $2 AND series = $3 AND number = $4`,
			region, d.OrgID, d.Series, d.Number).Scan(&id, &learnerID, &regNumber, &name, &code, &qual, &year, timeScan{&issued})
		switch {
		case err == nil:
			if learnerID == d.LearnerID && regNumber == d.RegNumber && name == d.Name && code == d.SpecialtyCode && qual == d.Qualification &&
				year == d.GraduationYear && issued.Format(isoDate) == d.Issued.Format(isoDate) {
				same++
				continue
			}
			if _, err := l.tx.ExecContext(l.ctx, `UPDATE education_document SET learner_id = $1, reg_number = $2, name = $3, specialty_code = $4,
				qualification = $5, graduation_year = $6, issued_on = $7 WHERE id = $8`,
				d.LearnerID, d.RegNumber, d.Name, d.SpecialtyCode, d.Qualification, d.GraduationYear, dateArg(d.Issued), id); err != nil {
				return 0, 0, 0, fmt.Errorf("store: update education document: %w", err)
			}
			updated++
		case noRows(err):
			if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO education_document (region_code, learner_id, org_id, series, number, issued_on,
				reg_number, name, specialty_code, qualification, graduation_year, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				region, d.LearnerID, d.OrgID, d.Series, d.Number, dateArg(d.Issued), d.RegNumber, d.Name, d.SpecialtyCode, d.Qualification,
				d.GraduationYear, l.now); err != nil {
				return 0, 0, 0, fmt.Errorf("store: insert education document: %w", err)
			}
			created++
		default:
			return 0, 0, 0, fmt.Errorf("store: education document: %w", err)
		}
	}
	return created, updated, same, nil
}
