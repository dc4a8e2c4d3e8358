package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
)

// measureProgScope keeps a query on measure_programme alias p within what the
// caller sees: the region and its employment centres see every programme of
// the region, a college or university those it provides.
func measureProgScope(sc auth.Scope, p string, a *args) string {
	region := p + ".region_code = " + a.add(sc.RegionCode)
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System, auth.CZN:
		return region
	case auth.College, auth.University:
		return region + " AND " + p + ".provider_id = " + a.add(sc.OrgID)
	case auth.Employer:
		// An employer sees the programmes it ordered, not the people in them.
		return region + " AND " + p + ".customer_id = " + a.add(sc.OrgID)
	}
	return "1 = 0"
}

// measureEnrolScope keeps a query on measure_enrolment alias e, joined with its
// programme p, within what the caller sees: the region all, an employment
// centre those it enrolled (or whose group it manages), a provider those of
// its groups.
func measureEnrolScope(sc auth.Scope, e, p string, a *args) string {
	region := e + ".region_code = " + a.add(sc.RegionCode)
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System:
		return region
	case auth.CZN:
		return region + " AND " + e + ".czn_id = " + a.add(sc.OrgID)
	case auth.College, auth.University:
		return region + " AND " + p + ".provider_id = " + a.add(sc.OrgID)
	}
	return "1 = 0"
}

// CreateMeasureProgramme stores a programme; a provider from the registry
// must be an organisation of the region that can teach.
func (s *Store) CreateMeasureProgramme(ctx context.Context, sc auth.Scope, p *measures.Programme) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if p.ProviderID != 0 {
			var kind, name, short string
			err := tx.QueryRowContext(ctx, `SELECT kind, name, short_name FROM organisation WHERE id = $1 AND region_code = $2`,
				p.ProviderID, p.RegionCode).Scan(&kind, &name, &short)
			if err == sql.ErrNoRows {
				return apperr.Field("provider_id", "организация %d не найдена в реестре региона", p.ProviderID)
			}
			if err != nil {
				return err
			}
			if kind == "school" || kind == "czn" {
				return apperr.Field("provider_id", "обучают по программам колледжи, вузы, учебные центры работодателей и кадровые центры, а не %s", providerKindName(kind))
			}
			p.ProviderName = name
			if short != "" {
				p.ProviderName = short
			}
		}
		if err := programmeCustomer(ctx, tx, p); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO measure_programme (region_code, name, provider_id, provider_name, customer, customer_name,
			profession, hours, format, price, manager_id, search_text, created_by, created_at, customer_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			p.RegionCode, p.Name, nullID(p.ProviderID), p.ProviderName, string(p.Customer), p.CustomerName, p.Profession, p.Hours,
			string(p.Format), p.Price, nullID(p.ManagerID), searchKey(p.Name, p.Profession, p.ProviderName, p.CustomerName),
			nullID(p.CreatedBy), tsArg(p.CreatedAt), nullID(p.CustomerID)).Scan(&p.ID)
	})
}

// programmeCustomer links a B2B programme to its employer: the one chosen
// (an employer of the region), or the employer of the registry whose name is
// the customer's as typed; a customer outside the registry stays a name.
func programmeCustomer(ctx context.Context, tx *sql.Tx, p *measures.Programme) error {
	if p.Customer != measures.B2B {
		p.CustomerID = 0
		return nil
	}
	if p.CustomerID != 0 {
		var name, kind string
		err := tx.QueryRowContext(ctx, `SELECT name, kind FROM organisation WHERE id = $1 AND region_code = $2`, p.CustomerID, p.RegionCode).Scan(&name, &kind)
		if err != nil || kind != "employer" {
			return apperr.Field("customer_id", "работодатель № %d не найден в регионе", p.CustomerID)
		}
		p.CustomerName = name
		return nil
	}
	err := tx.QueryRowContext(ctx, `SELECT id FROM organisation WHERE region_code = $1 AND kind = 'employer' AND name = $2 ORDER BY id LIMIT 1`,
		p.RegionCode, p.CustomerName).Scan(&p.CustomerID)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	return nil
}

func providerKindName(kind string) string {
	switch kind {
	case "school":
		return "школа"
	case "czn":
		return "центр занятости"
	}
	return kind
}

const measureProgCols = `p.id, p.region_code, p.name, COALESCE(p.provider_id, 0), p.provider_name, p.customer, COALESCE(p.customer_id, 0), p.customer_name, p.profession,
	p.hours, p.format, p.price, COALESCE(p.manager_id, 0), COALESCE(mo.name, ''), COALESCE(p.created_by, 0), p.created_at,
	(SELECT count(*) FROM measure_group g WHERE g.programme_id = p.id),
	(SELECT count(*) FROM measure_enrolment e JOIN measure_group g ON g.id = e.group_id WHERE g.programme_id = p.id)`

const measureProgFrom = ` FROM measure_programme p LEFT JOIN organisation mo ON mo.id = p.manager_id`

func (s *Store) measureProgrammes(ctx context.Context, q string, a args) ([]measures.Programme, error) {
	var out []measures.Programme
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var p measures.Programme
		if err := r.Scan(&p.ID, &p.RegionCode, &p.Name, &p.ProviderID, &p.ProviderName, &p.Customer, &p.CustomerID, &p.CustomerName, &p.Profession,
			&p.Hours, &p.Format, &p.Price, &p.ManagerID, &p.ManagerName, &p.CreatedBy, timeScan{&p.CreatedAt}, &p.Groups, &p.Enrolled); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: measure programmes: %w", err)
	}
	return out, nil
}

// MeasureProgrammes returns a page of the programmes the scope sees, by
// name, and their total.
func (s *Store) MeasureProgrammes(ctx context.Context, sc auth.Scope, f measures.Filter) ([]measures.Programme, int, error) {
	var a args
	where := measureProgScope(sc, "p", &a)
	if q := searchKey(f.Query); q != "" {
		where += ` AND p.search_text LIKE ` + a.add("%"+escapeMeasureLike(q)+"%") + ` ESCAPE '\'`
	}
	if f.Customer != "" {
		where += ` AND p.customer = ` + a.add(string(f.Customer))
	}
	if f.Format != "" {
		where += ` AND p.format = ` + a.add(string(f.Format))
	}
	if f.ProviderID != 0 {
		where += ` AND p.provider_id = ` + a.add(f.ProviderID)
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM measure_programme p WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: measure programmes: %w", err)
	}
	list, err := s.measureProgrammes(ctx, `SELECT `+measureProgCols+measureProgFrom+` WHERE `+where+` ORDER BY p.name, p.id LIMIT `+
		strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(max(0, f.Offset)), a)
	return list, total, err
}

// escapeMeasureLike escapes the wildcards of LIKE in a text searched for.
func escapeMeasureLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// MeasureProgramme returns a programme the scope sees.
func (s *Store) MeasureProgramme(ctx context.Context, sc auth.Scope, id int64) (measures.Programme, error) {
	var a args
	list, err := s.measureProgrammes(ctx, `SELECT `+measureProgCols+measureProgFrom+` WHERE p.id = `+a.add(id)+` AND `+measureProgScope(sc, "p", &a), a)
	if err != nil {
		return measures.Programme{}, err
	}
	if len(list) == 0 {
		return measures.Programme{}, apperr.New(apperr.NotFound, "программа не найдена")
	}
	return list[0], nil
}

// CreateMeasureGroup stores a group of a programme the scope sees.
func (s *Store) CreateMeasureGroup(ctx context.Context, sc auth.Scope, g *measures.Group) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM measure_programme p WHERE p.id = `+a.add(g.ProgrammeID)+` AND `+
			measureProgScope(sc, "p", &a), a...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "программа не найдена")
		}
		return tx.QueryRowContext(ctx, `INSERT INTO measure_group (region_code, programme_id, name, starts_on, ends_on, capacity, manager_id,
			created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, g.RegionCode, g.ProgrammeID, g.Name,
			dateArg(g.Start), dateArg(g.End), g.Capacity, nullID(g.ManagerID), nullID(g.CreatedBy), tsArg(g.CreatedAt)).Scan(&g.ID)
	})
}

const measureGroupCols = `g.id, g.region_code, g.programme_id, p.name, COALESCE(p.provider_id, 0), p.provider_name, p.price, g.name, g.starts_on,
	g.ends_on, g.capacity, COALESCE(g.manager_id, 0), COALESCE(mo.name, ''), COALESCE(g.created_by, 0), g.created_at,
	COALESCE(c.studying, 0), COALESCE(c.completed, 0), COALESCE(c.dropped, 0)`

// measureGroupFrom counts every enrolment of the group, whoever made it: places
// are the group's, not the caller's.
const measureGroupFrom = ` FROM measure_group g JOIN measure_programme p ON p.id = g.programme_id LEFT JOIN organisation mo ON mo.id = g.manager_id
	LEFT JOIN (SELECT group_id, sum(CASE WHEN status = 'enrolled' THEN 1 ELSE 0 END) AS studying,
		sum(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed, sum(CASE WHEN status = 'dropped' THEN 1 ELSE 0 END) AS dropped
		FROM measure_enrolment GROUP BY group_id) c ON c.group_id = g.id`

func scanMeasureGroups(ctx context.Context, db querier, q string, a args) ([]measures.Group, error) {
	var out []measures.Group
	err := eachRow(ctx, db, q, a, func(r *sql.Rows) error {
		var g measures.Group
		if err := r.Scan(&g.ID, &g.RegionCode, &g.ProgrammeID, &g.ProgrammeName, &g.ProviderID, &g.ProviderName, &g.Price, &g.Name,
			timeScan{&g.Start}, timeScan{&g.End}, &g.Capacity, &g.ManagerID, &g.ManagerName, &g.CreatedBy, timeScan{&g.CreatedAt},
			&g.Studying, &g.Completed, &g.Dropped); err != nil {
			return err
		}
		out = append(out, g)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: measure groups: %w", err)
	}
	return out, nil
}

// MeasureGroups returns the groups of a programme the scope sees, newest first.
func (s *Store) MeasureGroups(ctx context.Context, sc auth.Scope, programmeID int64) ([]measures.Group, error) {
	var a args
	return scanMeasureGroups(ctx, s.read, `SELECT `+measureGroupCols+measureGroupFrom+` WHERE g.programme_id = `+a.add(programmeID)+` AND `+
		measureProgScope(sc, "p", &a)+` ORDER BY g.starts_on DESC, g.id DESC`, a)
}

func measureGroup(ctx context.Context, db querier, sc auth.Scope, id int64) (measures.Group, error) {
	var a args
	list, err := scanMeasureGroups(ctx, db, `SELECT `+measureGroupCols+measureGroupFrom+` WHERE g.id = `+a.add(id)+` AND `+measureProgScope(sc, "p", &a), a)
	if err != nil {
		return measures.Group{}, err
	}
	if len(list) == 0 {
		return measures.Group{}, apperr.New(apperr.NotFound, "группа не найдена")
	}
	return list[0], nil
}

// MeasureGroup returns a group the scope sees.
func (s *Store) MeasureGroup(ctx context.Context, sc auth.Scope, id int64) (measures.Group, error) {
	return measureGroup(ctx, s.read, sc, id)
}

// Enrol writes an enrolment in one transaction, after check has seen the
// group with its places taken. A person with the SNILS of a learner the
// scope sees is enrolled as that learner; a person already kept under the
// SNILS is reused.
func (s *Store) Enrol(ctx context.Context, sc auth.Scope, e *measures.Enrolment, check func(g measures.Group) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.enrolTx(ctx, tx, sc, e, check) })
}

// enrolTx is Enrol inside a transaction of the caller's.
func (s *Store) enrolTx(ctx context.Context, tx *sql.Tx, sc auth.Scope, e *measures.Enrolment, check func(g measures.Group) error) error {
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
		if err != nil && err != sql.ErrNoRows {
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
func (s *Store) enrolledPerson(ctx context.Context, tx *sql.Tx, sc auth.Scope, e *measures.Enrolment) error {
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
		case err != sql.ErrNoRows:
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

// MeasureEnrolments returns the enrolments of a group the scope sees, by name.
func (s *Store) MeasureEnrolments(ctx context.Context, sc auth.Scope, groupID int64) ([]measures.Enrolment, error) {
	var a args
	return measureEnrolments(ctx, s.read, `SELECT `+measureEnrolCols+measureEnrolFrom+` WHERE e.group_id = `+a.add(groupID)+` AND `+
		measureProgScope(sc, "p", &a)+` AND `+measureEnrolScope(sc, "e", "p", &a)+
		` ORDER BY COALESCE(l.last_name, mp.last_name), COALESCE(l.first_name, mp.first_name), e.id`, a)
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

// MeasureEnrolment returns an enrolment the scope sees.
func (s *Store) MeasureEnrolment(ctx context.Context, sc auth.Scope, id int64) (measures.Enrolment, error) {
	return measureEnrolment(ctx, s.read, sc, id)
}

// ChangeEnrolment lets change alter an enrolment the scope sees and writes
// its status, dates and job, in one transaction; a status changed meanwhile
// by someone else is a conflict.
func (s *Store) ChangeEnrolment(ctx context.Context, sc auth.Scope, id int64, change func(e *measures.Enrolment) error, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.changeEnrolmentTx(ctx, tx, sc, id, change, at) })
}

// ChangeEnrolments changes several enrolments in one transaction: all of
// them, or, when change refuses one, none.
func (s *Store) ChangeEnrolments(ctx context.Context, sc auth.Scope, ids []int64, change func(e *measures.Enrolment) error, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if err := s.changeEnrolmentTx(ctx, tx, sc, id, change, at); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) changeEnrolmentTx(ctx context.Context, tx *sql.Tx, sc auth.Scope, id int64, change func(e *measures.Enrolment) error, at time.Time) error {
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

// MeasureGraduates returns the graduates in scope without work six months
// after graduation whose status a year on is known, with their first
// enrolment in a programme of the region.
func (s *Store) MeasureGraduates(ctx context.Context, sc auth.Scope) ([]measures.Graduate, error) {
	var a args
	var out []measures.Graduate
	err := eachRow(ctx, s.read, `SELECT l.graduation_year, COALESCE(l.specialty_code, ''), l.org_id, COALESCE(l.avg_grade, 0),
		CASE WHEN l.outcome_12m IN `+positive+` THEN 1 ELSE 0 END,
		(SELECT min(e.enrolled_on) FROM measure_enrolment e WHERE e.learner_id = l.id)
		FROM learner l WHERE `+learnerScope(sc, "l", &a)+` AND l.status = 'graduate'
		AND l.outcome_6m IN ('unemployed', 'not_employed') AND l.outcome_12m NOT IN ('', 'unknown')
		ORDER BY l.id`, a, func(r *sql.Rows) error {
		var g measures.Graduate
		var employed int
		if err := r.Scan(&g.Year, &g.Specialty, &g.OrgID, &g.AvgGrade, &employed, timeScan{&g.Enrolled}); err != nil {
			return err
		}
		g.Employed = employed == 1
		out = append(out, g)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: measure graduates: %w", err)
	}
	return out, nil
}

// MeasureFacts returns the enrolments the scope sees as the figures count
// them, with the jobs of learners from their outcome history.
func (s *Store) MeasureFacts(ctx context.Context, sc auth.Scope, f measures.FigureFilter) ([]measures.Fact, error) {
	var a args
	where := measureEnrolScope(sc, "e", "p", &a)
	if f.Year != 0 {
		where += ` AND e.enrolled_on >= ` + a.add(dateArg(time.Date(f.Year, 1, 1, 0, 0, 0, 0, time.UTC))) +
			` AND e.enrolled_on < ` + a.add(dateArg(time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)))
	}
	if f.MunicipalityID != 0 {
		where += ` AND e.municipality_id = ` + a.add(f.MunicipalityID)
	}
	if f.OrgID != 0 {
		org := a.add(f.OrgID)
		where += ` AND (p.provider_id = ` + org + ` OR e.czn_id = ` + org + `)`
	}
	if f.ProgrammeID != 0 {
		where += ` AND p.id = ` + a.add(f.ProgrammeID)
	}
	var out []measures.Fact
	learners := map[int64][]int{}
	err := eachRow(ctx, s.read, `SELECT e.id, p.id, p.name, COALESCE(p.provider_id, 0), p.provider_name, p.customer, e.category, p.price,
		e.status, e.completed_on, e.employed_on, COALESCE(e.learner_id, 0), COALESCE(e.municipality_id, 0)
		FROM measure_enrolment e JOIN measure_group g ON g.id = e.group_id JOIN measure_programme p ON p.id = g.programme_id
		WHERE `+where+` ORDER BY e.id`, a, func(r *sql.Rows) error {
		var x measures.Fact
		var employed time.Time
		var learnerID int64
		if err := r.Scan(&x.EnrolmentID, &x.ProgrammeID, &x.Programme, &x.ProviderID, &x.Provider, &x.Customer, &x.Category, &x.Price,
			&x.Status, timeScan{&x.Completed}, timeScan{&employed}, &learnerID, &x.Municipality); err != nil {
			return err
		}
		switch {
		case learnerID != 0:
			if x.Status == measures.Completed {
				learners[learnerID] = append(learners[learnerID], len(out))
			}
		case !employed.IsZero():
			x.Jobs = []measures.Span{{Start: employed}}
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: measure figures: %w", err)
	}
	ids := make([]int64, 0, len(learners))
	for id := range learners {
		ids = append(ids, id)
	}
	jobs, err := measureJobs(ctx, s.read, ids)
	if err != nil {
		return nil, err
	}
	for id, at := range learners {
		for _, i := range at {
			out[i].Jobs = jobs[id]
		}
	}
	return out, nil
}
