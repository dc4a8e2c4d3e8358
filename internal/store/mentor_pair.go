package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/mentor"
)

// Mentorship pairs: made from proposals, read, finished, with their meetings
// and feedback.

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
	if noRows(err) {
		return e, errLearnerNotFound
	}
	return e, err
}

// CreatePairs writes new pairs in one transaction. Each pair's programme,
// mentor and learner are read within the caller's scope — one outside it is
// NotFound — and check judges the pair on them, the mentor's load counting
// the pairs written before it; one refusal writes nothing.
func (s *Mentorship) CreatePairs(ctx context.Context, sc auth.Scope, ps []mentor.Pair, check func(*mentor.Pair, mentor.Reach) error) error {
	return wrap("create pairs", s.tx(ctx, func(tx *sql.Tx) error {
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
			if err := keepMentoredIDs(ctx, tx, []int64{p.LearnerID}, -1); err != nil {
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
			if err := keepMentoredIDs(ctx, tx, []int64{p.LearnerID}, 1); err != nil {
				return err
			}
			if err := keepPairs(ctx, tx, `x.id = $1`, args{p.ID}, 1); err != nil {
				return err
			}
			p.Mentor = r.Mentor.FullName
		}
		return nil
	}))
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
func (s *Mentorship) Pair(ctx context.Context, sc auth.Scope, id int64) (mentor.Pair, error) {
	p, err := pairOf(ctx, s.read, sc, id)
	return p, wrap("pair", err)
}

// Pairs returns a page of the pairs the caller sees and their total, the
// active first, newest first.
func (s *Mentorship) Pairs(ctx context.Context, sc auth.Scope, f mentor.PairFilter) ([]mentor.Pair, int, error) {
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
	// The programme and mentor of a pair are always there (NOT NULL, foreign
	// keys): a scope that asks nothing of them counts the pairs alone.
	countFrom := ` FROM mentor_pair x JOIN mentor_programme p ON p.id = x.programme_id JOIN mentor m ON m.id = x.mentor_id`
	if sc.WholeRegion() || sc.Own() {
		countFrom = ` FROM mentor_pair x`
	}
	// The order is the index mentor_pair_order's: keep them alike.
	return page(ctx, s.db, s.read, listPage{op: "pairs", cols: pairCols, from: pairFrom, countFrom: countFrom, where: where,
		order: `CASE WHEN x.status = 'active' THEN 0 ELSE 1 END, x.start_on DESC, x.id DESC`, limit: f.Limit, offset: f.Offset}, a, scanner(scanPair))
}

// FinishPair ends a pair the caller sees in one transaction through finish.
func (s *Mentorship) FinishPair(ctx context.Context, sc auth.Scope, id int64, finish func(*mentor.Pair) error) error {
	return wrap("finish pair", s.tx(ctx, func(tx *sql.Tx) error {
		p, err := pairOf(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := finish(&p); err != nil {
			return err
		}
		// The mentee's part in mentor_tally and the pair's in pair_tally:
		// out before, in after.
		if err := keepMentoredIDs(ctx, tx, []int64{p.LearnerID}, -1); err != nil {
			return err
		}
		if err := keepPairs(ctx, tx, `x.id = $1`, args{id}, -1); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `UPDATE mentor_pair SET status = $1, end_on = $2, end_reason = $3 WHERE id = $4`,
			p.Status, dateArg(p.End), p.EndReason, id); err != nil {
			return err
		}
		if err := keepPairs(ctx, tx, `x.id = $1`, args{id}, 1); err != nil {
			return err
		}
		return keepMentoredIDs(ctx, tx, []int64{p.LearnerID}, 1)
	}))
}

// AddMeeting logs a meeting of a pair the caller sees after check has passed it.
func (s *Mentorship) AddMeeting(ctx context.Context, sc auth.Scope, m *mentor.Meeting, check func(mentor.Pair) error) error {
	return wrap("add meeting", s.tx(ctx, func(tx *sql.Tx) error {
		p, err := pairOf(ctx, tx, sc, m.PairID)
		if err != nil {
			return err
		}
		if err := check(p); err != nil {
			return err
		}
		// The pair's part in pair_tally: out before, in after.
		if err := keepPairs(ctx, tx, `x.id = $1`, args{m.PairID}, -1); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO mentor_meeting (pair_id, held_on, minutes, topic, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, m.PairID, dateArg(m.HeldOn), m.Minutes, m.Topic, m.Note,
			nullID(sc.UserID), tsArg(s.now())).Scan(&m.ID); err != nil {
			return err
		}
		return keepPairs(ctx, tx, `x.id = $1`, args{m.PairID}, 1)
	}))
}

// Meetings lists the meetings of a pair the caller sees, latest first.
func (s *Mentorship) Meetings(ctx context.Context, sc auth.Scope, pairID int64) ([]mentor.Meeting, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	if _, err := pairOf(ctx, q, sc, pairID); err != nil {
		return nil, wrap("meetings", err)
	}
	return list(ctx, q, "meetings", `SELECT id, pair_id, held_on, minutes, topic, note FROM mentor_meeting WHERE pair_id = $1 ORDER BY held_on DESC, id DESC`, args{pairID}, func(rows *sql.Rows) (mentor.Meeting, error) {
		var m mentor.Meeting
		if err := rows.Scan(&m.ID, &m.PairID, timeScan{&m.HeldOn}, &m.Minutes, &m.Topic, &m.Note); err != nil {
			return m, err
		}
		return m, nil
	})
}

// AddFeedback records feedback on a pair the caller sees.
func (s *Mentorship) AddFeedback(ctx context.Context, sc auth.Scope, f *mentor.Feedback) error {
	return wrap("add feedback", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := pairOf(ctx, tx, sc, f.PairID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO mentor_feedback (pair_id, side, rating, comment, created_by, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			f.PairID, f.Side, f.Rating, f.Comment, nullID(sc.UserID), tsArg(f.At)).Scan(&f.ID)
	}))
}

// Feedback lists the feedback on a pair the caller sees, latest first.
func (s *Mentorship) Feedback(ctx context.Context, sc auth.Scope, pairID int64) ([]mentor.Feedback, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	if _, err := pairOf(ctx, q, sc, pairID); err != nil {
		return nil, wrap("feedback", err)
	}
	return list(ctx, q, "feedback", `SELECT id, pair_id, side, rating, comment, at FROM mentor_feedback WHERE pair_id = $1 ORDER BY at DESC, id DESC`, args{pairID}, func(rows *sql.Rows) (mentor.Feedback, error) {
		var f mentor.Feedback
		if err := rows.Scan(&f.ID, &f.PairID, &f.Side, &f.Rating, &f.Comment, timeScan{&f.At}); err != nil {
			return f, err
		}
		return f, nil
	})
}
