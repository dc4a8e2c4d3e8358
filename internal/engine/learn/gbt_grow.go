package learn

import "math"

// hbin is one bin of a histogram: the sums of gradients and hessians of the
// rows in the bin, and their number.
type hbin struct {
	g, h float64
	n    int
}

// grad is the gradient and hessian of the log loss for one row. Single
// precision, as in scikit-learn and LightGBM, halves the memory they take
// and the time to read them; their sums are kept in double precision.
type grad struct{ g, h float32 }

// node is a node of a tree. A leaf has Feature -1. A row goes left when its
// value is at most Threshold, or, when the value is missing, when MissingLeft.
type node struct {
	Feature     int     `json:"f"`
	Threshold   float64 `json:"t,omitempty"`
	MissingLeft bool    `json:"m,omitempty"`
	Left        int     `json:"l,omitempty"`
	Right       int     `json:"r,omitempty"`
	// Value is the node's output, learning rate included: for a leaf, what
	// the tree adds to the score; for an inner node, what it would add were
	// the node a leaf.
	Value float64 `json:"v"`
	// Cover is the number of training rows that reached the node.
	Cover float64 `json:"c"`
	// bin is Threshold as a bin, for the binned validation rows in training.
	bin uint8
}

// candidate is a leaf of the tree being grown, with its best split.
type candidate struct {
	node       int
	start, end int // its rows are grower.idx[start:end]
	depth      int
	g, h       float64
	n          int
	hist       []hbin
	best       split
	// lo and hi bound the values of the leaf and of all leaves grown from it,
	// so that monotone constraints hold through the tree.
	lo, hi float64
}

// split is a way to split a leaf: non-missing bins up to bin go left,
// missing values left when missingLeft. lg, lh, ln sum the left side.
type split struct {
	gain        float64
	feature     int
	bin         int
	missingLeft bool
	lg, lh      float64
	ln          int
	// wl and wr are the children's values within the leaf's bounds, set
	// when the tree has monotone constraints.
	wl, wr float64
}

// grower grows trees on binned data; it keeps its buffers from tree to tree.
type grower struct {
	b       *binned
	edges   [][]float64
	o       GBTOptions
	workers int
	idx     []int32 // rows, partitioned so that each leaf's rows are contiguous
	scratch []int32
	ordered []grad // gradients of a leaf's rows, in the order of idx
	free    [][]hbin
	feats   []int // the features this tree may split on
	mono    []int // the direction of each feature, nil when none is constrained
}

func newGrower(b *binned, e [][]float64, o GBTOptions, workers int) *grower {
	return &grower{
		b: b, edges: e, o: o, workers: workers,
		idx: make([]int32, b.rows), scratch: make([]int32, b.rows), ordered: make([]grad, b.rows),
	}
}

func (t *grower) hist() []hbin {
	if n := len(t.free); n > 0 {
		h := t.free[n-1]
		t.free = t.free[:n-1]
		clear(h)
		return h
	}
	return make([]hbin, t.b.size)
}

func (t *grower) release(h []hbin) {
	if h != nil {
		t.free = append(t.free, h)
	}
}

// grow fits one tree to the gradients and adds its output to raw.
func (t *grower) grow(gr []grad, raw []float64, feats []int) []node {
	t.feats = feats
	n := t.b.rows
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	root := candidate{end: n, n: n, hist: t.hist(), lo: math.Inf(-1), hi: math.Inf(1)}
	t.buildRoot(root.hist, gr)
	// The totals come from one feature's histogram so that they agree with
	// the sums the splits are searched with.
	j0 := feats[0]
	for _, hb := range root.hist[t.b.off[j0] : t.b.off[j0]+t.b.nb[j0]+1] {
		root.g += hb.g
		root.h += hb.h
	}
	tree := []node{{Feature: -1, Value: t.value(root.g, root.h), Cover: float64(n)}}
	t.findSplit(&root)

	var open, done []candidate // leaves that can still be split, and those that cannot
	if root.best.feature >= 0 {
		open = append(open, root)
	} else {
		t.release(root.hist)
		done = append(done, root)
	}
	leaves := 1
	for leaves < t.o.MaxLeaves && len(open) > 0 {
		k := 0 // the leaf with the largest gain; the first one on ties
		for i := range open {
			if open[i].best.gain > open[k].best.gain {
				k = i
			}
		}
		c := open[k]
		open = append(open[:k], open[k+1:]...)
		// The children of the last split are leaves for good: they need no histograms.
		l, r := t.split(&c, gr, leaves+1 < t.o.MaxLeaves)
		ln := len(tree)
		tree[c.node] = node{
			Feature: c.best.feature, Threshold: t.threshold(c.best), MissingLeft: c.best.missingLeft,
			Left: ln, Right: ln + 1, Value: tree[c.node].Value, Cover: tree[c.node].Cover, bin: uint8(c.best.bin),
		}
		l.node, r.node = ln, ln+1
		tree = append(tree,
			node{Feature: -1, Value: t.bounded(l.g, l.h, l.lo, l.hi), Cover: float64(l.n)},
			node{Feature: -1, Value: t.bounded(r.g, r.h, r.lo, r.hi), Cover: float64(r.n)})
		leaves++
		for _, ch := range []candidate{l, r} {
			if ch.hist != nil {
				open = append(open, ch)
			} else {
				done = append(done, ch)
			}
		}
	}
	for _, c := range open {
		t.release(c.hist)
	}
	done = append(done, open...)
	workers := t.workers
	if n < minParallel {
		workers = 1
	}
	parallel(len(done), workers, func(k int) { // leaves hold distinct rows
		c := done[k]
		v := tree[c.node].Value
		for _, i := range t.idx[c.start:c.end] {
			raw[i] += v
		}
	})
	return tree
}

// value is the Newton step of a leaf, shrunk by the learning rate.
func (t *grower) value(g, h float64) float64 { return -t.o.LearningRate * g / (h + t.o.L2) }

// bounded is the leaf's value kept within [lo, hi].
func (t *grower) bounded(g, h, lo, hi float64) float64 {
	return min(max(t.value(g, h), lo), hi)
}

// ordersValues tells whether a split orders the feature's values: all but the
// split of missing values from the others, whose right side holds no value.
func (t *grower) ordersValues(s split) bool {
	return s.bin < t.b.nb[s.feature]-1 || s.missingLeft
}

// threshold is the split's boundary in the feature's own units.
func (t *grower) threshold(s split) float64 {
	e := t.edges[s.feature]
	if s.bin < len(e) {
		return e[s.bin]
	}
	return math.MaxFloat64 // every value left, missing values right
}

// splittable tells whether a leaf of n rows at depth may be split at all.
func (t *grower) splittable(n, depth int) bool {
	return n >= 2*t.o.MinLeaf && (t.o.MaxDepth <= 0 || depth < t.o.MaxDepth)
}

// split partitions the rows of c and prepares both children, with
// histograms and best splits when more splits may follow and they may be split.
func (t *grower) split(c *candidate, gr []grad, more bool) (l, r candidate) {
	s := c.best
	rows := t.idx[c.start:c.end]
	nl := t.partition(rows, s)
	nr := len(rows) - nl
	if nl != s.ln {
		panic("learn: partition disagrees with histogram")
	}
	l = candidate{start: c.start, end: c.start + nl, depth: c.depth + 1, g: s.lg, h: s.lh, n: nl, lo: c.lo, hi: c.hi}
	r = candidate{start: c.start + nl, end: c.end, depth: c.depth + 1, g: c.g - s.lg, h: c.h - s.lh, n: nr, lo: c.lo, hi: c.hi}
	if t.mono != nil && t.mono[s.feature] != 0 && t.ordersValues(s) {
		// Every leaf grown on the lower side stays on its side of the middle
		// of the two values, every leaf on the upper side on the other.
		mid := (s.wl + s.wr) / 2
		if t.mono[s.feature] > 0 {
			l.hi, r.lo = mid, mid
		} else {
			l.lo, r.hi = mid, mid
		}
	}
	l.best.feature, r.best.feature = -1, -1
	if !more || !t.splittable(l.n, l.depth) && !t.splittable(r.n, r.depth) {
		t.release(c.hist)
		return l, r
	}
	small, large := &l, &r
	if r.n < l.n {
		small, large = &r, &l
	}
	small.hist = t.hist()
	t.buildLeaf(small.hist, small.start, small.end, gr)
	large.hist = c.hist // the parent's histogram minus the smaller child's
	for k := range large.hist {
		large.hist[k].g -= small.hist[k].g
		large.hist[k].h -= small.hist[k].h
		large.hist[k].n -= small.hist[k].n
	}
	for _, ch := range []*candidate{small, large} {
		if t.splittable(ch.n, ch.depth) {
			t.findSplit(ch)
		}
		if ch.best.feature < 0 {
			t.release(ch.hist)
			ch.hist = nil
		}
	}
	return l, r
}

// partChunk is the number of rows a goroutine partitions at a time.
const partChunk = 1 << 15

// partition moves the rows that go left by the split to the front of rows,
// keeping the order on each side, and returns their number. Large nodes are
// partitioned in chunks on all workers, then the chunks' sides are joined.
func (t *grower) partition(rows []int32, s split) int {
	p, f, bins := t.b.p, s.feature, t.b.bins
	missBin, bin, missingLeft := uint8(t.b.nb[s.feature]), uint8(s.bin), s.missingLeft
	part := func(rows, right []int32) int { // lefts to the front of rows, rights to right
		// Without branches: the side of a row is as good as random, and a
		// mispredicted branch costs more than two stores.
		miss := b2u(missingLeft) // the missing bin, above all others, goes left when missingLeft
		nl, nr := 0, 0
		right = right[:len(rows)]
		for _, i := range rows {
			b := bins[int(i)*p+f]
			left := int(b2u(b <= bin) | miss&b2u(b == missBin))
			rows[nl] = i
			right[nr] = i
			nl += left
			nr += 1 - left
		}
		return nl
	}
	if len(rows) < 2*partChunk || t.workers == 1 {
		nl := part(rows, t.scratch)
		copy(rows[nl:], t.scratch[:len(rows)-nl])
		return nl
	}
	chunks := (len(rows) + partChunk - 1) / partChunk
	left := make([]int, chunks)
	parallel(chunks, t.workers, func(c int) {
		lo, hi := c*partChunk, min((c+1)*partChunk, len(rows))
		left[c] = part(rows[lo:hi], t.scratch[lo:hi])
	})
	nl := 0
	for c, n := range left { // each chunk's lefts move down, never over a chunk still to move
		copy(rows[nl:nl+n], rows[c*partChunk:c*partChunk+n])
		nl += n
	}
	at := nl
	for c, n := range left {
		lo, hi := c*partChunk, min((c+1)*partChunk, len(rows))
		at += copy(rows[at:], t.scratch[lo:hi-n])
	}
	return nl
}

func b2u(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}

// minParallel is the number of row × feature updates below which a
// histogram is built on one goroutine.
const minParallel = 1 << 16

// buildRoot builds the histogram of all rows.
func (t *grower) buildRoot(h []hbin, gr []grad) {
	t.build(h, nil, gr, t.b.rows)
}

// buildLeaf builds the histogram of the rows idx[start:end].
func (t *grower) buildLeaf(h []hbin, start, end int, gr []grad) {
	rows := t.idx[start:end]
	og := t.ordered[start:end]
	workers := t.workers
	if len(rows) < 2*partChunk {
		workers = 1
	}
	parallel((len(rows)+partChunk-1)/partChunk, workers, func(c int) {
		lo, hi := c*partChunk, min((c+1)*partChunk, len(rows))
		for k, i := range rows[lo:hi] {
			og[lo+k] = gr[i]
		}
	})
	t.build(h, rows, og, len(rows))
}

// build adds n rows to the histogram: rows[k] with gradient gr[k], or, when
// rows is nil, row k. The features are dealt to the workers in contiguous
// groups; each feature's bins are summed by one goroutine in row order, so
// the sums do not depend on the number of workers.
func (t *grower) build(h []hbin, rows []int32, gr []grad, n int) {
	groups := t.workers
	if n*len(t.feats) < minParallel {
		groups = 1
	}
	groups = min(groups, len(t.feats))
	parallel(groups, groups, func(k int) {
		feats := t.feats[k*len(t.feats)/groups : (k+1)*len(t.feats)/groups]
		off := make([]int, len(feats)) // where each feature's histogram starts
		for a, j := range feats {
			off[a] = t.b.off[j]
		}
		p, bins := t.b.p, t.b.bins
		if len(feats) == p { // every feature: the row's bins in order
			for r := range n {
				i := r
				if rows != nil {
					i = int(rows[r])
				}
				g, hh := float64(gr[r].g), float64(gr[r].h)
				rb := bins[i*p : i*p+p]
				rb = rb[:len(off)]
				for a, o := range off {
					x := &h[o+int(rb[a])]
					x.g += g
					x.h += hh
					x.n++
				}
			}
			return
		}
		for r := range n {
			i := r
			if rows != nil {
				i = int(rows[r])
			}
			g, hh := float64(gr[r].g), float64(gr[r].h)
			rb := bins[i*p : i*p+p]
			off := off[:len(feats)]
			for a, j := range feats {
				x := &h[off[a]+int(rb[j])]
				x.g += g
				x.h += hh
				x.n++
			}
		}
	})
}

// minHessian keeps a leaf's Newton step finite.
const minHessian = 1e-3

// findSplit finds the best split of a leaf over the tree's features.
func (t *grower) findSplit(c *candidate) {
	best := split{feature: -1}
	lambda, minLeaf := t.o.L2, t.o.MinLeaf
	G, H, N := c.g, c.h, c.n
	parent := G * G / (H + lambda)
	// With monotone constraints the children's values are bounded, and the
	// gain is that of the bounded values: for a leaf of gradient sum g,
	// hessian sum h and unshrunk value w, the fall of twice the loss is
	// -(2gw + (h+λ)w²), which is g²/(h+λ) at the unbounded optimum.
	lr := t.o.LearningRate
	fall := func(g, h, v float64) float64 { w := v / lr; return -(2*g*w + (h+lambda)*w*w) }
	var parentBounded float64
	if t.mono != nil {
		parentBounded = fall(G, H, t.bounded(G, H, c.lo, c.hi))
	}
	tryBounded := func(j, b int, missingLeft bool, lg, lh float64, ln int, rg, rh float64) {
		wl, wr := t.bounded(lg, lh, c.lo, c.hi), t.bounded(rg, rh, c.lo, c.hi)
		if d := t.mono[j]; d != 0 && (b < t.b.nb[j]-1 || missingLeft) && (d > 0 && wl > wr || d < 0 && wl < wr) {
			return
		}
		gain := fall(lg, lh, wl) + fall(rg, rh, wr) - parentBounded
		if gain > best.gain {
			best = split{gain: gain, feature: j, bin: b, missingLeft: missingLeft, lg: lg, lh: lh, ln: ln, wl: wl, wr: wr}
		}
	}
	try := func(j, b int, missingLeft bool, lg, lh float64, ln int) {
		rn := N - ln
		if ln < minLeaf || rn < minLeaf {
			return
		}
		rg, rh := G-lg, H-lh
		if lh < minHessian || rh < minHessian {
			return
		}
		if t.mono != nil {
			tryBounded(j, b, missingLeft, lg, lh, ln, rg, rh)
			return
		}
		gain := lg*lg/(lh+lambda) + rg*rg/(rh+lambda) - parent
		if gain > best.gain {
			best = split{gain: gain, feature: j, bin: b, missingLeft: missingLeft, lg: lg, lh: lh, ln: ln}
		}
	}
	for _, j := range t.feats {
		nb := t.b.nb[j]
		hj := c.hist[t.b.off[j] : t.b.off[j]+nb+1]
		m := hj[nb]
		var lg, lh float64
		ln := 0
		for b := 0; b < nb-1; b++ {
			lg += hj[b].g
			lh += hj[b].h
			ln += hj[b].n
			if N-ln < minLeaf && N-ln-m.n < minLeaf {
				break
			}
			try(j, b, false, lg, lh, ln)
			if m.n > 0 {
				try(j, b, true, lg+m.g, lh+m.h, ln+m.n)
			}
		}
		if m.n > 0 && m.n < N {
			try(j, nb-1, false, G-m.g, H-m.h, N-m.n)
		}
	}
	if best.feature >= 0 && c.hist[t.b.off[best.feature]+t.b.nb[best.feature]].n == 0 {
		// No missing values here in training: later ones follow the majority.
		best.missingLeft = 2*best.ln >= N
	}
	c.best = best
}
