package match

import "context"

// Graph is a compatibility graph, without scores: group i stands for Size[i]
// graduates who can all take the same vacancies, Adj[Start[i]:Start[i+1]];
// vacancy v has Capacity[v] places. Graduates with identical compatibility
// make one group, so a region's graph stays small however many graduates
// share a specialty and a municipality.
//
// With HubStart set, groups reach vacancies through hubs: Adj lists the
// hubs of a group, and hub h reaches HubAdj[HubStart[h]:HubStart[h+1]]; a
// group's vacancies are the union of its hubs'. Groups that share most of
// their vacancies (the graduates of one specialty in neighbouring
// municipalities) then share the arcs to them.
type Graph struct {
	Size     []int32
	Start    []int32
	Adj      []int32
	Capacity []int32
	HubStart []int32
	HubAdj   []int32
}

// GraphOf is the compatibility graph of an instance, one graduate a group,
// with the places each vacancy has.
func GraphOf(in *Instance) Graph {
	g := Graph{Size: make([]int32, in.NumGraduates()), Start: make([]int32, in.NumGraduates()+1),
		Adj: make([]int32, len(in.edges)), Capacity: append([]int32(nil), in.capacity...)}
	for i := range g.Size {
		g.Size[i] = 1
		g.Start[i+1] = in.start[i+1]
	}
	for i, x := range in.edges {
		g.Adj[i] = edgeVac(x)
	}
	return g
}

// MostPlaced is the largest number of graduates that can be placed at all:
// a maximum flow source → group (Size) → vacancy → sink (Capacity), which is
// a maximum-cardinality matching with capacities. It is Dinic's algorithm
// (level graph by breadth-first search, blocking flow by depth-first search
// with current arcs), started from a greedy placement; on such unit-like
// bipartite networks it needs about √V phases.
func MostPlaced(ctx context.Context, gr Graph) (int64, error) {
	groups, m := len(gr.Size), len(gr.Capacity)
	hubs := 0
	if gr.HubStart != nil {
		hubs = len(gr.HubStart) - 1
	}
	// Nodes: groups, hubs, vacancies, source, sink; vertex of vacancy v is vx+v.
	vx := int32(groups + hubs)
	src, sink := vx+int32(m), vx+int32(m)+1
	nodes := groups + hubs + m + 2
	// Arcs in CSR by tail; each arc's reverse is rev[a].
	deg := make([]int32, nodes+1)
	arcs := 0
	// The group's arcs lead to vacancies, or to hubs.
	next := vx
	if hubs > 0 {
		next = int32(groups)
	}
	for i := range groups {
		deg[src]++
		deg[i]++
		for _, v := range gr.Adj[gr.Start[i]:gr.Start[i+1]] {
			deg[i]++
			deg[next+v]++
			arcs++
		}
	}
	for h := range hubs {
		for _, v := range gr.HubAdj[gr.HubStart[h]:gr.HubStart[h+1]] {
			deg[groups+h]++
			deg[vx+v]++
			arcs++
		}
	}
	for v := range int32(m) {
		deg[vx+v]++
		deg[sink]++
	}
	arcs = 2 * (arcs + groups + m)
	head := make([]int32, nodes+1)
	for i := range nodes {
		head[i+1] = head[i] + deg[i]
	}
	fill := append([]int32(nil), head[:nodes]...)
	to := make([]int32, arcs)
	rev := make([]int32, arcs)
	capa := make([]int32, arcs) // a group's size or a vacancy's places: int32 will do
	link := func(a, b int32, c int32) {
		i, j := fill[a], fill[b]
		fill[a]++
		fill[b]++
		to[i], capa[i], rev[i] = b, c, j
		to[j], capa[j], rev[j] = a, 0, i
	}
	var total int32 // the graduates: a hub's arcs never carry more
	for i := range groups {
		link(src, int32(i), gr.Size[i])
		total += gr.Size[i]
		for _, v := range gr.Adj[gr.Start[i]:gr.Start[i+1]] {
			link(int32(i), next+v, gr.Size[i])
		}
	}
	for h := range hubs {
		for _, v := range gr.HubAdj[gr.HubStart[h]:gr.HubStart[h+1]] {
			link(int32(groups+h), vx+v, total)
		}
	}
	for v := range int32(m) {
		link(vx+v, sink, max(0, gr.Capacity[v]))
	}
	// push sends x along arc a.
	push := func(a int32, x int32) {
		capa[a] -= x
		capa[rev[a]] += x
	}
	var flow int64
	// sinkArc is a vacancy's arc to the sink: its last.
	sinkArc := func(v int32) int32 {
		t := head[v+1] - 1
		for to[t] != sink {
			t--
		}
		return t
	}
	// Greedy start: each group takes what room it finds on its arcs (and
	// its hubs' arcs).
	for i := int32(0); i < int32(groups); i++ {
		left := gr.Size[i]
		for a := head[i]; a < head[i+1] && left > 0; a++ {
			v := to[a]
			if v == src {
				continue
			}
			if v >= vx {
				t := sinkArc(v)
				if x := min(left, capa[a], capa[t]); x > 0 {
					push(a, x)
					push(t, x)
					left -= x
				}
				continue
			}
			for b := head[v]; b < head[v+1] && left > 0 && capa[a] > 0; b++ {
				w := to[b]
				if w < vx {
					continue // back to a group
				}
				t := sinkArc(w)
				if x := min(left, capa[a], capa[b], capa[t]); x > 0 {
					push(a, x)
					push(b, x)
					push(t, x)
					left -= x
				}
			}
		}
		if sent := gr.Size[i] - left; sent > 0 {
			push(head[src]+i, sent) // the source's arcs were made in group order
			flow += int64(sent)
		}
	}
	level := make([]int32, nodes)
	cur := make([]int32, nodes)
	queue := make([]int32, 0, nodes)
	stack := make([]int32, 0, 64) // arcs of the current path
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		for i := range level {
			level[i] = -1
		}
		level[src] = 0
		queue = append(queue[:0], src)
		for q := 0; q < len(queue); q++ {
			a := queue[q]
			for e := head[a]; e < head[a+1]; e++ {
				if capa[e] > 0 && level[to[e]] < 0 {
					level[to[e]] = level[a] + 1
					queue = append(queue, to[e])
				}
			}
		}
		if level[sink] < 0 {
			return flow, nil
		}
		copy(cur, head[:nodes])
		// Depth-first search for paths in the level graph; a dead end is
		// cut off by moving past its arc.
		stack = stack[:0]
		at := src
		for {
			if at == sink {
				x := capa[stack[0]]
				for _, e := range stack {
					x = min(x, capa[e])
				}
				for _, e := range stack {
					push(e, x)
				}
				flow += int64(x)
				// Back to the tail of the first saturated arc.
				k := 0
				for k < len(stack) && capa[stack[k]] > 0 {
					k++
				}
				stack = stack[:k]
				at = src
				if k > 0 {
					at = to[stack[k-1]]
				}
				continue
			}
			advanced := false
			for ; cur[at] < head[at+1]; cur[at]++ {
				e := cur[at]
				if capa[e] > 0 && level[to[e]] == level[at]+1 {
					stack = append(stack, e)
					at = to[e]
					advanced = true
					break
				}
			}
			if advanced {
				continue
			}
			if at == src {
				break
			}
			level[at] = -1 // nothing more through here in this phase
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			at = to[rev[e]]
			cur[at]++
		}
	}
}
