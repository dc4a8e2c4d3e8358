package guidance

import (
	"context"
	"fmt"
	"sync"
	"time"

	"marshrut/internal/auth"
)

// coverageTTL is how long a computed coverage stays fresh. Counting a region
// of a million pupils takes about a second; a dashboard opened by many
// people at once counts it once. Every write through the Service forgets
// what was counted, so a school sees its own entry at once.
const coverageTTL = 2 * time.Minute

type coverageEntry struct {
	at    time.Time
	rows  []Coverage
	total Coverage
	done  chan struct{} // closed when the count is ready
	err   error
}

// coverageCache keeps recent coverage counts by scope, year and cut.
type coverageCache struct {
	mu      sync.Mutex
	entries map[string]*coverageEntry
}

func coverageKey(sc auth.Scope, year SchoolYear, by string) string {
	return fmt.Sprintf("%s|%s|%d|%d|%v|%d|%s", sc.Role, sc.RegionCode, sc.OrgID, sc.LearnerID, sc.Municipalities, year, by)
}

// get returns the count for the key, computing it with count when it is
// missing or stale; callers that come while it is being computed wait for it.
func (c *coverageCache) get(ctx context.Context, key string, now time.Time, count func() ([]Coverage, Coverage, error)) ([]Coverage, Coverage, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*coverageEntry{}
	}
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.done:
			if e.err != nil || now.Sub(e.at) > coverageTTL {
				ok = false
			}
		default: // being computed: wait below
		}
	}
	if !ok {
		e = &coverageEntry{at: now, done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.rows, e.total, e.err = count()
		close(e.done)
		return e.rows, e.total, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.rows, e.total, e.err
	case <-ctx.Done():
		return nil, Coverage{}, ctx.Err()
	}
}

// forget drops every count: something was written.
func (c *coverageCache) forget() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
