package match

import (
	"context"
	"math"
	"slices"
)

// Lists hands out the graduates' preference lists a piece at a time, so that
// a list of thousands of compatible vacancies costs only the part of it a
// graduate actually proposes to.
//
// Next appends graduate g's next group of edges to buf and returns it; an
// empty group means the list is done. Every edge of a group must come before
// every edge of the groups after it in the graduate's order: a group of
// Priority edges (a target contract) may come first, then groups in which
// every utility is strictly higher than any utility left for later. Within a
// group the engine orders the edges itself, utility down and then the
// vacancies' lottery rank. No vacancy may come twice in one graduate's list.
// Next is called from one goroutine at a time.
type Lists interface {
	Next(g int, buf []Edge) []Edge
}

// Ranked is Lists that knows the lottery: Defer calls Rank with the
// vacancies' lottery ranks before any Next. A group may then end inside a
// tie: it is enough that every edge of a group comes before every edge of
// the later groups in the order utility down, then rank up. Long ties
// (many places a graduate values alike) then cost only the part proposed to.
type Ranked interface {
	Rank(vacancy []int32)
}

// Skipping is Lists that may leave out of a group the edges whose vacancy
// would refuse them at once, so that a graduate whom every place ranks
// below the ones it holds costs no proposals. Defer tells it the graduates'
// lottery ranks (Lottery) before any Next, and each vacancy's bar as it
// rises: -1 while the vacancy has a free place; once it is full, the Key of
// the graduate it holds lowest, or PriorityKey when that one is placed by a
// Priority edge. A vacancy refuses an edge (not Priority) of graduate g
// whose Key(score, rank of g) is below its bar, now and later (bars never
// fall), so leaving such an edge out changes nothing: the result is that of
// the complete lists. The lists must hand out only vacancies with places.
//
// The figures over the complete lists that the edges left out would change
// (the place's position in the list, the first choice, the blocking pairs)
// Defer asks of Complete after the proposals, with the final bars: own is
// the edge graduate g is placed by (placed false: none).
type Skipping interface {
	Lists
	Lottery(graduate []int32)
	Bar(v int, bar int64)
	Complete(g int, own Edge, placed bool) Completion
}

// Key is how an employer ranks a graduate of the market: by score, then by
// the lottery (the lower rank first).
func Key(score int, rank int32) int64 { return int64(score)<<32 | int64(^uint32(rank)) }

// PriorityKey is the bar of a vacancy whose lowest holder is placed by a
// Priority edge: no other edge displaces it.
const PriorityKey = int64(MaxScore+1) << 32

// Completion is what a graduate's complete list says of its outcome.
type Completion struct {
	Choice int32 // the place's position in the complete list, 1 first; 0 when not placed
	Top    int   // the highest utility of the complete list, -1 when it is empty
	// Blocking counts the edges the graduate prefers to its place (every
	// edge when not placed) whose vacancy has a free place or a bar of a
	// lower score; it is not asked for a graduate placed by a Priority edge.
	Blocking int64
}

// Market is a matching problem whose lists are generated on demand: the
// number of graduates, the places of each vacancy and the lists.
//
// Order, when given, is the order in which the graduates first propose (a
// permutation of them); the outcome does not depend on it, the work does:
// graduates whom every employer ranks high, first, are seldom displaced.
// Without it they propose in the lottery's order.
type Market struct {
	Graduates int
	Capacity  []int32
	Lists     Lists
	Order     []int32
}

// genEdge is an edge a graduate's list has produced, in list order.
type genEdge struct {
	v    int32
	u, s int16
	prio bool
}

// Defer runs graduate-proposing deferred acceptance over lists generated on
// demand. The employer side ranks a Priority edge (a target contract with
// its employer) above every other, then by score, then by the lottery; so a
// graduate with a contract is displaced from the employer's vacancy only by
// another holder of a contract that the employer scores higher.
//
// Deferred acceptance with strict preferences gives one outcome whatever the
// order of proposals: the graduate-optimal stable matching. A graduate
// proposes down its list and the list is asked for more only when the part
// already produced is used up, so the result equals that of deferred
// acceptance over the complete lists, edge for edge, while only the edges
// produced are ever scored. The same argument bounds the check for blocking
// pairs: an edge never produced comes after the graduate's place in its list
// (or after its last proposal), so it cannot block, and Blocking counted over
// the produced edges is the count over the complete lists. Graduates placed
// by a Priority edge are bound by their contract and are not counted as
// blockers, nor are the places they take the market's (as in Run).
//
// The Result has Choice and Proposals filled besides the figures of Run;
// Conflicts stay empty (a contract that finds no place is simply a graduate
// whose priority edges were all refused).
func Defer(ctx context.Context, mk Market, opts Options) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	n, m := mk.Graduates, len(mk.Capacity)
	r := Result{Mode: Stable, Seed: opts.Seed, Assignment: make([]int32, n), Choice: make([]int32, n)}
	r.GraduateRank, r.VacancyRank = lottery(opts.Seed, n, m)
	if rk, ok := mk.Lists.(Ranked); ok {
		rk.Rank(r.VacancyRank)
	}
	lists := make([][]genEdge, n)
	done := make([]bool, n) // the list has said it has no more
	next := make([]int32, n)
	heaps := make([][]uint64, m)
	skip, skipping := mk.Lists.(Skipping)
	var own []genEdge // the edge each graduate holds its place by, when skipping
	if skipping {
		own = make([]genEdge, n)
		skip.Lottery(r.GraduateRank)
		for v, c := range mk.Capacity {
			if c <= 0 {
				skip.Bar(v, PriorityKey)
			}
		}
	}
	// rise tells the lists the bar of vacancy v, full.
	rise := func(v int32, h []uint64) {
		bar := int64(h[0])
		if h[0]&(1<<43) != 0 {
			bar = PriorityKey
		}
		skip.Bar(int(v), bar)
	}
	var buf []Edge
	// more produces graduate g's next group; false when the list is done.
	// Skipping lists are not kept beyond the group being proposed: the
	// figures over the complete lists are theirs to give.
	more := func(g int32) bool {
		if done[g] {
			return false
		}
		if skipping {
			lists[g], next[g] = lists[g][:0], 0
		}
		buf = mk.Lists.Next(int(g), buf[:0])
		if len(buf) == 0 {
			done[g] = true
			return false
		}
		slices.SortFunc(buf, func(a, b Edge) int {
			if a.Utility != b.Utility {
				return b.Utility - a.Utility
			}
			return int(r.VacancyRank[a.Vacancy]) - int(r.VacancyRank[b.Vacancy])
		})
		for _, e := range buf {
			lists[g] = append(lists[g], genEdge{v: int32(e.Vacancy), u: int16(e.Utility), s: int16(e.Score), prio: e.Priority})
		}
		r.Proposals += int64(len(buf))
		return true
	}
	gByRank := make([]int32, n)
	for g, rk := range r.GraduateRank {
		gByRank[rk] = int32(g)
	}
	order := gByRank
	if mk.Order != nil {
		order = mk.Order
	}
	steps := 0
	for i, g0 := range order {
		if i%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			if opts.Progress != nil {
				opts.Progress(i, n)
			}
		}
		g := g0
		for {
			if steps++; steps%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return Result{}, err
				}
			}
			if int(next[g]) == len(lists[g]) && !more(g) {
				break // refused everywhere: stays unplaced
			}
			e := lists[g][next[g]]
			next[g]++
			v := e.v
			hk := uint64(e.s)<<32 | uint64(^uint32(r.GraduateRank[g]))
			if e.prio {
				hk |= 1 << 43
			}
			h := heaps[v]
			if int32(len(h)) < mk.Capacity[v] {
				h = append(h, hk)
				siftUp(h, len(h)-1)
				heaps[v] = h
				if skipping {
					own[g] = e
					if int32(len(h)) == mk.Capacity[v] {
						rise(v, h)
					}
				}
				break
			}
			if len(h) == 0 || hk < h[0] {
				continue
			}
			out := h[0]
			h[0] = hk
			siftDown(h, 0)
			if skipping {
				own[g] = e
				rise(v, h)
			}
			g = gByRank[^uint32(out)]
		}
	}
	if opts.Progress != nil {
		opts.Progress(n, n)
	}
	for g := range r.Assignment {
		r.Assignment[g] = -1
	}
	for v, h := range heaps {
		for _, hk := range h {
			g := gByRank[^uint32(hk)]
			r.Assignment[g] = int32(v)
			if !skipping {
				r.Choice[g] = next[g]
			}
		}
	}
	if skipping {
		r.summariseSkipping(mk, skip, own)
	} else {
		r.summariseLists(mk, lists, done, more)
	}
	return r, nil
}

// summariseSkipping fills the figures of a Defer result over Skipping
// lists: the places from the edges the graduates hold them by, the rest
// from the lists' complete view.
func (r *Result) summariseSkipping(mk Market, lists Skipping, own []genEdge) {
	n, m := mk.Graduates, len(mk.Capacity)
	r.Fills = make([]int32, m)
	r.Reasons = make([]Reason, n)
	for g, v := range r.Assignment {
		e := own[g]
		placed := v >= 0
		if placed {
			r.Matched++
			r.Fills[v]++
			r.Welfare += int64(e.u) + int64(e.s)
			if e.prio {
				r.Targeted++
			}
		}
		c := lists.Complete(g, Edge{Vacancy: int(e.v), Utility: int(e.u), Score: int(e.s), Priority: e.prio}, placed)
		switch {
		case !placed && c.Top < 0:
			r.Reasons[g] = NoEdges
		case !placed:
			r.Reasons[g] = Outranked
		default:
			r.Choice[g] = c.Choice
			if int(e.u) == c.Top {
				r.FirstChoice++
			}
		}
		if !placed || !e.prio {
			r.Blocking += c.Blocking
		}
	}
	if n > 0 {
		r.FirstChoiceShare = float64(r.FirstChoice) / float64(n)
	}
}

// summariseLists fills the figures of a Defer result from the produced lists.
func (r *Result) summariseLists(mk Market, lists [][]genEdge, done []bool, more func(int32) bool) {
	n, m := mk.Graduates, len(mk.Capacity)
	r.Fills = make([]int32, m)
	r.Reasons = make([]Reason, n)
	own := make([]genEdge, n)
	market := make([]int32, m) // graduates placed at each vacancy by the market
	room := slices.Clone(mk.Capacity)
	worst := make([]int32, m)
	for v := range worst {
		worst[v] = math.MaxInt32
	}
	for g, v := range r.Assignment {
		if v < 0 {
			r.Reasons[g] = Outranked
			switch {
			case len(lists[g]) == 0:
				r.Reasons[g] = NoEdges
			case !slices.ContainsFunc(lists[g], func(e genEdge) bool { return mk.Capacity[e.v] > 0 }):
				r.Reasons[g] = NoPlaces
			}
			continue
		}
		e := lists[g][r.Choice[g]-1]
		own[g] = e
		r.Matched++
		r.Fills[v]++
		r.Welfare += int64(e.u) + int64(e.s)
		if e.prio {
			r.Targeted++
			room[v]--
			continue
		}
		market[v]++
		worst[v] = min(worst[v], int32(e.s))
	}
	for g, v := range r.Assignment {
		if v < 0 {
			continue
		}
		// The best utility of the whole list: a holder placed by its
		// contract may not have produced its first ordinary group yet.
		if !slices.ContainsFunc(lists[g], func(e genEdge) bool { return !e.prio }) {
			more(int32(g))
		}
		top := int16(-1)
		for _, e := range lists[g] {
			top = max(top, e.u)
		}
		if own[g].u == top {
			r.FirstChoice++
		}
	}
	if n > 0 {
		r.FirstChoiceShare = float64(r.FirstChoice) / float64(n)
	}
	for g, v := range r.Assignment {
		mine := int16(-1)
		if v >= 0 {
			if own[g].prio {
				continue
			}
			mine = own[g].u
		}
		for _, e := range lists[g] {
			if e.v == v || e.u <= mine {
				continue
			}
			if market[e.v] < room[e.v] || int32(e.s) > worst[e.v] {
				r.Blocking++
			}
		}
	}
}

// ListsOf hands out the lists of an instance: each graduate's edges in one
// group, after a first group of the edges for which priority says true.
// With priority nil it is deferred acceptance over the instance's complete
// lists, the same as Run in Stable mode for an instance without contracts.
func ListsOf(in *Instance, priority func(g, v int) bool) Lists {
	return &instanceLists{in: in, priority: priority, step: make([]uint8, in.NumGraduates())}
}

type instanceLists struct {
	in       *Instance
	priority func(g, v int) bool
	step     []uint8 // groups handed out to each graduate: 0, 1 or 2
}

func (l *instanceLists) Next(g int, buf []Edge) []Edge {
	for l.step[g] < 2 {
		first := l.step[g] == 0
		l.step[g]++
		for _, e := range l.in.Edges(g) {
			prio := l.priority != nil && l.priority(g, e.Vacancy)
			if prio == first {
				e.Priority = prio
				buf = append(buf, e)
			}
		}
		if len(buf) > 0 {
			return buf
		}
	}
	return buf
}
