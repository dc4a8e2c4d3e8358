package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
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
func programmeScope(sc auth.Scope, a *args) string {
	region := `p.region_code = ` + a.add(sc.RegionCode)
	switch {
	case sc.WholeRegion():
		return region
	case educates(sc):
		return region + ` AND p.org_id = ` + a.add(sc.OrgID)
	case sc.Role == auth.Employer && sc.OrgID != 0:
		return region + ` AND EXISTS (SELECT 1 FROM mentor sm WHERE sm.org_id = p.org_id AND sm.employer_id = ` + a.add(sc.OrgID) + `)`
	case sc.Own():
		return region + ` AND EXISTS (SELECT 1 FROM mentor_pair sx WHERE sx.programme_id = p.id AND sx.learner_id = ` + a.add(sc.LearnerID) + `)`
	}
	return `1 = 0`
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
		return region + ` AND EXISTS (SELECT 1 FROM mentor_pair sx WHERE sx.mentor_id = m.id AND sx.learner_id = ` + a.add(sc.LearnerID) + `)`
	}
	return `1 = 0`
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
	return `1 = 0`
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
	if err == sql.ErrNoRows {
		return "", nil
	}
	return k, err
}

// SaveProgramme creates a programme (ID 0) or rewrites one the caller sees;
// its organisation must be an education organisation of the region.
func (s *Store) SaveProgramme(ctx context.Context, sc auth.Scope, p *mentor.Programme) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
		return nil
	})
}

// Programme returns a programme the caller sees.
func (s *Store) Programme(ctx context.Context, sc auth.Scope, id int64) (mentor.Programme, error) {
	return programme(ctx, s.read, sc, id)
}

func programme(ctx context.Context, db querier, sc auth.Scope, id int64) (mentor.Programme, error) {
	var p mentor.Programme
	var a args
	err := scanProgramme(db.QueryRowContext(ctx, `SELECT `+programmeCols+programmeFrom+` WHERE p.id = `+a.add(id)+` AND `+programmeScope(sc, &a), a...), &p)
	return p, notFound(err, "программа наставничества не найдена")
}

// Programmes lists the programmes the caller sees, newest first.
func (s *Store) Programmes(ctx context.Context, sc auth.Scope) ([]mentor.Programme, error) {
	var a args
	rows, err := s.read.QueryContext(ctx, `SELECT `+programmeCols+programmeFrom+` WHERE `+programmeScope(sc, &a)+` ORDER BY p.year DESC, o.name, p.title`, a...)
	if err != nil {
		return nil, fmt.Errorf("store: programmes: %w", err)
	}
	defer rows.Close()
	var out []mentor.Programme
	for rows.Next() {
		var p mentor.Programme
		if err := scanProgramme(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
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

// SaveMentor creates a mentor (ID 0) or rewrites one the caller sees. The
// organisation must be an education organisation of the region and the
// enterprise, when there is one, an employer of the region.
func (s *Store) SaveMentor(ctx context.Context, sc auth.Scope, m *mentor.Mentor) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
		if err := errs.Err(); err != nil {
			return err
		}
		var err error
		if m.ID == 0 {
			m.CreatedAt, m.Active = s.now(), true
			err = tx.QueryRowContext(ctx, `INSERT INTO mentor (region_code, org_id, employer_id, kind, full_name, position, specialty_code, capacity, active, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, m.RegionCode, m.OrgID, nullID(m.EmployerID), m.Kind, m.FullName,
				m.Position, nullText(m.SpecialtyCode), m.Capacity, m.Active, tsArg(m.CreatedAt)).Scan(&m.ID)
		} else {
			var a args
			q := `UPDATE mentor SET org_id = ` + a.add(m.OrgID) + `, employer_id = ` + a.add(nullID(m.EmployerID)) + `, kind = ` + a.add(m.Kind) +
				`, full_name = ` + a.add(m.FullName) + `, position = ` + a.add(m.Position) + `, specialty_code = ` + a.add(nullText(m.SpecialtyCode)) +
				`, capacity = ` + a.add(m.Capacity) + `, active = ` + a.add(m.Active) + ` WHERE id = ` + a.add(m.ID) +
				` AND id IN (SELECT m.id FROM mentor m WHERE ` + mentorScope(sc, &a) + `)`
			var res sql.Result
			if res, err = tx.ExecContext(ctx, q, a...); err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return apperr.New(apperr.NotFound, "наставник не найден")
				}
			}
		}
		if isForeignKeyViolation(err) {
			return apperr.Field("specialty_code", "специальность %s не найдена в справочнике ОКСО", m.SpecialtyCode)
		}
		return err
	})
}

// Mentor returns a mentor the caller sees, with the active pairs as Load.
func (s *Store) Mentor(ctx context.Context, sc auth.Scope, id int64) (mentor.Mentor, error) {
	return mentorOf(ctx, s.read, sc, id)
}

func mentorOf(ctx context.Context, db querier, sc auth.Scope, id int64) (mentor.Mentor, error) {
	var m mentor.Mentor
	var a args
	err := scanMentor(db.QueryRowContext(ctx, `SELECT `+mentorCols+mentorFrom+` WHERE m.id = `+a.add(id)+` AND `+mentorScope(sc, &a), a...), &m)
	return m, notFound(err, "наставник не найден")
}

// Mentors returns a page of the mentors the caller sees and their total.
func (s *Store) Mentors(ctx context.Context, sc auth.Scope, f mentor.MentorFilter) ([]mentor.Mentor, int, error) {
	var a args
	where := mentorScope(sc, &a)
	if f.OrgID != 0 {
		where += ` AND m.org_id = ` + a.add(f.OrgID)
	}
	if f.EmployerID != 0 {
		where += ` AND m.employer_id = ` + a.add(f.EmployerID)
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM mentor m WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: mentors: %w", err)
	}
	q := `SELECT ` + mentorCols + mentorFrom + ` WHERE ` + where + ` ORDER BY m.active DESC, m.full_name, m.id`
	if f.Limit > 0 {
		q += ` LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	}
	rows, err := s.read.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: mentors: %w", err)
	}
	defer rows.Close()
	var out []mentor.Mentor
	for rows.Next() {
		var m mentor.Mentor
		if err := scanMentor(rows, &m); err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

const pairCols = `x.id, x.region_code, x.programme_id, p.form, p.org_id, x.mentor_id, m.full_name, COALESCE(m.employer_id, 0), COALESCE(e.name, ''),
	COALESCE(x.learner_id, 0), COALESCE(l.last_name || ' ' || l.first_name || ' ' || l.middle_name, x.mentee_name), x.start_on, x.planned_end,
	x.end_on, x.end_reason, x.goals, x.status, COALESCE(x.created_by, 0), x.created_at,
	(SELECT count(*) FROM mentor_meeting mt WHERE mt.pair_id = x.id)`

const pairFrom = ` FROM mentor_pair x JOIN mentor_programme p ON p.id = x.programme_id JOIN mentor m ON m.id = x.mentor_id
	LEFT JOIN organisation e ON e.id = m.employer_id LEFT JOIN learner l ON l.id = x.learner_id`

func scanPair(r interface{ Scan(...any) error }, p *mentor.Pair) error {
	err := r.Scan(&p.ID, &p.RegionCode, &p.ProgrammeID, &p.Form, &p.OrgID, &p.MentorID, &p.Mentor, &p.EmployerID, &p.Employer,
		&p.LearnerID, &p.MenteeName, timeScan{&p.Start}, timeScan{&p.PlannedEnd}, timeScan{&p.End}, &p.EndReason, &p.Goals, &p.Status,
		&p.CreatedBy, timeScan{&p.CreatedAt}, &p.Meetings)
	p.MenteeName = strings.Join(strings.Fields(p.MenteeName), " ")
	return err
}

func pairOf(ctx context.Context, db querier, sc auth.Scope, id int64) (mentor.Pair, error) {
	var p mentor.Pair
	var a args
	err := scanPair(db.QueryRowContext(ctx, `SELECT `+pairCols+pairFrom+` WHERE x.id = `+a.add(id)+` AND `+pairScope(sc, &a), a...), &p)
	return p, notFound(err, "наставническая пара не найдена")
}

// mentee reads a learner the caller sees for the rules of a pair.
func mentee(ctx context.Context, tx *sql.Tx, sc auth.Scope, id int64) (mentor.Mentee, error) {
	var e mentor.Mentee
	var a args
	var spec sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT l.id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, l.org_id, l.status, l.study_form, l.specialty_code
		FROM learner l WHERE l.id = `+a.add(id)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&e.ID, &e.Name, &e.OrgID, &e.Status, &e.Form, &spec)
	e.Name, e.Specialty = strings.Join(strings.Fields(e.Name), " "), spec.String
	if err == sql.ErrNoRows {
		return e, errLearnerNotFound
	}
	return e, err
}

// CreatePairs writes new pairs in one transaction. Each pair's programme,
// mentor and learner are read within the caller's scope — one outside it is
// NotFound — and check judges the pair on them, the mentor's load counting
// the pairs written before it; one refusal writes nothing.
func (s *Store) CreatePairs(ctx context.Context, sc auth.Scope, ps []mentor.Pair, check func(*mentor.Pair, mentor.Reach) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for i := range ps {
			p := &ps[i]
			var r mentor.Reach
			var err error
			if r.Programme, err = programme(ctx, tx, sc, p.ProgrammeID); err != nil {
				return err
			}
			if r.Mentor, err = mentorOf(ctx, tx, sc, p.MentorID); err != nil {
				return err
			}
			if p.LearnerID != 0 {
				e, err := mentee(ctx, tx, sc, p.LearnerID)
				if err != nil {
					return err
				}
				r.Mentee = &e
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mentor_pair WHERE programme_id = $1 AND learner_id = $2 AND status = 'active'`,
					p.ProgrammeID, p.LearnerID).Scan(&n); err != nil {
					return err
				}
				r.Busy = n > 0
			}
			if err := check(p, r); err != nil {
				if len(ps) > 1 {
					return prefix(err, fmt.Sprintf("пара %d из %d", i+1, len(ps)))
				}
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO mentor_pair (region_code, programme_id, mentor_id, learner_id, mentee_name, start_on, planned_end,
				goals, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
				p.RegionCode, p.ProgrammeID, p.MentorID, nullID(p.LearnerID), menteeText(*p), dateArg(p.Start), dateArg(p.PlannedEnd),
				p.Goals, p.Status, nullID(p.CreatedBy), tsArg(p.CreatedAt)).Scan(&p.ID)
			if isUniqueViolation(err) {
				return apperr.New(apperr.Conflict, "у обучающегося уже есть действующий наставник в этой программе")
			}
			if err != nil {
				return err
			}
			p.Mentor = r.Mentor.FullName
		}
		return nil
	})
}

// menteeText is what the pair keeps of the mentee's name: nothing for a
// learner, whose name stays in the learner's record alone.
func menteeText(p mentor.Pair) string {
	if p.LearnerID != 0 {
		return ""
	}
	return p.MenteeName
}

// prefix puts where into the message of a displayable error.
func prefix(err error, where string) error {
	if e, ok := err.(*apperr.Error); ok {
		return &apperr.Error{Code: e.Code, Field: e.Field, Message: where + ": " + e.Message, Err: e.Err}
	}
	return err
}

// Pair returns a pair the caller sees.
func (s *Store) Pair(ctx context.Context, sc auth.Scope, id int64) (mentor.Pair, error) {
	return pairOf(ctx, s.read, sc, id)
}

// Pairs returns a page of the pairs the caller sees and their total, the
// active first, newest first.
func (s *Store) Pairs(ctx context.Context, sc auth.Scope, f mentor.PairFilter) ([]mentor.Pair, int, error) {
	var a args
	where := pairScope(sc, &a)
	if f.ProgrammeID != 0 {
		where += ` AND x.programme_id = ` + a.add(f.ProgrammeID)
	}
	if f.MentorID != 0 {
		where += ` AND x.mentor_id = ` + a.add(f.MentorID)
	}
	if f.LearnerID != 0 {
		where += ` AND x.learner_id = ` + a.add(f.LearnerID)
	}
	if f.Status != "" {
		where += ` AND x.status = ` + a.add(f.Status)
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM mentor_pair x JOIN mentor_programme p ON p.id = x.programme_id
		JOIN mentor m ON m.id = x.mentor_id WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: pairs: %w", err)
	}
	q := `SELECT ` + pairCols + pairFrom + ` WHERE ` + where + ` ORDER BY CASE WHEN x.status = 'active' THEN 0 ELSE 1 END, x.start_on DESC, x.id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	}
	rows, err := s.read.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: pairs: %w", err)
	}
	defer rows.Close()
	var out []mentor.Pair
	for rows.Next() {
		var p mentor.Pair
		if err := scanPair(rows, &p); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// FinishPair ends a pair the caller sees in one transaction through finish.
func (s *Store) FinishPair(ctx context.Context, sc auth.Scope, id int64, finish func(*mentor.Pair) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := pairOf(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := finish(&p); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE mentor_pair SET status = $1, end_on = $2, end_reason = $3 WHERE id = $4`,
			p.Status, dateArg(p.End), p.EndReason, id)
		return err
	})
}

// AddMeeting logs a meeting of a pair the caller sees after check has passed it.
func (s *Store) AddMeeting(ctx context.Context, sc auth.Scope, m *mentor.Meeting, check func(mentor.Pair) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := pairOf(ctx, tx, sc, m.PairID)
		if err != nil {
			return err
		}
		if err := check(p); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO mentor_meeting (pair_id, held_on, minutes, topic, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, m.PairID, dateArg(m.HeldOn), m.Minutes, m.Topic, m.Note,
			nullID(sc.UserID), tsArg(s.now())).Scan(&m.ID)
	})
}

// Meetings lists the meetings of a pair the caller sees, latest first.
func (s *Store) Meetings(ctx context.Context, sc auth.Scope, pairID int64) ([]mentor.Meeting, error) {
	if _, err := pairOf(ctx, s.read, sc, pairID); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, pair_id, held_on, minutes, topic, note FROM mentor_meeting WHERE pair_id = $1 ORDER BY held_on DESC, id DESC`, pairID)
	if err != nil {
		return nil, fmt.Errorf("store: meetings: %w", err)
	}
	defer rows.Close()
	var out []mentor.Meeting
	for rows.Next() {
		var m mentor.Meeting
		if err := rows.Scan(&m.ID, &m.PairID, timeScan{&m.HeldOn}, &m.Minutes, &m.Topic, &m.Note); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddFeedback records feedback on a pair the caller sees.
func (s *Store) AddFeedback(ctx context.Context, sc auth.Scope, f *mentor.Feedback) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := pairOf(ctx, tx, sc, f.PairID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO mentor_feedback (pair_id, side, rating, comment, created_by, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			f.PairID, f.Side, f.Rating, f.Comment, nullID(sc.UserID), tsArg(f.At)).Scan(&f.ID)
	})
}

// Feedback lists the feedback on a pair the caller sees, latest first.
func (s *Store) Feedback(ctx context.Context, sc auth.Scope, pairID int64) ([]mentor.Feedback, error) {
	if _, err := pairOf(ctx, s.read, sc, pairID); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, pair_id, side, rating, comment, at FROM mentor_feedback WHERE pair_id = $1 ORDER BY at DESC, id DESC`, pairID)
	if err != nil {
		return nil, fmt.Errorf("store: feedback: %w", err)
	}
	defer rows.Close()
	var out []mentor.Feedback
	for rows.Next() {
		var f mentor.Feedback
		if err := rows.Scan(&f.ID, &f.PairID, &f.Side, &f.Rating, &f.Comment, timeScan{&f.At}); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// candidateLimit bounds the candidates of one run of proposals.
const candidateLimit = 5000

// MentorCandidates lists the learners the caller sees whom the programme's form
// may mentor and who have no active pair: full-time students (and pupils
// where the form takes them) of the programme's organisation, or for
// student–pupil the pupils of grades 8–11 of its municipality. Each comes
// with the enterprise of their latest practice.
func (s *Store) MentorCandidates(ctx context.Context, sc auth.Scope, prog mentor.Programme) ([]mentor.Candidate, error) {
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
	rows, err := s.read.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("store: candidates: %w", err)
	}
	defer rows.Close()
	var out []mentor.Candidate
	for rows.Next() {
		var c mentor.Candidate
		if err := rows.Scan(&c.LearnerID, &c.Name, &c.OrgID, &c.SpecialtyCode, &c.Course, &c.PracticeEmployerID); err != nil {
			return nil, err
		}
		c.Name = strings.Join(strings.Fields(c.Name), " ")
		out = append(out, c)
	}
	return out, rows.Err()
}

// MentorshipCounts counts, within the scope, the full-time students and
// those with an active mentor by organisation and municipality of residence,
// the pairs and their meetings by form and status, and the employment six
// months after graduation of the year's graduates who had a pair and of the rest.
func (s *Store) MentorshipCounts(ctx context.Context, sc auth.Scope, year int) (mentor.Counts, error) {
	var c mentor.Counts
	if !sc.SeesPersons() {
		sc = auth.SystemScope(sc.RegionCode)
	}
	if err := s.coverageCounts(ctx, sc, &c); err != nil {
		return c, err
	}
	if err := s.pairCounts(ctx, sc, &c); err != nil {
		return c, err
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
		return c, err
	}
	var a args
	q := `SELECT CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id) THEN 1 ELSE 0 END, count(*),
		COALESCE(sum(CASE WHEN l.outcome_6m IN ` + positive + ` THEN 1 ELSE 0 END), 0)
		FROM learner l WHERE ` + learnerScope(sc, "l", &a) + ` AND l.status = 'graduate' AND l.graduation_year = ` + a.add(year) + ` GROUP BY 1`
	rows, err := s.read.QueryContext(ctx, q, a...)
	if err != nil {
		return c, fmt.Errorf("store: mentored graduates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var mentored int
		var g mentor.Graduates
		if err := rows.Scan(&mentored, &g.Graduates, &g.Employed); err != nil {
			return c, err
		}
		if mentored == 1 {
			c.Mentored = g
		} else {
			c.Rest = g
		}
	}
	return c, rows.Err()
}

// mentorStrata counts the year's graduates of a known status by specialty,
// organisation, band of grades (learner.GradeBand) and mentorship.
func (s *Store) mentorStrata(ctx context.Context, sc auth.Scope, year int, c *mentor.Counts) error {
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

func (s *Store) coverageCounts(ctx context.Context, sc auth.Scope, c *mentor.Counts) error {
	var a args
	q := `SELECT l.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), l.municipality_id, mu.name, count(*),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id AND x.status = 'active') THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
			WHERE x.learner_id = l.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END), 0)
		FROM learner l JOIN organisation o ON o.id = l.org_id JOIN municipality mu ON mu.id = l.municipality_id
		WHERE ` + learnerScope(sc, "l", &a) + ` AND l.status = 'student' AND l.study_form = 'full_time'
		GROUP BY l.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), l.municipality_id, mu.name`
	rows, err := s.read.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("store: mentorship coverage: %w", err)
	}
	defer rows.Close()
	byOrg, byMuni := map[int64]*mentor.Coverage{}, map[int64]*mentor.Coverage{}
	var orgs, munis []int64
	for rows.Next() {
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
	}
	for _, id := range orgs {
		c.ByOrg = append(c.ByOrg, *byOrg[id])
	}
	for _, id := range munis {
		c.ByMunicipality = append(c.ByMunicipality, *byMuni[id])
	}
	return rows.Err()
}

func (s *Store) pairCounts(ctx context.Context, sc auth.Scope, c *mentor.Counts) error {
	var a args
	q := `SELECT p.form, x.status, count(*), COALESCE(sum(mt.n), 0)
		FROM mentor_pair x JOIN mentor_programme p ON p.id = x.programme_id JOIN mentor m ON m.id = x.mentor_id
		LEFT JOIN (SELECT pair_id, count(*) AS n FROM mentor_meeting GROUP BY pair_id) mt ON mt.pair_id = x.id
		WHERE ` + pairScope(sc, &a) + ` GROUP BY p.form, x.status`
	rows, err := s.read.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("store: mentorship pairs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p mentor.PairCount
		if err := rows.Scan(&p.Form, &p.Status, &p.Pairs, &p.Meetings); err != nil {
			return err
		}
		c.Pairs = append(c.Pairs, p)
	}
	return rows.Err()
}

// MentorshipCoverage counts the full-time students in scope and those of
// them with an active mentor, for the dashboard.
func (s *Store) MentorshipCoverage(ctx context.Context, sc auth.Scope) (mentored, fullTime int, err error) {
	var a args
	err = s.read.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x
		WHERE x.learner_id = l.id AND x.status = 'active') THEN 1 ELSE 0 END), 0)
		FROM learner l WHERE `+learnerScope(sc, "l", &a)+` AND l.status = 'student' AND l.study_form = 'full_time'`, a...).Scan(&fullTime, &mentored)
	if err != nil {
		err = fmt.Errorf("store: mentorship coverage: %w", err)
	}
	return mentored, fullTime, err
}

// MentorLearners returns, for the demo, the region's full-time students and
// last years' graduates of colleges and universities, with the enterprise of
// each one's latest practice.
func (l *Loader) MentorLearners(region string) ([]learner.Learner, map[int64]int64, error) {
	rows, err := l.tx.QueryContext(l.ctx, `SELECT `+learnerCols+learnerFrom+` WHERE l.region_code = $1 AND l.study_form = 'full_time'
		AND l.status IN ('student', 'graduate') ORDER BY l.id`, region)
	if err != nil {
		return nil, nil, fmt.Errorf("store: mentor learners: %w", err)
	}
	var out []learner.Learner
	for rows.Next() {
		var p learner.Learner
		if err := scanLearner(rows, &p); err != nil {
			rows.Close()
			return nil, nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	practice := map[int64]int64{}
	rows, err = l.tx.QueryContext(l.ctx, `SELECT learner_id, org_id FROM learner_stage WHERE region_code = $1 AND kind = 'practice' AND org_id IS NOT NULL
		ORDER BY started_on`, region)
	if err != nil {
		return nil, nil, fmt.Errorf("store: practice: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, org int64
		if err := rows.Scan(&id, &org); err != nil {
			return nil, nil, err
		}
		practice[id] = org
	}
	return out, practice, rows.Err()
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
			return err
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
	if err == nil {
		err = l.insert("mentor_pair", []string{"id", "region_code", "programme_id", "mentor_id", "learner_id", "mentee_name", "start_on", "planned_end", "end_on",
			"end_reason", "goals", "status", "created_at"}, len(pairs), func(i int) []any {
			p := pairs[i]
			return []any{base["mentor_pair"] + p.ID, p.RegionCode, base["mentor_programme"] + p.ProgrammeID, base["mentor"] + p.MentorID, nullID(p.LearnerID),
				menteeText(p), dateArg(p.Start), dateArg(p.PlannedEnd), dateArg(p.End), p.EndReason, p.Goals, p.Status, tsArg(p.CreatedAt)}
		})
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
	if err != nil {
		return err
	}
	for _, t := range []string{"mentor_programme", "mentor", "mentor_pair", "mentor_meeting", "mentor_feedback"} {
		if err := l.resetSequence(t); err != nil {
			return fmt.Errorf("store: reset sequence of %s: %w", t, err)
		}
	}
	return nil
}
