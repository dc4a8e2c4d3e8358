package routing

import (
	"cmp"
	"math"
	"slices"

	"marshrut/internal/ddo"
	"marshrut/internal/engine/match"
	"marshrut/internal/vacancy"
)

// lists produces the candidates' preference lists for a run on demand, over
// every compatible vacancy, in the candidate's order (the graduate's score
// down), scoring only the pairs handed out.
//
// The graduate's score of a place is the sum of pay points (which never fall
// as the pay rises, for a given wish), distance points (by travel class),
// specialty points (by the link) and ДДО points (by the types of work the
// vacancy's links belong to) and level points (by the education asked). So
// the open places linked to a code and within reach of a home (a
// municipality, its centre, and whether the candidate would move) are kept in
// streams, one per travel class, pay named or not, education asked,
// specialty points and ДДО types, each sorted
// by pay down: along a stream the score falls, and its next place's score is
// a few additions. A candidate's list is the merge of its streams by that
// score; the next group is every place of the highest score left, scored in
// full only then (reasons and the employer's side).
type lists struct {
	pc    placesCache
	vac   []int32 // engine index of each place, -1 when not open
	place []int32 // place of each engine index
	cands []*Candidate
	homes map[homeKey][]*stream
	mask  []uint8 // ДДО types of each place's links
	state []candState
	vRank []int32 // the lottery rank of each engine vacancy; nil before Rank
	// emitted keeps every edge handed out, by candidate, for the optimal
	// mode and the check of its proof.
	emitted [][]edge
	scored  int64
	// budget bounds the places the optimal mode's check may look at; when
	// it runs out the check stops and the optimum is left unproved.
	budget int64
}

// Rank takes the lottery's ranks of the vacancies: ties are then handed out
// in the lottery's order, a place at a time.
func (l *lists) Rank(vacancy []int32) { l.vRank = vacancy }

// rankOf is the lottery rank of a place; the place's index before Rank.
func (l *lists) rankOf(place int32) int32 {
	if l.vRank == nil {
		return place
	}
	return l.vRank[l.vac[place]]
}

// edge is a pair handed out, kept small: there are millions at a region's scale.
type edge struct {
	v    int32
	u, e int16
	prio bool
}

func (e edge) engine() match.Edge {
	return match.Edge{Vacancy: int(e.v), Utility: int(e.u), Score: int(e.e), Priority: e.prio}
}

// homeKey is what decides which places a candidate reaches by a code.
type homeKey struct {
	code     string
	muni     int64
	lat, lon float64
	relocate bool
}

// stream is the places of one kind, sorted by pay down.
type stream struct {
	travel Travel
	edu    vacancy.Education // the education the places ask for
	paid   bool              // the places name their pay
	spec   int16             // specialty points of the links for a candidate of the stream's code
	mask   uint8             // ДДО types of the places' links
	items  []item
	byRank []int32 // the places by lottery rank, made when a long run needs it
}

type item struct {
	place int32
	pay   int32
	link  *vacancy.Link
}

// cursor walks a stream for a candidate a run at a time: a run is the
// places of one score (one pay points), handed out in the lottery's order.
// A short run is sorted by rank on the spot; a long one (the well-paid
// places a candidate values alike, often hundreds) is read from the
// stream's own order by rank, passing over the places of other runs.
type cursor struct {
	s     *stream
	i, k  int32   // the current run is the stream's places i..i+k-1
	left  int32   // places of the run not yet handed out
	pos   int32   // the next place: in own for a short run, else in s.byRank
	short bool    // own holds the run
	own   []int32 // a short run's places by rank
	base  int16   // the score of the stream's places but for the pay
	group bool    // the stream is of the specialty's group, not of the specialty
}

// shortRun is the longest run sorted on the spot.
const shortRun = 32

type candState struct {
	started bool
	want    int
	cursors []cursor // a max-heap by the score of the next place
	skip    []int32  // places handed out with the contract first
	memo    map[int32]rated
}

func newLists(pc placesCache, vac []int32, cands []*Candidate) *lists {
	l := &lists{pc: pc, vac: vac, cands: cands, homes: map[homeKey][]*stream{}, state: make([]candState, len(cands)),
		emitted: make([][]edge, len(cands)), mask: make([]uint8, len(pc.list))}
	for i := range pc.list {
		for _, link := range pc.list[i].Links {
			l.mask[i] |= typeMask(link.Code())
		}
	}
	return l
}

// typeMask is the ДДО types of a code, one bit each in ddoTypes order.
func typeMask(code string) uint8 {
	var m uint8
	for _, t := range ddo.TypesOf(code) {
		m |= 1 << slices.Index(ddoTypes, t)
	}
	return m
}

var ddoTypes = []ddo.Type{ddo.Nature, ddo.Technics, ddo.Human, ddo.Sign, ddo.Art}

// ddoPoints is the ДДО points of a place whose links have the types of mask,
// as score counts them: the better of the fit of the candidate's own
// specialty and of the vacancy's links.
func ddoPoints(c *Candidate, mask uint8) int {
	if c.DDO == nil {
		return 75
	}
	f := ddo.Fit(*c.DDO, c.SpecialtyCode)
	best := 0
	for i, t := range ddoTypes {
		if mask&(1<<i) != 0 {
			best = max(best, c.DDO.Points[t])
		}
	}
	if vf := float64(min(best, ddo.MaxPoints)) / ddo.MaxPoints; vf > f {
		f = vf
	}
	return int(math.Round(150 * f))
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

// streamKind tells streams apart.
type streamKind struct {
	travel Travel
	edu    vacancy.Education
	paid   bool
	spec   int16
	mask   uint8
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
	byKind := map[streamKind]*stream{}
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
		kind := streamKind{travel: t, edu: p.Education, paid: pay > 0,
			spec: int16(specialtyComponent(home, e.link, 200, false, true).Points), mask: l.mask[e.place]}
		s := byKind[kind]
		if s == nil {
			s = &stream{travel: t, edu: kind.edu, paid: kind.paid, spec: kind.spec, mask: kind.mask}
			byKind[kind] = s
		}
		s.items = append(s.items, item{place: int32(e.place), pay: int32(pay), link: &e.link})
	}
	var ss []*stream
	for _, s := range byKind {
		slices.SortFunc(s.items, func(a, b item) int { return cmp.Or(cmp.Compare(b.pay, a.pay), cmp.Compare(a.place, b.place)) })
		ss = append(ss, s)
	}
	// Map order must not matter: streams in a fixed order.
	slices.SortFunc(ss, func(a, b *stream) int { return cmp.Compare(a.items[0].place, b.items[0].place) })
	l.homes[k] = ss
	return ss
}

// reach calls visit with every stream a candidate takes places from, and
// whether it is a stream of the specialty's group.
func (l *lists) reach(c *Candidate, visit func(s *stream, group bool)) {
	for i, code := range codes(c) {
		for _, s := range l.streams(homeKey{code, c.MunicipalityID, c.Lat, c.Lon, c.Relocate}) {
			if above(s.edu, c) {
				continue
			}
			visit(s, i > 0)
		}
	}
}

// linkedExactly tells whether the place is linked to the specialty itself:
// then it is in the specialty's streams, and its group's streams pass it by.
func linkedExactly(p *Place, spec string) bool {
	return slices.ContainsFunc(p.Links, func(l vacancy.Link) bool { return l.SpecialtyCode == spec })
}

// head is the graduate's score of the cursor's next place.
func (st *candState) head(cu *cursor) int {
	return payPoints(int(cu.next().pay), st.want) + int(cu.base)
}

// next is the cursor's next place.
func (cu *cursor) next() *item {
	if cu.short {
		return &cu.s.items[cu.own[cu.pos]]
	}
	return &cu.s.items[cu.s.byRank[cu.pos]]
}

// seek moves pos to the next place of the run in s.byRank.
func (cu *cursor) seek() {
	for j := cu.s.byRank[cu.pos]; j < cu.i || j >= cu.i+cu.k; j = cu.s.byRank[cu.pos] {
		cu.pos++
	}
}

// step moves to the run's next place; false when the run is done.
func (cu *cursor) step() bool {
	if cu.left--; cu.left == 0 {
		return false
	}
	cu.pos++
	if !cu.short {
		cu.seek()
	}
	return true
}

// load starts the run at cu.i: the places with its pay points.
func (l *lists) load(cu *cursor, want int) {
	items := cu.s.items[cu.i:]
	pts := payPoints(int(items[0].pay), want)
	k := 1
	for k < len(items) && payPoints(int(items[k].pay), want) == pts {
		k++
	}
	cu.k, cu.left, cu.pos = int32(k), int32(k), 0
	byRank := func(a, b int32) int {
		return cmp.Compare(l.rankOf(cu.s.items[a].place), l.rankOf(cu.s.items[b].place))
	}
	if cu.short = k <= shortRun; cu.short {
		cu.own = cu.own[:0]
		for j := range int32(k) {
			cu.own = append(cu.own, cu.i+j)
		}
		slices.SortFunc(cu.own, byRank)
		return
	}
	if cu.s.byRank == nil {
		order := make([]int32, len(cu.s.items))
		for j := range order {
			order[j] = int32(j)
		}
		slices.SortFunc(order, byRank)
		cu.s.byRank = order
	}
	cu.seek()
}

func (l *lists) start(g int) {
	c, st := l.cands[g], &l.state[g]
	st.started = true
	st.want = c.MinSalary
	if st.want == 0 {
		st.want = l.pc.median
	}
	l.reach(c, func(s *stream, group bool) {
		// The stream's specialty points are the candidate's: by the
		// specialty itself in its own streams (an exact link), by the
		// group in the group's (a place linked exactly is passed by).
		base := travelPoints[s.travel] + int(s.spec) + levelPoints(s.edu, c.University) + ddoPoints(c, s.mask)
		cu := cursor{s: s, base: int16(base), group: group}
		l.load(&cu, st.want)
		st.cursors = append(st.cursors, cu)
	})
	for i := len(st.cursors)/2 - 1; i >= 0; i-- {
		l.down(st, i)
	}
}

// higher orders the cursors' heap: the higher next score first, then the
// lower lottery rank, the candidate's own order.
func (l *lists) higher(st *candState, i, j int) bool {
	a, b := &st.cursors[i], &st.cursors[j]
	ha, hb := st.head(a), st.head(b)
	return ha > hb || ha == hb && l.rankOf(a.next().place) < l.rankOf(b.next().place)
}

func (l *lists) down(st *candState, i int) {
	n := len(st.cursors)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && l.higher(st, c+1, c) {
			c++
		}
		if !l.higher(st, c, i) {
			return
		}
		st.cursors[i], st.cursors[c] = st.cursors[c], st.cursors[i]
		i = c
	}
}

// advance moves the top cursor to its next place, dropping a stream done.
func (l *lists) advance(st *candState) {
	cu := &st.cursors[0]
	if !cu.step() {
		cu.i += cu.k
		if int(cu.i) == len(cu.s.items) {
			last := len(st.cursors) - 1
			st.cursors[0] = st.cursors[last]
			st.cursors = st.cursors[:last]
		} else {
			l.load(cu, st.want)
		}
	}
	if len(st.cursors) > 0 {
		l.down(st, 0)
	}
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
					if x, ok := l.rate(c, it); ok {
						st.skip = append(st.skip, it.place)
						buf = append(buf, match.Edge{Vacancy: int(l.vac[it.place]), Utility: x.u, Score: x.e, Priority: true})
					}
				}
			}
			if len(buf) > 0 {
				l.keep(g, buf)
				return buf
			}
		}
	}
	// Without the lottery a group is a whole tie; with it, one place.
	top := -1
	for len(st.cursors) > 0 {
		cu := &st.cursors[0]
		u := st.head(cu)
		if top >= 0 && (u < top || l.vRank != nil) {
			break
		}
		it := cu.next()
		group := cu.group
		l.advance(st)
		p := &l.pc.list[it.place]
		if group && linkedExactly(p, c.SpecialtyCode) || slices.Contains(st.skip, it.place) {
			continue
		}
		if x, ok := l.rate(c, it); ok {
			top = u
			buf = append(buf, match.Edge{Vacancy: int(l.vac[it.place]), Utility: x.u, Score: x.e})
		}
	}
	l.keep(g, buf)
	return buf
}

// keep records the edges handed out.
func (l *lists) keep(g int, buf []match.Edge) {
	for _, e := range buf {
		l.emitted[g] = append(l.emitted[g], edge{v: int32(e.Vacancy), u: int16(e.Utility), e: int16(e.Score), prio: e.Priority})
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

// compatibleKey is what decides a candidate's compatible places: candidates
// alike in it make one group of the compatibility graph.
type compatibleKey struct {
	spec       string
	muni       int64
	lat, lon   float64
	relocate   bool
	university bool
	woman      bool
	minor      bool
}

// graph is the compatibility graph of the run, alike candidates grouped.
func (l *lists) graph(capacity []int32) match.Graph {
	gr := match.Graph{Start: []int32{0}, Capacity: capacity}
	index := map[compatibleKey]int{}
	var reps []*Candidate
	for _, c := range l.cands {
		k := compatibleKey{c.SpecialtyCode, c.MunicipalityID, c.Lat, c.Lon, c.Relocate, c.University, c.Sex == "ж", c.Minor}
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
// out whose weight (both scores) exceeds limit(place). A stream is followed
// while its graduate's score and the employer's at most can exceed floor;
// a pair is scored only when its graduate's score and the employer's score
// of the place at most exceed its limit, and once: later calls take the
// score from memory. The candidate's lists are left as they were.
func (l *lists) rest(g int, floor int, limit func(v int32) int, visit func(e match.Edge)) {
	c, st := l.cands[g], &l.state[g]
	if !st.started {
		l.start(g)
	}
	out := make(map[int32]bool, len(l.emitted[g])) // engine vacancies handed out
	for _, e := range l.emitted[g] {
		out[e.v] = true
	}
	eMax := employerMax(c)
	for _, cu := range st.cursors {
		// From the start of the current run: part of it may be out.
		for i := int(cu.i); i < len(cu.s.items); i++ {
			if l.budget--; l.budget < 0 {
				return
			}
			it := &cu.s.items[i]
			u := payPoints(int(it.pay), st.want) + int(cu.base)
			if u+eMax <= floor {
				break // the stream can give nothing above the candidate's value
			}
			p := &l.pc.list[it.place]
			v := l.vac[it.place]
			if out[v] || cu.group && linkedExactly(p, c.SpecialtyCode) || slices.Contains(st.skip, it.place) {
				continue
			}
			if u+employerAt(c, p, it.link) <= limit(v) {
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
