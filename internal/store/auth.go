package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

const userCols = `u.id, u.login, u.name, u.role, u.region_code, COALESCE(u.org_id, 0), COALESCE(o.name, ''),
	COALESCE(u.learner_id, 0), u.disabled, u.created_at, u.failed_logins, u.locked_until`

const userFrom = ` FROM app_user u LEFT JOIN organisation o ON o.id = u.org_id`

func scanUser(sc interface{ Scan(...any) error }, u *auth.User, extra ...any) error {
	return sc.Scan(append([]any{&u.ID, &u.Login, &u.Name, &u.Role, &u.RegionCode, &u.OrgID, &u.OrgName, &u.LearnerID, &u.Disabled,
		timeScan{&u.CreatedAt}, &u.FailedLogins, timeScan{&u.LockedUntil}}, extra...)...)
}

// CreateUser stores a user with the municipalities it serves.
func (s *Auth) CreateUser(ctx context.Context, u *auth.User, hash string) error {
	return wrap("create user", s.tx(ctx, func(tx *sql.Tx) error {
		if u.OrgID != 0 {
			var kind string
			err := tx.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, u.OrgID, u.RegionCode).Scan(&kind)
			if noRows(err) {
				return apperr.Field("org_id", "организация %d не найдена в регионе %s", u.OrgID, u.RegionCode)
			}
			if err != nil {
				return err
			}
			if want := orgKindOfRole[u.Role]; want != "" && kind != want {
				return apperr.Field("org_id", "пользователь с ролью «%s» должен быть приписан к организации вида %s, а не %s", u.Role.Name(), want, kind)
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO app_user (login, name, role, region_code, org_id, learner_id, password_hash, disabled, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			u.Login, u.Name, u.Role, u.RegionCode, nullID(u.OrgID), nullID(u.LearnerID), hash, u.Disabled, tsArg(u.CreatedAt)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return apperr.Field("login", "логин «%s» уже занят", u.Login)
		}
		if isForeignKeyViolation(err) {
			return apperr.New(apperr.Invalid, "запись обучающегося или организация пользователя не найдена")
		}
		if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		// An employment centre serves its own municipality unless told otherwise.
		if u.Role == auth.CZN && len(u.Municipalities) == 0 {
			var m int64
			if err := tx.QueryRowContext(ctx, `SELECT municipality_id FROM organisation WHERE id = $1`, u.OrgID).Scan(&m); err != nil {
				return err
			}
			u.Municipalities = []int64{m}
		}
		for _, m := range u.Municipalities {
			if err := checkMunicipality(ctx, tx, u.RegionCode, m); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_municipality (user_id, municipality_id) VALUES ($1, $2)`, u.ID, m); err != nil {
				return fmt.Errorf("store: user municipality: %w", err)
			}
		}
		return nil
	}))
}

var orgKindOfRole = map[auth.Role]string{
	auth.School: "school", auth.College: "college", auth.University: "university", auth.Employer: "employer", auth.CZN: "czn",
}

func (s *Auth) municipalitiesOf(ctx context.Context, u *auth.User) error {
	if u.Role != auth.CZN {
		return nil
	}
	return eachRowOp(ctx, s.read, "municipalities of", `SELECT municipality_id FROM user_municipality WHERE user_id = $1 ORDER BY municipality_id`, args{u.ID}, func(rows *sql.Rows) error {
		var m int64
		if err := rows.Scan(&m); err != nil {
			return err
		}
		u.Municipalities = append(u.Municipalities, m)
		return nil
	})
}

// UserByLogin returns a user and its password hash.
func (s *Auth) UserByLogin(ctx context.Context, login string) (auth.User, string, error) {
	var u auth.User
	var hash string
	err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userCols+`, u.password_hash`+userFrom+` WHERE u.login = $1`, login), &u, &hash)
	if err != nil {
		return u, "", wrap("user by login", notFound(err, "пользователь не найден"))
	}
	return u, hash, wrap("user by login", s.municipalitiesOf(ctx, &u))
}

// User returns a user by id.
func (s *Auth) User(ctx context.Context, id int64) (auth.User, error) {
	var u auth.User
	if err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = $1`, id), &u); err != nil {
		return u, wrap("user", notFound(err, "пользователь не найден"))
	}
	return u, wrap("user", s.municipalitiesOf(ctx, &u))
}

// Users returns every user by login.
func (s *Auth) Users(ctx context.Context) ([]auth.User, error) {
	return list(ctx, s.read, "users", `SELECT `+userCols+userFrom+` ORDER BY u.login`, nil, func(rows *sql.Rows) (auth.User, error) {
		var u auth.User
		err := scanUser(rows, &u)
		return u, err
	})
}

// SetPassword replaces a user's password hash, clears a pending reset and
// ends the user's sessions and API tokens, in one transaction.
func (s *Auth) SetPassword(ctx context.Context, userID int64, hash string) error {
	return wrap("set password", s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE app_user SET password_hash = $1, reset_hash = '', reset_until = NULL WHERE id = $2`, hash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "пользователь не найден")
		}
		return endAccess(ctx, tx, userID)
	}))
}

// endAccess ends every session and revokes every API token of a user.
func endAccess(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("store: end sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE api_token SET revoked = TRUE WHERE user_id = $1 AND NOT revoked`, userID); err != nil {
		return fmt.Errorf("store: revoke tokens: %w", err)
	}
	return nil
}

// SetDisabled disables or enables a user; disabling ends its sessions and tokens.
func (s *Auth) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	return wrap("set disabled", s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE app_user SET disabled = $1 WHERE id = $2`, disabled, userID)
		if err != nil {
			return fmt.Errorf("store: disable user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "пользователь не найден")
		}
		if !disabled {
			return nil
		}
		return endAccess(ctx, tx, userID)
	}))
}

// unusableHash is a password hash that no password matches: it is not a PHC string.
const unusableHash = "!reset"

// StartReset replaces the password with one nothing matches, keeps the hash
// of a one-time code until until and ends the user's sessions and tokens.
func (s *Auth) StartReset(ctx context.Context, userID int64, codeHash string, until time.Time) error {
	return wrap("start reset", s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE app_user SET password_hash = $1, reset_hash = $2, reset_until = $3 WHERE id = $4`,
			unusableHash, codeHash, tsArg(until), userID)
		if err != nil {
			return fmt.Errorf("store: start reset: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "пользователь не найден")
		}
		return endAccess(ctx, tx, userID)
	}))
}

// Reset returns the pending reset of a user: the code's hash ("" for none) and its expiry.
func (s *Auth) Reset(ctx context.Context, userID int64) (string, time.Time, error) {
	var hash string
	var until time.Time
	err := s.read.QueryRowContext(ctx, `SELECT reset_hash, reset_until FROM app_user WHERE id = $1`, userID).Scan(&hash, timeScan{&until})
	if err != nil {
		return "", time.Time{}, wrap("reset", notFound(err, "пользователь не найден"))
	}
	return hash, until, nil
}

// RevokeTokens revokes every token of a user.
func (s *Auth) RevokeTokens(ctx context.Context, userID int64) (int, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE api_token SET revoked = TRUE WHERE user_id = $1 AND NOT revoked`, userID)
	if err != nil {
		return 0, fmt.Errorf("store: revoke tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// LoginFailed counts a failed login of a user; the max-th failure in a row
// locks the account until lockUntil and starts the count anew, in one
// statement, so that concurrent failures cannot slip past the limit.
func (s *Auth) LoginFailed(ctx context.Context, userID int64, max int, lockUntil time.Time) (time.Time, error) {
	var until time.Time
	err := s.write.QueryRowContext(ctx, `UPDATE app_user SET
		locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END,
		failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END
		WHERE id = $1 RETURNING locked_until`, userID, max, tsArg(lockUntil)).Scan(timeScan{&until})
	if err != nil {
		return time.Time{}, wrap("login failed", notFound(err, "пользователь не найден"))
	}
	return until, nil
}

// Unlock clears a user's failed logins and lock.
func (s *Auth) Unlock(ctx context.Context, userID int64) error {
	res, err := s.write.ExecContext(ctx, `UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1`, userID)
	if err != nil {
		return fmt.Errorf("store: unlock: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "пользователь не найден")
	}
	return nil
}

// DeleteUserSessions ends every session of a user.
func (s *Auth) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM session WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("store: end sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SessionCounts returns the number of unexpired sessions of each user that has any.
func (s *Auth) SessionCounts(ctx context.Context, now time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	if err := eachRowOp(ctx, s.read, "session counts", `SELECT user_id, count(*) FROM session WHERE expires_at > $1 GROUP BY user_id`, args{tsArg(now)}, func(rows *sql.Rows) error {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	}); err != nil {
		return nil, wrap("session counts", err)
	}
	return out, nil
}

// CreateSession stores a new session.
func (s *Auth) CreateSession(ctx context.Context, se auth.Session) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
		se.TokenHash, se.UserID, se.CSRF, tsArg(se.CreatedAt), tsArg(se.ExpiresAt), se.IP)
	return wrap("create session", err)
}

// Session returns a session by the hash of its token.
func (s *Auth) Session(ctx context.Context, tokenHash string) (auth.Session, error) {
	var se auth.Session
	err := s.read.QueryRowContext(ctx, `SELECT token_hash, user_id, csrf, created_at, expires_at, ip FROM session WHERE token_hash = $1`, tokenHash).
		Scan(&se.TokenHash, &se.UserID, &se.CSRF, timeScan{&se.CreatedAt}, timeScan{&se.ExpiresAt}, &se.IP)
	return se, wrap("session", notFound(err, "сеанс не найден"))
}

// ExtendSession moves a session's expiry.
func (s *Auth) ExtendSession(ctx context.Context, tokenHash string, until time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE session SET expires_at = $1 WHERE token_hash = $2`, tsArg(until), tokenHash)
	return wrap("extend session", err)
}

// DeleteSession ends a session.
func (s *Auth) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM session WHERE token_hash = $1`, tokenHash)
	return wrap("delete session", err)
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Auth) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM session WHERE expires_at < $1`, tsArg(now))
	if err != nil {
		return 0, wrap("delete expired sessions", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// CreateToken stores a new API token.
func (s *Auth) CreateToken(ctx context.Context, t *auth.Token) error {
	return wrap("create token", s.write.QueryRowContext(ctx, `INSERT INTO api_token (user_id, name, hash, prefix, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		t.UserID, t.Name, t.Hash, t.Prefix, tsArg(t.CreatedAt), nullTime(t.ExpiresAt)).Scan(&t.ID))
}

const tokenCols = `id, user_id, name, hash, prefix, created_at, last_used, revoked, expires_at`

func scanToken(sc interface{ Scan(...any) error }, t *auth.Token) error {
	return sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Prefix, timeScan{&t.CreatedAt}, timeScan{&t.LastUsed}, &t.Revoked, timeScan{&t.ExpiresAt})
}

// nullTime is a time parameter: NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return tsArg(t)
}

// Tokens returns a user's API tokens, newest first.
func (s *Auth) Tokens(ctx context.Context, userID int64) ([]auth.Token, error) {
	return list(ctx, s.read, "tokens", `SELECT `+tokenCols+` FROM api_token WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, args{userID}, scanner(scanToken))
}

// TokenByHash returns a token by the hash of its secret.
func (s *Auth) TokenByHash(ctx context.Context, hash string) (auth.Token, error) {
	var t auth.Token
	err := scanToken(s.read.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_token WHERE hash = $1`, hash), &t)
	return t, wrap("token by hash", notFound(err, "токен не найден"))
}

// TouchToken records when a token was last used.
func (s *Auth) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE api_token SET last_used = $1 WHERE id = $2`, tsArg(at), id)
	return wrap("touch token", err)
}

// RevokeToken revokes one of the user's tokens; userID zero revokes any user's.
func (s *Auth) RevokeToken(ctx context.Context, userID, id int64) error {
	res, err := s.write.ExecContext(ctx, `UPDATE api_token SET revoked = TRUE WHERE id = $1 AND ($2 = 0 OR user_id = $2)`, id, userID)
	if err != nil {
		return wrap("revoke token", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "токен не найден")
	}
	return nil
}

// Audit writes one entry of the audit log. A single read takes the region
// of the learner read; a bulk read (no learner) the region it names.
func (s *Auth) Audit(ctx context.Context, e auth.AuditEntry) error {
	persons := e.Persons
	if e.LearnerID != 0 && persons == 0 {
		persons = 1
	}
	// The login is copied so that the entry still names the user after the account is gone.
	_, err := s.write.ExecContext(ctx, `INSERT INTO audit_log (region_code, at, user_id, user_login, role, action, learner_id, ip, filter, persons)
		VALUES (COALESCE((SELECT region_code FROM learner WHERE id = $1), $8), $2, $3,
		COALESCE((SELECT login FROM app_user WHERE id = $3), $4), $5, $6, $1, $7, $9, $10)`,
		e.LearnerID, tsArg(e.At), e.UserID, "система", e.Role, e.Action, e.From, e.RegionCode, e.Filter, persons)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditLog returns a page of the audit log, newest first, and the total.
func (s *Auth) AuditLog(ctx context.Context, f auth.AuditFilter) ([]auth.AuditEntry, int, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	var a args
	where := "1 = 1"
	if f.UserID != 0 {
		where += " AND user_id = " + a.add(f.UserID)
	}
	if f.LearnerID != 0 {
		where += " AND learner_id = " + a.add(f.LearnerID)
	}
	switch {
	case strings.HasSuffix(f.Action, "."):
		where += " AND action LIKE " + a.add(f.Action+"%")
	case f.Action != "":
		where += " AND action = " + a.add(f.Action)
	}
	if !f.Since.IsZero() {
		where += " AND at >= " + a.add(tsArg(f.Since))
	}
	if !f.Until.IsZero() {
		where += " AND at < " + a.add(tsArg(f.Until))
	}
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, wrap("audit log", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	out, err := list(ctx, q, "audit log", `SELECT id, at, user_id, user_login, role, action, learner_id, ip, region_code, filter, persons FROM audit_log WHERE `+where+
		` ORDER BY at DESC, id DESC LIMIT `+a.add(limit)+` OFFSET `+a.add(max(0, f.Offset)), a, func(rows *sql.Rows) (auth.AuditEntry, error) {
		var e auth.AuditEntry
		if err := rows.Scan(&e.ID, timeScan{&e.At}, &e.UserID, &e.UserLogin, &e.Role, &e.Action, &e.LearnerID, &e.From,
			&e.RegionCode, &e.Filter, &e.Persons); err != nil {
			return e, err
		}
		return e, nil
	})
	return out, total, wrap("audit log", err)
}

// PruneAudit removes audit entries older than before: the retention period
// of the installation. It is the only statement that deletes from the log.
func (s *Auth) PruneAudit(ctx context.Context, before time.Time) (int, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM audit_log WHERE at < $1`, tsArg(before))
	if err != nil {
		return 0, fmt.Errorf("store: prune audit: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
