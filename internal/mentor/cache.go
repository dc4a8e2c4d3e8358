package mentor

import (
	"context"
	"fmt"
	"sync"
	"time"

	"marshrut/internal/auth"
)

// FiguresTTL is how long the mentorship counts of a scope are reused: the
// coverage is summed from kept counts, but the comparison of employment
// reads the year's graduates. Every write through the service forgets them
// at once.
const FiguresTTL = 2 * time.Minute

// countsCache keeps the counts of each scope and year.
type countsCache struct {
	mu sync.Mutex
	m  map[string]cachedCounts
}

type cachedCounts struct {
	at time.Time
	c  Counts
}

func countsKey(sc auth.Scope, year int) string {
	return fmt.Sprint(sc.RegionCode, "|", sc.Role, "|", sc.OrgID, "|", sc.Municipalities, "|", sc.LearnerID, "|", year)
}

func (c *countsCache) get(key string, now time.Time) (Counts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	x, ok := c.m[key]
	return x.c, ok && now.Sub(x.at) < FiguresTTL
}

func (c *countsCache) put(key string, v Counts, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedCounts{}
	}
	c.m[key] = cachedCounts{at: now, c: v}
}

func (c *countsCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// forgetting is the store as the service uses it: every write forgets the
// cached counts.
type forgetting struct {
	Store
	cache *countsCache
}

func (f forgetting) SaveProgramme(ctx context.Context, sc auth.Scope, p *Programme) error {
	defer f.cache.forget()
	return f.Store.SaveProgramme(ctx, sc, p)
}

func (f forgetting) SaveMentor(ctx context.Context, sc auth.Scope, m *Mentor) error {
	defer f.cache.forget()
	return f.Store.SaveMentor(ctx, sc, m)
}

func (f forgetting) UpdateMentor(ctx context.Context, sc auth.Scope, m *Mentor, check func(old Mentor) error) error {
	defer f.cache.forget()
	return f.Store.UpdateMentor(ctx, sc, m, check)
}

func (f forgetting) CreatePairs(ctx context.Context, sc auth.Scope, ps []Pair, check func(*Pair, Reach) error) error {
	defer f.cache.forget()
	return f.Store.CreatePairs(ctx, sc, ps, check)
}

func (f forgetting) FinishPair(ctx context.Context, sc auth.Scope, id int64, finish func(*Pair) error) error {
	defer f.cache.forget()
	return f.Store.FinishPair(ctx, sc, id, finish)
}

func (f forgetting) AddMeeting(ctx context.Context, sc auth.Scope, m *Meeting, check func(Pair) error) error {
	defer f.cache.forget()
	return f.Store.AddMeeting(ctx, sc, m, check)
}

func (f forgetting) AddFeedback(ctx context.Context, sc auth.Scope, fb *Feedback) error {
	defer f.cache.forget()
	return f.Store.AddFeedback(ctx, sc, fb)
}
