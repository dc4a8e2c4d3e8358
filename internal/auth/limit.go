package auth

import (
	"sync"
	"time"
)

// limiter counts failed logins per key (an address, a login) in a sliding
// window; past the limit, further attempts are refused until the window
// moves on. It lives in memory: one process serves one region.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked reports whether key has failed too often and, if so, for how long more.
func (l *limiter) blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.prune(key, now)
	if len(f) < l.max {
		return false, 0
	}
	return true, f[0].Add(l.window).Sub(now)
}

func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.prune(key, now), now)
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

func (l *limiter) prune(key string, now time.Time) []time.Time {
	f := l.fails[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) > l.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = f
	return f
}

// Account lockout, kept in the database so that it survives a restart and
// holds across addresses: after LockAfter failed logins in a row an account
// refuses every login, even with the right password, for LockFor, or until
// an administrator unlocks it on the «Пользователи» page. The limiters above
// slow a guesser down; the lockout stops a slow one that spreads its guesses
// over hours and addresses.
const (
	LockAfter = 10
	LockFor   = 30 * time.Minute
)
