package analytics

import (
	"context"
	"sync"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// countingStore counts pupils reached by organisation and says how often
// it was asked, of the whole region and of some organisations.
type countingStore struct {
	mu      sync.Mutex
	reached map[int64]int
	whole   int
	partial [][]int64
}

func (c *countingStore) MonitorSnapshot(_ context.Context, region string, now time.Time, orgs []int64) (Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Snapshot{Region: region, At: now, Units: map[int64]Unit{}, Figures: map[Cell]Figures{}, Funnels: map[Cell]map[int]Funnel{},
		Municipalities: map[int64]string{1: "Город", 2: "Район"}}
	if len(orgs) == 0 {
		c.whole++
	} else {
		c.partial = append(c.partial, orgs)
	}
	for org, n := range c.reached {
		if len(orgs) > 0 && orgs[0] != org {
			continue
		}
		s.Units[org] = Unit{ID: org, Name: "Школа", Kind: "school", MunicipalityID: org}
		s.Figures[Cell{Org: org, Municipality: org}] = Figures{Pupils: 100, Reached: n}
	}
	return s, nil
}

func (c *countingStore) set(org int64, n int) {
	c.mu.Lock()
	c.reached[org] = n
	c.mu.Unlock()
}

func TestMonitorCountsWhatWritesTouch(t *testing.T) {
	ctx := context.Background()
	st := &countingStore{reached: map[int64]int{1: 10, 2: 20}}
	now := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	m := NewMonitor(st, func() time.Time { return now })
	region := auth.Scope{Role: auth.Region, RegionCode: "41"}
	reached := func() int {
		t.Helper()
		v, err := m.View(ctx, region, "region", 0)
		if err != nil {
			t.Fatal(err)
		}
		return v.Figures.Reached
	}
	if r := reached(); r != 30 || st.whole != 1 {
		t.Fatalf("first view: reached %d, counted %d times", r, st.whole)
	}
	// A school's write: only that school is counted again, at once.
	st.set(1, 11)
	if r := reached(); r != 30 {
		t.Errorf("untouched, the snapshot is kept: %d", r)
	}
	m.Touch("41", 1)
	if r := reached(); r != 31 || st.whole != 1 || len(st.partial) != 1 || st.partial[0][0] != 1 {
		t.Errorf("after the school's write: reached %d, whole counts %d, partial %v", r, st.whole, st.partial)
	}
	// A write that may touch any organisation: the region is counted again.
	st.set(2, 25)
	m.Touch("41")
	if r := reached(); r != 36 || st.whole != 2 {
		t.Errorf("after a region-wide write: reached %d, whole counts %d", r, st.whole)
	}
	// Five minutes on, the next page is served at once — the old figures, or
	// the new ones if the background count (instant here) has already
	// landed — and a new count begins.
	st.set(2, 26)
	now = now.Add(SnapshotTTL)
	if r := reached(); r != 36 && r != 37 {
		t.Errorf("a stale snapshot is served while counting: %d", r)
	}
	deadline := time.Now().Add(5 * time.Second)
	for reached() != 37 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if r := reached(); r != 37 {
		t.Errorf("the background count never landed: %d", r)
	}
}
