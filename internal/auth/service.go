package auth

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"marshrut/internal/apperr"
)

// Service logs people in and out and tells who is behind a cookie or a token.
type Service struct {
	store   Store
	now     func() time.Time
	ttl     time.Duration
	byIP    *limiter
	byLogin *limiter
	byCode  *limiter // attempts of one-time codes of invitations, by address
	events  func(Event)
}

// NewService returns a Service; ttl is how long a session lasts without activity.
func NewService(s Store, ttl time.Duration, now func() time.Time) *Service {
	return &Service{store: s, now: now, ttl: ttl,
		byIP:    newLimiter(20, 15*time.Minute),
		byLogin: newLimiter(5, 15*time.Minute),
		byCode:  newLimiter(10, 15*time.Minute)}
}

// ErrBadCredentials is the one answer to a wrong login or password: it does
// not say which of the two was wrong.
var ErrBadCredentials = apperr.New(apperr.Unauthorized, "Неверный логин или пароль.")

// Login checks the credentials and opens a session; it returns the cookie token.
func (s *Service) Login(ctx context.Context, login, password, ip string) (string, Session, User, error) {
	now := s.now()
	login = strings.ToLower(strings.TrimSpace(login))
	for _, k := range []struct {
		l   *limiter
		key string
	}{{s.byIP, ip}, {s.byLogin, login}} {
		if blocked, wait := k.l.blocked(k.key, now); blocked {
			s.event(EventLoginThrottled, 0, ip)
			return "", Session{}, User{}, apperr.New(apperr.TooMany, "Слишком много неудачных попыток входа. Повторите через %d мин.", int(math.Ceil(wait.Minutes())))
		}
	}
	u, hash, err := s.store.UserByLogin(ctx, login)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return "", Session{}, User{}, err
	}
	if err != nil {
		VerifyPassword(dummyHash, password)
	}
	// A locked account answers as a wrong password does, after as long a
	// check: the answer must not tell a guesser that the login exists.
	if err == nil && u.Locked(now) {
		VerifyPassword(dummyHash, password)
		s.byIP.fail(ip, now)
		s.byLogin.fail(login, now)
		s.event(EventLoginLocked, u.ID, ip)
		return "", Session{}, User{}, ErrBadCredentials
	}
	if err != nil || u.Disabled || !VerifyPassword(hash, password) {
		s.byIP.fail(ip, now)
		s.byLogin.fail(login, now)
		if err == nil {
			until, ferr := s.store.LoginFailed(ctx, u.ID, LockAfter, now.Add(LockFor))
			if ferr != nil {
				return "", Session{}, User{}, ferr
			}
			if now.Before(until) {
				s.event(EventLoginLocked, u.ID, ip)
				return "", Session{}, User{}, ErrBadCredentials
			}
		}
		s.event(EventLoginFailed, u.ID, ip)
		return "", Session{}, User{}, ErrBadCredentials
	}
	s.byLogin.reset(login)
	if u.FailedLogins > 0 || !u.LockedUntil.IsZero() {
		if err := s.store.Unlock(ctx, u.ID); err != nil {
			return "", Session{}, User{}, err
		}
	}
	token, sess, err := s.openSession(ctx, u, ip, now)
	return token, sess, u, err
}

func (s *Service) openSession(ctx context.Context, u User, ip string, now time.Time) (string, Session, error) {
	token := NewSecret()
	sess := Session{TokenHash: HashSecret(token), UserID: u.ID, CSRF: NewSecret(), CreatedAt: now, ExpiresAt: now.Add(s.ttl), IP: ip}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// OpenSession opens a session for a user who proved who they are another
// way than by password: the region's single sign-on, or an invitation just
// redeemed. A disabled or locked account opens nothing.
func (s *Service) OpenSession(ctx context.Context, userID int64, ip string) (string, Session, User, error) {
	now := s.now()
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return "", Session{}, User{}, err
	}
	if u.Disabled || u.Locked(now) {
		s.event(EventLoginLocked, u.ID, ip)
		return "", Session{}, User{}, apperr.New(apperr.Forbidden, "Учётная запись отключена или временно заблокирована: обратитесь к администратору.")
	}
	token, sess, err := s.openSession(ctx, u, ip, now)
	return token, sess, u, err
}

// CodeAllowed refuses an address that has tried too many wrong one-time
// codes of invitations lately.
func (s *Service) CodeAllowed(ip string) error {
	if blocked, wait := s.byCode.blocked(ip, s.now()); blocked {
		s.event(EventLoginThrottled, 0, ip)
		return apperr.New(apperr.TooMany, "Слишком много неудачных попыток ввести код приглашения. Повторите через %d мин.", int(math.Ceil(wait.Minutes())))
	}
	return nil
}

// SSORefused records a sign-in through a provider that was refused: a bad
// token, or a person without an account.
func (s *Service) SSORefused(userID int64, ip string) { s.event(EventSSORefused, userID, ip) }

// CodeFailed counts a failed attempt of an invitation's code from an
// address: a wrong, used, expired or revoked code, or a wrong birth date.
func (s *Service) CodeFailed(ip string) {
	s.byCode.fail(ip, s.now())
	s.event(EventInviteFailed, 0, ip)
}

// errNoSession is the answer to a missing, expired or unknown session.
var errNoSession = apperr.New(apperr.Unauthorized, "Сеанс завершён. Войдите снова.")

// Authenticate returns the session and user behind a cookie token and extends
// the session when a good part of its life has passed.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, User, error) {
	if token == "" {
		return Session{}, User{}, errNoSession
	}
	sess, err := s.store.Session(ctx, HashSecret(token))
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, User{}, errNoSession
	}
	if err != nil {
		return Session{}, User{}, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		s.store.DeleteSession(ctx, sess.TokenHash)
		return Session{}, User{}, errNoSession
	}
	u, err := s.store.User(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return Session{}, User{}, errNoSession
	}
	if sess.ExpiresAt.Sub(now) < s.ttl*3/4 {
		sess.ExpiresAt = now.Add(s.ttl)
		if err := s.store.ExtendSession(ctx, sess.TokenHash, sess.ExpiresAt); err != nil {
			return Session{}, User{}, err
		}
	}
	return sess, u, nil
}

// Logout ends the session behind a cookie token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, HashSecret(token))
}

// TokenPrefix starts every API token, so that a leaked one is easy to recognise.
const TokenPrefix = "mrt_"

// TokenTTL is how long an API token works unless its maker chose otherwise.
const TokenTTL = 90 * 24 * time.Hour

// AuthenticateToken returns the user behind an API token; ip is the client's
// address, for the security log when a revoked or expired token is tried.
func (s *Service) AuthenticateToken(ctx context.Context, token, ip string) (User, error) {
	bad := apperr.New(apperr.Unauthorized, "API-токен недействителен, истёк или отозван.")
	if !strings.HasPrefix(token, TokenPrefix) {
		return User{}, bad
	}
	t, err := s.store.TokenByHash(ctx, HashSecret(token))
	if apperr.Is(err, apperr.NotFound) {
		return User{}, bad
	}
	if err != nil {
		return User{}, err
	}
	now := s.now()
	switch {
	case t.Revoked:
		s.event(EventTokenRevoked, t.UserID, ip)
		return User{}, bad
	case t.Expired(now):
		s.event(EventTokenExpired, t.UserID, ip)
		return User{}, bad
	}
	u, err := s.store.User(ctx, t.UserID)
	if err != nil || u.Disabled {
		s.event(EventTokenRevoked, t.UserID, ip)
		return User{}, bad
	}
	if now.Sub(t.LastUsed) > time.Minute {
		if err := s.store.TouchToken(ctx, t.ID, now); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// MaxTokenDays is the longest life of an API token a user may choose.
const MaxTokenDays = 365

// CreateToken makes a personal API token for u that works for TokenTTL;
// the secret is shown once.
func (s *Service) CreateToken(ctx context.Context, u User, name string) (string, Token, error) {
	return s.CreateTokenFor(ctx, u, name, 0)
}

// CreateTokenFor makes a personal API token for u that works for days days
// (zero: TokenTTL); the secret is shown once.
func (s *Service) CreateTokenFor(ctx context.Context, u User, name string, days int) (string, Token, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return "", Token{}, apperr.Field("name", "назовите токен (до 100 знаков), например «Выгрузка для 1С»")
	}
	if days < 0 || days > MaxTokenDays {
		return "", Token{}, apperr.Field("days", "срок действия токена — от 1 до %d дней", MaxTokenDays)
	}
	ttl := TokenTTL
	if days > 0 {
		ttl = time.Duration(days) * 24 * time.Hour
	}
	secret := TokenPrefix + NewSecret()
	now := s.now()
	t := Token{UserID: u.ID, Name: name, Hash: HashSecret(secret), Prefix: secret[:len(TokenPrefix)+6], CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.store.CreateToken(ctx, &t); err != nil {
		return "", Token{}, err
	}
	return secret, t, nil
}

// AddUser validates and creates a user with a password.
func (s *Service) AddUser(ctx context.Context, u *User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := CheckPassword(u.Login, password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return fmt.Errorf("auth: hash: %w", err)
	}
	u.CreatedAt = s.now()
	return s.store.CreateUser(ctx, u, hash)
}

// Unlock lifts the lockout of an account and forgets its recent failures,
// also those counted in memory, so that its owner can log in at once.
func (s *Service) Unlock(ctx context.Context, userID int64) error {
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.store.Unlock(ctx, userID); err != nil {
		return err
	}
	s.byLogin.reset(u.Login)
	return nil
}

// EndSessions logs a user out of every browser and revokes every API token
// at once: after a lost laptop, a leaked password or a change of duties. It
// returns how many sessions ended.
func (s *Service) EndSessions(ctx context.Context, userID int64) (int, error) {
	if _, err := s.store.User(ctx, userID); err != nil {
		return 0, err
	}
	if _, err := s.store.RevokeTokens(ctx, userID); err != nil {
		return 0, err
	}
	return s.store.DeleteUserSessions(ctx, userID)
}
