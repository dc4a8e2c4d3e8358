package rollup

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/kpi"
)

// Attack builds a region's bundles of two months, from the sources of each,
// and returns them with what the attacker narrowed too far and how many
// small counts and differences it tried.
func Attack(t testing.TB, prev, cur Source, prevNow, now time.Time, prevItems, items []kpi.Item, secret []byte, solve bool) (Bundle, Bundle, []string, int) {
	t.Helper()
	pb, ptruth := bundleOf(t, prev, prevNow, prevItems, secret)
	cb, ctruth := bundleOf(t, cur, now, items, secret)
	if !solve {
		return pb, cb, nil, 0
	}
	pm, cm := monthOf(ptruth, pb), monthOf(ctruth, cb)
	found, n, err := attackCount(&pm, &cm)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range found {
		out = append(out, f.String())
	}
	return pb, cb, out, n
}

// Truth is the region's true tables, as Build reads them: table → rows of
// figures (nil where a figure does not apply).
func Truth(t testing.TB, src Source, now time.Time, items []kpi.Item) map[string][][]*int {
	t.Helper()
	raws, err := gather(context.Background(), src, "41", now, items)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]*int{}
	for _, r := range raws {
		out[r.table.Name] = r.vals
	}
	return out
}
