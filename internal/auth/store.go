package auth

import (
	"context"
	"time"
)

// Store is what authentication needs from storage.
type Store interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	UserByLogin(ctx context.Context, login string) (User, string, error)
	User(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	// SetPassword replaces a user's password hash and ends every session and
	// API token of the user; it clears a pending reset.
	SetPassword(ctx context.Context, userID int64, hash string) error
	// SetDisabled disables or enables a user; disabling ends every session
	// and API token of the user.
	SetDisabled(ctx context.Context, userID int64, disabled bool) error
	// StartReset replaces the password with one that opens nothing, keeps the
	// hash of a one-time code until the given time, and ends every session
	// and API token of the user.
	StartReset(ctx context.Context, userID int64, codeHash string, until time.Time) error
	// Reset is the pending reset of a user: the code's hash and its expiry.
	Reset(ctx context.Context, userID int64) (string, time.Time, error)
	// LoginFailed counts a failed login; at the max-th in a row it locks the
	// account until the given time and starts the count anew. It returns
	// until when the account is locked (zero when it is not).
	LoginFailed(ctx context.Context, userID int64, max int, lockUntil time.Time) (time.Time, error)
	// Unlock clears the failures and the lock of an account.
	Unlock(ctx context.Context, userID int64) error

	CreateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, tokenHash string) (Session, error)
	ExtendSession(ctx context.Context, tokenHash string, until time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
	// DeleteUserSessions ends every session of a user and says how many.
	DeleteUserSessions(ctx context.Context, userID int64) (int, error)
	// SessionCounts is the number of open sessions of each user with any.
	SessionCounts(ctx context.Context, now time.Time) (map[int64]int, error)

	CreateToken(ctx context.Context, t *Token) error
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	TokenByHash(ctx context.Context, hash string) (Token, error)
	TouchToken(ctx context.Context, id int64, at time.Time) error
	// RevokeToken revokes a token of userID; userID zero revokes any user's.
	RevokeToken(ctx context.Context, userID, id int64) error
	// RevokeTokens revokes every token of a user and says how many.
	RevokeTokens(ctx context.Context, userID int64) (int, error)

	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
	// PruneAudit removes the audit entries older than before, the one way
	// an entry ever leaves the log, and says how many.
	PruneAudit(ctx context.Context, before time.Time) (int, error)
}
