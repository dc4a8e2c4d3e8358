package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
)

const learnerCols = `l.id, l.region_code, l.last_name, l.first_name, l.middle_name, l.sex, l.birth_date, l.snils, l.status,
	l.org_id, o.name, l.municipality_id, m.name, l.grade, l.specialty_code, sp.name, l.course, l.study_form, l.graduation_year,
	l.disability, l.current_outcome, l.outcome_6m, l.outcome_12m, COALESCE(l.external_id, ''), l.study_group, l.created_at, l.updated_at,
	l.avg_grade, l.demo_exam`

const learnerFrom = ` FROM learner l
	JOIN organisation o ON o.id = l.org_id
	JOIN municipality m ON m.id = l.municipality_id
	LEFT JOIN specialty sp ON sp.code = l.specialty_code`

func scanLearner(sc interface{ Scan(...any) error }, l *learner.Learner) error {
	var snils, spec, specName sql.NullString
	err := sc.Scan(&l.ID, &l.RegionCode, &l.LastName, &l.FirstName, &l.MiddleName, &l.Sex, timeScan{&l.BirthDate}, &snils, &l.Status,
		&l.OrgID, &l.OrgName, &l.MunicipalityID, &l.Municipality, &l.Grade, &spec, &specName, &l.Course, &l.Form, &l.GraduationYear,
		&l.Disability, &l.Current, &l.After6, &l.After12, &l.ExternalID, &l.Group, timeScan{&l.CreatedAt}, timeScan{&l.UpdatedAt},
		&l.AvgGrade, &l.DemoExam)
	l.SNILS, l.SpecialtyCode, l.SpecialtyName = snils.String, spec.String, specName.String
	return err
}

// checkLearnerRefs checks, inside the write, that the organisation, municipality
// and specialty a learner points to exist in the region, so that the caller
// gets a message naming the field instead of a constraint failure.
func checkLearnerRefs(ctx context.Context, tx *sql.Tx, l *learner.Learner) error {
	var errs apperr.List
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, l.OrgID, l.RegionCode).Scan(&kind)
	switch {
	case noRows(err):
		errs.Add("org_id", "образовательная организация %d не найдена в регионе", l.OrgID)
	case err != nil:
		return err
	case l.Status == learner.Pupil && kind != "school":
		errs.Add("org_id", "школьник должен быть приписан к школе")
	case l.Status != learner.Pupil && kind != "college" && kind != "university":
		errs.Add("org_id", "студент и выпускник должны быть приписаны к колледжу или вузу")
	}
	if err := checkMunicipality(ctx, tx, l.RegionCode, l.MunicipalityID); err != nil {
		if e, ok := err.(*apperr.Error); ok {
			errs = append(errs, e)
		} else {
			return err
		}
	}
	if l.SpecialtyCode != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM specialty WHERE code = $1`, l.SpecialtyCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			errs.Add("specialty_code", "специальность «%s» не найдена в справочнике ОКСО", l.SpecialtyCode)
		}
	}
	return errs.Err()
}

// CreateLearner stores a new learner and sets its ID.
func (s *Learners) CreateLearner(ctx context.Context, sc auth.Scope, l *learner.Learner) error {
	if !sc.SeesPersons() {
		return apperr.New(apperr.Forbidden, "недостаточно прав")
	}
	now := tsArg(s.now())
	return wrap("create learner", s.learnerTx(ctx, sc, l, func(tx *sql.Tx) error {
		if err := checkLearnerRefs(ctx, tx, l); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO learner (region_code, last_name, first_name, middle_name, sex, birth_date, snils,
			status, org_id, municipality_id, grade, specialty_code, course, study_form, graduation_year, disability, search_name,
			created_at, updated_at, external_id, study_group)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
			l.RegionCode, l.LastName, l.FirstName, l.MiddleName, l.Sex, dateArg(l.BirthDate), nullText(l.SNILS), l.Status,
			l.OrgID, l.MunicipalityID, l.Grade, nullText(l.SpecialtyCode), l.Course, l.Form, l.GraduationYear, l.Disability,
			searchKey(l.LastName, l.FirstName, l.MiddleName), now, now, nullText(l.ExternalID), l.Group).Scan(&l.ID)
		if isUniqueViolation(err) {
			return errDuplicate
		}
		return err
	}))
}

// errDuplicate marks a learner that collides with a stored one on its key.
var errDuplicate = errors.New("store: duplicate learner")

// learnerTx runs fn in a transaction and, when it reports a duplicate,
// answers it once the transaction is over (the answer may write to the
// audit log, which must not wait for the transaction's own connection).
func (s *Learners) learnerTx(ctx context.Context, sc auth.Scope, l *learner.Learner, fn func(*sql.Tx) error) error {
	err := s.tx(ctx, fn)
	if errors.Is(err, errDuplicate) {
		return s.duplicateLearner(ctx, sc, l)
	}
	return err
}

// errSNILSTaken answers a СНИЛС that belongs to a learner the caller does
// not see, in the words of the import's refusal: whether the number belongs
// to anybody is not the caller's to learn.
var errSNILSTaken = apperr.Field("snils", "этот СНИЛС нельзя записать за вашей организацией: проверьте номер; "+
	"если обучающийся переходит к вам из другой организации, перевод оформляет регион")

// duplicateLearner names the key a new or changed learner collides on. A
// СНИЛС of a learner outside the caller's organisation is not named; the
// attempt is audited against that learner.
func (s *Learners) duplicateLearner(ctx context.Context, sc auth.Scope, l *learner.Learner) error {
	if l.SNILS != "" && !sc.WholeRegion() {
		var id, orgID int64
		err := s.read.QueryRowContext(ctx, `SELECT id, org_id FROM learner WHERE region_code = $1 AND snils = $2`, l.RegionCode, l.SNILS).Scan(&id, &orgID)
		if err == nil && (sc.OrgID == 0 || orgID != sc.OrgID) {
			if aerr := (&Auth{s.db}).Audit(ctx, auth.AuditEntry{At: s.now(), UserID: sc.UserID, Role: sc.Role, Action: "learner.snils_conflict",
				LearnerID: id, From: sc.From}); aerr != nil {
				return aerr
			}
			return errSNILSTaken
		}
	}
	return duplicateLearner(l)
}

// duplicateLearner names the key a new or changed learner collides on.
func duplicateLearner(l *learner.Learner) error {
	if l.SNILS != "" {
		return apperr.Field("snils", "обучающийся с СНИЛС %s уже есть в регионе", learner.FormatSNILS(l.SNILS))
	}
	return apperr.Field("external_id", "в организации уже есть обучающийся с идентификатором «%s»", l.ExternalID)
}

// UpdateLearner stores changes to a learner the caller sees.
func (s *Learners) UpdateLearner(ctx context.Context, sc auth.Scope, l *learner.Learner) error {
	return wrap("update learner", s.learnerTx(ctx, sc, l, func(tx *sql.Tx) error {
		if err := checkLearnerRefs(ctx, tx, l); err != nil {
			return err
		}
		var a args
		set := `last_name = ` + a.add(l.LastName) + `, first_name = ` + a.add(l.FirstName) + `, middle_name = ` + a.add(l.MiddleName) +
			`, sex = ` + a.add(l.Sex) + `, birth_date = ` + a.add(dateArg(l.BirthDate)) + `, snils = ` + a.add(nullText(l.SNILS)) +
			`, status = ` + a.add(l.Status) + `, org_id = ` + a.add(l.OrgID) + `, municipality_id = ` + a.add(l.MunicipalityID) +
			`, grade = ` + a.add(l.Grade) + `, specialty_code = ` + a.add(nullText(l.SpecialtyCode)) + `, course = ` + a.add(l.Course) +
			`, study_form = ` + a.add(l.Form) + `, graduation_year = ` + a.add(l.GraduationYear) + `, disability = ` + a.add(l.Disability) +
			`, search_name = ` + a.add(searchKey(l.LastName, l.FirstName, l.MiddleName)) + `, updated_at = ` + a.add(tsArg(s.now())) +
			`, external_id = ` + a.add(nullText(l.ExternalID)) + `, study_group = ` + a.add(l.Group)
		id := a.add(l.ID)
		res, err := tx.ExecContext(ctx, `UPDATE learner SET `+set+` WHERE id = `+id+
			` AND id IN (SELECT l.id FROM learner l WHERE l.id = `+id+` AND `+learnerScope(sc, "l", &a)+`)`, a...)
		if isUniqueViolation(err) {
			return errDuplicate
		}
		if err != nil {
			return fmt.Errorf("store: update learner: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errLearnerNotFound
		}
		return s.updateMilestones(ctx, tx, l.ID)
	}))
}

var errLearnerNotFound = apperr.New(apperr.NotFound, "обучающийся не найден")

// Learner returns one learner within the scope; outside it, NotFound.
func (s *Learners) Learner(ctx context.Context, sc auth.Scope, id int64) (learner.Learner, error) {
	var a args
	q := `SELECT ` + learnerCols + learnerFrom + ` WHERE l.id = ` + a.add(id) + ` AND ` + learnerScope(sc, "l", &a)
	var l learner.Learner
	if err := scanLearner(s.read.QueryRowContext(ctx, q, a...), &l); err != nil {
		if noRows(err) {
			return l, errLearnerNotFound
		}
		return l, fmt.Errorf("store: learner: %w", err)
	}
	return l, nil
}

var learnerSort = map[string]string{
	"name":            "l.search_name",
	"birth_date":      "l.birth_date",
	"org":             "o.search_name, l.search_name",
	"graduation_year": "l.graduation_year, l.search_name",
}

// Learners returns a page of the learners in scope that match f, and their total.
func (s *Learners) Learners(ctx context.Context, sc auth.Scope, f learner.Filter) ([]learner.Learner, int, error) {
	var a args
	where := learnerScope(sc, "l", &a) + keptFilter(f, "l", &a)
	if f.SpecialtyCode != "" {
		where += " AND l.specialty_code = " + a.add(f.SpecialtyCode)
	}
	if f.Grade != 0 {
		where += " AND l.grade = " + a.add(f.Grade)
	}
	if f.Unknown == 3 && f.GraduationYear != 0 {
		// Nothing recorded by three months after graduation (30 September).
		where += " AND l.status = 'graduate' AND NOT EXISTS (SELECT 1 FROM outcome oc WHERE oc.learner_id = l.id AND oc.started_on <= " +
			a.add(dateArg(learner.GraduationDay(f.GraduationYear).AddDate(0, 3, 0))) + ")"
	}
	if q := searchKey(f.Query); q != "" {
		if digits := strings.Map(keepDigit, q); len(digits) == 11 && len(digits) >= len(q)-3 {
			where += " AND l.snils = " + a.add(digits)
		} else {
			lo, hi := prefixRange(q)
			where += " AND l.search_name >= " + a.add(lo) + " AND l.search_name < " + a.add(hi)
		}
	}
	// A list page or an export: a replica may serve it, the count and the
	// page in one snapshot.
	rd, end := s.snapshot(ctx, s.reader(ctx))
	defer end()
	total := -1
	if !f.ByID {
		q, qa := tallyCount(sc, f)
		if q == "" {
			q, qa = `SELECT count(*) FROM learner l WHERE `+where, a
		}
		if err := rd.QueryRowContext(ctx, q, qa...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: count learners: %w", err)
		}
	}
	order, ok := learnerSort[f.Sort]
	if !ok {
		order = learnerSort["name"]
	}
	if f.Desc {
		order = strings.ReplaceAll(order, ",", " DESC,") + " DESC"
	}
	if f.ByID {
		where += " AND l.id > " + a.add(f.AfterID)
		order, f.Offset = "l.id", 0
	}
	// The page is chosen on the learner table alone (joining the organisation
	// only to sort by it), and only its rows are joined for display: a
	// million-learner region then sorts ids, not whole joined rows.
	page := `SELECT l.id FROM learner l`
	if f.Sort == "org" {
		page += ` JOIN organisation o ON o.id = l.org_id`
	}
	page += ` WHERE ` + where + ` ORDER BY ` + order + `, l.id LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(max(f.Offset, 0))
	q := `SELECT ` + learnerCols + learnerFrom + ` JOIN (` + page + `) p ON p.id = l.id ORDER BY ` + order + `, l.id`
	out, err := list(ctx, rd, "list learners", q, a, scanner(scanLearner))
	return out, total, wrap("learners", err)
}

// tallyCount is the count of a learner list from learner_tally, which the
// triggers keep with every write of a learner, when the scope and the filter
// speak only of what the tally keeps (organisation, municipality, status,
// graduation year, the statuses six and twelve months after); otherwise "".
// A region of a million then counts a few thousand rows, not its learners.
func tallyCount(sc auth.Scope, f learner.Filter) (string, args) {
	if !tallied(sc) || f.SpecialtyCode != "" || f.Grade != 0 || f.Unknown == 3 || searchKey(f.Query) != "" {
		return "", nil
	}
	var a args
	where := tallyScope(sc, "t", &a) + keptFilter(f, "t", &a)
	return `SELECT COALESCE(sum(t.n), 0) FROM learner_tally t WHERE ` + where, a
}

// keptFilter is the part of f on what learner_tally keeps as well as the
// learner (status, organisation, municipality, graduation year, the statuses
// six and twelve months after), as conditions on table alias t of either.
func keptFilter(f learner.Filter, t string, a *args) string {
	var w string
	if f.Status != "" {
		w += " AND " + t + ".status = " + a.add(f.Status)
	}
	if f.OrgID != 0 {
		w += " AND " + t + ".org_id = " + a.add(f.OrgID)
	}
	if f.MunicipalityID != 0 {
		w += " AND " + t + ".municipality_id = " + a.add(f.MunicipalityID)
	}
	if f.GraduationYear != 0 {
		w += " AND " + t + ".graduation_year = " + a.add(f.GraduationYear)
	}
	switch f.Unknown {
	case 6:
		w += " AND " + t + ".status = 'graduate' AND " + t + ".outcome_6m IN ('', 'unknown')"
	case 12:
		w += " AND " + t + ".status = 'graduate' AND " + t + ".outcome_12m IN ('', 'unknown')"
	}
	if f.NoWork6 {
		w += " AND " + t + ".status = 'graduate' AND " + t + ".outcome_6m NOT IN ('', 'unknown') AND " + t + ".outcome_6m NOT IN " + positive
	}
	return w
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// inScope checks inside a transaction that learner id is visible to sc.
func inScope(ctx context.Context, q querier, sc auth.Scope, id int64) error {
	var a args
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM learner l WHERE l.id = `+a.add(id)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return errLearnerNotFound
	}
	return nil
}

// Stages returns a learner's route in date order.
func (s *Learners) Stages(ctx context.Context, sc auth.Scope, learnerID int64) ([]learner.Stage, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	if err := inScope(ctx, q, sc, learnerID); err != nil {
		return nil, wrap("stages", err)
	}
	out, err := stages(ctx, q, learnerID)
	return out, wrap("stages", err)
}

func stages(ctx context.Context, q querier, learnerID int64) ([]learner.Stage, error) {
	return list(ctx, q, "stages", `SELECT st.id, st.learner_id, st.kind, COALESCE(st.org_id, 0), COALESCE(o.name, ''),
		COALESCE(st.specialty_code, ''), st.started_on, st.ended_on, st.note
		FROM learner_stage st LEFT JOIN organisation o ON o.id = st.org_id
		WHERE st.learner_id = $1 ORDER BY st.started_on, st.id`, args{learnerID}, func(rows *sql.Rows) (learner.Stage, error) {
		var st learner.Stage
		if err := rows.Scan(&st.ID, &st.LearnerID, &st.Kind, &st.OrgID, &st.OrgName, &st.SpecialtyCode,
			timeScan{&st.Start}, timeScan{&st.End}, &st.Note); err != nil {
			return st, err
		}
		return st, nil
	})
}

// AddStage records a stage of the route of a learner in scope.
func (s *Learners) AddStage(ctx context.Context, sc auth.Scope, st *learner.Stage) error {
	return wrap("add stage", s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, st.LearnerID); err != nil {
			return err
		}
		if st.OrgID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM organisation WHERE id = $1 AND region_code = $2`, st.OrgID, sc.RegionCode).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field("org_id", "организация %d не найдена в регионе", st.OrgID)
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO learner_stage (region_code, learner_id, kind, org_id, specialty_code, started_on, ended_on, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			sc.RegionCode, st.LearnerID, st.Kind, nullID(st.OrgID), nullText(st.SpecialtyCode), dateArg(st.Start), dateArg(st.End), st.Note).Scan(&st.ID)
		if isForeignKeyViolation(err) {
			return apperr.Field("specialty_code", "специальность «%s» не найдена в справочнике ОКСО", st.SpecialtyCode)
		}
		return err
	}))
}

// Outcomes returns a learner's employment history in date order.
func (s *Learners) Outcomes(ctx context.Context, sc auth.Scope, learnerID int64) ([]learner.Outcome, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	if err := inScope(ctx, q, sc, learnerID); err != nil {
		return nil, wrap("outcomes", err)
	}
	out, err := outcomes(ctx, q, learnerID)
	return out, wrap("outcomes", err)
}

// Card reads a learner's card in one snapshot of the read pool, so that its
// parts agree: the learner within the scope with, for a student or graduate
// the scope may see scored, the latest risk score and the region's threshold
// (one statement, the only one that checks the scope), then the stages and
// the outcomes by the learner's id.
func (s *Learners) Card(ctx context.Context, sc auth.Scope, id int64) (learner.Card, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	c, err := card(ctx, q, sc, id)
	if err != nil {
		return learner.Card{}, wrap("card", err)
	}
	return c, nil
}

// cardRisk is what the card's first statement adds to the learner's columns
// for those who see risk scores: the score (one a learner) and its model,
// and the region's threshold.
const cardRisk = `, rs.probability, rs.model_id, (SELECT rt.threshold FROM risk_setting rt WHERE rt.region_code = l.region_code)`

func card(ctx context.Context, q querier, sc auth.Scope, id int64) (learner.Card, error) {
	var c learner.Card
	var a args
	withRisk := risk.CanSee(sc)
	cols, from := learnerCols, learnerFrom
	if withRisk {
		cols += cardRisk
		from += ` LEFT JOIN risk_score rs ON rs.learner_id = l.id`
	}
	row := q.QueryRowContext(ctx, `SELECT `+cols+from+` WHERE l.id = `+a.add(id)+` AND `+learnerScope(sc, "l", &a), a...)
	var prob, threshold sql.NullFloat64
	var model sql.NullInt64
	var err error
	if withRisk {
		err = scanLearner(rowWith{row, []any{&prob, &model, &threshold}}, &c.Learner)
	} else {
		err = scanLearner(row, &c.Learner)
	}
	if noRows(err) {
		return c, errLearnerNotFound
	}
	if err != nil {
		return c, fmt.Errorf("store: card: %w", err)
	}
	if withRisk && c.Learner.Status != learner.Pupil {
		c.Risk = &learner.RiskNote{Scored: prob.Valid, Probability: prob.Float64, ModelID: model.Int64,
			Threshold: threshold.Float64, ThresholdSet: threshold.Valid}
	}
	if c.Stages, err = stages(ctx, q, id); err != nil {
		return c, err
	}
	c.Outcomes, err = outcomes(ctx, q, id)
	return c, err
}

// rowWith scans a row of scanLearner's columns followed by more.
type rowWith struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (r rowWith) Scan(dest ...any) error { return r.row.Scan(append(dest, r.more...)...) }

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// updateMilestones recomputes a learner's current status, the day it may next
// change and the statuses six and twelve months after graduation from the
// whole history, by learner.Resolve.
func (s *db) updateMilestones(ctx context.Context, tx *sql.Tx, learnerID int64) error {
	hist, err := outcomes(ctx, tx, learnerID)
	if err != nil {
		return err
	}
	var year int
	var status learner.Status
	if err := tx.QueryRowContext(ctx, `SELECT graduation_year, status FROM learner WHERE id = $1`, learnerID).Scan(&year, &status); err != nil {
		return fmt.Errorf("store: milestones: %w", err)
	}
	if status != learner.Graduate {
		year = 0
	}
	m := learner.MilestonesOf(hist, year, s.now())
	_, err = tx.ExecContext(ctx, `UPDATE learner SET current_outcome = $1, outcome_6m = $2, outcome_12m = $3, status_next = $4,
		same_employer_12m = $5, updated_at = $6 WHERE id = $7`,
		m.Current, m.After6, m.After12, dateArg(m.Next), m.SameEmployer(), tsArg(s.now()), learnerID)
	if err != nil {
		return fmt.Errorf("store: milestones: %w", err)
	}
	return nil
}

// RefreshStatuses reads again the statuses of the region's learners whose
// current status may have changed by today (a period began or ended), and
// reports how many were read. The server runs it at start and every night;
// a matching run and a risk scoring run it before they choose candidates.
func (s *Store) RefreshStatuses(ctx context.Context, region string) (int, error) {
	today := learner.Day(s.now())
	n := 0
	for {
		var ids []int64
		err := eachRow(ctx, s.write, `SELECT id FROM learner WHERE region_code = $1 AND status_next IS NOT NULL AND status_next <= $2
			ORDER BY id LIMIT 2000`, args{region, dateArg(today)}, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("store: refresh statuses: %w", err)
		}
		if len(ids) == 0 {
			return n, nil
		}
		err = s.tx(ctx, func(tx *sql.Tx) error {
			for _, id := range ids {
				if err := s.updateMilestones(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, wrap("refresh statuses", err)
		}
		n += len(ids)
	}
}

func outcomes(ctx context.Context, q querier, learnerID int64) ([]learner.Outcome, error) {
	return list(ctx, q, "outcomes", `SELECT oc.id, oc.learner_id, oc.status, COALESCE(oc.employer_id, 0),
		COALESCE(o.name, oc.employer_name), COALESCE(NULLIF(oc.employer_inn, ''), o.inn, ''), oc.started_on, oc.ended_on, oc.source, oc.note, oc.salary
		FROM outcome oc LEFT JOIN organisation o ON o.id = oc.employer_id
		WHERE oc.learner_id = $1 ORDER BY oc.started_on, oc.id`, args{learnerID}, func(rows *sql.Rows) (learner.Outcome, error) {
		var o learner.Outcome
		if err := rows.Scan(&o.ID, &o.LearnerID, &o.Status, &o.EmployerID, &o.EmployerName, &o.EmployerINN,
			timeScan{&o.Start}, timeScan{&o.End}, &o.Source, &o.Note, &o.Salary); err != nil {
			return o, err
		}
		return o, nil
	})
}

// AddOutcome records an employment outcome of a learner in scope and keeps the
// learner's current status in step with the latest entry.
func (s *Learners) AddOutcome(ctx context.Context, sc auth.Scope, o *learner.Outcome) error {
	return wrap("add outcome", s.tx(ctx, func(tx *sql.Tx) error { return s.addOutcomeTx(ctx, tx, sc, o) }))
}

// addOutcomeTx adds an outcome within a transaction.
func (s *db) addOutcomeTx(ctx context.Context, tx *sql.Tx, sc auth.Scope, o *learner.Outcome) error {
	if err := inScope(ctx, tx, sc, o.LearnerID); err != nil {
		return err
	}
	if o.EmployerID != 0 {
		var kind string
		err := tx.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, o.EmployerID, sc.RegionCode).Scan(&kind)
		if noRows(err) || (err == nil && kind != "employer") {
			return apperr.Field("employer_id", "работодатель %d не найден в реестре региона", o.EmployerID)
		}
		if err != nil {
			return err
		}
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO outcome (region_code, learner_id, status, employer_id, employer_name, started_on, ended_on, source, note,
		created_at, salary, employer_inn) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		sc.RegionCode, o.LearnerID, o.Status, nullID(o.EmployerID), o.EmployerName, dateArg(o.Start), dateArg(o.End), o.Source, o.Note,
		tsArg(s.now()), o.Salary, o.EmployerINN).Scan(&o.ID)
	if err != nil {
		return fmt.Errorf("store: add outcome: %w", err)
	}
	return s.updateMilestones(ctx, tx, o.LearnerID)
}
