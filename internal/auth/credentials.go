package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"time"

	"marshrut/internal/apperr"
)

// Event is a security event: a failed or refused login, a refused form or
// permission, a revoked or expired token tried. It carries the user's id and
// the client's address, never a login or any other personal field.
type Event struct {
	Kind   string
	UserID int64
	IP     string
}

// The kinds of security events.
const (
	EventLoginFailed    = "login_failed"
	EventLoginLocked    = "login_locked"
	EventLoginThrottled = "login_throttled"
	EventResetFailed    = "reset_failed"
	EventInviteFailed   = "invite_failed"
	EventSSORefused     = "sso_refused"
	EventTokenRevoked   = "token_revoked"
	EventTokenExpired   = "token_expired"
	EventCSRF           = "csrf_refused"
	EventForbidden      = "forbidden"
)

// EventKinds lists every kind, so that counters start at zero.
var EventKinds = []string{EventLoginFailed, EventLoginLocked, EventLoginThrottled, EventResetFailed, EventInviteFailed, EventSSORefused,
	EventTokenRevoked, EventTokenExpired, EventCSRF, EventForbidden}

// OnEvent sets where security events go; the server logs and counts them.
func (s *Service) OnEvent(f func(Event)) { s.events = f }

func (s *Service) event(kind string, userID int64, ip string) {
	if s.events != nil {
		s.events(Event{Kind: kind, UserID: userID, IP: ip})
	}
}

// ChangePassword replaces the caller's own password after checking the
// current one; every session and token of the user ends with it.
func (s *Service) ChangePassword(ctx context.Context, u User, current, next, ip string) error {
	_, hash, err := s.store.UserByLogin(ctx, u.Login)
	if err != nil {
		return err
	}
	if !VerifyPassword(hash, current) {
		s.event(EventLoginFailed, u.ID, ip)
		return apperr.Field("current", "текущий пароль введён неверно")
	}
	if current == next {
		return apperr.Field("password", "новый пароль должен отличаться от текущего")
	}
	return s.setPassword(ctx, u, next)
}

func (s *Service) setPassword(ctx context.Context, u User, p string) error {
	if err := CheckPassword(u.Login, p); err != nil {
		return err
	}
	h, err := HashPassword(p)
	if err != nil {
		return fmt.Errorf("auth: hash: %w", err)
	}
	return s.store.SetPassword(ctx, u.ID, h)
}

// SetPassword sets a user's password from the command line.
func (s *Service) SetPassword(ctx context.Context, userID int64, p string) error {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	return s.setPassword(ctx, u, p)
}

// SetDisabled disables or enables a user; a disabled user's sessions and
// tokens end at once.
func (s *Service) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	return s.store.SetDisabled(ctx, userID, disabled)
}

// ResetTTL is how long a one-time reset code works.
const ResetTTL = 24 * time.Hour

// codeAlphabet has no letters that are read one for another (0 O, 1 I L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode is a one-time code of twelve characters in groups of four, easy
// to read out over the phone: about 59 bits.
func newCode() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return sb.String()
}

// NewCode is a one-time code of twelve characters in groups of four, as
// the reset and the invitations use.
func NewCode() string { return newCode() }

// NormCode is a code as typed, in the form its hash is taken of: upper case,
// without dashes and spaces.
func NormCode(c string) string { return normCode(c) }

func normCode(c string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(c)))
}

// ResetPassword starts a reset of a user's password: the old password stops
// working, sessions and tokens end, and the returned one-time code, valid
// for ResetTTL, lets the user choose a new password. The code is shown once.
func (s *Service) ResetPassword(ctx context.Context, userID int64) (string, time.Time, error) {
	code := newCode()
	until := s.now().Add(ResetTTL)
	if err := s.store.StartReset(ctx, userID, HashSecret(normCode(code)), until); err != nil {
		return "", time.Time{}, err
	}
	return code, until, nil
}

// errBadCode is the one answer to a wrong login, a wrong or an expired code.
var errBadCode = apperr.New(apperr.Invalid, "Неверный логин или код восстановления, или срок кода истёк: попросите администратора выдать новый.")

// CompleteReset sets a new password with a one-time code.
func (s *Service) CompleteReset(ctx context.Context, login, code, password, ip string) error {
	now := s.now()
	login = strings.ToLower(strings.TrimSpace(login))
	if blocked, wait := s.byIP.blocked(ip, now); blocked {
		s.event(EventLoginThrottled, 0, ip)
		return apperr.New(apperr.TooMany, "Слишком много неудачных попыток. Повторите через %d мин.", int(wait.Minutes())+1)
	}
	u, _, err := s.store.UserByLogin(ctx, login)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	var hash string
	var until time.Time
	if err == nil {
		if hash, until, err = s.store.Reset(ctx, u.ID); err != nil {
			return err
		}
	}
	got := HashSecret(normCode(code))
	if hash == "" || u.Disabled || !now.Before(until) || subtle.ConstantTimeCompare([]byte(got), []byte(hash)) != 1 {
		s.byIP.fail(ip, now)
		s.event(EventResetFailed, u.ID, ip)
		return errBadCode
	}
	if err := s.setPassword(ctx, u, password); err != nil {
		return err
	}
	s.byLogin.reset(login)
	return s.store.Unlock(ctx, u.ID)
}

// FilterText is the query of a bulk read as the audit log keeps it: the
// parameters in order, without paging and export format, at most 500 bytes.
func FilterText(q url.Values) string {
	q = maps.Clone(q)
	for _, k := range []string{"page", "offset", "cursor", "format", "limit", "sig", "done", "error"} {
		delete(q, k)
	}
	s := q.Encode()
	if len(s) > 500 {
		s = strings.ToValidUTF8(s[:500], "") + "…"
	}
	return s
}
