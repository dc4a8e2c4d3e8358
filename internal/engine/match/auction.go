package match

// auction finds, fast, vacancy prices close to the optimal ones and places for
// most graduates, for optimal to start from. It is Bertsekas's forward auction
// with ε-scaling in integer units (ε = 64, 8, 1): a graduate without a place
// bids for the vacancy of the highest net value w - price, raising the price
// of its cheapest place by the margin over the second best option (another
// vacancy, the second cheapest place of the same one, or staying out at 0)
// plus ε, but never above w; it takes that place and its holder, displaced,
// bids in turn. Each place has its own price. A phase ends when every
// graduate holds a place within ε of its best net value or has nothing worth
// more than 0; the next keeps the prices and the places still within its
// smaller ε. at[g] is the vacancy graduate g holds, -1 for none; p[v] the
// price of the cheapest place of v.
//
// The result is not exact: a place can be left empty at a price from an
// earlier phase, and ε = 1 is a whole unit. optimal corrects both. Why
// bother: the exact searches alone, from zero prices, take minutes on a
// large market with about as many graduates as places.
func (mk *market) auction(order []int32, off, size []int32, total int) (p, at []int32, err error) {
	in := mk.in
	m := len(in.vacancies)
	// The places of vacancy v are heap[off[v]:off[v]+size[v]], a min-heap
	// of price<<32 | holder, the holder all ones for an empty place.
	const empty = 0xFFFFFFFF
	heap := make([]uint64, off[m])
	for i := range heap {
		heap[i] = empty
	}
	// price[v] is the price of v's cheapest place, the root of its heap, kept
	// apart because the bids read it for every edge: a small dense array
	// stays in cache. A vacancy without room costs more than anyone pays.
	price := make([]int32, m)
	for v := range m {
		if size[v] == 0 {
			price[v] = 1 << 30
		}
	}
	// The queue is a stack: rank 0 goes on last, to bid first.
	queue := make([]int32, 0, len(order))
	for i := len(order) - 1; i >= 0; i-- {
		queue = append(queue, order[i])
	}
	at = make([]int32, len(in.graduates))
	paid := make([]int32, len(in.graduates))
	for i := range at {
		at[i] = -1
	}
	steps := 0
	for phase, eps := range []int32{64, 8, 1} {
		if phase > 0 {
			// Free the places of graduates no longer within the new ε.
			for _, g := range order {
				v := at[g]
				if v < 0 {
					continue
				}
				best, own := int32(0), int32(0)
				for _, x := range in.edges[in.start[g]:in.start[g+1]] {
					u := edgeVac(x)
					best = max(best, weight(x)-price[u])
					if u == v {
						own = weight(x) - paid[g]
					}
				}
				if own >= best-eps {
					continue
				}
				for i := off[v]; i < off[v]+size[v]; i++ {
					if uint32(heap[i]) == uint32(g) {
						heap[i] |= empty
						break
					}
				}
				at[g] = -1
				queue = append(queue, g)
			}
		}
		mk.report(len(order)*phase/3, total)
		for len(queue) > 0 {
			if steps++; steps%checkEvery == 0 {
				if err := mk.ctx.Err(); err != nil {
					return nil, nil, err
				}
			}
			g := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			best, second := int32(0), int32(0)
			bv, bw := int32(-1), int32(0)
			for _, x := range in.edges[in.start[g]:in.start[g+1]] {
				net := weight(x) - price[edgeVac(x)]
				if net > best {
					second = best
					best, bv, bw = net, edgeVac(x), weight(x)
				} else if net > second {
					second = net
				}
			}
			if bv < 0 {
				continue // nothing is worth more than staying out
			}
			h := heap[off[bv] : off[bv]+size[bv]]
			if len(h) > 1 {
				p2 := int32(h[1] >> 32)
				if len(h) > 2 {
					p2 = min(p2, int32(h[2]>>32))
				}
				second = max(second, bw-p2)
			}
			out := uint32(h[0])
			bid := min(bw, bw-second+eps)
			h[0] = uint64(bid)<<32 | uint64(uint32(g))
			siftDown(h, 0)
			price[bv] = int32(h[0] >> 32)
			at[g], paid[g] = bv, bid
			if out != empty {
				at[out] = -1
				queue = append(queue, int32(out))
			}
		}
	}
	for v := range m {
		if size[v] == 0 {
			price[v] = 0
		}
	}
	return price, at, nil
}
