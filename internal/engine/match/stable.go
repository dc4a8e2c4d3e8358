package match

import "slices"

// stable runs graduate-proposing deferred acceptance over the market.
//
// Each graduate's edges are turned into keys that sort in the graduate's order
// of preference, utility down and then the vacancies' lottery rank, and carry
// the employer's score: (1000-utility)<<43 | vacancyRank<<11 | score. Each
// vacancy keeps the graduates it holds in a min-heap keyed by score<<32 |
// ^graduateRank, so that the root is the one it likes least: the lowest
// score, and of equal scores the worst lottery rank. With ties broken this
// way preferences are strict, and the result is the graduate-optimal stable
// matching of the broken instance, whatever the order of proposals; it is
// also weakly stable for the raw scores (no blocking pair in the sense of
// Result.Blocking).
func (mk *market) stable() error {
	in := mk.in
	n, m := len(in.graduates), len(in.vacancies)
	keys := make([]uint64, len(in.edges))
	parallel(n, func(lo, hi int) {
		for g := lo; g < hi; g++ {
			if mk.targeted[g] {
				continue
			}
			a, b := in.start[g], in.start[g+1]
			for i := a; i < b; i++ {
				x := in.edges[i]
				keys[i] = uint64(MaxScore-edgeUtil(x))<<43 | uint64(mk.vRank[edgeVac(x)])<<11 | uint64(edgeScore(x))
			}
			slices.Sort(keys[a:b])
		}
	})
	vByRank := make([]int32, m)
	for v, r := range mk.vRank {
		vByRank[r] = int32(v)
	}
	gByRank := make([]int32, n)
	for g, r := range mk.gRank {
		gByRank[r] = int32(g)
	}
	off, size := mk.room()
	heap := make([]uint64, off[m])
	held := make([]int32, m)
	next := make([]int32, n) // how many of its edges each graduate has proposed to

	queue := mk.byRank()
	total := len(queue)
	steps := 0
	for done, g0 := range queue {
		if done%progressEvery == 0 {
			if err := mk.ctx.Err(); err != nil {
				return err
			}
			mk.report(done, total)
		}
		// g0 proposes; a graduate it displaces proposes next, and so on,
		// until someone is held or runs out of edges.
		g := g0
		for {
			if steps++; steps%checkEvery == 0 {
				if err := mk.ctx.Err(); err != nil {
					return err
				}
			}
			a := in.start[g]
			if next[g] == in.start[g+1]-a {
				break // rejected everywhere: stays unmatched
			}
			k := keys[a+next[g]]
			next[g]++
			v := vByRank[(k>>11)&0xFFFFFFFF]
			hk := (k&0x7FF)<<32 | uint64(^uint32(mk.gRank[g]))
			h := heap[off[v]:off[v+1]]
			if held[v] < size[v] {
				h[held[v]] = hk
				siftUp(h, int(held[v]))
				held[v]++
				break
			}
			if size[v] == 0 || hk < h[0] {
				continue
			}
			out := h[0]
			h[0] = hk
			siftDown(h, 0)
			g = gByRank[^uint32(out)]
		}
	}
	mk.report(total, total)
	for v := range int32(m) {
		for _, hk := range heap[off[v] : off[v]+held[v]] {
			mk.assign[gByRank[^uint32(hk)]] = v
		}
	}
	return nil
}

func siftUp(h []uint64, i int) {
	x := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= x {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

func siftDown(h []uint64, i int) {
	x := h[i]
	n := len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1] < h[c] {
			c++
		}
		if x <= h[c] {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = x
}
