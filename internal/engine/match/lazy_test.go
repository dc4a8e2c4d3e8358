package match

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// byUtility hands out each graduate's list one utility at a time, highest
// first, after a group of its priority edges: the laziest lists allowed.
type byUtility struct {
	in       *Instance
	priority func(g, v int) bool
	sorted   [][]Edge // the rest of each graduate's list, utility down
	started  []bool
}

func newByUtility(in *Instance, priority func(g, v int) bool) *byUtility {
	return &byUtility{in: in, priority: priority, sorted: make([][]Edge, in.NumGraduates()), started: make([]bool, in.NumGraduates())}
}

func (l *byUtility) Next(g int, buf []Edge) []Edge {
	if !l.started[g] {
		l.started[g] = true
		var rest []Edge
		for _, e := range l.in.Edges(g) {
			if l.priority != nil && l.priority(g, e.Vacancy) {
				e.Priority = true
				buf = append(buf, e)
			} else {
				rest = append(rest, e)
			}
		}
		slices.SortFunc(rest, func(a, b Edge) int { return b.Utility - a.Utility })
		l.sorted[g] = rest
		if len(buf) > 0 {
			return buf
		}
	}
	rest := l.sorted[g]
	i := 0
	for i < len(rest) && rest[i].Utility == rest[0].Utility {
		i++
	}
	l.sorted[g] = rest[i:]
	return append(buf, rest[:i]...)
}

// oneByOne hands out each graduate's list one edge at a time in the order
// utility down, lottery rank up, after the priority edges: Ranked lists.
type oneByOne struct {
	*byUtility
	rank []int32
	left [][]Edge
}

func (l *oneByOne) Rank(v []int32) { l.rank = v }

func (l *oneByOne) Next(g int, buf []Edge) []Edge {
	if l.left == nil {
		l.left = make([][]Edge, l.in.NumGraduates())
	}
	if !l.started[g] {
		buf = l.byUtility.Next(g, buf)
		if len(buf) > 0 && buf[0].Priority {
			return buf
		}
		l.left[g] = append(buf[:0:0], buf...)
		buf = buf[:0]
	}
	if len(l.left[g]) == 0 {
		l.left[g] = l.byUtility.Next(g, nil)
	}
	left := l.left[g]
	if len(left) == 0 {
		return buf
	}
	slices.SortFunc(left, func(a, b Edge) int { return int(l.rank[a.Vacancy]) - int(l.rank[b.Vacancy]) })
	l.left[g] = left[1:]
	return append(buf, left[0])
}

func deferRun(t *testing.T, in *Instance, lists Lists, seed uint64) Result {
	t.Helper()
	r, err := Defer(context.Background(), Market{Graduates: in.NumGraduates(), Capacity: in.capacity, Lists: lists}, Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDeferEqualsFullLists: on random instances, with many ties and
// without, deferred acceptance over lists produced one utility at a time
// gives the same assignment, welfare, first choices and blocking pairs as
// the stable mode over the complete lists, and proposes no more edges.
func TestDeferEqualsFullLists(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 80 {
		n, m := 10+rng.IntN(150), 3+rng.IntN(50)
		in := random(t, rng, n, m, rng.IntN(4), 0.05+0.4*rng.Float64(), []int{3, 20, 1001}[i%3])
		seed := rng.Uint64()
		full := run(t, in, Stable, seed)
		whole := deferRun(t, in, ListsOf(in, nil), seed)
		lazy := deferRun(t, in, newByUtility(in, nil), seed)
		one := deferRun(t, in, &oneByOne{byUtility: newByUtility(in, nil)}, seed)
		for name, r := range map[string]Result{"whole lists": whole, "lazy lists": lazy, "one edge at a time": one} {
			if !slices.Equal(r.Assignment, full.Assignment) {
				t.Fatalf("instance %d, %s: the assignment differs from the stable mode", i, name)
			}
			if r.Matched != full.Matched || r.Welfare != full.Welfare || r.FirstChoice != full.FirstChoice || r.Blocking != full.Blocking {
				t.Errorf("instance %d, %s: matched %d/%d welfare %d/%d first %d/%d blocking %d/%d", i, name,
					r.Matched, full.Matched, r.Welfare, full.Welfare, r.FirstChoice, full.FirstChoice, r.Blocking, full.Blocking)
			}
			if r.Blocking != 0 {
				t.Errorf("instance %d, %s: %d blocking pairs", i, name, r.Blocking)
			}
			for g, v := range r.Assignment {
				if (v < 0) != (r.Reasons[g] != NoReason) || r.Reasons[g] != full.Reasons[g] {
					t.Errorf("instance %d, %s: graduate %d at %d with reason %v, full lists %v", i, name, g, v, r.Reasons[g], full.Reasons[g])
				}
				if v >= 0 && in.Edges(g)[slices.IndexFunc(in.Edges(g), func(e Edge) bool { return e.Vacancy == int(v) })].Vacancy != int(v) {
					t.Errorf("instance %d: graduate %d placed without an edge", i, g)
				}
			}
		}
		if lazy.Proposals > whole.Proposals {
			t.Errorf("instance %d: lazy lists produced %d edges, whole lists %d", i, lazy.Proposals, whole.Proposals)
		}
	}
}

// TestDeferPriority: with contracts (each graduate's priority vacancies are
// those of one employer), lazy and whole lists agree; no graduate of the
// market and vacancy block each other over the complete lists, counted
// naively; and a holder is left without a priority vacancy only when each
// of them is full of holders the employer ranks higher.
func TestDeferPriority(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 80 {
		n, m := 10+rng.IntN(120), 3+rng.IntN(40)
		in := random(t, rng, n, m, rng.IntN(4), 0.05+0.4*rng.Float64(), []int{3, 20, 1001}[i%3])
		employers := 1 + rng.IntN(5)
		employer := make([]int, m)
		for v := range employer {
			employer[v] = rng.IntN(employers)
		}
		contract := make([]int, n) // employer of the graduate's contract, -1 none
		for g := range contract {
			contract[g] = -1
			if rng.IntN(3) == 0 {
				contract[g] = rng.IntN(employers)
			}
		}
		prio := func(g, v int) bool { return contract[g] >= 0 && employer[v] == contract[g] }
		seed := rng.Uint64()
		whole := deferRun(t, in, ListsOf(in, prio), seed)
		lazy := deferRun(t, in, newByUtility(in, prio), seed)
		if one := deferRun(t, in, &oneByOne{byUtility: newByUtility(in, prio)}, seed); !slices.Equal(one.Assignment, whole.Assignment) ||
			one.Blocking != whole.Blocking || one.FirstChoice != whole.FirstChoice {
			t.Fatalf("instance %d: one edge at a time differs from whole lists", i)
		}
		if !slices.Equal(whole.Assignment, lazy.Assignment) || whole.Welfare != lazy.Welfare || whole.Blocking != lazy.Blocking ||
			whole.Targeted != lazy.Targeted || whole.FirstChoice != lazy.FirstChoice {
			t.Fatalf("instance %d: lazy and whole lists differ: welfare %d/%d blocking %d/%d", i, lazy.Welfare, whole.Welfare, lazy.Blocking, whole.Blocking)
		}
		if b := naivePriorityBlocking(in, lazy, prio); b != 0 || lazy.Blocking != 0 {
			t.Errorf("instance %d: blocking pairs %d, counted %d", i, lazy.Blocking, b)
		}
		// Holders at their employer, and why the others are not.
		held := make([]int, m) // holders placed by contract at each vacancy
		targeted := 0
		for g, v := range lazy.Assignment {
			if v >= 0 && prio(g, int(v)) {
				held[v]++
				targeted++
			}
		}
		if targeted != lazy.Targeted {
			t.Errorf("instance %d: %d placed by contract, result says %d", i, targeted, lazy.Targeted)
		}
		for g, v := range lazy.Assignment {
			if v >= 0 && prio(g, int(v)) {
				continue
			}
			for _, e := range in.Edges(g) {
				if prio(g, e.Vacancy) && held[e.Vacancy] < in.Capacity(e.Vacancy) {
					t.Errorf("instance %d: holder %d not at vacancy %d of its employer with %d of %d places taken by holders",
						i, g, e.Vacancy, held[e.Vacancy], in.Capacity(e.Vacancy))
				}
			}
		}
	}
}

// naivePriorityBlocking counts, over the complete lists, the pairs of a
// graduate not placed by contract and a vacancy that would both rather have
// each other, a holder of a contract with the vacancy's employer counting as
// preferred by it to every other graduate.
func naivePriorityBlocking(in *Instance, r Result, prio func(g, v int) bool) int {
	type key struct{ prio, score, rank int }
	rank := func(g, v int) key {
		x, _ := in.edge(int32(g), int32(v))
		p := 0
		if prio(g, v) {
			p = 1
		}
		return key{p, int(edgeScore(x)), -int(r.GraduateRank[g])}
	}
	less := func(a, b key) bool {
		if a.prio != b.prio {
			return a.prio < b.prio
		}
		if a.score != b.score {
			return a.score < b.score
		}
		return a.rank < b.rank
	}
	holders := make([][]int, in.NumVacancies())
	for g, v := range r.Assignment {
		if v >= 0 {
			holders[v] = append(holders[v], g)
		}
	}
	n := 0
	for g := range in.NumGraduates() {
		own := r.Assignment[g]
		if own >= 0 && prio(g, int(own)) {
			continue
		}
		// g's order: priority edges first, then utility, then lottery.
		better := func(v int) bool {
			if own < 0 {
				return true
			}
			if prio(g, v) != prio(g, int(own)) {
				return prio(g, v)
			}
			x, _ := in.edge(int32(g), int32(v))
			y, _ := in.edge(int32(g), own)
			if edgeUtil(x) != edgeUtil(y) {
				return edgeUtil(x) > edgeUtil(y)
			}
			return r.VacancyRank[v] < r.VacancyRank[own]
		}
		for _, e := range in.Edges(g) {
			v := e.Vacancy
			if int32(v) == own || !better(v) || in.Capacity(v) == 0 {
				continue
			}
			if len(holders[v]) < in.Capacity(v) {
				n++
				continue
			}
			for _, h := range holders[v] {
				if less(rank(h, v), rank(g, v)) {
					n++
					break
				}
			}
		}
	}
	return n
}

// TestMostPlaced: the maximum flow equals the largest matching found by
// enumeration on small instances, bounds both modes' placements, and does
// not change when graduates with the same edges are merged into groups.
func TestMostPlaced(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	ctx := context.Background()
	for i := range 120 {
		n, m := 1+rng.IntN(7), 1+rng.IntN(5)
		if i >= 60 {
			n, m = 20+rng.IntN(300), 5+rng.IntN(80)
		}
		in := random(t, rng, n, m, rng.IntN(4), 0.05+0.5*rng.Float64(), 1001)
		most, err := MostPlaced(ctx, GraphOf(in))
		if err != nil {
			t.Fatal(err)
		}
		if i < 60 {
			best := 0
			brute(in, func(a []int32) {
				k := 0
				for _, v := range a {
					if v >= 0 {
						k++
					}
				}
				best = max(best, k)
			})
			if int64(best) != most {
				t.Errorf("instance %d: most placed %d, enumeration %d", i, most, best)
			}
		}
		for _, mode := range []Mode{Stable, Optimal} {
			if r := run(t, in, mode, 1); int64(r.Matched) > most {
				t.Errorf("instance %d: %s placed %d, more than the most %d", i, mode, r.Matched, most)
			}
		}
		// Two copies of every graduate, as groups of two and one by one.
		b := NewBuilder()
		for v := range m {
			b.AddVacancy(in.VacancyID(v), in.Capacity(v))
		}
		gr := Graph{Start: []int32{0}, Capacity: append([]int32(nil), in.capacity...)}
		for g := range n {
			for c := range 2 {
				id := in.GraduateID(g) + string(rune('a'+c))
				b.AddGraduate(id)
				for _, e := range in.Edges(g) {
					b.AddEdge(id, in.VacancyID(e.Vacancy), e.Utility, e.Score)
				}
			}
			gr.Size = append(gr.Size, 2)
			for _, e := range in.Edges(g) {
				gr.Adj = append(gr.Adj, int32(e.Vacancy))
			}
			gr.Start = append(gr.Start, int32(len(gr.Adj)))
		}
		twice, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		one, err1 := MostPlaced(ctx, GraphOf(twice))
		grouped, err2 := MostPlaced(ctx, gr)
		if err1 != nil || err2 != nil || one != grouped || one < most {
			t.Errorf("instance %d: doubled %d, grouped %d, single %d (%v, %v)", i, one, grouped, most, err1, err2)
		}
	}
}

// TestOptimalCertificate: the optimal mode's prices are a proof: feasible on
// every edge of the market, and their sum equals the market's welfare.
func TestOptimalCertificate(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for i := range 60 {
		n, m := 10+rng.IntN(150), 3+rng.IntN(50)
		in := random(t, rng, n, m, rng.IntN(4), 0.05+0.4*rng.Float64(), []int{3, 30, 1001}[i%3])
		r := run(t, in, Optimal, rng.Uint64())
		var dual int64
		for g := range n {
			if r.Value[g] < 0 {
				t.Fatalf("instance %d: negative value %d", i, r.Value[g])
			}
			dual += int64(r.Value[g])
			for _, e := range in.Edges(g) {
				if int32(e.Utility+e.Score) > r.Value[g]+r.Price[e.Vacancy] {
					t.Fatalf("instance %d: edge %d–%d of weight %d above its prices %d + %d", i, g, e.Vacancy, e.Utility+e.Score, r.Value[g], r.Price[e.Vacancy])
				}
			}
		}
		for v := range m {
			if r.Price[v] < 0 {
				t.Fatalf("instance %d: negative price", i)
			}
			dual += int64(r.Price[v]) * int64(in.Capacity(v))
		}
		if dual != r.Welfare {
			t.Errorf("instance %d: the prices sum to %d, the welfare is %d", i, dual, r.Welfare)
		}
	}
}

// skipper hands out each graduate's complete list one edge at a time in the
// order utility down, rank up, after its priority edges, leaving out every
// edge whose vacancy's bar is above its score: Skipping lists.
type skipper struct {
	full    [][]Edge // each graduate's complete list in order, priority first
	nprio   []int
	next    []int
	rank    []int32
	grank   []int32
	bar     []int64
	skipped int
}

func newSkipper(in *Instance, priority func(g, v int) bool) *skipper {
	s := &skipper{full: make([][]Edge, in.NumGraduates()), nprio: make([]int, in.NumGraduates()), next: make([]int, in.NumGraduates()),
		bar: make([]int64, in.NumVacancies())}
	for v := range s.bar {
		s.bar[v] = -1
	}
	for g := range s.full {
		for _, e := range in.Edges(g) {
			e.Priority = priority != nil && priority(g, e.Vacancy)
			if e.Priority {
				s.nprio[g]++
			}
			s.full[g] = append(s.full[g], e)
		}
	}
	return s
}

func (s *skipper) Rank(v []int32) {
	s.rank = v
	for g, list := range s.full {
		slices.SortFunc(list, func(a, b Edge) int {
			if a.Priority != b.Priority {
				if a.Priority {
					return -1
				}
				return 1
			}
			if a.Utility != b.Utility {
				return b.Utility - a.Utility
			}
			return int(v[a.Vacancy]) - int(v[b.Vacancy])
		})
		s.full[g] = list
	}
}

func (s *skipper) Lottery(g []int32) { s.grank = g }

func (s *skipper) Bar(v int, bar int64) {
	if bar < s.bar[v] {
		panic("a bar fell")
	}
	s.bar[v] = bar
}

func (s *skipper) Next(g int, buf []Edge) []Edge {
	list := s.full[g]
	if s.next[g] == 0 && s.nprio[g] > 0 {
		s.next[g] = s.nprio[g]
		return append(buf, list[:s.nprio[g]]...)
	}
	for s.next[g] < len(list) {
		e := list[s.next[g]]
		s.next[g]++
		if Key(e.Score, s.grank[g]) < s.bar[e.Vacancy] {
			s.skipped++
			continue
		}
		return append(buf, e)
	}
	return buf
}

func (s *skipper) Complete(g int, own Edge, placed bool) Completion {
	c := Completion{Top: -1}
	list := s.full[g]
	for _, e := range list {
		c.Top = max(c.Top, e.Utility)
	}
	for i, e := range list {
		if placed && e.Vacancy == own.Vacancy {
			c.Choice = int32(i + 1)
			break
		}
		if bar := s.bar[e.Vacancy]; !e.Priority && (bar < 0 || e.Score > int(bar>>32)) {
			c.Blocking++
		}
	}
	return c
}

// TestDeferSkipping: lists that leave out the edges their vacancies would
// refuse give the result of the complete lists, figure for figure, with and
// without contracts.
func TestDeferSkipping(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	skippedAll := 0
	for i := range 120 {
		n, m := 10+rng.IntN(200), 3+rng.IntN(50)
		in := random(t, rng, n, m, rng.IntN(4), 0.05+0.4*rng.Float64(), []int{3, 20, 1001}[i%3])
		var priority func(g, v int) bool
		if i%2 == 1 {
			k := 2 + rng.IntN(6)
			priority = func(g, v int) bool { return g%7 == 0 && v%k == g%k }
		}
		seed := rng.Uint64()
		whole := deferRun(t, in, ListsOf(in, priority), seed)
		sk := newSkipper(in, priority)
		r := deferRun(t, in, sk, seed)
		// In another order of the first proposals: the same.
		if perm := rng.Perm(n); i%3 == 0 {
			order := make([]int32, n)
			for j, g := range perm {
				order[j] = int32(g)
			}
			o, err := Defer(context.Background(), Market{Graduates: n, Capacity: in.capacity, Lists: newSkipper(in, priority), Order: order}, Options{Seed: seed})
			if err != nil || !slices.Equal(o.Assignment, whole.Assignment) || o.Blocking != whole.Blocking || o.Welfare != whole.Welfare {
				t.Fatalf("instance %d: in another order the outcome differs (%v)", i, err)
			}
		}
		skippedAll += sk.skipped
		if !slices.Equal(r.Assignment, whole.Assignment) || !slices.Equal(r.Choice, whole.Choice) || !slices.Equal(r.Fills, whole.Fills) {
			t.Fatalf("instance %d: the assignment or the choices differ from the complete lists", i)
		}
		if r.Matched != whole.Matched || r.Welfare != whole.Welfare || r.FirstChoice != whole.FirstChoice || r.Blocking != whole.Blocking ||
			r.Targeted != whole.Targeted {
			t.Errorf("instance %d: matched %d/%d welfare %d/%d first %d/%d blocking %d/%d contracts %d/%d", i, r.Matched, whole.Matched,
				r.Welfare, whole.Welfare, r.FirstChoice, whole.FirstChoice, r.Blocking, whole.Blocking, r.Targeted, whole.Targeted)
		}
		for g := range r.Reasons {
			want := whole.Reasons[g]
			if want == NoPlaces {
				want = Outranked // a Skipping list's vacancies have places
			}
			if r.Reasons[g] != want {
				t.Errorf("instance %d: graduate %d reason %v, complete lists %v", i, g, r.Reasons[g], whole.Reasons[g])
			}
		}
		if r.Proposals > whole.Proposals {
			t.Errorf("instance %d: %d edges handed out skipping, %d over the complete lists", i, r.Proposals, whole.Proposals)
		}
	}
	if skippedAll == 0 {
		t.Error("no edge was ever left out")
	}
}

// TestMostPlacedHubs: groups that reach vacancies through shared hubs
// (overlapping, a vacancy in several) place as many as the same groups
// with the union of their hubs' vacancies listed directly.
func TestMostPlacedHubs(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	ctx := context.Background()
	for i := range 200 {
		groups, hubs, m := 1+rng.IntN(30), 1+rng.IntN(12), 1+rng.IntN(40)
		hub := Graph{Start: []int32{0}, HubStart: []int32{0}, Capacity: make([]int32, m)}
		flat := Graph{Start: []int32{0}, Capacity: hub.Capacity}
		for v := range hub.Capacity {
			hub.Capacity[v] = int32(rng.IntN(4))
		}
		var reach [][]int32
		for range hubs {
			var vs []int32
			for v := range m {
				if rng.IntN(4) == 0 {
					vs = append(vs, int32(v))
				}
			}
			reach = append(reach, vs)
			hub.HubAdj = append(hub.HubAdj, vs...)
			hub.HubStart = append(hub.HubStart, int32(len(hub.HubAdj)))
		}
		for range groups {
			size := int32(1 + rng.IntN(5))
			hub.Size, flat.Size = append(hub.Size, size), append(flat.Size, size)
			union := map[int32]bool{}
			for h := range hubs {
				if rng.IntN(3) == 0 {
					hub.Adj = append(hub.Adj, int32(h))
					for _, v := range reach[h] {
						union[v] = true
					}
				}
			}
			for v := range int32(m) {
				if union[v] {
					flat.Adj = append(flat.Adj, v)
				}
			}
			hub.Start = append(hub.Start, int32(len(hub.Adj)))
			flat.Start = append(flat.Start, int32(len(flat.Adj)))
		}
		a, err := MostPlaced(ctx, hub)
		if err != nil {
			t.Fatal(err)
		}
		b, err := MostPlaced(ctx, flat)
		if err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Fatalf("graph %d: %d placed through hubs, %d with the vacancies listed", i, a, b)
		}
	}
}
