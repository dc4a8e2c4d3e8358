package routing

import (
	"cmp"
	"slices"

	"marshrut/internal/engine/match"
	"marshrut/internal/vacancy"
)

// lists produces the candidates' preference lists for a run on demand, over
// every compatible vacancy, in the candidate's order (the graduate's score
// down), scoring only what a candidate reaches.
//
// The open places linked to a code (a specialty or its group) and within
// reach of a home (a municipality and its centre, and whether the candidate
// would move) are kept in streams: one per travel class, per whether the
// vacancy names its pay, and per whether it asks for higher education, each
// sorted by pay down. Along a stream the graduate's score is bounded from
// above by the pay points of the next place (pay points never fall as pay
// rises), the stream's distance points, the highest specialty points left
// in it, and the most the ДДО can give. A candidate's next group is the
// places scored so far with the highest score, once that score is above the
// bound of every stream: nothing not yet scored can reach it, so the group is
// exactly the next piece of the complete list.
type lists struct {
	pc    placesCache
	vac   []int32 // engine index of each place, -1 when not open
	place []int32 // place of each engine index
	cands []*Candidate
	homes map[homeKey][]*stream
	state []candState
	// emitted keeps every edge handed out, by candidate, for the optimal
	// mode and the check of its proof.
	emitted [][]match.Edge
	scored  int64
}

// homeKey is what decides which places a candidate reaches by a code.
type homeKey struct {
	code     string
	muni     int64
	lat, lon float64
	relocate bool
}

// stream is places of one travel class, pay known or not and education,
// sorted by pay down.
type stream struct {
	travel Travel
	higher bool // the places ask for higher education
	items  []item
}

type item struct {
	place   int32
	pay     int32
	spec    int16 // specialty points of the link
	specMax int16 // the most specialty points from here to the end
	link    *vacancy.Link
}

type cursor struct {
	s     *stream
	i     int32
	group bool // the stream is of the specialty's group, not of the specialty
}

type scoredPair struct {
	place int32
	u, e  int16
}

type candState struct {
	started bool
	want    int
	ddoMax  int
	cursors []cursor
	heap    []scoredPair    // scored and not handed out, a max-heap by utility
	skip    []int32         // places handed out with the contract first
	memo    map[int32]rated // pairs scored by rest, by place
}

func newLists(pc placesCache, vac []int32, cands []*Candidate) *lists {
	return &lists{pc: pc, vac: vac, cands: cands, homes: map[homeKey][]*stream{}, state: make([]candState, len(cands)),
		emitted: make([][]match.Edge, len(cands))}
}

// codes are the codes a candidate's places are linked by: the specialty
// first, then its group.
func codes(c *Candidate) []string {
	if len(c.SpecialtyCode) < 2 {
		return nil
	}
	group := c.SpecialtyCode[:2] + ".00.00"
	if group == c.SpecialtyCode {
		return []string{group}
	}
	return []string{c.SpecialtyCode, group}
}

// streams returns the streams of a home, built on first use.
func (l *lists) streams(k homeKey) []*stream {
	if ss, ok := l.homes[k]; ok {
		return ss
	}
	entries := l.pc.index[k.code]
	if !k.relocate {
		entries = l.pc.near[nearKey{k.code, k.muni}]
	}
	home := &Candidate{SpecialtyCode: k.code, MunicipalityID: k.muni, Lat: k.lat, Lon: k.lon}
	byKind := map[[3]int]*stream{}
	for i := range entries {
		e := &entries[i]
		if l.vac[e.place] < 0 {
			continue
		}
		p := &l.pc.list[e.place]
		if p.WorkPlaces <= 0 {
			continue
		}
		t, _ := travel(home, p)
		if t == Relocation && !k.relocate {
			continue
		}
		pay := payOf(p)
		higher := p.Education == vacancy.EduHigher
		kind := [3]int{int(t), min(pay, 1), b2i(higher)}
		s := byKind[kind]
		if s == nil {
			s = &stream{travel: t, higher: higher}
			byKind[kind] = s
		}
		spec := specialtyComponent(home, e.link, 250, false, true).Points
		s.items = append(s.items, item{place: int32(e.place), pay: int32(pay), spec: int16(spec), link: &e.link})
	}
	var ss []*stream
	for _, s := range byKind {
		slices.SortFunc(s.items, func(a, b item) int { return cmp.Or(cmp.Compare(b.pay, a.pay), cmp.Compare(a.place, b.place)) })
		top := int16(0)
		for i := len(s.items) - 1; i >= 0; i-- {
			top = max(top, s.items[i].spec)
			s.items[i].specMax = top
		}
		ss = append(ss, s)
	}
	// Map order must not matter: streams in a fixed order.
	slices.SortFunc(ss, func(a, b *stream) int {
		return cmp.Or(cmp.Compare(a.travel, b.travel), cmp.Compare(b2i(a.higher), b2i(b.higher)), cmp.Compare(a.items[0].place, b.items[0].place))
	})
	l.homes[k] = ss
	return ss
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reach calls visit with every stream a candidate takes places from, and
// whether it is a stream of the specialty's group.
func (l *lists) reach(c *Candidate, visit func(s *stream, group bool)) {
	for i, code := range codes(c) {
		for _, s := range l.streams(homeKey{code, c.MunicipalityID, c.Lat, c.Lon, c.Relocate}) {
			if s.higher && !c.University {
				continue
			}
			visit(s, i > 0)
		}
	}
}

// linkedExactly tells whether the place is linked to the specialty itself: then it
// is in the specialty's streams, and its group's streams pass it by.
func linkedExactly(p *Place, spec string) bool {
	return slices.ContainsFunc(p.Links, func(l vacancy.Link) bool { return l.SpecialtyCode == spec })
}

// bound is the most the graduate's score can be for the places of a stream
// from position i on.
func (st *candState) bound(cu cursor) int {
	it := &cu.s.items[cu.i]
	return payPoints(int(it.pay), st.want) + travelPoints[cu.s.travel] + int(it.specMax) + st.ddoMax
}

func (l *lists) start(g int) {
	c, st := l.cands[g], &l.state[g]
	st.started = true
	st.want = c.MinSalary
	if st.want == 0 {
		st.want = l.pc.median
	}
	st.ddoMax = 75
	if c.DDO != nil {
		st.ddoMax = 150
	}
	l.reach(c, func(s *stream, group bool) { st.cursors = append(st.cursors, cursor{s: s, group: group}) })
}

// Next hands out candidate g's next group: first, for a holder of a target
// contract, every compatible vacancy of the employer; then the places of
// the next score down.
func (l *lists) Next(g int, buf []match.Edge) []match.Edge {
	c, st := l.cands[g], &l.state[g]
	if !st.started {
		l.start(g)
		if c.ContractINN != "" {
			for _, cu := range st.cursors {
				for i := range cu.s.items {
					it := &cu.s.items[i]
					p := &l.pc.list[it.place]
					if p.EmployerINN != c.ContractINN || slices.Contains(st.skip, it.place) || cu.group && linkedExactly(p, c.SpecialtyCode) {
						continue
					}
					if pair, ok := l.rate(c, it); ok {
						st.skip = append(st.skip, it.place)
						buf = append(buf, match.Edge{Vacancy: int(l.vac[it.place]), Utility: pair.u, Score: pair.e, Priority: true})
					}
				}
			}
			if len(buf) > 0 {
				l.emitted[g] = append(l.emitted[g], buf...)
				return buf
			}
		}
	}
	for {
		best, at := -1, -1
		for i, cu := range st.cursors {
			if b := st.bound(cu); b > best {
				best, at = b, i
			}
		}
		if len(st.heap) > 0 && int(st.heap[0].u) > best {
			u := st.heap[0].u
			for len(st.heap) > 0 && st.heap[0].u == u {
				x := popScored(&st.heap)
				buf = append(buf, match.Edge{Vacancy: int(l.vac[x.place]), Utility: int(x.u), Score: int(x.e)})
			}
			l.emitted[g] = append(l.emitted[g], buf...)
			return buf
		}
		if at < 0 {
			return buf // nothing left
		}
		cu := &st.cursors[at]
		it := &cu.s.items[cu.i]
		group := cu.group
		if cu.i++; int(cu.i) == len(cu.s.items) {
			st.cursors = slices.Delete(st.cursors, at, at+1)
		}
		p := &l.pc.list[it.place]
		if group && linkedExactly(p, c.SpecialtyCode) || slices.Contains(st.skip, it.place) {
			continue
		}
		if x, ok := l.rate(c, it); ok {
			pushScored(&st.heap, scoredPair{place: it.place, u: int16(x.u), e: int16(x.e)})
		}
	}
}

type rated struct{ u, e int }

// rate scores a pair as the recommendations do.
func (l *lists) rate(c *Candidate, it *item) (rated, bool) {
	pair, ok, _ := compatibleVia(c, &l.pc.list[it.place], *it.link)
	if !ok {
		return rated{}, false
	}
	pair.Rate(l.pc.median)
	l.scored++
	return rated{pair.Graduate.Total, pair.Employer.Total}, true
}

// The heap of scored pairs: the highest utility on top, of equal utility
// the lowest place index (any fixed order will do: a group is sorted again).
func higherScored(a, b scoredPair) bool { return a.u > b.u || a.u == b.u && a.place < b.place }

func pushScored(h *[]scoredPair, x scoredPair) {
	*h = append(*h, x)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !higherScored(x, s[p]) {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = x
}

func popScored(h *[]scoredPair) scoredPair {
	s := *h
	top := s[0]
	x := s[len(s)-1]
	s = s[:len(s)-1]
	*h = s
	if len(s) == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= len(s) {
			break
		}
		if c+1 < len(s) && higherScored(s[c+1], s[c]) {
			c++
		}
		if !higherScored(s[c], x) {
			break
		}
		s[i] = s[c]
		i = c
	}
	s[i] = x
	return top
}

// compatibleKey is what decides a candidate's compatible places: candidates
// alike in it make one group of the compatibility graph.
type compatibleKey struct {
	spec       string
	muni       int64
	lat, lon   float64
	relocate   bool
	university bool
}

// graph is the compatibility graph of the run, alike candidates grouped.
func (l *lists) graph(capacity []int32) match.Graph {
	gr := match.Graph{Start: []int32{0}, Capacity: capacity}
	index := map[compatibleKey]int{}
	var reps []*Candidate
	for _, c := range l.cands {
		k := compatibleKey{c.SpecialtyCode, c.MunicipalityID, c.Lat, c.Lon, c.Relocate, c.University}
		i, ok := index[k]
		if !ok {
			i = len(reps)
			index[k] = i
			reps = append(reps, c)
			gr.Size = append(gr.Size, 0)
		}
		gr.Size[i]++
	}
	for _, c := range reps {
		seen := map[int32]bool{}
		l.reach(c, func(s *stream, group bool) {
			for i := range s.items {
				it := &s.items[i]
				p := &l.pc.list[it.place]
				if seen[it.place] || group && linkedExactly(p, c.SpecialtyCode) {
					continue
				}
				if _, ok, _ := compatibleVia(c, p, *it.link); ok {
					seen[it.place] = true
					gr.Adj = append(gr.Adj, l.vac[it.place])
				}
			}
		})
		gr.Start = append(gr.Start, int32(len(gr.Adj)))
	}
	return gr
}

// rest calls visit with every compatible place of candidate g not yet handed
// out whose weight (both scores) might exceed limit(place): those scored
// and waiting, and those of the streams until the bound of a stream falls to
// floor. A pair is scored only when its bound (the stream's bound of the
// graduate's score and the employer's score of the place at most) exceeds
// its limit, and once: later calls take the score from memory. The
// candidate's lists are left as they were.
func (l *lists) rest(g int, floor int, limit func(v int32) int, visit func(e match.Edge)) {
	c, st := l.cands[g], &l.state[g]
	if !st.started {
		l.start(g)
	}
	for _, x := range st.heap {
		if int(x.u)+int(x.e) > limit(l.vac[x.place]) {
			visit(match.Edge{Vacancy: int(l.vac[x.place]), Utility: int(x.u), Score: int(x.e)})
		}
	}
	eMax := employerMax(c)
	for _, cu := range st.cursors {
		for ; int(cu.i) < len(cu.s.items); cu.i++ {
			if st.bound(cu)+eMax <= floor {
				break // the stream can give nothing above the candidate's value
			}
			it := &cu.s.items[cu.i]
			p := &l.pc.list[it.place]
			if cu.group && linkedExactly(p, c.SpecialtyCode) || slices.Contains(st.skip, it.place) {
				continue
			}
			v := l.vac[it.place]
			if st.bound(cu)+employerAt(c, p, it.link) <= limit(v) {
				continue
			}
			x, ok := st.memo[it.place]
			if !ok {
				if x, ok = l.rate(c, it); !ok {
					x = rated{-1, -1}
				}
				if st.memo == nil {
					st.memo = map[int32]rated{}
				}
				st.memo[it.place] = x
			}
			if x.u >= 0 && x.u+x.e > limit(v) {
				visit(match.Edge{Vacancy: int(v), Utility: x.u, Score: x.e})
			}
		}
	}
}

// employerAt bounds the employer's score of the candidate at a place: the
// specialty as linked, the candidate's grades and exam, and practice, mentor
// and contract where they are with this employer.
func employerAt(c *Candidate, p *Place, link *vacancy.Link) int {
	e := specialtyComponent(c, *link, 300, false, false).Points + gradePoints(c) + max(0, min(c.DemoExam, 100))
	if p.EmployerINN != "" {
		if slices.Contains(c.PracticeINNs, p.EmployerINN) {
			e += 200
		}
		if slices.Contains(c.MentorINNs, p.EmployerINN) {
			e += 100
		}
		if c.ContractINN == p.EmployerINN {
			e += 100
		}
	}
	return e
}

// employerMax bounds the employer's score of the candidate for any place:
// the specialty at its most, the candidate's grades and exam, and practice,
// mentor and contract wherever the candidate has any.
func employerMax(c *Candidate) int {
	e := 300 + gradePoints(c) + max(0, min(c.DemoExam, 100))
	if len(c.PracticeINNs) > 0 {
		e += 200
	}
	if len(c.MentorINNs) > 0 {
		e += 100
	}
	if c.ContractINN != "" {
		e += 100
	}
	return e
}
