package auth

import (
	"regexp"
	"strings"
	"time"

	"marshrut/internal/apperr"
)

// User is a person or a body that logs in.
type User struct {
	ID             int64
	Login          string
	Name           string
	Role           Role
	RegionCode     string
	OrgID          int64
	OrgName        string
	Municipalities []int64 // czn: the municipalities it serves
	LearnerID      int64   // learner: their own record
	Disabled       bool
	CreatedAt      time.Time
	FailedLogins   int       // failed logins in a row since the last success or lock
	LockedUntil    time.Time // zero, or until when logins are refused after too many failures
}

// Locked reports whether the account refuses logins at now.
func (u User) Locked(now time.Time) bool { return now.Before(u.LockedUntil) }

// Scope is what the user may see, seen from the address from.
func (u User) Scope(from string) Scope {
	return Scope{UserID: u.ID, Role: u.Role, RegionCode: u.RegionCode, OrgID: u.OrgID, Municipalities: u.Municipalities,
		LearnerID: u.LearnerID, From: from}
}

var reLogin = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{2,63}$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	u.Login = strings.ToLower(strings.TrimSpace(u.Login))
	u.Name = strings.TrimSpace(u.Name)
	var errs apperr.List
	if !reLogin.MatchString(u.Login) {
		errs.Add("login", "логин «%s» должен состоять из 3–64 латинских строчных букв, цифр и знаков . _ @ -", u.Login)
	}
	if !u.Role.Valid() {
		errs.Add("role", "неизвестная роль «%s»; допустимы: admin, region, czn, school, college, university, employer, expert, learner, guardian, federal", u.Role)
	}
	if u.Role.NeedsOrg() && u.OrgID <= 0 {
		errs.Add("org_id", "для роли «%s» укажите организацию", u.Role.Name())
	}
	if u.Role == Learner && u.LearnerID <= 0 {
		errs.Add("learner_id", "для роли «Обучающийся» укажите его запись")
	}
	if u.Role == Guardian && u.LearnerID <= 0 {
		errs.Add("learner_id", "для роли «Родитель» укажите запись ребёнка")
	}
	if u.Name == "" {
		u.Name = u.Login
	}
	return errs.Err()
}

// Session is a login in a browser. The cookie holds a random token; the
// database holds only its hash, so a copy of the database opens no session.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string // the token every form of the session carries
	CreatedAt time.Time
	ExpiresAt time.Time
	IP        string
}

// Token is a personal API token; like a session, only its hash is stored.
type Token struct {
	ID        int64
	UserID    int64
	Name      string
	Hash      string
	Prefix    string // the first characters, shown so the owner can tell tokens apart
	CreatedAt time.Time
	ExpiresAt time.Time // zero for a token made before tokens expired: then CreatedAt + TokenTTL
	LastUsed  time.Time
	Revoked   bool
}

// Expiry is when the token stops working.
func (t Token) Expiry() time.Time {
	if t.ExpiresAt.IsZero() {
		return t.CreatedAt.Add(TokenTTL)
	}
	return t.ExpiresAt
}

// Expired reports whether the token no longer works at now.
func (t Token) Expired(now time.Time) bool { return !now.Before(t.Expiry()) }

// AuditEntry is one read of a person's record, or one read of many people
// at once (a list page, an export): then LearnerID is zero, Filter says what
// was asked for and Persons how many people the answer held.
type AuditEntry struct {
	ID         int64
	At         time.Time
	UserID     int64
	UserLogin  string
	Role       Role
	Action     string // learner.read, learners.export, risk.list, …
	LearnerID  int64
	From       string // the client's address
	RegionCode string // the region of a bulk read; a single read takes the learner's
	Filter     string // the query of a bulk read, without personal fields
	Persons    int    // how many people the read showed
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	UserID        int64
	LearnerID     int64
	Action        string // one kind of entry, or a prefix ending in «.» for a family
	Since, Until  time.Time
	Limit, Offset int
}
