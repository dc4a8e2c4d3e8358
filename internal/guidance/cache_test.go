package guidance

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCoverageCache(t *testing.T) {
	var c cache[Coverage]
	var calls atomic.Int32
	release := make(chan struct{})
	count := func() (Coverage, error) {
		calls.Add(1)
		<-release
		return Coverage{Pupils: 10, Reached: int(calls.Load())}, nil
	}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	// Ten dashboards at once count once.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if tot, err := c.get(context.Background(), "k", now, count); err != nil || tot.Pupils != 10 {
				t.Errorf("waiter got %+v, %v", tot, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("counted %d times", calls.Load())
	}
	// Fresh within the TTL, counted again after it and after a write.
	c.get(context.Background(), "k", now.Add(time.Minute), count)
	if calls.Load() != 1 {
		t.Errorf("counted again within the TTL")
	}
	c.get(context.Background(), "k", now.Add(coverageTTL+time.Second), count)
	if calls.Load() != 2 {
		t.Errorf("not counted again after the TTL")
	}
	c.forget()
	c.get(context.Background(), "k", now.Add(coverageTTL+2*time.Second), count)
	if calls.Load() != 3 {
		t.Errorf("not counted again after a write")
	}
	// Another scope is another count.
	c.get(context.Background(), "other", now.Add(coverageTTL+2*time.Second), count)
	if calls.Load() != 4 {
		t.Errorf("another key shared the count")
	}
}
