package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/mail"
	"marshrut/internal/routing"
	"marshrut/internal/youth"
)

// BirthDate is the birth date of a learner the caller sees.
func (s *Store) BirthDate(ctx context.Context, sc auth.Scope, learnerID int64) (time.Time, error) {
	var a args
	var b time.Time
	err := s.read.QueryRowContext(ctx, `SELECT l.birth_date FROM learner l WHERE l.id = `+a.add(learnerID)+` AND `+learnerScope(sc, "l", &a), a...).Scan(timeScan{&b})
	return b, notFound(err, "обучающийся не найден")
}

// Consents is the history of a learner's consents, newest first.
func (s *Store) Consents(ctx context.Context, sc auth.Scope, learnerID int64) ([]youth.Consent, error) {
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
	return out, err
}

// SetConsent records a decision on a consent and tells the learner's accounts.
func (s *Store) SetConsent(ctx context.Context, sc auth.Scope, c *youth.Consent) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
	})
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
	return `1 = 0`
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
func (s *Store) Respond(ctx context.Context, sc auth.Scope, r *youth.Response) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
			if err != nil && err != sql.ErrNoRows {
				return err
			}
		}
		// A young person who chose to show contacts to employers gives them with the response.
		if r.Contact == "" {
			var phone, email string
			err = tx.QueryRowContext(ctx, `SELECT phone, email FROM learner_profile WHERE learner_id = $1 AND show_contacts`, r.LearnerID).Scan(&phone, &email)
			if err != nil && err != sql.ErrNoRows {
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
	})
}

// Responses lists the responses the caller sees, newest first.
func (s *Store) Responses(ctx context.Context, sc auth.Scope, f youth.ResponseFilter) ([]youth.Response, int, error) {
	var a args
	where := responseScope(sc, &a)
	if f.Status != "" {
		where += ` AND r.status = ` + a.add(f.Status)
	}
	if f.VacancyID != "" {
		where += ` AND r.vacancy_id = ` + a.add(f.VacancyID)
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM vacancy_response r WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + responseCols + responseFrom + ` WHERE ` + where + ` ORDER BY r.updated_at DESC, r.id DESC LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	var out []youth.Response
	err := eachRow(ctx, s.read, q, a, func(rows *sql.Rows) error {
		var x youth.Response
		if err := scanResponse(rows, &x); err != nil {
			return err
		}
		x.Learner = strings.TrimSpace(x.Learner)
		out = append(out, x)
		return nil
	})
	if err == nil && sc.Role == auth.Employer && len(out) > 0 {
		err = s.Audit(ctx, auth.AuditEntry{At: s.now(), UserID: sc.UserID, Role: sc.Role, Action: "responses.list", From: sc.From,
			RegionCode: sc.RegionCode, Persons: len(out), Filter: string(f.Status)})
	}
	return out, total, err
}

// Response is one response the caller sees; an employer's read is audited.
func (s *Store) Response(ctx context.Context, sc auth.Scope, id int64) (youth.Response, error) {
	var a args
	var x youth.Response
	err := scanResponse(s.read.QueryRowContext(ctx, `SELECT `+responseCols+responseFrom+` WHERE r.id = `+a.add(id)+` AND `+responseScope(sc, &a), a...), &x)
	if err != nil {
		return x, notFound(err, "отклик не найден")
	}
	x.Learner = strings.TrimSpace(x.Learner)
	if sc.Role == auth.Employer {
		err = s.Audit(ctx, auth.AuditEntry{At: s.now(), UserID: sc.UserID, Role: sc.Role, Action: "response.read", LearnerID: x.LearnerID, From: sc.From})
	}
	return x, err
}

// MoveResponse changes a response the caller sees, as fn decides, and tells
// the other side.
func (s *Store) MoveResponse(ctx context.Context, sc auth.Scope, id int64, fn func(*youth.Response) error) (youth.Response, error) {
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
	return x, err
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
	return `1 = 0`
}

// MyProposals are the sent and answered proposals that concern the caller, newest first.
func (s *Store) MyProposals(ctx context.Context, sc auth.Scope, limit int) ([]routing.Proposal, error) {
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
	return out, err
}

// AnswerProposal records the graduate's or the employer's answer to a sent
// proposal; the other side and the proposal's graduate hear of it.
func (s *Store) AnswerProposal(ctx context.Context, sc auth.Scope, id int64, to routing.ProposalStatus) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		return notifyTx(ctx, tx, s.now(), youth.Notice{OrgID: employerID, Kind: "proposal", Text: text, Link: "/me/proposals"})
	})
}

// Messages is the caller's inbox, newest first, and how many are unread.
func (s *Store) Messages(ctx context.Context, sc auth.Scope, limit int) ([]youth.Message, int, error) {
	var unread int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM inbox_message WHERE user_id = $1 AND read_at IS NULL`, sc.UserID).Scan(&unread); err != nil {
		return nil, 0, err
	}
	var out []youth.Message
	err := eachRow(ctx, s.read, `SELECT id, user_id, kind, text, link, created_at, read_at FROM inbox_message WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
		args{sc.UserID, limit}, func(r *sql.Rows) error {
			var m youth.Message
			if err := r.Scan(&m.ID, &m.UserID, &m.Kind, &m.Text, &m.Link, timeScan{&m.CreatedAt}, timeScan{&m.ReadAt}); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	return out, unread, err
}

// ReadMessages marks the caller's inbox read.
func (s *Store) ReadMessages(ctx context.Context, sc auth.Scope) error {
	_, err := s.write.ExecContext(ctx, `UPDATE inbox_message SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, tsArg(s.now()), sc.UserID)
	return err
}

// Notify delivers a notice to everyone it concerns.
func (s *Store) Notify(ctx context.Context, n youth.Notice) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return notifyTx(ctx, tx, s.now(), n) })
}

// notifyTx writes a notice into the inbox of every active account it
// concerns: a learner's own and their parents', or an organisation's staff.
func notifyTx(ctx context.Context, tx *sql.Tx, at time.Time, n youth.Notice) error {
	var who string
	var id int64
	switch {
	case n.LearnerID != 0:
		who, id = `learner_id`, n.LearnerID
	case n.OrgID != 0:
		who, id = `org_id`, n.OrgID
	default:
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO inbox_message (user_id, kind, text, link, created_at)
		SELECT id, $1, $2, $3, $4 FROM app_user WHERE `+who+` = $5 AND NOT disabled`, n.Kind, n.Text, n.Link, tsArg(at), id); err != nil {
		return err
	}
	// Those who gave an address get a letter too: its kind and link only.
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (user_id, to_addr, kind, link, created_at, next_at)
		SELECT id, email, $1, $2, $3, $3 FROM app_user WHERE `+who+` = $4 AND NOT disabled AND email <> ''`, n.Kind, n.Link, tsArg(at), id)
	return err
}

// CreateInvite keeps the hash of a parent's invite code for a learner the caller sees.
func (s *Store) CreateInvite(ctx context.Context, sc auth.Scope, in youth.Invite) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, in.LearnerID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO guardian_invite (code_hash, learner_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			in.CodeHash, in.LearnerID, nullID(in.CreatedBy), tsArg(s.now()), tsArg(in.ExpiresAt))
		return err
	})
}

// AcceptInvite uses an invite and opens the parent's account, in one transaction.
func (s *Store) AcceptInvite(ctx context.Context, codeHash string, now time.Time, u *auth.User, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var used, expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT i.learner_id, l.region_code, i.expires_at, i.used_at FROM guardian_invite i JOIN learner l ON l.id = i.learner_id
			WHERE i.code_hash = $1`, codeHash).Scan(&u.LearnerID, &u.RegionCode, timeScan{&expires}, timeScan{&used})
		if err == sql.ErrNoRows {
			return apperr.Field("code", "код приглашения не найден: проверьте, что он введён полностью")
		}
		if err != nil {
			return err
		}
		if !used.IsZero() {
			return apperr.Field("code", "по этому коду уже открыт кабинет; попросите школу выдать новый")
		}
		if !now.Before(expires) {
			return apperr.Field("code", "срок кода истёк; попросите школу выдать новый")
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO app_user (login, name, role, region_code, learner_id, password_hash, disabled, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7) RETURNING id`, u.Login, u.Name, u.Role, u.RegionCode, u.LearnerID, hash, tsArg(now)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return apperr.Field("login", "логин «%s» уже занят", u.Login)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE guardian_invite SET used_at = $1, user_id = $2 WHERE code_hash = $3`, tsArg(now), u.ID, codeHash)
		return err
	})
}

// Guardians are the parents' accounts of a learner the caller sees.
func (s *Store) Guardians(ctx context.Context, sc auth.Scope, learnerID int64) ([]auth.User, error) {
	var a args
	q := `SELECT u.id, u.login, u.name, u.role, u.created_at FROM app_user u JOIN learner l ON l.id = u.learner_id
		WHERE u.role = 'guardian' AND u.learner_id = ` + a.add(learnerID) + ` AND ` + learnerScope(sc, "l", &a) + ` ORDER BY u.id`
	var out []auth.User
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var u auth.User
		if err := r.Scan(&u.ID, &u.Login, &u.Name, &u.Role, timeScan{&u.CreatedAt}); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

var _ youth.Store = (*Store)(nil)

// SetEmail keeps the address a user gave for notices; empty stops the letters.
func (s *Store) SetEmail(ctx context.Context, userID int64, email string) error {
	_, err := s.write.ExecContext(ctx, `UPDATE app_user SET email = $1 WHERE id = $2`, email, userID)
	return err
}

// Email is the address a user gave for notices.
func (s *Store) Email(ctx context.Context, userID int64) (string, error) {
	var e string
	err := s.read.QueryRowContext(ctx, `SELECT email FROM app_user WHERE id = $1`, userID).Scan(&e)
	return e, notFound(err, "пользователь не найден")
}

// DueLetters are the letters not sent whose next attempt has come.
func (s *Store) DueLetters(ctx context.Context, now time.Time, limit int) ([]mail.Letter, error) {
	var out []mail.Letter
	err := eachRow(ctx, s.read, `SELECT id, to_addr, kind, link, attempts FROM mail_outbox WHERE sent_at IS NULL AND next_at IS NOT NULL AND next_at <= $1
		ORDER BY id LIMIT $2`, args{tsArg(now), limit}, func(r *sql.Rows) error {
		var l mail.Letter
		if err := r.Scan(&l.ID, &l.To, &l.Kind, &l.Link, &l.Attempts); err != nil {
			return err
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

// LetterSent marks a letter sent.
func (s *Store) LetterSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = $1, error = '' WHERE id = $2`, tsArg(at), id)
	return err
}

// LetterFailed records a failed attempt; a zero next gives the letter up.
func (s *Store) LetterFailed(ctx context.Context, id int64, attempts int, next time.Time, reason string) error {
	var n any
	if !next.IsZero() {
		n = tsArg(next)
	}
	if len(reason) > 500 {
		reason = reason[:500]
	}
	_, err := s.write.ExecContext(ctx, `UPDATE mail_outbox SET attempts = $1, next_at = $2, error = $3 WHERE id = $4`, attempts, n, reason, id)
	return err
}

var _ mail.Outbox = (*Store)(nil)

// StudyProgrammes are the region's programmes (an organisation's specialty with
// its places) in the enlarged groups of ОКСО given by their first two digits,
// those with open targeted offers and more places first.
func (s *Store) StudyProgrammes(ctx context.Context, region string, prefixes []string, limit int) ([]youth.Programme, error) {
	a := args{region}
	ph := make([]string, len(prefixes))
	for i, p := range prefixes {
		ph[i] = a.add(p)
	}
	q := `SELECT c.org_id, o.name, o.kind, COALESCE(m.name, ''), c.specialty_code, COALESCE(sp.name, ''),
		CASE WHEN c.plan > 0 THEN c.plan ELSE c.capacity END,
		(SELECT count(*) FROM targeted_offer t WHERE t.org_id = c.org_id AND t.specialty_code = c.specialty_code AND t.status = 'published') AS offers
		FROM org_capacity c JOIN organisation o ON o.id = c.org_id LEFT JOIN municipality m ON m.id = o.municipality_id
		LEFT JOIN specialty sp ON sp.code = c.specialty_code
		WHERE c.region_code = $1 AND substr(c.specialty_code, 1, 2) IN (` + strings.Join(ph, ", ") + `)
		ORDER BY offers DESC, 7 DESC, o.name, c.specialty_code LIMIT ` + a.add(limit)
	var out []youth.Programme
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var p youth.Programme
		if err := r.Scan(&p.OrgID, &p.OrgName, &p.OrgKind, &p.Municipality, &p.SpecialtyCode, &p.SpecialtyName, &p.Places, &p.Offers); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// Trials are the bookable events from today that suit the caller's grade.
func (s *Store) Trials(ctx context.Context, sc auth.Scope, now time.Time, limit int) ([]youth.Trial, error) {
	var grade int
	var a args
	if err := s.read.QueryRowContext(ctx, `SELECT l.grade FROM learner l WHERE l.id = `+a.add(sc.LearnerID)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&grade); err != nil {
		return nil, notFound(err, "обучающийся не найден")
	}
	q := `SELECT e.id, e.title, e.held_on, e.place, COALESCE(NULLIF(o.short_name, ''), o.name), COALESCE(sp.name, ''),
		CASE WHEN e.capacity = 0 THEN -1 ELSE e.capacity - (SELECT COALESCE(sum(b.seats), 0) FROM guidance_booking b WHERE b.event_id = e.id)
			- (SELECT count(*) FROM guidance_signup g WHERE g.event_id = e.id) END,
		EXISTS (SELECT 1 FROM guidance_signup g WHERE g.event_id = e.id AND g.learner_id = $1)
		FROM guidance_event e JOIN organisation o ON o.id = e.organiser_id LEFT JOIN specialty sp ON sp.code = e.specialty_code
		WHERE e.region_code = $2 AND e.bookable AND e.held_on >= $3 AND e.grade_from <= $4 AND e.grade_to >= $4
		ORDER BY e.held_on, e.id LIMIT $5`
	var out []youth.Trial
	err := eachRow(ctx, s.read, q, args{sc.LearnerID, sc.RegionCode, dateArg(now), grade, limit}, func(r *sql.Rows) error {
		var t youth.Trial
		if err := r.Scan(&t.ID, &t.Title, timeScan{&t.HeldOn}, &t.Place, &t.Organiser, &t.Specialty, &t.Free, &t.Signed); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	return out, err
}

// SignUp books the learner one place on a bookable event of their grade.
func (s *Store) SignUp(ctx context.Context, sc auth.Scope, eventID int64, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var grade int
		var schoolID int64
		var a args
		if err := tx.QueryRowContext(ctx, `SELECT l.grade, l.org_id FROM learner l WHERE l.id = `+a.add(sc.LearnerID)+` AND `+learnerScope(sc, "l", &a), a...).
			Scan(&grade, &schoolID); err != nil {
			return notFound(err, "обучающийся не найден")
		}
		var title string
		var held time.Time
		var from, to, capacity, taken int
		var bookable bool
		err := tx.QueryRowContext(ctx, `SELECT e.title, e.held_on, e.grade_from, e.grade_to, e.capacity, e.bookable,
			(SELECT COALESCE(sum(b.seats), 0) FROM guidance_booking b WHERE b.event_id = e.id) + (SELECT count(*) FROM guidance_signup g WHERE g.event_id = e.id)
			FROM guidance_event e WHERE e.id = $1 AND e.region_code = $2`, eventID, sc.RegionCode).
			Scan(&title, timeScan{&held}, &from, &to, &capacity, &bookable, &taken)
		if err != nil {
			return notFound(err, "мероприятие не найдено")
		}
		switch {
		case !bookable:
			return apperr.New(apperr.Conflict, "на «%s» записывает школа, а не сам ученик", title)
		case held.Before(now.Truncate(24 * time.Hour)):
			return apperr.New(apperr.Conflict, "«%s» уже прошла", title)
		case grade < from || grade > to:
			return apperr.New(apperr.Conflict, "«%s» — для %d–%d классов", title, from, to)
		case capacity > 0 && taken >= capacity:
			return apperr.New(apperr.Conflict, "на «%s» мест больше нет", title)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO guidance_signup (event_id, learner_id, created_at) VALUES ($1, $2, $3)`, eventID, sc.LearnerID, tsArg(now))
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "вы уже записаны на «%s»", title)
		}
		if err != nil {
			return err
		}
		link := fmt.Sprintf("/guidance/events/%d", eventID)
		if err := notifyTx(ctx, tx, now, youth.Notice{LearnerID: sc.LearnerID, Kind: "trial", Text: "Запись на профпробу «" + title + "» " + held.Format("02.01.2006"), Link: link}); err != nil {
			return err
		}
		return notifyTx(ctx, tx, now, youth.Notice{OrgID: schoolID, Kind: "trial", Text: "Ученик школы записался на профпробу «" + title + "»", Link: link})
	})
}

// Profile is the profile and the achievements of a learner the caller sees;
// a learner who has kept none has an empty profile.
func (s *Store) Profile(ctx context.Context, sc auth.Scope, learnerID int64) (youth.Profile, []youth.Achievement, error) {
	p := youth.Profile{LearnerID: learnerID}
	if err := inScope(ctx, s.read, sc, learnerID); err != nil {
		return p, nil, err
	}
	var munis string
	err := s.read.QueryRowContext(ctx, `SELECT phone, email, wish, municipalities, relocation, min_pay, schedule, about, show_contacts, updated_at
		FROM learner_profile WHERE learner_id = $1`, learnerID).Scan(&p.Phone, &p.Email, &p.Wish, &munis, &p.Relocation, &p.MinPay, &p.Schedule,
		&p.About, &p.ShowContacts, timeScan{&p.UpdatedAt})
	if err != nil && err != sql.ErrNoRows {
		return p, nil, err
	}
	for _, m := range strings.Split(munis, ",") {
		if id := atoiID(m); id > 0 {
			p.Municipalities = append(p.Municipalities, id)
		}
	}
	var out []youth.Achievement
	err = eachRow(ctx, s.read, `SELECT id, learner_id, kind, title, year, result, created_at FROM learner_achievement WHERE learner_id = $1
		ORDER BY year DESC, id DESC`, args{learnerID}, func(r *sql.Rows) error {
		var a youth.Achievement
		if err := r.Scan(&a.ID, &a.LearnerID, &a.Kind, &a.Title, &a.Year, &a.Result, timeScan{&a.CreatedAt}); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return p, out, err
}

func atoiID(s string) int64 {
	var n int64
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// SaveProfile writes the learner's profile whole.
func (s *Store) SaveProfile(ctx context.Context, sc auth.Scope, p youth.Profile) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, p.LearnerID); err != nil {
			return err
		}
		ids := make([]string, 0, len(p.Municipalities))
		for _, m := range p.Municipalities {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM municipality WHERE id = $1 AND region_code = $2`, m, sc.RegionCode).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field("municipalities", "муниципальное образование %d не найдено в регионе", m)
			}
			ids = append(ids, fmt.Sprint(m))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO learner_profile (learner_id, phone, email, wish, municipalities, relocation, min_pay, schedule, about, show_contacts, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (learner_id) DO UPDATE SET phone = excluded.phone, email = excluded.email, wish = excluded.wish, municipalities = excluded.municipalities,
			relocation = excluded.relocation, min_pay = excluded.min_pay, schedule = excluded.schedule, about = excluded.about,
			show_contacts = excluded.show_contacts, updated_at = excluded.updated_at`,
			p.LearnerID, p.Phone, p.Email, p.Wish, strings.Join(ids, ","), p.Relocation, p.MinPay, p.Schedule, p.About, p.ShowContacts, tsArg(p.UpdatedAt))
		return err
	})
}

// AddAchievement adds an achievement of a learner the caller sees.
func (s *Store) AddAchievement(ctx context.Context, sc auth.Scope, a *youth.Achievement) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, a.LearnerID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO learner_achievement (learner_id, kind, title, year, result, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			a.LearnerID, a.Kind, a.Title, a.Year, a.Result, tsArg(a.CreatedAt)).Scan(&a.ID)
	})
}

// DeleteAchievement removes an achievement of the caller's own learner.
func (s *Store) DeleteAchievement(ctx context.Context, sc auth.Scope, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM learner_achievement WHERE id = $1 AND learner_id = $2`, id, sc.LearnerID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "достижение не найдено")
	}
	return nil
}

// RemindTrials tells the pupils signed up for an event of the next day, and
// their parents, that it is tomorrow: a notice in the inbox and, for those
// who gave an address, a letter. Each is told once, however often it runs.
func (s *Store) RemindTrials(ctx context.Context, region string, tomorrow time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		at := tsArg(s.now())
		day := dateArg(tomorrow)
		const who = ` FROM guidance_signup g JOIN guidance_event e ON e.id = g.event_id JOIN app_user u ON u.learner_id = g.learner_id AND NOT u.disabled
			WHERE e.region_code = $1 AND e.held_on = $2
			AND NOT EXISTS (SELECT 1 FROM inbox_message m WHERE m.user_id = u.id AND m.kind = 'deadline' AND m.link = '/guidance/events/' || e.id)`
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (user_id, to_addr, kind, link, created_at, next_at)
			SELECT u.id, u.email, 'deadline', '/guidance/events/' || e.id, $3, $3`+who+` AND u.email <> ''`, region, day, at); err != nil {
			return fmt.Errorf("store: remind trials: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO inbox_message (user_id, kind, text, link, created_at)
			SELECT u.id, 'deadline', 'Завтра: ' || e.title, '/guidance/events/' || e.id, $3`+who, region, day, at)
		if err != nil {
			return fmt.Errorf("store: remind trials: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
