package rollup

import (
	"math"
	"testing"
)

// lp is a linear programme over non-negative variables with rows
// Σ a·x (≤, =, ≥) b, solved by a dense two-phase simplex: phase one once,
// then each objective from the feasible basis it found. Small and exact
// enough for the attacker of the tests (counts are integers; bounds are
// rounded inward).
type lp struct {
	n    int
	rows []lpRow
}

type lpRow struct {
	a  map[int]float64
	op int // -1 ≤, 0 =, +1 ≥
	b  float64
}

const eps = 1e-7

func (p *lp) newVar() int { p.n++; return p.n - 1 }

func (p *lp) add(a map[int]float64, op int, b float64) { p.rows = append(p.rows, lpRow{a, op, b}) }

// tableau is a feasible basis of the programme.
type tableau struct {
	m, cols int
	t       [][]float64 // m rows of cols+1 (last is the right-hand side)
	basis   []int
	n       int // the programme's own variables
	art     int // first artificial column
}

// feasible runs phase one; false when the programme has no solution.
func (p *lp) feasible() (*tableau, bool) {
	m := len(p.rows)
	slacks := 0
	for _, r := range p.rows {
		if r.op != 0 {
			slacks++
		}
	}
	// Artificial variables have no column: once out of the basis they never
	// come back, so only their place in it is kept (art + row).
	cols := p.n + slacks
	tb := &tableau{m: m, cols: cols, n: p.n, art: cols, basis: make([]int, m)}
	s := p.n
	for i, r := range p.rows {
		row := make([]float64, cols+1)
		for j, v := range r.a {
			row[j] = v
		}
		if r.op != 0 {
			row[s] = float64(-r.op) // ≤: +slack, ≥: −surplus
			s++
		}
		row[cols] = r.b
		if r.b < 0 {
			for j := range row {
				row[j] = -row[j]
			}
		}
		tb.basis[i] = tb.art + i
		tb.t = append(tb.t, row)
	}
	// Phase one: minimise the artificials.
	obj := make([]float64, cols+1)
	for i := 0; i < m; i++ {
		for j := 0; j <= cols; j++ {
			obj[j] += tb.t[i][j]
		}
	}
	tb.optimise(obj, tb.art)
	if obj[cols] > 1e-6 {
		return nil, false
	}
	// Drive artificials out of the basis where a real column can replace them.
	for i, bv := range tb.basis {
		if bv < tb.art {
			continue
		}
		for j := 0; j < tb.art; j++ {
			if math.Abs(tb.t[i][j]) > eps {
				tb.pivot(i, j, nil)
				break
			}
		}
	}
	return tb, true
}

// optimise maximises the reduced objective obj (obj[j] > 0: entering
// improves) over the columns before limit: the largest reduced cost enters,
// and after many steps Bland's rule, so that no cycle lasts.
func (tb *tableau) optimise(obj []float64, limit int) bool {
	for iter := 0; iter < 200000; iter++ {
		bland := iter > 5000
		enter, top := -1, eps
		for j := 0; j < limit; j++ {
			if obj[j] > top {
				enter, top = j, obj[j]
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			return true
		}
		leave, best := -1, math.Inf(1)
		for i := 0; i < tb.m; i++ {
			if a := tb.t[i][enter]; a > eps {
				if r := tb.t[i][tb.cols] / a; r < best-eps || r < best+eps && leave >= 0 && tb.basis[i] < tb.basis[leave] {
					leave, best = i, r
				}
			}
		}
		if leave < 0 {
			return false // unbounded
		}
		tb.pivot(leave, enter, obj)
	}
	return false
}

func (tb *tableau) pivot(r, c int, obj []float64) {
	pr := tb.t[r]
	inv := 1 / pr[c]
	var nz []int
	for j := range pr {
		if pr[j] != 0 {
			pr[j] *= inv
			if math.Abs(pr[j]) < 1e-12 {
				pr[j] = 0
				continue
			}
			nz = append(nz, j)
		}
	}
	for i := 0; i < tb.m; i++ {
		if i == r {
			continue
		}
		if f := tb.t[i][c]; f != 0 {
			row := tb.t[i]
			for _, j := range nz {
				row[j] -= f * pr[j]
			}
			row[c] = 0
		}
	}
	if obj != nil {
		if f := obj[c]; f != 0 {
			for _, j := range nz {
				obj[j] -= f * pr[j]
			}
			obj[c] = 0
		}
	}
	tb.basis[r] = c
}

// max returns the largest value of Σ c·x over the feasible set, false when
// it is unbounded. It starts from the basis the last call left, which is
// feasible: the tableau is not copied.
func (tb *tableau) max(c map[int]float64) (float64, bool) {
	obj := make([]float64, tb.cols+1)
	for j, v := range c {
		obj[j] = v
	}
	// Reduce the objective by the basis: obj holds c_j − z_j, and −z at the end.
	for i, bv := range tb.basis {
		if bv >= tb.art {
			continue
		}
		if f := obj[bv]; f != 0 {
			row := tb.t[i]
			for j := range obj {
				obj[j] -= f * row[j]
			}
		}
	}
	if !tb.optimise(obj, tb.art) {
		return math.Inf(1), false
	}
	return -obj[tb.cols], true
}

// solution is the programme's variables at the current basis.
func (tb *tableau) solution() []float64 {
	x := make([]float64, tb.n)
	for i, bv := range tb.basis {
		if bv < tb.n {
			x[bv] = tb.t[i][tb.cols]
		}
	}
	return x
}

// bounds is the interval of Σ c·x, rounded inward to integers.
func (tb *tableau) bounds(c map[int]float64) (lo, hi int, ok bool) {
	up, ok1 := tb.max(c)
	neg := map[int]float64{}
	for j, v := range c {
		neg[j] = -v
	}
	down, ok2 := tb.max(neg)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	return int(math.Ceil(-down - 1e-6)), int(math.Floor(up + 1e-6)), true
}

func TestSimplex(t *testing.T) {
	// x + y = 10, x − y ≥ 2, y ≥ 1, x ≤ 8: x ∈ [6, 8], y ∈ [2, 4], x+2y ∈ [12, 14].
	var p lp
	x, y := p.newVar(), p.newVar()
	p.add(map[int]float64{x: 1, y: 1}, 0, 10)
	p.add(map[int]float64{x: 1, y: -1}, 1, 2)
	p.add(map[int]float64{y: 1}, 1, 1)
	p.add(map[int]float64{x: 1}, -1, 8)
	tb, ok := p.feasible()
	if !ok {
		t.Fatal("infeasible")
	}
	for _, c := range []struct {
		obj    map[int]float64
		lo, hi int
	}{{map[int]float64{x: 1}, 6, 8}, {map[int]float64{y: 1}, 2, 4}, {map[int]float64{x: 1, y: 2}, 12, 14}} {
		if lo, hi, ok := tb.bounds(c.obj); !ok || lo != c.lo || hi != c.hi {
			t.Errorf("%v: [%d, %d] %v, want [%d, %d]", c.obj, lo, hi, ok, c.lo, c.hi)
		}
	}
	p.add(map[int]float64{x: 1}, 1, 9)
	if _, ok := p.feasible(); ok {
		t.Error("x ≤ 8 and x ≥ 9 solved")
	}
	var q lp
	z := q.newVar()
	q.add(map[int]float64{z: 1}, 1, 3)
	tq, _ := q.feasible()
	if _, _, ok := tq.bounds(map[int]float64{z: 1}); ok {
		t.Error("an unbounded variable bounded")
	}
}
