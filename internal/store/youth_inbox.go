package store

import (
	"context"
	"database/sql"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/mail"
	"marshrut/internal/youth"
)

// The inbox and the mail of every user, the notices written with the change
// that causes them, and the invite codes that open a parent's account.

// Messages is the caller's inbox, newest first, and how many are unread.
func (s *Youth) Messages(ctx context.Context, sc auth.Scope, limit int) ([]youth.Message, int, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	var unread int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM inbox_message WHERE user_id = $1 AND read_at IS NULL`, sc.UserID).Scan(&unread); err != nil {
		return nil, 0, wrap("messages", err)
	}
	var out []youth.Message
	err := eachRow(ctx, q, `SELECT id, user_id, kind, text, link, created_at, read_at FROM inbox_message WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
		args{sc.UserID, limit}, func(r *sql.Rows) error {
			var m youth.Message
			if err := r.Scan(&m.ID, &m.UserID, &m.Kind, &m.Text, &m.Link, timeScan{&m.CreatedAt}, timeScan{&m.ReadAt}); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	return out, unread, wrap("messages", err)
}

// ReadMessages marks the caller's inbox read.
func (s *Youth) ReadMessages(ctx context.Context, sc auth.Scope) error {
	_, err := s.write.ExecContext(ctx, `UPDATE inbox_message SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, tsArg(s.now()), sc.UserID)
	return wrap("read messages", err)
}

// Notify delivers a notice to everyone it concerns.
func (s *Youth) Notify(ctx context.Context, n youth.Notice) error {
	return wrap("notify", s.tx(ctx, func(tx *sql.Tx) error { return notifyTx(ctx, tx, s.now(), n) }))
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
func (s *Youth) CreateInvite(ctx context.Context, sc auth.Scope, in youth.Invite) error {
	return wrap("create invite", s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, in.LearnerID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO guardian_invite (code_hash, learner_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			in.CodeHash, in.LearnerID, nullID(in.CreatedBy), tsArg(s.now()), tsArg(in.ExpiresAt))
		return err
	}))
}

// AcceptInvite uses an invite and opens the parent's account, in one transaction.
func (s *Youth) AcceptInvite(ctx context.Context, codeHash string, now time.Time, u *auth.User, hash string) error {
	return wrap("accept invite", s.tx(ctx, func(tx *sql.Tx) error {
		var used, expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT i.learner_id, l.region_code, i.expires_at, i.used_at FROM guardian_invite i JOIN learner l ON l.id = i.learner_id
			WHERE i.code_hash = $1`, codeHash).Scan(&u.LearnerID, &u.RegionCode, timeScan{&expires}, timeScan{&used})
		if noRows(err) {
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
	}))
}

// Guardians are the parents' accounts of a learner the caller sees.
func (s *Youth) Guardians(ctx context.Context, sc auth.Scope, learnerID int64) ([]auth.User, error) {
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
	return out, wrap("guardians", err)
}

// SetEmail keeps the address a user gave for notices; empty stops the letters.
func (s *Youth) SetEmail(ctx context.Context, userID int64, email string) error {
	_, err := s.write.ExecContext(ctx, `UPDATE app_user SET email = $1 WHERE id = $2`, email, userID)
	return wrap("set email", err)
}

// Email is the address a user gave for notices.
func (s *Youth) Email(ctx context.Context, userID int64) (string, error) {
	var e string
	err := s.read.QueryRowContext(ctx, `SELECT email FROM app_user WHERE id = $1`, userID).Scan(&e)
	return e, wrap("email", notFound(err, "пользователь не найден"))
}

// DueLetters are the letters not sent whose next attempt has come.
func (s *Mail) DueLetters(ctx context.Context, now time.Time, limit int) ([]mail.Letter, error) {
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
	return out, wrap("due letters", err)
}

// LetterSent marks a letter sent.
func (s *Mail) LetterSent(ctx context.Context, id int64, at time.Time) error {
	// A letter of an invitation carries its code in the link: sent, the
	// link goes, so that the database keeps the code's hash only.
	_, err := s.write.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = $1, error = '',
		link = CASE WHEN kind = 'invitation' THEN '' ELSE link END WHERE id = $2`, tsArg(at), id)
	return wrap("letter sent", err)
}

// LetterFailed records a failed attempt; a zero next gives the letter up.
func (s *Mail) LetterFailed(ctx context.Context, id int64, attempts int, next time.Time, reason string) error {
	var n any
	if !next.IsZero() {
		n = tsArg(next)
	}
	if len(reason) > 500 {
		reason = reason[:500]
	}
	_, err := s.write.ExecContext(ctx, `UPDATE mail_outbox SET attempts = $1, next_at = $2, error = $3 WHERE id = $4`, attempts, n, reason, id)
	return wrap("letter failed", err)
}
