package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/routing"
	"marshrut/internal/youth"
)

// BirthDate is the birth date of a learner the caller sees.
func (s *Youth) BirthDate(ctx context.Context, sc auth.Scope, learnerID int64) (time.Time, error) {
	var a args
	var b time.Time
	err := s.read.QueryRowContext(ctx, `SELECT l.birth_date FROM learner l WHERE l.id = `+a.add(learnerID)+` AND `+learnerScope(sc, "l", &a), a...).Scan(timeScan{&b})
	return b, wrap("birth date", notFound(err, "обучающийся не найден"))
}

// Consents is the history of a learner's consents, newest first.
func (s *Youth) Consents(ctx context.Context, sc auth.Scope, learnerID int64) ([]youth.Consent, error) {
	var a args
	q := `SELECT c.id, c.learner_id, c.kind, c.given, COALESCE(c.by_user, 0), c.by_name, c.at FROM consent c JOIN learner l ON l.id = c.learner_id
		WHERE c.learner_id = ` + a.add(learnerID) + ` AND ` + learnerScope(sc, "l", &a) + ` ORDER BY c.id DESC`
	var out []youth.Consent
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var c youth.Consent
		if err := r.Scan(&c.ID, &c.LearnerID, &c.Kind, &c.Given, &c.ByUserID, &c.ByName, timeScan{&c.At}); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, wrap("consents", err)
}

// SetConsent records a decision on a consent and tells the learner's accounts.
func (s *Youth) SetConsent(ctx context.Context, sc auth.Scope, c *youth.Consent) error {
	return wrap("set consent", s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, c.LearnerID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM app_user WHERE id = $1`, c.ByUserID).Scan(&c.ByName); err != nil {
			return notFound(err, "пользователь не найден")
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO consent (learner_id, kind, given, by_user, by_name, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			c.LearnerID, c.Kind, c.Given, nullID(c.ByUserID), c.ByName, tsArg(c.At)).Scan(&c.ID); err != nil {
			return err
		}
		verb := "дано"
		if !c.Given {
			verb = "отозвано"
		}
		return notifyTx(ctx, tx, c.At, youth.Notice{LearnerID: c.LearnerID, Kind: "consent", Text: c.Kind.Name() + ": " + verb, Link: "/"})
	}))
}

// responseScope keeps a query on vacancy_response r within the caller's reach.
func responseScope(sc auth.Scope, a *args) string {
	region := `r.region_code = ` + a.add(sc.RegionCode)
	switch {
	case sc.WholeRegion():
		return region
	case sc.Own():
		return region + ` AND r.learner_id = ` + a.add(sc.LearnerID)
	case sc.Role == auth.Employer && sc.OrgID != 0:
		return region + ` AND r.employer_id = ` + a.add(sc.OrgID)
	}
	return region + ` AND 1 = 0` // the region's argument is used: PostgreSQL refuses one left over
}

const responseCols = `r.id, r.region_code, r.learner_id, r.vacancy_id, COALESCE(r.employer_id, 0), r.message, r.contact, r.status, r.reason,
	r.created_at, r.updated_at, v.title, v.employer_name, l.last_name || ' ' || l.first_name, COALESCE(l.specialty_code, ''), COALESCE(sp.name, ''),
	COALESCE(NULLIF(o.short_name, ''), o.name, ''), COALESCE(l.graduation_year, 0), COALESCE(l.avg_grade, 0), COALESCE(l.demo_exam, 0)`

const responseFrom = ` FROM vacancy_response r JOIN vacancy v ON v.id = r.vacancy_id JOIN learner l ON l.id = r.learner_id
	LEFT JOIN organisation o ON o.id = l.org_id LEFT JOIN specialty sp ON sp.code = l.specialty_code`

func scanResponse(row interface{ Scan(...any) error }, x *youth.Response) error {
	return row.Scan(&x.ID, &x.RegionCode, &x.LearnerID, &x.VacancyID, &x.EmployerID, &x.Message, &x.Contact, &x.Status, &x.Reason,
		timeScan{&x.CreatedAt}, timeScan{&x.UpdatedAt}, &x.Vacancy, &x.Employer, &x.Learner, &x.SpecialtyCode, &x.SpecialtyName,
		&x.OrgName, &x.Year, &x.AvgGrade, &x.DemoExam)
}

// Respond stores a young person's response to an open vacancy of the region
// and tells the employer's staff.
func (s *Youth) Respond(ctx context.Context, sc auth.Scope, r *youth.Response) error {
	return wrap("respond", s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, r.LearnerID); err != nil {
			return err
		}
		var title, inn string
		var closed bool
		err := tx.QueryRowContext(ctx, `SELECT title, employer_inn, closed FROM vacancy WHERE id = $1 AND region_code = $2`, r.VacancyID, sc.RegionCode).
			Scan(&title, &inn, &closed)
		if err != nil {
			return notFound(err, "вакансия не найдена")
		}
		if closed {
			return apperr.New(apperr.Conflict, "вакансия «%s» закрыта", title)
		}
		if inn != "" {
			err = tx.QueryRowContext(ctx, `SELECT id FROM organisation WHERE inn = $1 AND region_code = $2 AND kind = 'employer' ORDER BY id LIMIT 1`,
				inn, sc.RegionCode).Scan(&r.EmployerID)
			if err != nil && !noRows(err) {
				return err
			}
		}
		// A young person who chose to show contacts to employers gives them with the response.
		if r.Contact == "" {
			var phone, email string
			err = tx.QueryRowContext(ctx, `SELECT phone, email FROM learner_profile WHERE learner_id = $1 AND show_contacts`, r.LearnerID).Scan(&phone, &email)
			if err != nil && !noRows(err) {
				return err
			}
			r.Contact = strings.TrimSpace(phone + " " + email)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO vacancy_response (region_code, learner_id, vacancy_id, employer_id, message, contact, status, reason, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8, $8) RETURNING id`,
			sc.RegionCode, r.LearnerID, r.VacancyID, nullID(r.EmployerID), r.Message, r.Contact, r.Status, tsArg(r.CreatedAt)).Scan(&r.ID)
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "вы уже откликнулись на эту вакансию")
		}
		if err != nil {
			return fmt.Errorf("store: respond: %w", err)
		}
		r.Vacancy = title
		if r.EmployerID == 0 {
			return nil
		}
		return notifyTx(ctx, tx, r.CreatedAt, youth.Notice{OrgID: r.EmployerID, Kind: "response",
			Text: "Новый отклик на вакансию «" + title + "»", Link: fmt.Sprintf("/me/responses/%d", r.ID)})
	}))
}

// Responses lists the responses the caller sees, newest first.
func (s *Youth) Responses(ctx context.Context, sc auth.Scope, f youth.ResponseFilter) ([]youth.Response, int, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
	var a args
	where := responseScope(sc, &a)
	if f.Status != "" {
		where += ` AND r.status = ` + a.add(f.Status)
	}
	if f.VacancyID != "" {
		where += ` AND r.vacancy_id = ` + a.add(f.VacancyID)
	}
	var total int
	if err := rq.QueryRowContext(ctx, `SELECT count(*) FROM vacancy_response r WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, wrap("responses", err)
	}
	q := `SELECT ` + responseCols + responseFrom + ` WHERE ` + where + ` ORDER BY r.updated_at DESC, r.id DESC LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	var out []youth.Response
	err := eachRow(ctx, rq, q, a, func(rows *sql.Rows) error {
		var x youth.Response
		if err := scanResponse(rows, &x); err != nil {
			return err
		}
		x.Learner = strings.TrimSpace(x.Learner)
		out = append(out, x)
		return nil
	})
	if err == nil && sc.Role == auth.Employer && len(out) > 0 {
		err = (&Auth{s.db}).Audit(ctx, auth.AuditEntry{At: s.now(), UserID: sc.UserID, Role: sc.Role, Action: "responses.list", From: sc.From,
			RegionCode: sc.RegionCode, Persons: len(out), Filter: string(f.Status)})
	}
	return out, total, wrap("responses", err)
}

// Response is one response the caller sees; an employer's read is audited.
func (s *Youth) Response(ctx context.Context, sc auth.Scope, id int64) (youth.Response, error) {
	var a args
	var x youth.Response
	err := scanResponse(s.read.QueryRowContext(ctx, `SELECT `+responseCols+responseFrom+` WHERE r.id = `+a.add(id)+` AND `+responseScope(sc, &a), a...), &x)
	if err != nil {
		return x, wrap("response", notFound(err, "отклик не найден"))
	}
	x.Learner = strings.TrimSpace(x.Learner)
	if sc.Role == auth.Employer {
		err = (&Auth{s.db}).Audit(ctx, auth.AuditEntry{At: s.now(), UserID: sc.UserID, Role: sc.Role, Action: "response.read", LearnerID: x.LearnerID, From: sc.From})
	}
	return x, wrap("response", err)
}

// MoveResponse changes a response the caller sees, as fn decides, and tells
// the other side.
func (s *Youth) MoveResponse(ctx context.Context, sc auth.Scope, id int64, fn func(*youth.Response) error) (youth.Response, error) {
	var x youth.Response
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		if err := scanResponse(tx.QueryRowContext(ctx, `SELECT `+responseCols+responseFrom+` WHERE r.id = `+a.add(id)+` AND `+responseScope(sc, &a), a...), &x); err != nil {
			return notFound(err, "отклик не найден")
		}
		before := x.Status
		if err := fn(&x); err != nil {
			return err
		}
		if x.Status == before {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE vacancy_response SET status = $1, reason = $2, updated_at = $3 WHERE id = $4`,
			x.Status, x.Reason, tsArg(s.now()), x.ID); err != nil {
			return err
		}
		text := "Отклик на вакансию «" + x.Vacancy + "»: " + x.Status.Name()
		if sc.Own() {
			if x.EmployerID == 0 {
				return nil
			}
			return notifyTx(ctx, tx, s.now(), youth.Notice{OrgID: x.EmployerID, Kind: "response", Text: text, Link: fmt.Sprintf("/me/responses/%d", x.ID)})
		}
		return notifyTx(ctx, tx, s.now(), youth.Notice{LearnerID: x.LearnerID, Kind: "status", Text: text, Link: "/me/responses"})
	})
	x.Learner = strings.TrimSpace(x.Learner)
	return x, wrap("move response", err)
}

// proposalReach keeps a query on match_proposal p (with vacancy v) to the
// proposals that concern the caller once they are sent: a graduate's own, or
// those to the employer's vacancies (by the employer's INN).
func proposalReach(sc auth.Scope, a *args) string {
	cond := `p.status IN ('sent', 'accepted', 'declined') AND l.region_code = ` + a.add(sc.RegionCode)
	switch {
	case sc.Own():
		return cond + ` AND p.learner_id = ` + a.add(sc.LearnerID)
	case sc.Role == auth.Employer && sc.OrgID != 0:
		return cond + ` AND v.employer_inn <> '' AND v.employer_inn = (SELECT inn FROM organisation WHERE id = ` + a.add(sc.OrgID) + `)`
	}
	return cond + ` AND 1 = 0`
}

// MyProposals are the sent and answered proposals that concern the caller, newest first.
func (s *Youth) MyProposals(ctx context.Context, sc auth.Scope, limit int) ([]routing.Proposal, error) {
	var a args
	q := `SELECT ` + proposalCols + proposalFrom + ` WHERE ` + proposalReach(sc, &a) + ` ORDER BY p.status = 'sent' DESC, p.id DESC LIMIT ` + a.add(limit)
	var out []routing.Proposal
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var p routing.Proposal
		if err := scanProposal(r, &p); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, wrap("my proposals", err)
}

// AnswerProposal records the graduate's or the employer's answer to a sent
// proposal; the other side and the proposal's graduate hear of it.
func (s *Youth) AnswerProposal(ctx context.Context, sc auth.Scope, id int64, to routing.ProposalStatus) error {
	return wrap("answer proposal", s.tx(ctx, func(tx *sql.Tx) error {
		var p routing.Proposal
		var a args
		err := scanProposal(tx.QueryRowContext(ctx, `SELECT `+proposalCols+proposalFrom+` WHERE p.id = `+a.add(id)+` AND `+proposalReach(sc, &a), a...), &p)
		if err != nil {
			return notFound(err, "предложение не найдено")
		}
		if p.Status != routing.Sent {
			return apperr.New(apperr.Conflict, "на предложение уже ответили: %s", p.Status.Name())
		}
		// The employer does not see the graduate's record before the hire;
		// the outcome is written in the region's name, the answer in the
		// employer's.
		wr := sc
		if sc.Role == auth.Employer {
			wr = auth.SystemScope(sc.RegionCode)
			wr.UserID = sc.UserID
		}
		if err := s.moveProposal(ctx, tx, wr, p, to); err != nil {
			return err
		}
		text := "Предложение по вакансии «" + p.Vacancy + "»: " + to.Name()
		if sc.Role == auth.Employer {
			return notifyTx(ctx, tx, s.now(), youth.Notice{LearnerID: p.LearnerID, Kind: "proposal", Text: text, Link: "/me/proposals"})
		}
		var employerID int64
		err = tx.QueryRowContext(ctx, `SELECT o.id FROM vacancy v JOIN organisation o ON o.inn = v.employer_inn AND o.region_code = v.region_code
			AND o.kind = 'employer' WHERE v.id = $1 AND v.employer_inn <> '' ORDER BY o.id LIMIT 1`, p.VacancyID).Scan(&employerID)
		if noRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return notifyTx(ctx, tx, s.now(), youth.Notice{OrgID: employerID, Kind: "proposal", Text: text, Link: "/me/proposals"})
	}))
}
