package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
)

// Enrolments in the groups of programmes: enrolled learners or other people,
// read within what the caller sees, completed, dropped and employed.

// Enrol writes an enrolment in one transaction, after check has seen the
// group with its places taken. A person with the SNILS of a learner the
// scope sees is enrolled as that learner; a person already kept under the
// SNILS is reused.
func (s *Measures) Enrol(ctx context.Context, sc auth.Scope, e *measures.Enrolment, check func(g measures.Group) error) error {
	return wrap("enrol", s.tx(ctx, func(tx *sql.Tx) error { return s.enrolTx(ctx, tx, sc, e, check) }))
}

// enrolTx is Enrol inside a transaction of the caller's.
func (s *db) enrolTx(ctx context.Context, tx *sql.Tx, sc auth.Scope, e *measures.Enrolment, check func(g measures.Group) error) error {
	// Lock the group's row first (PostgreSQL keeps the lock to the end of
	// the transaction, SQLite has one writer anyway), so that two centres
	// enrolling at once cannot both take the last place.
	if _, err := tx.ExecContext(ctx, `UPDATE measure_group SET capacity = capacity WHERE id = $1`, e.GroupID); err != nil {
		return fmt.Errorf("store: enrol: %w", err)
	}
	g, err := measureGroup(ctx, tx, sc, e.GroupID)
	if err != nil {
		return err
	}
	if e.LearnerID == 0 && e.Person.SNILS != "" {
		var a args
		err := tx.QueryRowContext(ctx, `SELECT l.id FROM learner l WHERE l.snils = `+a.add(e.Person.SNILS)+` AND `+
			learnerScope(sc, "l", &a), a...).Scan(&e.LearnerID)
		if err != nil && !noRows(err) {
			return err
		}
	}
	if e.LearnerID != 0 {
		if err := enrolledMeasureLearner(ctx, tx, sc, e); err != nil {
			return err
		}
	} else if err := s.enrolledPerson(ctx, tx, sc, e); err != nil {
		return err
	}
	if err := check(g); err != nil {
		return err
	}
	if e.ManagerID == 0 {
		e.ManagerID = g.ManagerID
	}
	var dup int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM measure_enrolment WHERE group_id = $1 AND (learner_id = $2 OR person_id = $3)`,
		g.ID, e.LearnerID, e.Person.ID).Scan(&dup); err != nil {
		return err
	}
	if dup > 0 {
		return apperr.New(apperr.Conflict, "этот человек уже зачислен в группу «%s»", g.Name)
	}
	if e.LearnerID == 0 && e.Person.ID == 0 {
		if err := insertMeasurePerson(ctx, tx, e, s.now()); err != nil {
			return err
		}
	}
	var learnerID, personID any
	if e.LearnerID != 0 {
		learnerID = e.LearnerID
	} else {
		personID = e.Person.ID
	}
	ts := tsArg(e.CreatedAt)
	err = tx.QueryRowContext(ctx, `INSERT INTO measure_enrolment (region_code, group_id, learner_id, person_id, category, status, czn_id,
		municipality_id, enrolled_on, employer_name, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $12) RETURNING id`,
		e.RegionCode, g.ID, learnerID, personID, string(e.Category), string(e.Status), nullID(e.ManagerID), nullID(e.MunicipalityID),
		dateArg(e.Enrolled), nullID(e.CreatedBy), ts, ts).Scan(&e.ID)
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "этот человек уже зачислен в группу «%s»", g.Name)
	}
	e.GroupName, e.GroupStart, e.GroupEnd, e.ProgrammeID, e.ProgrammeName, e.ProviderID = g.Name, g.Start, g.End, g.ProgrammeID, g.ProgrammeName, g.ProviderID
	return err
}

// enrolledMeasureLearner fills the person of an enrolment from a learner the scope sees.
func enrolledMeasureLearner(ctx context.Context, tx *sql.Tx, sc auth.Scope, e *measures.Enrolment) error {
	var a args
	var birth time.Time
	err := tx.QueryRowContext(ctx, `SELECT l.last_name, l.first_name, l.middle_name, l.birth_date, l.municipality_id FROM learner l
		WHERE l.id = `+a.add(e.LearnerID)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&e.Person.LastName, &e.Person.FirstName,
		&e.Person.MiddleName, timeScan{&birth}, &e.MunicipalityID)
	if err != nil {
		return notFound(err, "обучающийся не найден")
	}
	e.Person.ID, e.Person.SNILS, e.Person.BirthYear, e.Person.MunicipalityID = 0, "", birth.Year(), e.MunicipalityID
	return nil
}

// enrolledPerson finds a person kept under the SNILS, or checks the
// municipality of a new one (the employment centre's when not given).
func (s *db) enrolledPerson(ctx context.Context, tx *sql.Tx, sc auth.Scope, e *measures.Enrolment) error {
	p := &e.Person
	if p.SNILS != "" {
		var y int
		var muni sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, birth_year, municipality_id FROM measure_person WHERE region_code = $1 AND snils = $2`,
			sc.RegionCode, p.SNILS).Scan(&p.ID, &y, &muni)
		switch {
		case err == nil:
			if y != p.BirthYear {
				return apperr.Field("birth_year", "человек с этим СНИЛС уже записан с другим годом рождения: проверьте СНИЛС и год")
			}
			e.MunicipalityID = muni.Int64
			return nil
		case !noRows(err):
			return err
		}
	}
	if p.MunicipalityID == 0 && sc.Role == auth.CZN {
		if err := tx.QueryRowContext(ctx, `SELECT municipality_id FROM organisation WHERE id = $1`, sc.OrgID).Scan(&p.MunicipalityID); err != nil {
			return notFound(err, "центр занятости не найден")
		}
	}
	if p.MunicipalityID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM municipality WHERE id = $1 AND region_code = $2`, p.MunicipalityID,
			sc.RegionCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.Field("municipality_id", "муниципальное образование %d не найдено в регионе", p.MunicipalityID)
		}
	}
	e.MunicipalityID = p.MunicipalityID
	return nil
}

func insertMeasurePerson(ctx context.Context, tx *sql.Tx, e *measures.Enrolment, now time.Time) error {
	p := &e.Person
	err := tx.QueryRowContext(ctx, `INSERT INTO measure_person (region_code, czn_id, last_name, first_name, middle_name, birth_year, snils,
		municipality_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, e.RegionCode, nullID(e.ManagerID),
		p.LastName, p.FirstName, p.MiddleName, p.BirthYear, nullText(p.SNILS), nullID(p.MunicipalityID), tsArg(now)).Scan(&p.ID)
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "человек с этим СНИЛС уже записан: повторите зачисление")
	}
	return err
}

const measureEnrolCols = `e.id, e.region_code, e.group_id, g.name, g.starts_on, g.ends_on, p.id, p.name, COALESCE(p.provider_id, 0),
	COALESCE(e.learner_id, 0), COALESCE(e.person_id, 0), COALESCE(l.last_name, mp.last_name, ''), COALESCE(l.first_name, mp.first_name, ''),
	COALESCE(l.middle_name, mp.middle_name, ''), l.birth_date, COALESCE(mp.birth_year, 0), COALESCE(mp.snils, ''),
	e.category, e.status, COALESCE(e.czn_id, 0), COALESCE(z.name, ''), COALESCE(e.municipality_id, 0),
	e.enrolled_on, e.completed_on, e.dropped_on, e.employed_on, e.employer_name, COALESCE(e.created_by, 0), e.created_at`

const measureEnrolFrom = ` FROM measure_enrolment e JOIN measure_group g ON g.id = e.group_id JOIN measure_programme p ON p.id = g.programme_id
	LEFT JOIN learner l ON l.id = e.learner_id LEFT JOIN measure_person mp ON mp.id = e.person_id LEFT JOIN organisation z ON z.id = e.czn_id`

// measureEnrolments reads enrolments and, for learners who completed, the start of
// the job their outcome history shows within three months.
func measureEnrolments(ctx context.Context, db querier, q string, a args) ([]measures.Enrolment, error) {
	var out []measures.Enrolment
	err := eachRow(ctx, db, q, a, func(r *sql.Rows) error {
		var e measures.Enrolment
		var birth time.Time
		if err := r.Scan(&e.ID, &e.RegionCode, &e.GroupID, &e.GroupName, timeScan{&e.GroupStart}, timeScan{&e.GroupEnd}, &e.ProgrammeID,
			&e.ProgrammeName, &e.ProviderID, &e.LearnerID, &e.Person.ID, &e.Person.LastName, &e.Person.FirstName, &e.Person.MiddleName,
			timeScan{&birth}, &e.Person.BirthYear, &e.Person.SNILS, &e.Category, &e.Status, &e.ManagerID, &e.ManagerName, &e.MunicipalityID,
			timeScan{&e.Enrolled}, timeScan{&e.Completed}, timeScan{&e.Dropped}, timeScan{&e.EmployedOn}, &e.Employer, &e.CreatedBy,
			timeScan{&e.CreatedAt}); err != nil {
			return err
		}
		if e.LearnerID != 0 {
			e.Person.BirthYear = birth.Year()
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: measure enrolments: %w", err)
	}
	var ids []int64
	for _, e := range out {
		if e.LearnerID != 0 && e.Status == measures.Completed {
			ids = append(ids, e.LearnerID)
		}
	}
	jobs, err := measureJobs(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	for i, e := range out {
		if e.LearnerID != 0 {
			out[i].EmployedOn, _ = measures.EmployedWithin(e.Completed, jobs[e.LearnerID])
		}
	}
	return out, nil
}

// measureJobs returns the periods of work (employed or self-employed) in the
// outcome history of learners, a chunk of learners at a time.
func measureJobs(ctx context.Context, db querier, ids []int64) (map[int64][]measures.Span, error) {
	out := map[int64][]measures.Span{}
	for start := 0; start < len(ids); start += 500 {
		var a args
		in := a.in(ids[start:min(len(ids), start+500)])
		err := eachRow(ctx, db, `SELECT learner_id, started_on, ended_on FROM outcome WHERE status IN ('`+string(learner.Employed)+`', '`+
			string(learner.SelfEmployed)+`') AND learner_id IN (`+in+`)`, a, func(r *sql.Rows) error {
			var id int64
			var sp measures.Span
			if err := r.Scan(&id, timeScan{&sp.Start}, timeScan{&sp.End}); err != nil {
				return err
			}
			out[id] = append(out[id], sp)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("store: jobs of learners: %w", err)
		}
	}
	return out, nil
}

// Enrolments returns the enrolments of a group the scope sees, by name.
func (s *Measures) Enrolments(ctx context.Context, sc auth.Scope, groupID int64) ([]measures.Enrolment, error) {
	var a args
	out, err := measureEnrolments(ctx, s.read, `SELECT `+measureEnrolCols+measureEnrolFrom+` WHERE e.group_id = `+a.add(groupID)+` AND `+
		measureProgScope(sc, "p", &a)+` AND `+measureEnrolScope(sc, "e", "p", &a)+
		` ORDER BY COALESCE(l.last_name, mp.last_name), COALESCE(l.first_name, mp.first_name), e.id`, a)
	return out, wrap("enrolments", err)
}

func measureEnrolment(ctx context.Context, db querier, sc auth.Scope, id int64) (measures.Enrolment, error) {
	var a args
	list, err := measureEnrolments(ctx, db, `SELECT `+measureEnrolCols+measureEnrolFrom+` WHERE e.id = `+a.add(id)+` AND `+measureEnrolScope(sc, "e", "p", &a), a)
	if err != nil {
		return measures.Enrolment{}, err
	}
	if len(list) == 0 {
		return measures.Enrolment{}, apperr.New(apperr.NotFound, "зачисление не найдено")
	}
	return list[0], nil
}

// Enrolment returns an enrolment the scope sees.
func (s *Measures) Enrolment(ctx context.Context, sc auth.Scope, id int64) (measures.Enrolment, error) {
	e, err := measureEnrolment(ctx, s.read, sc, id)
	return e, wrap("enrolment", err)
}

// ChangeEnrolment lets change alter an enrolment the scope sees and writes
// its status, dates and job, in one transaction; a status changed meanwhile
// by someone else is a conflict.
func (s *Measures) ChangeEnrolment(ctx context.Context, sc auth.Scope, id int64, change func(e *measures.Enrolment) error, at time.Time) error {
	return wrap("change enrolment", s.tx(ctx, func(tx *sql.Tx) error { return s.changeEnrolmentTx(ctx, tx, sc, id, change, at) }))
}

// ChangeEnrolments changes several enrolments in one transaction: all of
// them, or, when change refuses one, none.
func (s *Measures) ChangeEnrolments(ctx context.Context, sc auth.Scope, ids []int64, change func(e *measures.Enrolment) error, at time.Time) error {
	return wrap("change enrolments", s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if err := s.changeEnrolmentTx(ctx, tx, sc, id, change, at); err != nil {
				return err
			}
		}
		return nil
	}))
}

func (s *Measures) changeEnrolmentTx(ctx context.Context, tx *sql.Tx, sc auth.Scope, id int64, change func(e *measures.Enrolment) error, at time.Time) error {
	e, err := measureEnrolment(ctx, tx, sc, id)
	if err != nil {
		return err
	}
	was, hired := e.Status, e.EmployedOn
	if err := change(&e); err != nil {
		return err
	}
	employed := e.EmployedOn
	if e.LearnerID != 0 {
		employed = time.Time{} // a learner's job lives in the outcome history
		if !e.EmployedOn.IsZero() && !e.EmployedOn.Equal(hired) {
			o := learner.Outcome{LearnerID: e.LearnerID, Status: learner.Employed, EmployerName: e.Employer, Start: e.EmployedOn,
				Source: learner.SourceProgramme, Note: "после программы содействия занятости"}
			if err := s.addOutcomeTx(ctx, tx, auth.SystemScope(sc.RegionCode), &o); err != nil {
				return err
			}
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE measure_enrolment SET status = $1, completed_on = $2, dropped_on = $3, employed_on = $4,
		employer_name = $5, updated_at = $6 WHERE id = $7 AND status = $8`, string(e.Status), dateArg(e.Completed), dateArg(e.Dropped),
		dateArg(employed), e.Employer, tsArg(at), id, string(was))
	if err != nil {
		return fmt.Errorf("store: change enrolment: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "зачисление изменили одновременно с вами: обновите страницу")
	}
	return nil
}
