package store

import (
	"context"
	"database/sql"
	"fmt"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/learner"
	"marshrut/internal/mentor"
	"marshrut/internal/org"
)

// Mentorship is scoped like learners: the region sees every programme,
// mentor and pair; an education organisation its own programmes and the
// mentors and pairs in them; an employer the mentors it employs and their
// pairs; a learner their own pairs. Nobody else sees any.

// educates reports whether the scope is an education organisation's.
func educates(sc auth.Scope) bool {
	return (sc.Role == auth.School || sc.Role == auth.College || sc.Role == auth.University) && sc.OrgID != 0
}

// programmeScope keeps a query on mentor_programme p within the caller's reach.
// An employer's or a learner's reach is found from their side (their
// mentors, their pairs), not asked of every programme or mentor.
func programmeScope(sc auth.Scope, a *args) string {
	region := `p.region_code = ` + a.add(sc.RegionCode)
	switch {
	case sc.WholeRegion():
		return region
	case educates(sc):
		return region + ` AND p.org_id = ` + a.add(sc.OrgID)
	case sc.Role == auth.Employer && sc.OrgID != 0:
		return region + ` AND p.org_id IN (SELECT sm.org_id FROM mentor sm WHERE sm.employer_id = ` + a.add(sc.OrgID) + `)`
	case sc.Own():
		return region + ` AND p.id IN (SELECT sx.programme_id FROM mentor_pair sx WHERE sx.learner_id = ` + a.add(sc.LearnerID) + `)`
	}
	return region + ` AND 1 = 0` // the region's argument is used: PostgreSQL refuses one left over
}

// mentorScope keeps a query on mentor m within the caller's reach.
func mentorScope(sc auth.Scope, a *args) string {
	region := `m.region_code = ` + a.add(sc.RegionCode)
	switch {
	case sc.WholeRegion():
		return region
	case educates(sc):
		return region + ` AND m.org_id = ` + a.add(sc.OrgID)
	case sc.Role == auth.Employer && sc.OrgID != 0:
		return region + ` AND m.employer_id = ` + a.add(sc.OrgID)
	case sc.Own():
		return region + ` AND m.id IN (SELECT sx.mentor_id FROM mentor_pair sx WHERE sx.learner_id = ` + a.add(sc.LearnerID) + `)`
	}
	return region + ` AND 1 = 0` // the region's argument is used: PostgreSQL refuses one left over
}

// pairScope keeps a query on mentor_pair x with its programme p and mentor m
// within the caller's reach.
func pairScope(sc auth.Scope, a *args) string {
	region := `x.region_code = ` + a.add(sc.RegionCode)
	switch {
	case sc.WholeRegion():
		return region
	case educates(sc):
		return region + ` AND p.org_id = ` + a.add(sc.OrgID)
	case sc.Role == auth.Employer && sc.OrgID != 0:
		return region + ` AND m.employer_id = ` + a.add(sc.OrgID)
	case sc.Own():
		return region + ` AND x.learner_id = ` + a.add(sc.LearnerID)
	}
	return region + ` AND 1 = 0` // the region's argument is used: PostgreSQL refuses one left over
}

const programmeCols = `p.id, p.region_code, p.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), p.form, p.title, p.year, p.created_at,
	(SELECT count(*) FROM mentor_pair c WHERE c.programme_id = p.id),
	(SELECT count(*) FROM mentor_pair c WHERE c.programme_id = p.id AND c.status = 'active')`

const programmeFrom = ` FROM mentor_programme p JOIN organisation o ON o.id = p.org_id`

func scanProgramme(r interface{ Scan(...any) error }, p *mentor.Programme) error {
	return r.Scan(&p.ID, &p.RegionCode, &p.OrgID, &p.OrgName, &p.Form, &p.Title, &p.Year, timeScan{&p.CreatedAt}, &p.Pairs, &p.Active)
}

// orgKind returns the kind of an organisation of the region; an organisation
// of another region is as missing.
func orgKind(ctx context.Context, db querier, region string, id int64) (org.Kind, error) {
	var k org.Kind
	err := db.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, id, region).Scan(&k)
	if noRows(err) {
		return "", nil
	}
	return k, err
}

// SaveProgramme creates a programme (ID 0) or rewrites one the caller sees;
// its organisation must be an education organisation of the region.
func (s *Mentorship) SaveProgramme(ctx context.Context, sc auth.Scope, p *mentor.Programme) error {
	return wrap("save programme", s.tx(ctx, func(tx *sql.Tx) error {
		k, err := orgKind(ctx, tx, p.RegionCode, p.OrgID)
		if err != nil {
			return err
		}
		if !k.Educates() {
			return apperr.Field("org_id", "программу наставничества ведёт школа, колледж или вуз региона")
		}
		if p.ID == 0 {
			p.CreatedAt = s.now()
			return tx.QueryRowContext(ctx, `INSERT INTO mentor_programme (region_code, org_id, form, title, year, created_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, p.RegionCode, p.OrgID, p.Form, p.Title, p.Year, tsArg(p.CreatedAt)).Scan(&p.ID)
		}
		// The programme's organisation and form count in pair_tally for its
		// pairs: out before, in after.
		if err := keepPairs(ctx, tx, `x.programme_id = $1`, args{p.ID}, -1); err != nil {
			return err
		}
		var a args
		q := `UPDATE mentor_programme SET org_id = ` + a.add(p.OrgID) + `, form = ` + a.add(p.Form) + `, title = ` + a.add(p.Title) +
			`, year = ` + a.add(p.Year) + ` WHERE id = ` + a.add(p.ID) + ` AND id IN (SELECT p.id FROM mentor_programme p WHERE ` + programmeScope(sc, &a) + `)`
		res, err := tx.ExecContext(ctx, q, a...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "программа наставничества не найдена")
		}
		return keepPairs(ctx, tx, `x.programme_id = $1`, args{p.ID}, 1)
	}))
}

// Programme returns a programme the caller sees.
func (s *Mentorship) Programme(ctx context.Context, sc auth.Scope, id int64) (mentor.Programme, error) {
	p, err := programme(ctx, s.read, sc, id)
	return p, wrap("programme", err)
}

func programme(ctx context.Context, db querier, sc auth.Scope, id int64) (mentor.Programme, error) {
	var p mentor.Programme
	var a args
	err := scanProgramme(db.QueryRowContext(ctx, `SELECT `+programmeCols+programmeFrom+` WHERE p.id = `+a.add(id)+` AND `+programmeScope(sc, &a), a...), &p)
	return p, notFound(err, "программа наставничества не найдена")
}

// Programmes lists the programmes the caller sees, newest first.
func (s *Mentorship) Programmes(ctx context.Context, sc auth.Scope) ([]mentor.Programme, error) {
	var a args
	return list(ctx, s.read, "programmes", `SELECT `+programmeCols+programmeFrom+` WHERE `+programmeScope(sc, &a)+` ORDER BY p.year DESC, o.name, p.title`, a, scanner(scanProgramme))
}

const mentorCols = `m.id, m.region_code, m.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), COALESCE(m.employer_id, 0), COALESCE(e.name, ''),
	m.kind, m.full_name, m.position, COALESCE(m.specialty_code, ''), COALESCE(sp.name, ''), m.capacity, m.active, m.created_at,
	(SELECT count(*) FROM mentor_pair c WHERE c.mentor_id = m.id AND c.status = 'active')`

const mentorFrom = ` FROM mentor m JOIN organisation o ON o.id = m.org_id LEFT JOIN organisation e ON e.id = m.employer_id
	LEFT JOIN specialty sp ON sp.code = m.specialty_code`

func scanMentor(r interface{ Scan(...any) error }, m *mentor.Mentor) error {
	return r.Scan(&m.ID, &m.RegionCode, &m.OrgID, &m.OrgName, &m.EmployerID, &m.EmployerName, &m.Kind, &m.FullName, &m.Position,
		&m.SpecialtyCode, &m.SpecialtyName, &m.Capacity, &m.Active, timeScan{&m.CreatedAt}, &m.Load)
}

// SaveMentor creates a mentor (ID 0) or rewrites one the caller sees
// (UpdateMentor). The organisation must be an education organisation of the
// region and the enterprise, when there is one, an employer of the region.
func (s *Mentorship) SaveMentor(ctx context.Context, sc auth.Scope, m *mentor.Mentor) error {
	if m.ID != 0 {
		return s.UpdateMentor(ctx, sc, m, func(mentor.Mentor) error { return nil })
	}
	return wrap("save mentor", s.tx(ctx, func(tx *sql.Tx) error {
		if err := mentorOrgs(ctx, tx, m); err != nil {
			return err
		}
		m.CreatedAt, m.Active = s.now(), true
		err := tx.QueryRowContext(ctx, `INSERT INTO mentor (region_code, org_id, employer_id, kind, full_name, position, specialty_code, capacity, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, m.RegionCode, m.OrgID, nullID(m.EmployerID), m.Kind, m.FullName,
			m.Position, nullText(m.SpecialtyCode), m.Capacity, m.Active, tsArg(m.CreatedAt)).Scan(&m.ID)
		if isForeignKeyViolation(err) {
			return apperr.Field("specialty_code", "специальность %s не найдена в справочнике ОКСО", m.SpecialtyCode)
		}
		return err
	}))
}

// mentorOrgs checks the organisations of a mentor: an education organisation
// of the region, and an employer of the region as the enterprise.
func mentorOrgs(ctx context.Context, tx *sql.Tx, m *mentor.Mentor) error {
	var errs apperr.List
	if k, err := orgKind(ctx, tx, m.RegionCode, m.OrgID); err != nil {
		return err
	} else if !k.Educates() {
		errs.Add("org_id", "наставник закрепляется за школой, колледжем или вузом региона")
	}
	if m.EmployerID != 0 {
		if k, err := orgKind(ctx, tx, m.RegionCode, m.EmployerID); err != nil {
			return err
		} else if k != org.Employer {
			errs.Add("employer_id", "предприятие наставника должно быть работодателем региона")
		}
	}
	return errs.Err()
}

// UpdateMentor rewrites a mentor the caller sees, in one transaction with
// the record of the changed fields: it reads the mentor with their active
// pairs, lets check refuse, writes and reads the mentor back.
func (s *Mentorship) UpdateMentor(ctx context.Context, sc auth.Scope, m *mentor.Mentor, check func(old mentor.Mentor) error) error {
	return wrap("update mentor", s.tx(ctx, func(tx *sql.Tx) error {
		before, err := mentorOf(ctx, tx, sc, m.ID)
		if err != nil {
			return err
		}
		var a args
		if err := check(before); err != nil {
			return err
		}
		if err := mentorOrgs(ctx, tx, m); err != nil {
			return err
		}
		// Whether a mentor is of an enterprise counts in mentor_tally for
		// the mentees of their active pairs: out before, in after.
		mentees := `l.id IN (SELECT x.learner_id FROM mentor_pair x WHERE x.mentor_id = ` + a.add(m.ID) + ` AND x.status = 'active')`
		if err := keepMentored(ctx, tx, mentees, a, -1); err != nil {
			return err
		}

		_, err = tx.ExecContext(ctx, `UPDATE mentor SET org_id = $1, employer_id = $2, kind = $3, full_name = $4, position = $5,
			specialty_code = $6, capacity = $7, active = $8 WHERE id = $9 AND region_code = $10`,
			m.OrgID, nullID(m.EmployerID), m.Kind, m.FullName, m.Position, nullText(m.SpecialtyCode), m.Capacity, m.Active, m.ID, before.RegionCode)
		if isForeignKeyViolation(err) {
			return apperr.Field("specialty_code", "специальность %s не найдена в справочнике ОКСО", m.SpecialtyCode)
		}
		if err != nil {
			return err
		}
		if err := keepMentored(ctx, tx, mentees, a, 1); err != nil {
			return err
		}

		// Read back in the region: the edit may move the mentor out of the
		// editor's own reach (an employer's mentor to another college).
		after, err := mentorOf(ctx, tx, auth.SystemScope(before.RegionCode), m.ID)
		if err != nil {
			return err
		}
		*m = after
		return s.recordEdit(ctx, tx, before.RegionCode, history.Mentor, m.ID, mentor.Changes(before, after))
	}))
}

// Mentor returns a mentor the caller sees, with the active pairs as Load.
func (s *Mentorship) Mentor(ctx context.Context, sc auth.Scope, id int64) (mentor.Mentor, error) {
	m, err := mentorOf(ctx, s.read, sc, id)
	return m, wrap("mentor", err)
}

func mentorOf(ctx context.Context, db querier, sc auth.Scope, id int64) (mentor.Mentor, error) {
	var m mentor.Mentor
	var a args
	err := scanMentor(db.QueryRowContext(ctx, `SELECT `+mentorCols+mentorFrom+` WHERE m.id = `+a.add(id)+` AND `+mentorScope(sc, &a), a...), &m)
	return m, notFound(err, "наставник не найден")
}

// Mentors returns a page of the mentors the caller sees and their total.
func (s *Mentorship) Mentors(ctx context.Context, sc auth.Scope, f mentor.MentorFilter) ([]mentor.Mentor, int, error) {
	var a args
	where := mentorScope(sc, &a)
	if f.OrgID != 0 {
		where += ` AND m.org_id = ` + a.add(f.OrgID)
	}
	if f.EmployerID != 0 {
		where += ` AND m.employer_id = ` + a.add(f.EmployerID)
	}
	return page(ctx, s.db, s.read, listPage{op: "mentors", cols: mentorCols, from: mentorFrom, countFrom: ` FROM mentor m`, where: where,
		order: `m.active DESC, m.full_name, m.id`, limit: f.Limit, offset: f.Offset}, a, scanner(scanMentor))
}

// MentorLearners returns, for the demo, the region's full-time students and
// last years' graduates of colleges and universities, with the enterprise of
// each one's latest practice.
func (l *Loader) MentorLearners(region string) ([]learner.Learner, map[int64]int64, error) {
	out, err := list(l.ctx, l.tx, "mentor learners", `SELECT `+learnerCols+learnerFrom+` WHERE l.region_code = $1 AND l.study_form = 'full_time'
		AND l.status IN ('student', 'graduate') ORDER BY l.id`, args{region}, func(rows *sql.Rows) (p learner.Learner, err error) {
		err = scanLearner(rows, &p)
		return p, err
	})
	if err != nil {
		return nil, nil, wrap("mentor learners", err)
	}
	practice := map[int64]int64{}
	if err := eachRowOp(l.ctx, l.tx, "practice", `SELECT learner_id, org_id FROM learner_stage WHERE region_code = $1 AND kind = 'practice' AND org_id IS NOT NULL
		ORDER BY started_on`, args{region}, func(rows *sql.Rows) error {
		var id, org int64
		if err := rows.Scan(&id, &org); err != nil {
			return err
		}
		practice[id] = org
		return nil
	}); err != nil {
		return nil, nil, wrap("mentor learners", err)
	}
	return out, practice, nil
}

// maxID is the largest id of one of the tables the demo fills.
func (l *Loader) maxID(table string) (int64, error) {
	var id int64
	err := l.tx.QueryRowContext(l.ctx, `SELECT COALESCE(max(id), 0) FROM `+table).Scan(&id)
	return id, err
}

// resetSequence moves PostgreSQL's identity sequence of table past the ids set by hand.
func (l *Loader) resetSequence(table string) error {
	if l.s.engine != Postgres {
		return nil
	}
	_, err := l.tx.ExecContext(l.ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), COALESCE((SELECT max(id) FROM `+table+`), 0) + 1, false)`)
	return err
}

// Mentorship writes, for the demo, programmes, mentors, pairs, meetings and
// feedback; their ids are given here, after the ones in the tables.
func (l *Loader) Mentorship(ps []mentor.Programme, ms []mentor.Mentor, pairs []mentor.Pair, meetings []mentor.Meeting, fb []mentor.Feedback) error {
	base := map[string]int64{}
	for _, t := range []string{"mentor_programme", "mentor", "mentor_pair", "mentor_meeting", "mentor_feedback"} {
		n, err := l.maxID(t)
		if err != nil {
			return wrap("load mentorship", err)
		}
		base[t] = n
	}
	err := l.insert("mentor_programme", []string{"id", "region_code", "org_id", "form", "title", "year", "created_at"}, len(ps), func(i int) []any {
		p := ps[i]
		return []any{base["mentor_programme"] + p.ID, p.RegionCode, p.OrgID, p.Form, p.Title, p.Year, l.now}
	})
	if err == nil {
		err = l.insert("mentor", []string{"id", "region_code", "org_id", "employer_id", "kind", "full_name", "position", "specialty_code", "capacity", "active", "created_at"},
			len(ms), func(i int) []any {
				m := ms[i]
				return []any{base["mentor"] + m.ID, m.RegionCode, m.OrgID, nullID(m.EmployerID), m.Kind, m.FullName, m.Position, nullText(m.SpecialtyCode), m.Capacity, m.Active, l.now}
			})
	}
	// The mentees' parts in mentor_tally: out before their pairs, in after.
	var mentees []int64
	for _, p := range pairs {
		if p.LearnerID != 0 {
			mentees = append(mentees, p.LearnerID)
		}
	}
	if err == nil {
		err = keepMentoredIDs(l.ctx, l.tx, mentees, -1)
	}
	if err == nil {
		err = l.insert("mentor_pair", []string{"id", "region_code", "programme_id", "mentor_id", "learner_id", "mentee_name", "start_on", "planned_end", "end_on",
			"end_reason", "goals", "status", "created_at"}, len(pairs), func(i int) []any {
			p := pairs[i]
			return []any{base["mentor_pair"] + p.ID, p.RegionCode, base["mentor_programme"] + p.ProgrammeID, base["mentor"] + p.MentorID, nullID(p.LearnerID),
				menteeText(p), dateArg(p.Start), dateArg(p.PlannedEnd), dateArg(p.End), p.EndReason, p.Goals, p.Status, tsArg(p.CreatedAt)}
		})
	}
	if err == nil {
		err = keepMentoredIDs(l.ctx, l.tx, mentees, 1)
	}
	if err == nil {
		err = l.insert("mentor_meeting", []string{"id", "pair_id", "held_on", "minutes", "topic", "note", "created_at"}, len(meetings), func(i int) []any {
			m := meetings[i]
			return []any{base["mentor_meeting"] + int64(i) + 1, base["mentor_pair"] + m.PairID, dateArg(m.HeldOn), m.Minutes, m.Topic, m.Note, l.now}
		})
	}
	if err == nil {
		err = l.insert("mentor_feedback", []string{"id", "pair_id", "side", "rating", "comment", "at"}, len(fb), func(i int) []any {
			f := fb[i]
			return []any{base["mentor_feedback"] + int64(i) + 1, base["mentor_pair"] + f.PairID, f.Side, f.Rating, f.Comment, tsArg(f.At)}
		})
	}
	if err == nil {
		// The loaded pairs, with their meetings, into pair_tally.
		err = keepPairs(l.ctx, l.tx, `x.id > $1`, args{base["mentor_pair"]}, 1)
	}
	if err != nil {
		return wrap("load mentorship", err)
	}
	for _, t := range []string{"mentor_programme", "mentor", "mentor_pair", "mentor_meeting", "mentor_feedback"} {
		if err := l.resetSequence(t); err != nil {
			return fmt.Errorf("store: reset sequence of %s: %w", t, err)
		}
	}
	return nil
}
