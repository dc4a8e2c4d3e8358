package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"marshrut/internal/classifier"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// Loader writes many rows at once inside one transaction: the demo generator
// and imports use it, so that a load is applied whole or not at all. Rows come
// with their IDs already set (see NextID); multi-row INSERTs keep the round
// trips few on both engines.
type Loader struct {
	s    *db
	ctx  context.Context
	tx   *sql.Tx
	conn *sql.Conn // the transaction's connection, for COPY on PostgreSQL; nil outside Load
	now  string

	// before is how many learners the region's database held when the load
	// began, added how many it has inserted since; deferred holds the
	// definitions of the learner indexes dropped for the load (see Learners).
	before, added int64
	deferred      []string
}

// deferAfter is the number of new learners after which a load that at least
// doubles the table drops the learner's secondary indexes and builds them
// again at its end: one sorted build of each index costs a fraction of a
// million inserts at random places in it.
const deferAfter = 20000

// Load runs fn with a Loader in one transaction and commits when fn succeeds.
// On PostgreSQL the loaded tables are then vacuumed, which sets the visibility
// map and hint bits at once instead of on the first reads of every page.
func (s *Store) Load(ctx context.Context, fn func(*Loader) error) error {
	// An error of fn's own is the caller's and comes back as it is; load and
	// run name the store's own failures.
	if err := s.load(ctx, fn); err != nil {
		return err
	}
	if s.engine == Postgres {
		if _, err := s.write.ExecContext(ctx, `VACUUM (ANALYZE) municipality, organisation, learner, learner_stage, outcome, learner_tally, vacancy, vacancy_link,
			guidance_event, guidance_participation, guidance_reach, targeted_informing, ddo_result, targeted_offer, targeted_application, targeted_step`); err != nil {
			return fmt.Errorf("store: vacuum after load: %w", err)
		}
	}
	return nil
}

func (s *db) load(ctx context.Context, fn func(*Loader) error) error {
	if s.engine == SQLite {
		// Index pages of a large load are touched in no order: a bigger page
		// cache for the writer while it loads saves most of the re-reads.
		if _, err := s.write.ExecContext(ctx, `PRAGMA cache_size = -16384`); err != nil {
			return wrap("load", err)
		}
		defer s.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -8000`)
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connect: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// Ended before the connection is closed, whatever happens: a panic in fn
	// would otherwise leave Close waiting for the open transaction forever.
	defer tx.Rollback()
	l := &Loader{s: s, ctx: ctx, tx: tx, conn: conn, now: tsArg(s.now())}
	if err := l.run(fn); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// run does the work of a load inside its transaction.
func (l *Loader) run(fn func(*Loader) error) error {
	s, ctx, tx := l.s, l.ctx, l.tx
	{
		// Per-row triggers would double the work of a load: they stand aside
		// while bulk_load has a row, and the new learners are tallied at the end.
		firstLearner, err := l.NextID("learner")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bulk_load (started_at) VALUES ($1)`, l.now); err != nil {
			return fmt.Errorf("store: mark bulk load: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(sum(n), 0) FROM learner_tally`).Scan(&l.before); err != nil {
			return fmt.Errorf("store: count learners: %w", err)
		}
		// The tally's per-row insert trigger stands aside for the load's
		// transaction, which no other connection sees: on SQLite a trigger, even
		// one whose WHEN clause is false, makes every INSERT keep a statement
		// journal; on PostgreSQL it queues an event per row and runs PL/pgSQL.
		var insertTrigger string
		if s.engine == SQLite {
			if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'learner_tally_insert'`).Scan(&insertTrigger); err != nil {
				return fmt.Errorf("store: tally trigger: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER learner_tally_insert`); err != nil {
				return wrap("load", err)
			}
		} else {
			// Loads insert and update learners, never delete them: the trigger
			// that counts inserts and deletions can rest.
			if _, err := tx.ExecContext(ctx, `ALTER TABLE learner DISABLE TRIGGER learner_tally_change`); err != nil {
				return fmt.Errorf("store: tally trigger: %w", err)
			}
			insertTrigger = `ALTER TABLE learner ENABLE TRIGGER learner_tally_change`
		}
		if err := fn(l); err != nil {
			return err
		}
		if err := l.rebuildIndexes(); err != nil {
			return wrap("load", err)
		}
		if insertTrigger != "" {
			if _, err := tx.ExecContext(ctx, insertTrigger); err != nil {
				return fmt.Errorf("store: tally trigger: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO learner_tally
			SELECT region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m, count(*)
			FROM learner WHERE id >= $1
			GROUP BY region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m
			ON CONFLICT (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m)
			DO UPDATE SET n = learner_tally.n + excluded.n`, firstLearner); err != nil {
			return fmt.Errorf("store: tally loaded learners: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO learner_grade_tally
			SELECT region_code, status, org_id, municipality_id, grade, study_form, count(*)
			FROM learner WHERE id >= $1
			GROUP BY region_code, status, org_id, municipality_id, grade, study_form
			ON CONFLICT (region_code, status, org_id, municipality_id, grade, study_form)
			DO UPDATE SET n = learner_grade_tally.n + excluded.n`, firstLearner); err != nil {
			return fmt.Errorf("store: tally loaded learners: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM bulk_load`); err != nil {
			return wrap("load", err)
		}
		if err := l.resetSequences(); err != nil {
			return wrap("load", err)
		}
		// Fresh statistics, so that the planner knows the new rows' shape: on
		// SQLite from a sample of each index, which is enough for the planner;
		// on PostgreSQL Load analyses the loaded tables after the commit, as a
		// database-wide ANALYZE here would wait on every other writer's locks.
		if s.engine == SQLite {
			// A sample of each index is enough after a small load; after a large
			// one, whose rows make a good part of the table, the statistics are
			// counted whole: sampled ones mislead the planner on the leading
			// columns that a whole region shares.
			limit := `PRAGMA analysis_limit = 1000`
			if len(l.deferred) > 0 {
				limit = `PRAGMA analysis_limit = 0`
			}
			if _, err := tx.ExecContext(ctx, limit); err != nil {
				return wrap("load", err)
			}
			if _, err := tx.ExecContext(ctx, `ANALYZE`); err != nil {
				return fmt.Errorf("store: analyze: %w", err)
			}
		}
		return nil
	}
}

// NextID returns the first free id of a table (municipality, organisation,
// learner, learner_stage, outcome).
func (l *Loader) NextID(table string) (int64, error) {
	switch table {
	case "municipality", "organisation", "learner", "learner_stage", "outcome", "guidance_event", "targeted_informing", "ddo_result", "targeted_offer", "targeted_application":
	default:
		return 0, fmt.Errorf("store: NextID of unknown table %q", table)
	}
	var id int64
	err := l.tx.QueryRowContext(l.ctx, `SELECT COALESCE(max(id), 0) + 1 FROM `+table).Scan(&id)
	return id, wrap("next id", err)
}

// resetSequences moves PostgreSQL's identity sequences past the ids the load set
// by hand; SQLite takes max(id)+1 on its own.
func (l *Loader) resetSequences() error {
	if l.s.engine != Postgres {
		return nil
	}
	for _, t := range []string{"municipality", "organisation", "learner", "learner_stage", "outcome", "guidance_event", "targeted_informing", "ddo_result", "targeted_offer", "targeted_application"} {
		_, err := l.tx.ExecContext(l.ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE((SELECT max(id) FROM `+t+`), 0) + 1, false)`)
		if err != nil {
			return fmt.Errorf("store: reset sequence of %s: %w", t, err)
		}
	}
	return nil
}

// insert writes n rows into table. SQLite runs one prepared single-row
// statement per row: within a transaction that is its fastest path, and its
// parser slows down badly on statements with thousands of $n parameters.
// PostgreSQL gets the rows by COPY inside a load, and by multi-row
// statements under its limit of parameters elsewhere.
func (l *Loader) insert(table string, cols []string, n int, row func(i int) []any) error {
	ph := make([]string, len(cols))
	for i := range ph {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	if l.s.engine == SQLite {
		stmt, err := l.tx.PrepareContext(l.ctx, head+"("+strings.Join(ph, ", ")+")")
		if err != nil {
			return fmt.Errorf("store: load %s: %w", table, err)
		}
		defer stmt.Close()
		for i := 0; i < n; i++ {
			if _, err := stmt.ExecContext(l.ctx, row(i)...); err != nil {
				return fmt.Errorf("store: load %s row %d: %w", table, i+1, err)
			}
		}
		return nil
	}
	if l.conn != nil {
		return l.copy(table, cols, n, row)
	}
	per := max(1, 30000/len(cols))
	var b strings.Builder
	vals := make([]any, 0, per*len(cols))
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		b.Reset()
		b.WriteString(head)
		vals = vals[:0]
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for j, v := range row(i) {
				if j > 0 {
					b.WriteByte(',')
				}
				vals = append(vals, v)
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(len(vals)))
			}
			b.WriteByte(')')
		}
		if _, err := l.tx.ExecContext(l.ctx, b.String(), vals...); err != nil {
			return fmt.Errorf("store: load %s rows %d–%d: %w", table, start+1, end, err)
		}
	}
	return nil
}

// Municipalities writes municipalities with their ids set.
func (l *Loader) Municipalities(ms []classifier.Municipality) error {
	return wrap("load municipalities", l.insert("municipality", []string{"id", "region_code", "name", "kind", "lat", "lon"}, len(ms), func(i int) []any {
		m := ms[i]
		return []any{m.ID, m.RegionCode, m.Name, m.Kind, m.Lat, m.Lon}
	}))
}

// Organisations writes organisations with their ids set.
func (l *Loader) Organisations(os []org.Organisation) error {
	return wrap("load organisations", l.insert("organisation", []string{"id", "region_code", "kind", "name", "short_name", "inn", "ogrn", "municipality_id",
		"address", "lat", "lon", "okved", "search_name", "created_at"}, len(os), func(i int) []any {
		o := os[i]
		return []any{o.ID, o.RegionCode, o.Kind, o.Name, o.ShortName, o.INN, o.OGRN, o.MunicipalityID,
			o.Address, o.Lat, o.Lon, o.OKVED, searchKey(o.Name), l.now}
	}))
}

// Learners writes learners with their ids set; Current is kept as the
// learner's current outcome. Once a load has added deferAfter learners and at
// least as many as the table held before, the learner's secondary indexes
// are dropped until the end of the load (the unique ones stay: lookups and
// duplicates need them). Readers are not held up on SQLite, where they read
// the last committed state; on PostgreSQL the dropped indexes lock the table
// against readers until the load commits.
func (l *Loader) Learners(ls []learner.Learner) error {
	if l.deferred == nil && l.added >= deferAfter && l.added >= l.before {
		if err := l.deferIndexes(); err != nil {
			return wrap("load learners", err)
		}
	}
	l.added += int64(len(ls))
	return wrap("load learners", l.insert("learner", []string{"id", "region_code", "last_name", "first_name", "middle_name", "sex", "birth_date", "snils",
		"status", "org_id", "municipality_id", "grade", "specialty_code", "course", "study_form", "graduation_year", "disability",
		"current_outcome", "outcome_6m", "outcome_12m", "external_id", "study_group", "search_name", "created_at", "updated_at", "avg_grade", "demo_exam",
		"status_next", "same_employer_12m"},
		len(ls), func(i int) []any {
			p := &ls[i]
			return []any{p.ID, p.RegionCode, p.LastName, p.FirstName, p.MiddleName, p.Sex, dateArg(p.BirthDate), nullText(p.SNILS),
				p.Status, p.OrgID, p.MunicipalityID, p.Grade, nullText(p.SpecialtyCode), p.Course, p.Form, p.GraduationYear, p.Disability,
				p.Current, p.After6, p.After12, nullText(p.ExternalID), p.Group, searchKey(p.LastName, p.FirstName, p.MiddleName), l.now, l.now,
				p.AvgGrade, p.DemoExam, dateArg(p.StatusNext), p.SameEmployer}
		}))
}

// deferIndexes drops the non-unique indexes of learner and keeps their
// definitions for rebuildIndexes; the catalog is their one source.
func (l *Loader) deferIndexes() error {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'learner'
		AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name`
	if l.s.engine == Postgres {
		q = `SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
			WHERE x.indrelid = 'learner'::regclass AND NOT x.indisunique ORDER BY c.relname`
	}
	var names []string
	if err := eachRowOp(l.ctx, l.tx, "learner indexes", q, nil, func(rows *sql.Rows) error {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return err
		}
		names = append(names, name)
		l.deferred = append(l.deferred, def)
		return nil
	}); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := l.tx.ExecContext(l.ctx, `DROP INDEX `+name); err != nil {
			return fmt.Errorf("store: defer index %s: %w", name, err)
		}
	}
	if l.deferred == nil {
		l.deferred = []string{}
	}
	return nil
}

// rebuildIndexes builds again the indexes deferIndexes dropped.
func (l *Loader) rebuildIndexes() error {
	if l.s.engine == Postgres && len(l.deferred) > 0 {
		if _, err := l.tx.ExecContext(l.ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
	}
	for _, def := range l.deferred {
		if _, err := l.tx.ExecContext(l.ctx, def); err != nil {
			return fmt.Errorf("store: rebuild index: %w", err)
		}
	}
	return nil
}

// Stages writes route stages with their ids set.
func (l *Loader) Stages(region string, st []learner.Stage) error {
	return wrap("load stages", l.insert("learner_stage", []string{"id", "region_code", "learner_id", "kind", "org_id", "specialty_code", "started_on", "ended_on", "note"},
		len(st), func(i int) []any {
			s := &st[i]
			return []any{s.ID, region, s.LearnerID, s.Kind, nullID(s.OrgID), nullText(s.SpecialtyCode), dateArg(s.Start), dateArg(s.End), s.Note}
		}))
}

// Outcomes writes employment outcomes with their ids set.
func (l *Loader) Outcomes(region string, os []learner.Outcome) error {
	return wrap("load outcomes", l.insert("outcome", []string{"id", "region_code", "learner_id", "status", "employer_id", "employer_name", "started_on", "ended_on",
		"source", "note", "created_at", "salary", "employer_inn"}, len(os), func(i int) []any {
		o := &os[i]
		return []any{o.ID, region, o.LearnerID, o.Status, nullID(o.EmployerID), o.EmployerName, dateArg(o.Start), dateArg(o.End),
			o.Source, o.Note, l.now, o.Salary, o.EmployerINN}
	}))
}

// FindLearners returns the stored learners of the region that carry any of keys,
// under every key they carry.
func (l *Loader) FindLearners(region string, keys []learner.Key) (map[learner.Key]learner.Learner, error) {
	out := map[learner.Key]learner.Learner{}
	var snils []string
	byOrg := map[int64][]string{}
	for _, k := range keys {
		if k.SNILS != "" {
			snils = append(snils, k.SNILS)
		} else if k.ExternalID != "" {
			byOrg[k.OrgID] = append(byOrg[k.OrgID], k.ExternalID)
		}
	}
	if l.s.engine == Postgres {
		// The planner's statistics know nothing of the rows this transaction
		// has added; to them a table being filled looks empty, and each lookup
		// would scan it whole. These lookups are by unique keys: use the index.
		if _, err := l.tx.ExecContext(l.ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return nil, wrap("find learners", err)
		}
		defer l.tx.ExecContext(l.ctx, `SET LOCAL enable_seqscan = on`)
	}
	find := func(cond string, a args) error {
		return eachRowOp(l.ctx, l.tx, "find learners", `SELECT `+learnerCols+learnerFrom+` WHERE l.region_code = `+a.add(region)+` AND `+cond, a, func(rows *sql.Rows) error {
			var p learner.Learner
			if err := scanLearner(rows, &p); err != nil {
				return err
			}
			if p.SNILS != "" {
				out[learner.Key{SNILS: p.SNILS}] = p
			}
			if p.ExternalID != "" {
				out[learner.Key{OrgID: p.OrgID, ExternalID: p.ExternalID}] = p
			}
			return nil
		})
	}
	for start := 0; start < len(snils); start += 500 {
		var a args
		ph := make([]string, 0, 500)
		for _, s := range snils[start:min(len(snils), start+500)] {
			ph = append(ph, a.add(s))
		}
		if err := find(`l.snils IN (`+strings.Join(ph, ", ")+`)`, a); err != nil {
			return nil, wrap("find learners", err)
		}
	}
	for org, ids := range byOrg {
		for start := 0; start < len(ids); start += 500 {
			var a args
			cond := `l.org_id = ` + a.add(org) + ` AND l.external_id IN (`
			for i, id := range ids[start:min(len(ids), start+500)] {
				if i > 0 {
					cond += ", "
				}
				cond += a.add(id)
			}
			if err := find(cond+`)`, a); err != nil {
				return nil, wrap("find learners", err)
			}
		}
	}
	return out, nil
}

// UpdateLearners rewrites learners by id and keeps their employment milestones
// in step with a changed status or graduation year.
func (l *Loader) UpdateLearners(ls []learner.Learner) error {
	if len(ls) == 0 {
		return nil
	}
	stmt, err := l.tx.PrepareContext(l.ctx, `UPDATE learner SET last_name = $1, first_name = $2, middle_name = $3, sex = $4,
		birth_date = $5, snils = $6, status = $7, org_id = $8, municipality_id = $9, grade = $10, specialty_code = $11, course = $12,
		study_form = $13, graduation_year = $14, disability = $15, external_id = $16, search_name = $17, updated_at = $18,
		study_group = $19 WHERE id = $20`)
	if err != nil {
		return wrap("update learners", err)
	}
	defer stmt.Close()
	for i := range ls {
		p := &ls[i]
		if _, err := stmt.ExecContext(l.ctx, p.LastName, p.FirstName, p.MiddleName, p.Sex, dateArg(p.BirthDate), nullText(p.SNILS), p.Status,
			p.OrgID, p.MunicipalityID, p.Grade, nullText(p.SpecialtyCode), p.Course, p.Form, p.GraduationYear, p.Disability,
			nullText(p.ExternalID), searchKey(p.LastName, p.FirstName, p.MiddleName), l.now, p.Group, p.ID); err != nil {
			return fmt.Errorf("store: update learner %d: %w", p.ID, err)
		}
		if err := l.s.updateMilestones(l.ctx, l.tx, p.ID); err != nil {
			return wrap("update learners", err)
		}
	}
	return nil
}
