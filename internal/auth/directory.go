package auth

import (
	"context"
	"time"
)

// Directory is what the pages of accounts read and change: the users with
// their open sessions, a user's API tokens and the audit log. The store
// implements it as part of Store.
type Directory interface {
	User(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	SessionCounts(ctx context.Context, now time.Time) (map[int64]int, error)
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	RevokeToken(ctx context.Context, userID, id int64) error
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
	// Audit writes an entry: the pages record reads of many people with it.
	Audit(ctx context.Context, e AuditEntry) error
}

var _ Directory = Store(nil)
