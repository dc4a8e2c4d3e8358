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
	"marshrut/internal/risk"
	"marshrut/internal/youth"
)

// The employment centres' cases of the early warning: opened, worked with
// actions, closed with an outcome that becomes a period of the history.

// OpenCase opens a case for a learner the scope sees; a learner has at most one open case.
func (s *Risks) OpenCase(ctx context.Context, sc auth.Scope, c *risk.Case) error {
	return wrap("open case", s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM learner l WHERE l.id = `+a.add(c.LearnerID)+` AND l.status <> 'pupil' AND `+
			learnerScope(sc, "l", &a), a...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "обучающийся не найден")
		}
		var open int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM risk_case WHERE learner_id = $1 AND status = 'open'`, c.LearnerID).Scan(&open)
		if err == nil {
			return apperr.New(apperr.Conflict, "по этому обучающемуся уже открыт случай № %d", open)
		}
		if !noRows(err) {
			return err
		}
		if c.Due.IsZero() {
			c.Due = risk.DueAfterOpening(c.OpenedAt)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO risk_case (region_code, learner_id, czn_id, probability, status, note, opened_by, opened_at, due_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, c.RegionCode, c.LearnerID, nullID(c.CZNID), c.Probability, c.Status, c.Note,
			nullID(c.OpenedBy), tsArg(c.OpenedAt), dateArg(c.Due)).Scan(&c.ID); err != nil {
			return err
		}
		// The centre's specialists hear of the new case; the notice names no one.
		return notifyTx(ctx, tx, c.OpenedAt, youth.Notice{OrgID: c.CZNID, Kind: "case", Text: fmt.Sprintf("Открыт случай № %d", c.ID),
			Link: fmt.Sprintf("/risk/cases/%d", c.ID)})
	}))
}

const caseCols = `rc.id, rc.region_code, rc.learner_id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name,
	COALESCE(NULLIF(o.short_name, ''), o.name), COALESCE(rc.czn_id, 0), COALESCE(z.name, ''), rc.probability, rc.status, rc.outcome, rc.note,
	COALESCE(rc.opened_by, 0), COALESCE(u.name, ''), rc.opened_at, rc.closed_at,
	(SELECT max(ra.done_on) FROM risk_action ra WHERE ra.case_id = rc.id), rc.due_on`

const caseFrom = ` FROM risk_case rc JOIN learner l ON l.id = rc.learner_id JOIN organisation o ON o.id = l.org_id
	LEFT JOIN organisation z ON z.id = rc.czn_id LEFT JOIN app_user u ON u.id = rc.opened_by`

func (s *Risks) cases(ctx context.Context, q string, a args) ([]risk.Case, error) {
	var out []risk.Case
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var c risk.Case
		if err := r.Scan(&c.ID, &c.RegionCode, &c.LearnerID, &c.LearnerName, &c.OrgName, &c.CZNID, &c.CZNName, &c.Probability, &c.Status,
			&c.Outcome, &c.Note, &c.OpenedBy, &c.OpenedByName, timeScan{&c.OpenedAt}, timeScan{&c.ClosedAt}, timeScan{&c.LastAction}, timeScan{&c.Due}); err != nil {
			return err
		}
		c.LearnerName = strings.TrimSpace(c.LearnerName)
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: risk cases: %w", err)
	}
	return out, nil
}

// Case returns a case of a learner the scope sees, with its actions.
func (s *Risks) Case(ctx context.Context, sc auth.Scope, id int64) (risk.Case, error) {
	var a args
	list, err := s.cases(ctx, `SELECT `+caseCols+caseFrom+` WHERE rc.id = `+a.add(id)+` AND `+learnerScope(sc, "l", &a), a)
	if err != nil {
		return risk.Case{}, wrap("case", err)
	}
	if len(list) == 0 {
		return risk.Case{}, apperr.New(apperr.NotFound, "случай не найден")
	}
	c := list[0]
	err = eachRow(ctx, s.read, `SELECT ra.id, ra.case_id, ra.kind, ra.done_on, ra.note, COALESCE(ra.created_by, 0), COALESCE(u.name, ''), ra.created_at
		FROM risk_action ra LEFT JOIN app_user u ON u.id = ra.created_by WHERE ra.case_id = $1 ORDER BY ra.done_on, ra.id`, args{id},
		func(r *sql.Rows) error {
			var x risk.Action
			if err := r.Scan(&x.ID, &x.CaseID, &x.Kind, timeScan{&x.On}, &x.Note, &x.By, &x.ByName, timeScan{&x.CreatedAt}); err != nil {
				return err
			}
			c.Actions = append(c.Actions, x)
			return nil
		})
	return c, wrap("case", err)
}

// Cases returns a page of the cases the scope sees, open ones first, and their total.
func (s *Risks) Cases(ctx context.Context, sc auth.Scope, f risk.CaseFilter) ([]risk.Case, int, error) {
	var a args
	where := `rc.region_code = ` + a.add(sc.RegionCode) + ` AND ` + learnerScope(sc, "l", &a)
	if f.Status != "" {
		where += ` AND rc.status = ` + a.add(f.Status)
	}
	if !f.DueBefore.IsZero() {
		where += ` AND rc.status = 'open' AND rc.due_on < ` + a.add(dateArg(f.DueBefore))
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM risk_case rc JOIN learner l ON l.id = rc.learner_id WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: risk cases: %w", err)
	}
	list, err := s.cases(ctx, `SELECT `+caseCols+caseFrom+` WHERE `+where+` ORDER BY rc.status DESC, CASE WHEN rc.status = 'open' THEN rc.due_on END, rc.opened_at DESC, rc.id DESC LIMIT `+
		strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(max(0, f.Offset)), a)
	return list, total, wrap("cases", err)
}

// CasesOf returns a learner's cases, newest first.
func (s *Risks) CasesOf(ctx context.Context, sc auth.Scope, learnerID int64) ([]risk.Case, error) {
	var a args
	out, err := s.cases(ctx, `SELECT `+caseCols+caseFrom+` WHERE rc.learner_id = `+a.add(learnerID)+` AND `+learnerScope(sc, "l", &a)+
		` ORDER BY rc.id DESC`, a)
	return out, wrap("cases of", err)
}

// caseForWork checks, inside tx, that the case exists in the scope, is open
// and is the centre's own; it returns the case's learner and their status.
func caseForWork(ctx context.Context, tx *sql.Tx, sc auth.Scope, id int64) (learnerID int64, status learner.Status, err error) {
	var a args
	var caseStatus string
	var czn int64
	err = tx.QueryRowContext(ctx, `SELECT rc.status, COALESCE(rc.czn_id, 0), l.id, l.status FROM risk_case rc JOIN learner l ON l.id = rc.learner_id
		WHERE rc.id = `+a.add(id)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&caseStatus, &czn, &learnerID, &status)
	if err != nil {
		return 0, "", notFound(err, "случай не найден")
	}
	if czn != sc.OrgID {
		return 0, "", apperr.New(apperr.Forbidden, "случай ведёт другой центр занятости")
	}
	if caseStatus != risk.CaseOpen {
		return 0, "", apperr.New(apperr.Conflict, "случай закрыт: действия в него больше не записываются")
	}
	return learnerID, status, nil
}

// AddAction records an action in an open case of the scope's centre.
func (s *Risks) AddAction(ctx context.Context, sc auth.Scope, x *risk.Action) error {
	return wrap("add action", s.tx(ctx, func(tx *sql.Tx) error {
		if _, _, err := caseForWork(ctx, tx, sc, x.CaseID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO risk_action (case_id, kind, done_on, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, x.CaseID, string(x.Kind), dateArg(x.On), x.Note, nullID(x.By), tsArg(x.CreatedAt)).Scan(&x.ID); err != nil {
			return err
		}
		// The case is due again from its latest action, not from one
		// recorded late for an earlier day.
		_, err := tx.ExecContext(ctx, `UPDATE risk_case SET due_on = $1 WHERE id = $2 AND NOT EXISTS (
			SELECT 1 FROM risk_action ra WHERE ra.case_id = $2 AND ra.done_on > $3)`, dateArg(x.NextDue()), x.CaseID, dateArg(x.On))
		return err
	}))
}

// CloseCase closes an open case of the scope's centre with its outcome; a
// status it names becomes a period of the person's employment history,
// recorded as the case's.
func (s *Risks) CloseCase(ctx context.Context, sc auth.Scope, id int64, c risk.Closing, at time.Time) error {
	return wrap("close case", s.tx(ctx, func(tx *sql.Tx) error {
		learnerID, status, err := caseForWork(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		note := strings.TrimSpace(c.Note)
		if _, err := tx.ExecContext(ctx, `UPDATE risk_case SET status = 'closed', outcome = $1, closed_at = $2,
			note = CASE WHEN $3 = '' THEN note WHEN note = '' THEN $3 ELSE note || ' / ' || $3 END WHERE id = $4`,
			string(c.Outcome), tsArg(at), note, id); err != nil {
			return fmt.Errorf("store: close case: %w", err)
		}
		st, ok := c.Outcome.Status()
		if !ok || status == learner.Pupil {
			return nil
		}
		start := c.Since
		if start.IsZero() {
			start = at
		}
		o := learner.Outcome{LearnerID: learnerID, Status: st, Start: learner.Day(start), Source: learner.SourceCase,
			Note: fmt.Sprintf("по итогам случая № %d", id)}
		if st == learner.Employed {
			o.EmployerID, o.EmployerName = c.EmployerID, c.EmployerName
		}
		return s.addOutcomeTx(ctx, tx, sc, &o)
	}))
}
