package match

import "math"

// auction finds a matching of the market of maximum welfare by Bertsekas's
// forward auction with ε-scaling, made exact for integer weights.
//
// The problem is first made symmetric, so that everyone ends up somewhere and
// the textbook ε-scaling argument holds. Besides the graduates there are
// placeholders: vacancy v has one per place it can fill, standing for the
// place left empty. Besides the vacancies' places there is the outside, with
// one place per graduate. A graduate values a place of vacancy v at
// w = utility + score and the outside at 0; a placeholder of v values a place
// of v and the outside both at 0. A full assignment of the symmetric problem
// is a matching of the market (graduates outside are unmatched) and back, with
// the same welfare: a vacancy's placeholders fill its empty places and go
// outside in the number of its graduates.
//
// Every place has a price. A person without a place bids for the place of
// highest net value (value - price), the cheapest place of its object, raising
// the price by the margin over its second best option plus ε, and takes it,
// displacing the holder. At the end of a phase everyone holds a place within ε
// of its best net value (ε-complementary slackness); the next phase keeps the
// prices and the places still within the smaller ε. Weights are multiplied by
// N+1, N the number of persons, and the last phase has ε = 1: then the
// welfare is within N·ε/(N+1) < 1 of the maximum, and being an integer, is
// the maximum.
func (mk *market) auction() error {
	in := mk.in
	m := len(in.vacancies)
	order := mk.byRank()
	off, size := mk.room()
	nT := int32(len(order)) // places outside
	t := int32(m)           // the outside, as an object
	start := append(off, off[m]+nT)
	persons := int64(len(order)) + int64(off[m])
	scale := persons + 1
	a := &auctioneer{
		in: in, off: start, scale: scale,
		place: make([]place, start[m+1]),
	}
	for i := range a.place {
		a.place[i].holder = none
	}
	sizes := append(size, nT)
	a.size = sizes
	a.queue = make([]uint32, 0, persons)
	for _, g := range order {
		a.queue = append(a.queue, uint32(g))
	}
	for v := range int32(m) {
		for range size[v] {
			a.queue = append(a.queue, dummy|uint32(v))
		}
	}

	eps := max(1, 2*MaxScore*scale/8)
	phases := 1
	for e := eps; e > 1; e = max(1, e/8) {
		phases++
	}
	for phase := 0; ; phase++ {
		if phase > 0 {
			a.release(eps, t)
		}
		steps := 0
		for len(a.queue) > 0 {
			if steps++; steps%checkEvery == 0 {
				if err := mk.ctx.Err(); err != nil {
					return err
				}
			}
			who := a.queue[len(a.queue)-1]
			a.queue = a.queue[:len(a.queue)-1]
			if who&dummy != 0 {
				a.bidPlaceholder(int32(who&^dummy), t, eps)
			} else {
				a.bidGraduate(int32(who), t, eps)
			}
		}
		mk.report(len(order)*(phase+1)/phases, len(order))
		if eps == 1 {
			break
		}
		eps = max(1, eps/8)
	}
	for v := range int32(m) {
		for _, pl := range a.place[start[v]:start[v+1]] {
			if pl.holder&dummy == 0 {
				mk.assign[pl.holder] = v
			}
		}
	}
	return nil
}

// dummy marks a placeholder in a holder: dummy | v is a placeholder of v.
const (
	dummy = uint32(1) << 31
	none  = ^uint32(0)
)

type place struct {
	price  int64
	holder uint32 // a graduate, dummy|v, or none
}

type auctioneer struct {
	in    *Instance
	off   []int32 // the places of object o (vacancy, or m for outside) are place[off[o]:off[o+1]], a min-heap by price
	size  []int32
	place []place
	scale int64
	queue []uint32
}

func (a *auctioneer) heap(o int32) []place { return a.place[a.off[o]:a.off[o+1]] }

// second is the price of the second cheapest place of object o, +Inf-like
// when it has one place.
func (a *auctioneer) second(o int32) int64 {
	h := a.heap(o)
	switch len(h) {
	case 0, 1:
		return math.MaxInt64 / 4
	case 2:
		return h[1].price
	}
	return min(h[1].price, h[2].price)
}

// take gives the cheapest place of object o to who at the given price and
// queues its holder, if any.
func (a *auctioneer) take(o int32, who uint32, price int64) {
	h := a.heap(o)
	out := h[0].holder
	h[0] = place{price: price, holder: who}
	siftDownPlaces(h)
	if out != none {
		a.queue = append(a.queue, out)
	}
}

const minNet = math.MinInt64 / 4

func (a *auctioneer) bidGraduate(g, t int32, eps int64) {
	in := a.in
	// The outside is always an option: a graduate has its own place there.
	best, second := -a.place[a.off[t]].price, int64(minNet)
	bo, bval := t, int64(0)
	for _, x := range in.edges[in.start[g]:in.start[g+1]] {
		v := edgeVac(x)
		if a.size[v] == 0 {
			continue
		}
		val := int64(weight(x)) * a.scale
		net := val - a.place[a.off[v]].price
		if net > best {
			second = best
			best, bo, bval = net, v, val
		} else if net > second {
			second = net
		}
	}
	second = max(second, bval-a.second(bo))
	a.take(bo, uint32(g), bid(bval, best, second, eps))
}

func (a *auctioneer) bidPlaceholder(v, t int32, eps int64) {
	// Two objects, both worth 0: its vacancy's places and the outside.
	nv, nt := -a.place[a.off[v]].price, -a.place[a.off[t]].price
	bo, best, second := v, nv, nt
	if nt > nv {
		bo, best, second = t, nt, nv
	}
	second = max(second, -a.second(bo))
	a.take(bo, dummy|uint32(v), bid(0, best, second, eps))
}

// bid is the price a person offers for a place of value val whose net value
// best is the highest it has, second the next: the margin plus ε over the
// current price val - best.
func bid(val, best, second, eps int64) int64 {
	if second <= minNet {
		return val - best + eps
	}
	return val - second + eps
}

// release starts a phase with a smaller ε: it frees every place whose holder
// is no longer within ε of its best net value, and queues the holder.
func (a *auctioneer) release(eps int64, t int32) {
	in := a.in
	for o := range int32(len(a.size)) {
		for i := a.off[o]; i < a.off[o+1]; i++ {
			pl := &a.place[i]
			if pl.holder == none {
				continue
			}
			var net, best int64
			if pl.holder&dummy != 0 {
				v := int32(pl.holder &^ dummy)
				net = -pl.price
				best = max(-a.place[a.off[v]].price, -a.place[a.off[t]].price)
			} else {
				g := int32(pl.holder)
				best = -a.place[a.off[t]].price
				net = -pl.price
				for _, x := range in.edges[in.start[g]:in.start[g+1]] {
					v := edgeVac(x)
					if a.size[v] == 0 {
						continue
					}
					val := int64(weight(x)) * a.scale
					best = max(best, val-a.place[a.off[v]].price)
					if v == o {
						net = val - pl.price
					}
				}
			}
			if net >= best-eps {
				continue
			}
			a.queue = append(a.queue, pl.holder)
			pl.holder = none
		}
	}
}

func siftDownPlaces(h []place) {
	x := h[0]
	i, n := 0, len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].price < h[c].price {
			c++
		}
		if x.price <= h[c].price {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = x
}
