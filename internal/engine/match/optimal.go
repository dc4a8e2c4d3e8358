package match

// optimal finds a matching of the market of maximum welfare, the sum over the
// matched pairs of w = utility + score, by the Hungarian method (successive
// shortest paths with potentials) for many-to-one matching with unmatched
// graduates allowed.
//
// It keeps a matching and dual prices, y[g] >= 0 for a graduate and p[v] >= 0
// for a vacancy, with y[g] + p[v] >= w(g,v) on every edge and equality on the
// matched ones. The matching is optimal once, besides, every graduate out has
// y = 0 and every vacancy with a free place has p = 0 (complementary
// slackness). Two kinds of search, each one Dijkstra on the reduced costs
// y[g] + p[v] - w >= 0, remove the violations one at a time, and neither
// makes a new one:
//
//   - add(g) brings in a graduate: y[g] starts at its best net value, and
//     the search from g ends at a vacancy with a free place (everyone on the
//     path moves one step) or where some graduate's y reaches 0 (it leaves);
//   - lower(v) settles a vacancy with a free place and a positive price: the
//     search from v ends at a graduate out (it comes in) or where some
//     vacancy's price reaches 0 (it gives up a graduate).
//
// The start is the auction's: its prices, and its places where they are a
// graduate's best at those prices. From near-optimal prices few violations
// are left and their searches are short; from zero prices, in a market with
// about as many graduates as places, the searches for the last free places
// cross the whole market, and the run takes minutes instead of seconds.
// Weights are at most 2000, and so are the distances: the searches keep their
// frontier in an array of buckets (Dial's algorithm), not a heap.
//
// Equal-welfare alternatives are settled by the lottery: graduates bid and
// enter in rank order, and at equal cost whoever holds a place keeps it.
func (mk *market) optimal() error {
	in := mk.in
	n, m := len(in.graduates), len(in.vacancies)
	off, size := mk.room()
	order := mk.byRank()
	s := &hungarian{
		in: in, y: make([]int32, n), p: make([]int32, m),
		off: off, size: size, list: make([]int32, off[m]), held: make([]int32, m), pos: make([]int32, n),
		assign:  mk.assign,
		distG:   make([]int32, n),
		distV:   make([]int32, m),
		seenG:   make([]int32, n),
		seenV:   make([]int32, m),
		doneG:   make([]int32, n),
		doneV:   make([]int32, m),
		predG:   make([]int32, n),
		predV:   make([]int32, m),
		buckets: make([][]int32, 2*MaxScore+1),
	}
	total := 2*len(order) + m
	prices, at, err := mk.auction(order, off, size, total)
	if err != nil {
		return err
	}
	top := s.adjacency(mk.targeted)
	for v := range s.p {
		s.p[v] = min(prices[v], top[v])
	}
	// Each graduate's y is its best net value at these prices; it keeps the
	// auction's place if that place is a best one.
	for _, g := range order {
		best, own := int32(0), int32(-1)
		for _, x := range in.edges[in.start[g]:in.start[g+1]] {
			v := edgeVac(x)
			net := weight(x) - s.p[v]
			best = max(best, net)
			if v == at[g] {
				own = net
			}
		}
		s.y[g] = best
		if own == best {
			s.attach(g, at[g])
		}
	}
	for done, g := range order {
		if done%checkEvery == 0 {
			if err := mk.ctx.Err(); err != nil {
				return err
			}
			if done%progressEvery == 0 {
				mk.report(len(order)+done, total)
			}
		}
		s.add(g)
	}
	for v := range int32(m) {
		if v%checkEvery == 0 {
			if err := mk.ctx.Err(); err != nil {
				return err
			}
			if v%progressEvery == 0 {
				mk.report(2*len(order)+int(v), total)
			}
		}
		for s.p[v] > 0 && s.held[v] < mk.free[v] {
			s.lower(v)
		}
	}
	mk.report(total, total)
	mk.value, mk.price = s.y, s.p
	return nil
}

// adjacency builds the market's edges by vacancy, each packed as
// graduate<<32 | weight, and returns the highest weight into each vacancy.
func (s *hungarian) adjacency(targeted []bool) []int32 {
	in := s.in
	m := len(in.vacancies)
	s.vstart = make([]int32, m+1)
	top := make([]int32, m)
	for g := range in.graduates {
		if targeted[g] {
			continue
		}
		for _, x := range in.edges[in.start[g]:in.start[g+1]] {
			v := edgeVac(x)
			s.vstart[v+1]++
			top[v] = max(top[v], weight(x))
		}
	}
	for v := range m {
		s.vstart[v+1] += s.vstart[v]
	}
	s.vadj = make([]uint64, s.vstart[m])
	next := append([]int32(nil), s.vstart[:m]...)
	for g := range in.graduates {
		if targeted[g] {
			continue
		}
		for _, x := range in.edges[in.start[g]:in.start[g+1]] {
			v := edgeVac(x)
			s.vadj[next[v]] = uint64(g)<<32 | uint64(weight(x))
			next[v]++
		}
	}
	return top
}

type hungarian struct {
	in     *Instance
	y, p   []int32
	off    []int32 // vacancy v's held graduates are list[off[v]:off[v]+held[v]]
	size   []int32 // room of each list: the places the market can use
	list   []int32
	held   []int32
	pos    []int32 // index of a matched graduate in its vacancy's list
	assign []int32

	vstart []int32 // the market's edges into vacancy v are vadj[vstart[v]:vstart[v+1]]
	vadj   []uint64

	epoch        int32 // marks seen and done of the current search
	distG, distV []int32
	seenG, seenV []int32
	doneG, doneV []int32
	predG        []int32 // in lower: vacancy through which a graduate was reached
	predV        []int32 // graduate through which a vacancy was reached
	buckets      [][]int32
	settledG     []int32
	settledV     []int32
}

func weight(x uint64) int32 { return edgeUtil(x) + edgeScore(x) }

func (s *hungarian) attach(g, v int32) {
	i := s.off[v] + s.held[v]
	s.list[i] = g
	s.pos[g] = s.held[v]
	s.held[v]++
	s.assign[g] = v
}

func (s *hungarian) detach(g int32) {
	v := s.assign[g]
	last := s.off[v] + s.held[v] - 1
	moved := s.list[last]
	s.list[s.off[v]+s.pos[g]] = moved
	s.pos[moved] = s.pos[g]
	s.held[v]--
	s.assign[g] = -1
}

// add brings graduate g0 into the market.
func (s *hungarian) add(g0 int32) {
	in := s.in
	if s.assign[g0] >= 0 {
		return // kept its place from the auction
	}
	es := in.edges[in.start[g0]:in.start[g0+1]]
	y0 := int32(0)
	for _, x := range es {
		y0 = max(y0, weight(x)-s.p[edgeVac(x)])
	}
	s.y[g0] = y0
	// The common case: a best edge leads to a free place.
	for _, x := range es {
		v := edgeVac(x)
		if s.held[v] < s.size[v] && weight(x)-s.p[v] == y0 {
			s.attach(g0, v)
			return
		}
	}
	if y0 == 0 {
		return // nothing to gain: g0 stays out
	}

	s.epoch++
	ep := s.epoch
	best := y0                  // the cheapest ending found so far
	endG, endV := g0, int32(-1) // a graduate to drop, or a vacancy with a free place
	s.settledG, s.settledV = s.settledG[:0], s.settledV[:0]
	s.seenG[g0], s.distG[g0] = ep, 0
	s.buckets[0] = append(s.buckets[0], g0)
	top := int32(0) // highest bucket used
	n := int32(len(in.graduates))
search:
	for d := int32(0); d < best; d++ {
		for i := 0; i < len(s.buckets[d]); i++ {
			node := s.buckets[d][i]
			if node < n {
				g := node
				s.settledG = append(s.settledG, g)
				if g != g0 && d+s.y[g] < best {
					best, endG, endV = d+s.y[g], g, -1
				}
				yg, own := s.y[g], s.assign[g]
				for _, x := range in.edges[in.start[g]:in.start[g+1]] {
					v := edgeVac(x)
					if v == own {
						continue
					}
					nd := d + yg + s.p[v] - weight(x)
					if nd >= best || (s.seenV[v] == ep && nd >= s.distV[v]) {
						continue
					}
					s.seenV[v], s.distV[v], s.predV[v] = ep, nd, g
					s.buckets[nd] = append(s.buckets[nd], n+v)
					top = max(top, nd)
				}
				continue
			}
			v := node - n
			if s.doneV[v] == ep || s.distV[v] != d {
				continue // reached again at a lower distance, or already done
			}
			s.doneV[v] = ep
			s.settledV = append(s.settledV, v)
			if s.held[v] < s.size[v] {
				best, endG, endV = d, -1, v
				break search
			}
			for _, g := range s.list[s.off[v] : s.off[v]+s.held[v]] {
				if s.seenG[g] != ep {
					s.seenG[g], s.distG[g] = ep, d
					s.buckets[d] = append(s.buckets[d], g)
				}
			}
		}
	}
	for d := int32(0); d <= top; d++ {
		s.buckets[d] = s.buckets[d][:0]
	}

	for _, g := range s.settledG {
		s.y[g] -= best - s.distG[g]
	}
	for _, v := range s.settledV {
		s.p[v] += best - s.distV[v]
	}
	var v int32
	switch {
	case endV >= 0:
		v = endV
	case endG == g0:
		return
	default:
		v = s.assign[endG]
		s.detach(endG)
	}
	// Walk back along the path: each graduate moves to the vacancy it reached.
	for {
		g := s.predV[v]
		old := s.assign[g]
		if old >= 0 {
			s.detach(g)
		}
		s.attach(g, v)
		if g == g0 {
			return
		}
		v = old
	}
}

// lower settles vacancy v0, which has a free place at a positive price: the
// mirror image of add. A search from v0 lowers the prices of the vacancies
// it reaches and raises the y of the graduates, and ends at the cheapest of:
// a graduate out of the market's places, who then takes a place (everyone on
// the path moves one step towards v0), or a vacancy whose price reaches 0,
// which then gives up a graduate (v0 itself: nothing moves). From a vacancy
// the search reaches every graduate with an edge into it, its own at no cost;
// from a graduate, the vacancy it holds.
func (s *hungarian) lower(v0 int32) {
	n := int32(len(s.in.graduates))
	s.epoch++
	ep := s.epoch
	best := s.p[v0]
	endG, endV := int32(-1), v0
	s.settledG, s.settledV = s.settledG[:0], s.settledV[:0]
	s.seenV[v0], s.distV[v0] = ep, 0
	s.buckets[0] = append(s.buckets[0], n+v0)
	top := int32(0)
search:
	for d := int32(0); d < best; d++ {
		for i := 0; i < len(s.buckets[d]); i++ {
			node := s.buckets[d][i]
			if node >= n {
				v := node - n
				if s.doneV[v] == ep || s.distV[v] != d {
					continue
				}
				s.doneV[v] = ep
				s.settledV = append(s.settledV, v)
				pv := s.p[v]
				if v != v0 && d+pv < best {
					best, endG, endV = d+pv, -1, v
				}
				for _, a := range s.vadj[s.vstart[v]:s.vstart[v+1]] {
					g := int32(a >> 32)
					nd := d
					if s.assign[g] != v {
						nd += s.y[g] + pv - int32(a&0xFFFF)
					}
					if nd >= best || (s.seenG[g] == ep && nd >= s.distG[g]) {
						continue
					}
					s.seenG[g], s.distG[g], s.predG[g] = ep, nd, v
					s.buckets[nd] = append(s.buckets[nd], g)
					top = max(top, nd)
				}
				continue
			}
			g := node
			if s.doneG[g] == ep || s.distG[g] != d {
				continue
			}
			s.doneG[g] = ep
			s.settledG = append(s.settledG, g)
			own := s.assign[g]
			if own < 0 {
				best, endG, endV = d, g, -1
				break search
			}
			if s.seenV[own] == ep && d >= s.distV[own] {
				continue
			}
			s.seenV[own], s.distV[own], s.predV[own] = ep, d, g
			s.buckets[d] = append(s.buckets[d], n+own)
		}
	}
	for d := int32(0); d <= top; d++ {
		s.buckets[d] = s.buckets[d][:0]
	}

	for _, g := range s.settledG {
		s.y[g] += best - s.distG[g]
	}
	for _, v := range s.settledV {
		s.p[v] -= best - s.distV[v]
	}
	// The graduates that move, from the end of the path back to v0.
	chain := s.settledG[:0]
	switch {
	case endG >= 0:
		chain = append(chain, endG)
	case endV == v0:
		return
	default:
		chain = append(chain, s.predV[endV])
	}
	for v := s.predG[chain[len(chain)-1]]; v != v0; v = s.predG[chain[len(chain)-1]] {
		chain = append(chain, s.predV[v])
	}
	for i := len(chain) - 1; i >= 0; i-- {
		g := chain[i]
		if s.assign[g] >= 0 {
			s.detach(g)
		}
		s.attach(g, s.predG[g])
	}
}
