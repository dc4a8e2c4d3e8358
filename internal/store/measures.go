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
	"marshrut/internal/history"
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
	return region + " AND 1 = 0" // the region's argument is used: PostgreSQL refuses one left over
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
	return region + " AND 1 = 0"
}

// CreateProgramme stores a programme; a provider from the registry
// must be an organisation of the region that can teach.
func (s *Measures) CreateProgramme(ctx context.Context, sc auth.Scope, p *measures.Programme) error {
	return wrap("create programme", s.tx(ctx, func(tx *sql.Tx) error {
		if err := programmeProvider(ctx, tx, p); err != nil {
			return err
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
	}))
}

// UpdateProgramme rewrites a programme the scope sees, in one
// transaction with the record of its changed fields: it reads the programme
// and its groups, lets check refuse, writes and reads the programme back.
func (s *Measures) UpdateProgramme(ctx context.Context, sc auth.Scope, p *measures.Programme, check func(old measures.Programme, groups []measures.Group) error) error {
	return wrap("update programme", s.tx(ctx, func(tx *sql.Tx) error {
		before, err := measureProgramme(ctx, tx, sc, p.ID)
		if err != nil {
			return err
		}
		var a args
		groups, err := scanMeasureGroups(ctx, tx, `SELECT `+measureGroupCols+measureGroupFrom+` WHERE g.programme_id = `+a.add(p.ID)+` AND `+
			measureProgScope(sc, "p", &a)+` ORDER BY g.starts_on DESC, g.id DESC`, a)
		if err != nil {
			return err
		}
		if err := check(before, groups); err != nil {
			return err
		}
		if err := programmeProvider(ctx, tx, p); err != nil {
			return err
		}
		if err := programmeCustomer(ctx, tx, p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE measure_programme SET name = $1, provider_id = $2, provider_name = $3, customer = $4,
			customer_name = $5, profession = $6, hours = $7, format = $8, price = $9, search_text = $10, customer_id = $11
			WHERE id = $12 AND region_code = $13`,
			p.Name, nullID(p.ProviderID), p.ProviderName, string(p.Customer), p.CustomerName, p.Profession, p.Hours, string(p.Format), p.Price,
			searchKey(p.Name, p.Profession, p.ProviderName, p.CustomerName), nullID(p.CustomerID), p.ID, before.RegionCode); err != nil {
			return err
		}
		after, err := measureProgramme(ctx, tx, sc, p.ID)
		if err != nil {
			return err
		}
		*p = after
		return s.recordEdit(ctx, tx, before.RegionCode, history.Programme, p.ID, measures.Changes(before, after))
	}))
}

// programmeProvider reads the name of a provider from the registry: an
// organisation of the region that can teach.
func programmeProvider(ctx context.Context, tx *sql.Tx, p *measures.Programme) error {
	if p.ProviderID == 0 {
		return nil
	}
	var kind, name, short string
	err := tx.QueryRowContext(ctx, `SELECT kind, name, short_name FROM organisation WHERE id = $1 AND region_code = $2`,
		p.ProviderID, p.RegionCode).Scan(&kind, &name, &short)
	if noRows(err) {
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
	return nil
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
	if err != nil && !noRows(err) {
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

func measurePrograms(ctx context.Context, db querier, q string, a args) ([]measures.Programme, error) {
	var out []measures.Programme
	err := eachRow(ctx, db, q, a, func(r *sql.Rows) error {
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

// Programmes returns a page of the programmes the scope sees, by
// name, and their total.
func (s *Measures) Programmes(ctx context.Context, sc auth.Scope, f measures.Filter) ([]measures.Programme, int, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
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
	if err := rq.QueryRowContext(ctx, `SELECT count(*) FROM measure_programme p WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: measure programmes: %w", err)
	}
	list, err := measurePrograms(ctx, rq, `SELECT `+measureProgCols+measureProgFrom+` WHERE `+where+` ORDER BY p.name, p.id LIMIT `+
		strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(max(0, f.Offset)), a)
	return list, total, wrap("programmes", err)
}

// escapeMeasureLike escapes the wildcards of LIKE in a text searched for.
func escapeMeasureLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Programme returns a programme the scope sees.
func (s *Measures) Programme(ctx context.Context, sc auth.Scope, id int64) (measures.Programme, error) {
	p, err := measureProgramme(ctx, s.read, sc, id)
	return p, wrap("programme", err)
}

func measureProgramme(ctx context.Context, db querier, sc auth.Scope, id int64) (measures.Programme, error) {
	var a args
	list, err := measurePrograms(ctx, db, `SELECT `+measureProgCols+measureProgFrom+` WHERE p.id = `+a.add(id)+` AND `+measureProgScope(sc, "p", &a), a)
	if err != nil {
		return measures.Programme{}, err
	}
	if len(list) == 0 {
		return measures.Programme{}, apperr.New(apperr.NotFound, "программа не найдена")
	}
	return list[0], nil
}

// CreateGroup stores a group of a programme the scope sees.
func (s *Measures) CreateGroup(ctx context.Context, sc auth.Scope, g *measures.Group) error {
	return wrap("create group", s.tx(ctx, func(tx *sql.Tx) error {
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
	}))
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

// Groups returns the groups of a programme the scope sees, newest first.
func (s *Measures) Groups(ctx context.Context, sc auth.Scope, programmeID int64) ([]measures.Group, error) {
	var a args
	out, err := scanMeasureGroups(ctx, s.read, `SELECT `+measureGroupCols+measureGroupFrom+` WHERE g.programme_id = `+a.add(programmeID)+` AND `+
		measureProgScope(sc, "p", &a)+` ORDER BY g.starts_on DESC, g.id DESC`, a)
	return out, wrap("groups", err)
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

// Group returns a group the scope sees.
func (s *Measures) Group(ctx context.Context, sc auth.Scope, id int64) (measures.Group, error) {
	g, err := measureGroup(ctx, s.read, sc, id)
	return g, wrap("group", err)
}

// Graduates returns the graduates in scope without work six months
// after graduation whose status a year on is known, with their first
// enrolment in a programme of the region.
func (s *Measures) Graduates(ctx context.Context, sc auth.Scope) ([]measures.Graduate, error) {
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

// Facts returns the enrolments the scope sees as the figures count
// them, with the jobs of learners from their outcome history.
func (s *Measures) Facts(ctx context.Context, sc auth.Scope, f measures.FigureFilter) ([]measures.Fact, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
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
	err := eachRow(ctx, q, `SELECT e.id, p.id, p.name, COALESCE(p.provider_id, 0), p.provider_name, p.customer, e.category, p.price,
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
	jobs, err := measureJobs(ctx, q, ids)
	if err != nil {
		return nil, wrap("facts", err)
	}
	for id, at := range learners {
		for _, i := range at {
			out[i].Jobs = jobs[id]
		}
	}
	return out, nil
}
