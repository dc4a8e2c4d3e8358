package match

import "testing"

// check verifies what every result must satisfy, recomputing each figure
// from the assignment by the plainest means.
func check(t *testing.T, in *Instance, r Result) {
	t.Helper()
	n, m := in.NumGraduates(), in.NumVacancies()
	if len(r.Assignment) != n || len(r.Fills) != m || len(r.Reasons) != n {
		t.Fatalf("lengths: %d assignments, %d fills, %d reasons", len(r.Assignment), len(r.Fills), len(r.Reasons))
	}
	fills := make([]int32, m)
	matched, first := 0, 0
	var welfare int64
	for g, v := range r.Assignment {
		if v < 0 {
			if r.Reasons[g] == NoReason {
				t.Errorf("graduate %d unplaced without a reason", g)
			}
			if (len(in.Edges(g)) == 0) != (r.Reasons[g] == NoEdges) {
				t.Errorf("graduate %d: reason %v with %d edges", g, r.Reasons[g], len(in.Edges(g)))
			}
			continue
		}
		if r.Reasons[g] != NoReason {
			t.Errorf("graduate %d placed with reason %v", g, r.Reasons[g])
		}
		x, ok := in.edge(int32(g), v)
		if !ok {
			t.Fatalf("graduate %d placed at %d without an edge", g, v)
		}
		fills[v]++
		matched++
		welfare += int64(edgeUtil(x) + edgeScore(x))
		top := int32(0)
		for _, e := range in.Edges(g) {
			top = max(top, int32(e.Utility))
		}
		if edgeUtil(x) == top {
			first++
		}
	}
	for v := range m {
		if fills[v] != r.Fills[v] {
			t.Errorf("vacancy %d: fills %d, counted %d", v, r.Fills[v], fills[v])
		}
		if int(fills[v]) > in.Capacity(v) {
			t.Errorf("vacancy %d: %d placed, capacity %d", v, fills[v], in.Capacity(v))
		}
	}
	if matched != r.Matched || welfare != r.Welfare || first != r.FirstChoice {
		t.Errorf("figures: matched %d/%d welfare %d/%d first choice %d/%d", r.Matched, matched, r.Welfare, welfare, r.FirstChoice, first)
	}
	if b := naiveBlocking(in, r); b != r.Blocking {
		t.Errorf("blocking pairs: result %d, counted %d", r.Blocking, b)
	}
}

// naiveBlocking counts blocking pairs as match_instance.py does, leaving out
// graduates placed by contract and the places they take.
func naiveBlocking(in *Instance, r Result) int64 {
	targeted := make([]bool, in.NumGraduates())
	free := append([]int32(nil), in.capacity...)
	for g, v := range r.Assignment {
		if v >= 0 && isTargeted(in, r, g) {
			targeted[g] = true
			free[v]--
		}
	}
	var n int64
	for g := range in.NumGraduates() {
		if targeted[g] {
			continue
		}
		mine := -1
		if v := r.Assignment[g]; v >= 0 {
			x, _ := in.edge(int32(g), v)
			mine = int(edgeUtil(x))
		}
		for _, e := range in.Edges(g) {
			if int32(e.Vacancy) == r.Assignment[g] || e.Utility <= mine {
				continue
			}
			held, worst := int32(0), 1<<30
			for h, v := range r.Assignment {
				if int(v) == e.Vacancy && !targeted[h] {
					held++
					x, _ := in.edge(int32(h), v)
					worst = min(worst, int(edgeScore(x)))
				}
			}
			if held < free[e.Vacancy] || e.Score > worst {
				n++
			}
		}
	}
	return n
}

// isTargeted tells whether graduate g was placed by its contract: the first
// placeable contract of g, taking places in order.
func isTargeted(in *Instance, r Result, g int) bool {
	free := append([]int32(nil), in.capacity...)
	done := make(map[int]bool)
	for _, t := range in.targets {
		if done[t.Graduate] || t.Vacancy < 0 || !in.hasEdge(int32(t.Graduate), int32(t.Vacancy)) || free[t.Vacancy] <= 0 {
			continue
		}
		done[t.Graduate] = true
		free[t.Vacancy]--
	}
	return done[g]
}

// maxWelfare is an independent exact reference for the optimal mode:
// successive longest augmenting paths by Bellman–Ford on the residual
// network s → graduate → vacancy → t, graduates placed by contract fixed.
func maxWelfare(in *Instance, r Result) int64 {
	n, m := in.NumGraduates(), in.NumVacancies()
	free := append([]int32(nil), in.capacity...)
	fixed := make([]bool, n)
	var total int64
	for g := range n {
		if v := r.Assignment[g]; v >= 0 && isTargeted(in, r, g) {
			fixed[g] = true
			free[v]--
			x, _ := in.edge(int32(g), v)
			total += int64(edgeUtil(x) + edgeScore(x))
		}
	}
	at := make([]int, n)
	for g := range at {
		at[g] = -1
	}
	load := make([]int32, m)
	for {
		// Longest path: from a free graduate to a vacancy with room,
		// alternating along edges out of graduates and back along matches.
		const minusInf = -1 << 40
		dg, dv := make([]int64, n), make([]int64, m)
		pg, pv := make([]int, n), make([]int, m)
		for g := range n {
			dg[g], pg[g] = minusInf, -1
			if !fixed[g] && at[g] < 0 {
				dg[g] = 0
			}
		}
		for v := range m {
			dv[v], pv[v] = minusInf, -1
		}
		for changed := true; changed; {
			changed = false
			for g := range n {
				if dg[g] == minusInf || fixed[g] {
					continue
				}
				for _, e := range in.Edges(g) {
					if e.Vacancy == at[g] {
						continue
					}
					w := int64(e.Utility + e.Score)
					if at[g] >= 0 {
						x, _ := in.edge(int32(g), int32(at[g]))
						w -= int64(edgeUtil(x) + edgeScore(x))
					}
					if dg[g]+w > dv[e.Vacancy] {
						dv[e.Vacancy], pv[e.Vacancy], changed = dg[g]+w, g, true
					}
				}
			}
			for g := range n {
				if v := at[g]; v >= 0 && !fixed[g] && dv[v] > dg[g] {
					dg[g], pg[g], changed = dv[v], v, true
				}
			}
		}
		// Best ending: a vacancy with room, or a placed graduate dropped.
		best, endV, endG := int64(0), -1, -1
		for v := range m {
			if load[v] < free[v] && dv[v] > best {
				best, endV, endG = dv[v], v, -1
			}
		}
		for g := range n {
			if v := at[g]; v >= 0 && !fixed[g] && pg[g] >= 0 {
				x, _ := in.edge(int32(g), int32(v))
				if d := dg[g] - int64(edgeUtil(x)+edgeScore(x)); d > best {
					best, endV, endG = d, -1, g
				}
			}
		}
		if best <= 0 {
			break
		}
		total += best
		v := endV
		if endG >= 0 {
			v = at[endG]
			at[endG] = -1
			load[v]--
		}
		for {
			g := pv[v]
			old := at[g]
			at[g] = v
			load[v]++
			if old < 0 {
				break
			}
			load[old]--
			v = old
		}
	}
	return total
}

func TestMaxWelfareReference(t *testing.T) {
	// A place for one: the pair of higher sum wins; a chain that moves the
	// first graduate gains more than leaving the second out.
	b := NewBuilder()
	for _, id := range []string{"a", "b"} {
		b.AddGraduate(id)
	}
	b.AddVacancy("x", 1)
	b.AddVacancy("y", 1)
	b.AddEdge("a", "x", 500, 500) // 1000
	b.AddEdge("a", "y", 400, 400) // 800
	b.AddEdge("b", "x", 450, 450) // 900
	in, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	r := Result{Assignment: []int32{-1, -1}}
	if got := maxWelfare(in, r); got != 1700 {
		t.Fatalf("reference max welfare %d, want 1700", got)
	}
}
