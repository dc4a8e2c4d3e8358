package guidance

import (
	"context"
	"fmt"
	"sync"
	"time"

	"marshrut/internal/auth"
)

// coverageTTL is how long a computed coverage stays fresh. The store sums
// counts it keeps with every write (tens of milliseconds for a region of a
// million pupils); a dashboard opened by many people at once sums them once.
// Every write through the Service forgets what was counted, so a school
// sees its own entry at once.
const coverageTTL = 2 * time.Minute

type cacheEntry[T any] struct {
	at   time.Time
	val  T
	err  error
	done chan struct{} // closed when the value is ready
}

// cache keeps recent counts by key; callers that come while a count is
// being made wait for it instead of making their own.
type cache[T any] struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry[T]
}

func coverageKey(sc auth.Scope, year SchoolYear, by string) string {
	return fmt.Sprintf("%s|%s|%d|%d|%v|%d|%s", sc.Role, sc.RegionCode, sc.OrgID, sc.LearnerID, sc.Municipalities, year, by)
}

// get returns the value of the key, computing it with count when it is
// missing, stale or failed.
func (c *cache[T]) get(ctx context.Context, key string, now time.Time, count func() (T, error)) (T, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*cacheEntry[T]{}
	}
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.done:
			ok = e.err == nil && now.Sub(e.at) <= coverageTTL
		default: // being computed: wait below
		}
	}
	if !ok {
		e = &cacheEntry[T]{at: now, done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.val, e.err = count()
		close(e.done)
		return e.val, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// forget drops every value: something was written.
func (c *cache[T]) forget() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
