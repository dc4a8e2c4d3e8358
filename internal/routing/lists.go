package routing

import (
	"cmp"
	"math"
	"slices"
	"sort"

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
	// bars is each engine vacancy's bar as deferred acceptance tells it
	// (match.Skipping): -1 while it has room, else the least score it takes.
	// A place whose bar is above the most its employer can score a
	// candidate is passed by: it would refuse.
	bars   []int64
	grank  []int32 // the lottery rank of each candidate
	scored int64
	// budget bounds the places the optimal mode's check may look at; when
	// it runs out the check stops and the optimum is left unproved.
	budget int64
	byINN  map[string][]int32 // places by employer, made when first asked
	// specs is the specialties each place is linked to exactly, by number
	// in spec; cspec the number of each candidate's specialty (-1 none).
	specs [][]int16
	cspec []int16
	// emp is the employer of each place by number, -1 none; bonus what
	// practice, a mentor and a contract add at each candidate's employers.
	emp   []int32
	bonus [][]bonus
}

type bonus struct {
	emp int32
	pts int32
}

// Bar takes a vacancy's bar from deferred acceptance.
func (l *lists) Bar(v int, bar int64) { l.bars[v] = bar }

// Lottery takes the candidates' lottery ranks from deferred acceptance.
func (l *lists) Lottery(g []int32) { l.grank = g }

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

// homeKey is what decides which places a candidate reaches by a code.
type homeKey struct {
	code     string
	muni     int64
	lat, lon float64
	relocate bool
}

// stream is the places of one kind, sorted by pay down. Its places are
// compatible with every candidate the stream is reached by (reach): the
// kind decides the travel, the education asked and the limits of the law.
type stream struct {
	travel Travel
	edu    vacancy.Education // the education the places ask for
	paid   bool              // the places name their pay
	spec   int16             // specialty points of the links for a candidate of the stream's code
	espec  int16             // the same in the employer's view
	limits vacancy.Limit     // the limits of the law on who may take the places
	mask   uint8             // ДДО types of the places' links
	items  []item
	byRank []int32 // the places by lottery rank, made when a long run needs it
	// low bounds from below the bars of each block of the items: bars only
	// rise, so a bound once true stays true, and a block whose bound is
	// above what a candidate can score is passed by whole.
	low []int64
	// exact counts, in a stream of a group, the places linked to each of
	// its specialties exactly (they are counted in the specialty's own).
	exact map[string]int32
	byEmp map[int32][]int32 // positions of the items by employer, made when first asked
}

// block is the number of a stream's items one bound of bars covers.
const block = 64

type item struct {
	place int32
	v     int32 // engine vacancy
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
	u     int16   // the score of the current run's places
	base  int16   // the score of the stream's places but for the pay
	eub   int16   // the employer's score of the candidate at the stream's places, but for practice, mentor and contract
	maxb  int16   // the most those add, at the places of the candidate's employers
	key   int64   // how the employers rank the candidate at the stream's places, those ties aside (match.Key)
	bonus []int32 // the stream's places at those employers, by position
	group bool    // the stream is of the specialty's group, not of the specialty
}

// shortRun is the longest run sorted on the spot.
const shortRun = 32

type candState struct {
	started bool
	want    int
	cursors []cursor     // a max-heap by the score of the next place
	skip    []int32      // places handed out with the contract first
	prio    []match.Edge // and those edges
	memo    map[int32]rated
}

func newLists(pc placesCache, vac []int32, cands []*Candidate) *lists {
	l := &lists{pc: pc, vac: vac, cands: cands, homes: map[homeKey][]*stream{}, state: make([]candState, len(cands)),
		mask: make([]uint8, len(pc.list)), specs: make([][]int16, len(pc.list)), cspec: make([]int16, len(cands))}
	spec := map[string]int16{}
	for i := range pc.list {
		for _, link := range pc.list[i].Links {
			l.mask[i] |= typeMask(link.Code())
			if link.SpecialtyCode == "" {
				continue
			}
			id, ok := spec[link.SpecialtyCode]
			if !ok {
				id = int16(len(spec))
				spec[link.SpecialtyCode] = id
			}
			if !slices.Contains(l.specs[i], id) {
				l.specs[i] = append(l.specs[i], id)
			}
		}
	}
	for g, c := range cands {
		l.cspec[g] = -1
		if id, ok := spec[c.SpecialtyCode]; ok {
			l.cspec[g] = id
		}
	}
	emp := map[string]int32{}
	l.emp = make([]int32, len(pc.list))
	for i := range pc.list {
		l.emp[i] = -1
		if inn := pc.list[i].EmployerINN; inn != "" {
			id, ok := emp[inn]
			if !ok {
				id = int32(len(emp))
				emp[inn] = id
			}
			l.emp[i] = id
		}
	}
	l.bonus = make([][]bonus, len(cands))
	for g, c := range cands {
		add := func(inn string, pts int32) {
			id, ok := emp[inn]
			if !ok || inn == "" {
				return
			}
			if i := slices.IndexFunc(l.bonus[g], func(b bonus) bool { return b.emp == id }); i >= 0 {
				l.bonus[g][i].pts += pts
				return
			}
			l.bonus[g] = append(l.bonus[g], bonus{id, pts})
		}
		for _, inn := range slices.Compact(slices.Sorted(slices.Values(c.PracticeINNs))) {
			add(inn, 200)
		}
		for _, inn := range slices.Compact(slices.Sorted(slices.Values(c.MentorINNs))) {
			add(inn, 100)
		}
		add(c.ContractINN, 100)
	}
	open := 0
	for _, v := range vac {
		if v >= 0 {
			open++
		}
	}
	l.bars = make([]int64, open)
	for v := range l.bars {
		l.bars[v] = -1
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
	travel      Travel
	edu         vacancy.Education
	paid        bool
	spec, espec int16
	limits      vacancy.Limit
	mask        uint8
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
			spec:  int16(specialtyComponent(home, *e.link, 200, false, true).Points),
			espec: int16(specialtyComponent(home, *e.link, 300, false, false).Points), limits: p.Limits, mask: l.mask[e.place]}
		s := byKind[kind]
		if s == nil {
			s = &stream{travel: t, edu: kind.edu, paid: kind.paid, spec: kind.spec, espec: kind.espec, limits: kind.limits, mask: kind.mask}
			byKind[kind] = s
		}
		s.items = append(s.items, item{place: e.place, v: l.vac[e.place], pay: int32(pay), link: e.link})
	}
	var ss []*stream
	for _, s := range byKind {
		slices.SortFunc(s.items, func(a, b item) int { return cmp.Or(cmp.Compare(b.pay, a.pay), cmp.Compare(a.place, b.place)) })
		s.low = make([]int64, (len(s.items)+block-1)/block)
		for b := range s.low {
			s.low[b] = -1
		}
		ss = append(ss, s)
	}
	// Map order must not matter: streams in a fixed order.
	slices.SortFunc(ss, func(a, b *stream) int { return cmp.Compare(a.items[0].place, b.items[0].place) })
	l.homes[k] = ss
	return ss
}

// reach calls visit with every stream a candidate takes places from, and
// whether it is a stream of the specialty's group: those of its home, but
// for the education it lacks and the work the law keeps it from.
func (l *lists) reach(c *Candidate, visit func(s *stream, group bool)) {
	for i, code := range codes(c) {
		for _, s := range l.streams(homeKey{code, c.MunicipalityID, c.Lat, c.Lon, c.Relocate}) {
			if above(s.edu, c) || c.Minor && s.limits&vacancy.ForbiddenMinors != 0 || c.Sex == "ж" && s.limits&vacancy.RestrictedWomen != 0 {
				continue
			}
			visit(s, i > 0)
		}
	}
}

// cursorOf is candidate g's cursor on a stream, at its start.
func (l *lists) cursorOf(g int, s *stream, group bool) cursor {
	c := l.cands[g]
	// The stream's specialty points are the candidate's: by the
	// specialty itself in its own streams (an exact link), by the
	// group in the group's (a place linked exactly is passed by).
	base := travelPoints[s.travel] + int(s.spec) + levelPoints(s.edu, c.University) + ddoPoints(c, s.mask)
	eub := int(s.espec) + gradePoints(c) + max(0, min(c.DemoExam, 100))
	rank := int32(0)
	if l.grank != nil {
		rank = l.grank[g]
	}
	cu := cursor{s: s, base: int16(base), eub: int16(eub), key: match.Key(eub, rank), group: group}
	for _, b := range l.bonus[g] {
		cu.maxb = max(cu.maxb, int16(b.pts))
	}
	if cu.maxb > 0 {
		if s.byEmp == nil {
			s.byEmp = map[int32][]int32{}
			for j, it := range s.items {
				if e := l.emp[it.place]; e >= 0 {
					s.byEmp[e] = append(s.byEmp[e], int32(j))
				}
			}
		}
		for _, b := range l.bonus[g] {
			cu.bonus = append(cu.bonus, s.byEmp[b.emp]...)
		}
		slices.Sort(cu.bonus)
	}
	return cu
}

// bonusAt is what practice, a mentor and a contract with the place's
// employer add to the employer's score of candidate g.
func (l *lists) bonusAt(g int, place int32) int32 {
	e := l.emp[place]
	for _, b := range l.bonus[g] {
		if b.emp == e {
			return b.pts
		}
	}
	return 0
}

// open tells whether a place may take candidate g of a cursor: its bar is
// not above how its employer ranks the candidate.
func (l *lists) open(g int, cu *cursor, it *item) bool {
	bar := l.bars[it.v]
	return bar <= cu.key || cu.maxb > 0 && bar <= cu.key+int64(cu.maxb)<<32 && bar <= cu.key+int64(l.bonusAt(g, it.place))<<32
}

// blocks tells whether a place would take candidate g of a cursor over its
// lowest holder at the final bars: it has room, or that one's score is lower.
func (l *lists) blocks(g int, cu *cursor, it *item) bool {
	bar := l.bars[it.v]
	if bar < 0 {
		return true
	}
	sc := int32(bar >> 32)
	return sc < int32(cu.eub) || cu.maxb > 0 && sc < int32(cu.eub+cu.maxb) && sc < int32(cu.eub)+l.bonusAt(g, it.place)
}

// dup tells whether a place of a group's stream is linked to candidate g's
// specialty exactly: then it is in the specialty's stream, and the group's
// passes it by.
func (l *lists) dup(g int, group bool, place int32) bool {
	return group && l.cspec[g] >= 0 && slices.Contains(l.specs[place], l.cspec[g])
}

// head is the graduate's score of the cursor's next place.
func (st *candState) head(cu *cursor) int { return int(cu.u) }

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

// load starts the first run from cu.i on (the places of one pay points)
// with a place that may take the candidate; false when there is none.
func (l *lists) load(g int, cu *cursor, want int) bool {
	items := cu.s.items
	j := l.firstOpen(g, cu, cu.i)
	if j < 0 {
		return false
	}
	// Pay points never rise along a stream: the run of the first open
	// place is where they are its, those before it all closed.
	pts := payPoints(int(items[j].pay), want)
	lo := cu.i + int32(sort.Search(int(j-cu.i), func(k int) bool { return payPoints(int(items[cu.i+int32(k)].pay), want) <= pts }))
	hi := j + 1 + int32(sort.Search(len(items)-int(j)-1, func(k int) bool { return payPoints(int(items[j+1+int32(k)].pay), want) < pts }))
	cu.i = lo
	cu.u = int16(pts) + cu.base
	l.run(cu, int(hi-lo))
	return true
}

// firstOpen is the position of the first place from lo on that may take
// candidate g of the cursor, -1 none: those of its employers one by one, the
// others by the blocks' bounds; the blocks looked at in full have their
// bounds renewed.
func (l *lists) firstOpen(g int, cu *cursor, lo int32) int32 {
	s, key := cu.s, cu.key
	n := int32(len(s.items))
	hi := n // the first of the candidate's employers' places open
	if len(cu.bonus) > 0 {
		from, _ := slices.BinarySearch(cu.bonus, lo)
		for _, j := range cu.bonus[from:] {
			if l.open(g, cu, &s.items[j]) {
				hi = j
				break
			}
		}
	}
	for i := lo; i < hi; {
		if i%block == 0 && i+block <= n {
			b := i / block
			if s.low[b] > key {
				i += block
				continue
			}
			low := int64(math.MaxInt64)
			for k, it := range s.items[i : i+block] {
				bar := l.bars[it.v]
				if bar <= key {
					return min(hi, i+int32(k))
				}
				low = min(low, bar)
			}
			s.low[b] = low
			i += block
			continue
		}
		if l.bars[s.items[i].v] <= key {
			return i
		}
		i++
	}
	if hi == n {
		return -1
	}
	return hi
}

// settle moves the cursor to its next place that may take the candidate,
// the current one included; false when the stream has none left.
func (l *lists) settle(g int, cu *cursor, want int) bool {
	for !l.open(g, cu, cu.next()) {
		if !cu.step() {
			cu.i += cu.k
			if !l.load(g, cu, want) {
				return false
			}
		}
	}
	return true
}

// run sets the cursor on the run of k places at cu.i, in the lottery's order.
func (l *lists) run(cu *cursor, k int) {
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

// wantOf is the pay a candidate's pay points are counted against.
func (l *lists) wantOf(c *Candidate) int {
	if c.MinSalary == 0 {
		return l.pc.median
	}
	return c.MinSalary
}

func (l *lists) start(g int) {
	c, st := l.cands[g], &l.state[g]
	st.started = true
	st.want = l.wantOf(c)
	l.reach(c, func(s *stream, group bool) {
		cu := l.cursorOf(g, s, group)
		if l.load(g, &cu, st.want) && l.settle(g, &cu, st.want) {
			st.cursors = append(st.cursors, cu)
		}
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

// advance moves the top cursor to its next place that may take the
// candidate (past, when step is false, none), dropping a stream done.
func (l *lists) advance(g int, st *candState, step bool) {
	cu := &st.cursors[0]
	ok := true
	if step && !cu.step() {
		cu.i += cu.k
		ok = l.load(g, cu, st.want)
	}
	if ok = ok && l.settle(g, cu, st.want); !ok {
		last := len(st.cursors) - 1
		st.cursors[0] = st.cursors[last]
		st.cursors = st.cursors[:last]
		if last == 0 {
			st.cursors = nil
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
			l.reach(c, func(s *stream, group bool) {
				for i := range s.items {
					it := &s.items[i]
					p := &l.pc.list[it.place]
					if p.EmployerINN != c.ContractINN || slices.Contains(st.skip, it.place) || l.dup(g, group, it.place) {
						continue
					}
					if x, ok := l.rate(c, it); ok {
						st.skip = append(st.skip, it.place)
						buf = append(buf, match.Edge{Vacancy: int(it.v), Utility: x.u, Score: x.e, Priority: true})
					}
				}
			})
			if len(buf) > 0 {
				st.prio = slices.Clone(buf)
				return buf
			}
		}
	}
	// Without the lottery a group is a whole tie; with it, one place.
	top := -1
	for len(st.cursors) > 0 {
		cu := &st.cursors[0]
		it := cu.next()
		if !l.open(g, cu, it) {
			l.advance(g, st, false) // its bar rose since: pass it by
			continue
		}
		u := st.head(cu)
		if top >= 0 && (u < top || l.vRank != nil) {
			break
		}
		group, eub := cu.group, int32(cu.eub)
		l.advance(g, st, true)
		if l.dup(g, group, it.place) || slices.Contains(st.skip, it.place) {
			continue
		}
		// The stream's places are compatible, and its scores add up.
		l.scored++
		top = u
		buf = append(buf, match.Edge{Vacancy: int(it.v), Utility: u, Score: int(eub + l.bonusAt(g, it.place))})
	}
	return buf
}

// Complete tells deferred acceptance what candidate g's complete list says
// of its outcome (match.Skipping): the place's position in it, its highest
// utility, and the blocking pairs, counted over every compatible place with
// the final bars. Places ahead of the candidate's are looked at one by one
// (scored only when their bar is below what the employer can score); for a
// candidate without a place, only the blocks of places that could take it.
func (l *lists) Complete(g int, own match.Edge, placed bool) match.Completion {
	c, st := l.cands[g], &l.state[g]
	st.cursors = nil // deferred acceptance is over
	out := match.Completion{Top: -1}
	for _, e := range st.prio {
		out.Top = max(out.Top, e.Utility)
	}
	if placed && own.Priority {
		out.Choice = 1
		for _, e := range st.prio {
			if e.Utility > own.Utility || e.Utility == own.Utility && l.rankOf(l.place[e.Vacancy]) < l.rankOf(l.place[own.Vacancy]) {
				out.Choice++
			}
		}
	}
	ahead := int32(0)
	want := l.wantOf(c)
	counts := func(cu *cursor, it *item) bool {
		return !(l.dup(g, cu.group, it.place) || slices.Contains(st.skip, it.place))
	}
	blocks := func(cu *cursor, it *item) bool { return l.blocks(g, cu, it) }
	l.reach(c, func(s *stream, group bool) {
		cu := l.cursorOf(g, s, group)
		// The first place the candidate may take: the top of the stream.
		for i := range s.items {
			if it := &s.items[i]; counts(&cu, it) {
				out.Top = max(out.Top, payPoints(int(it.pay), want)+int(cu.base))
				break
			}
		}
		switch {
		case placed && own.Priority:
		case placed:
			ownRank := l.rankOf(l.place[own.Vacancy])
			for i := range s.items {
				it := &s.items[i]
				u := payPoints(int(it.pay), want) + int(cu.base)
				if u < own.Utility {
					break
				}
				if int(it.v) == own.Vacancy || u == own.Utility && l.rankOf(it.place) > ownRank || !counts(&cu, it) {
					continue
				}
				ahead++
				if u > own.Utility && blocks(&cu, it) {
					out.Blocking++
				}
			}
		default:
			// The places of the candidate's employers one by one, the
			// others by the blocks' bounds.
			for _, j := range cu.bonus {
				if it := &s.items[j]; blocks(&cu, it) && counts(&cu, it) {
					out.Blocking++
				}
			}
			for i := 0; i < len(s.items); i++ {
				if i%block == 0 && s.low[i/block] >= int64(cu.eub)<<32 {
					i += block - 1 // every bar of the block of a score not below
					continue
				}
				it := &s.items[i]
				if bar := l.bars[it.v]; (bar < 0 || int16(bar>>32) < cu.eub) && counts(&cu, it) && l.bonusAt(g, it.place) == 0 {
					out.Blocking++
				}
			}
		}
	})
	if placed && !own.Priority {
		out.Choice = int32(len(st.prio)) + ahead + 1
	}
	return out
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

// graph is the compatibility graph of the run, alike candidates grouped and
// reaching the places through the streams, which stand as hubs: a group's
// places are the union of its streams'. It counts the compatible pairs too.
func (l *lists) graph(capacity []int32) (match.Graph, int64) {
	gr := match.Graph{Start: []int32{0}, Capacity: capacity, HubStart: []int32{0}}
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
	hubs := map[*stream]int32{}
	var pairs int64
	for i, c := range reps {
		n := int64(0)
		l.reach(c, func(s *stream, group bool) {
			h, ok := hubs[s]
			if !ok {
				h = int32(len(hubs))
				hubs[s] = h
				for _, it := range s.items {
					gr.HubAdj = append(gr.HubAdj, it.v)
				}
				gr.HubStart = append(gr.HubStart, int32(len(gr.HubAdj)))
			}
			gr.Adj = append(gr.Adj, h)
			n += int64(len(s.items))
			if group {
				n -= int64(l.exactly(s)[c.SpecialtyCode])
			}
		})
		pairs += n * int64(gr.Size[i])
		gr.Start = append(gr.Start, int32(len(gr.Adj)))
	}
	return gr, pairs
}

// exactly counts a stream's places linked exactly to each specialty.
func (l *lists) exactly(s *stream) map[string]int32 {
	if s.exact != nil {
		return s.exact
	}
	s.exact = map[string]int32{}
	for _, it := range s.items {
		var seen []string
		for _, link := range l.pc.list[it.place].Links {
			if link.SpecialtyCode != "" && !slices.Contains(seen, link.SpecialtyCode) {
				seen = append(seen, link.SpecialtyCode)
				s.exact[link.SpecialtyCode]++
			}
		}
	}
	return s.exact
}

// head is the first k edges of candidate g's complete list, the contract's
// places aside, in its order, scored.
func (l *lists) head(g int, k int) []match.Edge {
	c, st := l.cands[g], &l.state[g]
	want := l.wantOf(c)
	type cand struct {
		it   *item
		u    int
		rank int32
	}
	var best []cand
	l.reach(c, func(s *stream, group bool) {
		cu := l.cursorOf(g, s, group)
		taken := 0
		for i := 0; i < len(s.items) && taken < k; i++ {
			it := &s.items[i]
			if l.dup(g, group, it.place) || slices.Contains(st.skip, it.place) {
				continue
			}
			taken++
			best = append(best, cand{it, payPoints(int(it.pay), want) + int(cu.base), l.rankOf(it.place)})
		}
	})
	slices.SortFunc(best, func(a, b cand) int { return cmp.Or(cmp.Compare(b.u, a.u), cmp.Compare(a.rank, b.rank)) })
	var out []match.Edge
	for _, b := range best {
		if len(out) == k {
			break
		}
		if x, ok := l.rate(c, b.it); ok {
			out = append(out, match.Edge{Vacancy: int(b.it.v), Utility: x.u, Score: x.e})
		}
	}
	return out
}

// rest calls visit with every compatible place of candidate g but those in
// have whose weight (both scores) exceeds limit(place). A stream is followed
// while its graduate's score and the employer's at most can exceed floor;
// a pair is scored only when its graduate's score and the employer's score
// of the place at most exceed its limit, and once: later calls take the
// score from memory.
func (l *lists) rest(g int, floor int, have map[int32]bool, limit func(v int32) int, visit func(e match.Edge)) {
	c, st := l.cands[g], &l.state[g]
	want := l.wantOf(c)
	eMax := employerMax(c)
	l.reach(c, func(s *stream, group bool) {
		cu := l.cursorOf(g, s, group)
		for i := range s.items {
			if l.budget--; l.budget < 0 {
				return
			}
			it := &s.items[i]
			u := payPoints(int(it.pay), want) + int(cu.base)
			if u+eMax <= floor {
				break // the stream can give nothing above the candidate's value
			}
			p := &l.pc.list[it.place]
			v := it.v
			if have[v] || l.dup(g, group, it.place) || slices.Contains(st.skip, it.place) {
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
	})
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
