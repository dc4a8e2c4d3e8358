package rollup

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The attacker of the tests: a federal analyst who holds a region's bundle
// and the one before it, knows the method and its parameters, how each row
// is split into parts, and every linear identity that holds between the
// tables (the same graduates by municipality and by specialty, a headline
// measure equal to a column's sum, a part that did not change since last
// month). It takes all of them as linear constraints on the true counts
// and bounds by linear programming every small count and every small
// difference between a group and its parts, between tables and between
// months. A finding is one pinned to fewer than Threshold possible values.

// month is one bundle as the attacker and the judge see it: the truth
// (which only the judge reads: to know which counts are small and which
// identities hold) and the published figures.
type month struct {
	rows []attackRow
}

type attackRow struct {
	table string
	dims  []string
	truth []int // the true figures of the row (those that apply)
	extra int
	pub   []int // the published figures, in the same order
}

func (r attackRow) key() string { return r.table + "\x00" + strings.Join(r.dims, "\x00") }

// monthOf pairs a bundle's published tables with the true ones it was
// made from.
func monthOf(truth []*raw, b Bundle) month {
	var m month
	for ti, r := range truth {
		t := b.Tables[ti]
		for i, row := range r.table.Rows {
			ar := attackRow{table: r.table.Name, dims: row.Dims, extra: r.extra[i]}
			for j, v := range r.vals[i] {
				if v != nil {
					ar.truth = append(ar.truth, *v)
					ar.pub = append(ar.pub, *t.Rows[i].Values[j])
				}
			}
			m.rows = append(m.rows, ar)
		}
	}
	return m
}

// finding is a count or difference the attacker narrowed too far.
type finding struct {
	what   string
	truth  int
	lo, hi int
}

func (f finding) String() string {
	return fmt.Sprintf("%s: true %d, narrowed to [%d, %d]", f.what, f.truth, f.lo, f.hi)
}

// partVars are the LP variables of one part: its published value y ≥ 0
// and its noise shifted to d ∈ [0, 2·maxDev]; the true count is
// x = y + d − maxDev ≥ 0.
type partVars struct{ y, d int }

// maxDev is the largest change the perturbation table makes to a part: a
// count of 1 published as 5, or 4 as 0.
const maxDev = 4

type attacker struct {
	p       lp
	targets []target
}

type target struct {
	what  string
	truth int
	terms []term // Σ sign·x of parts
}

type term struct {
	v    partVars
	sign float64
}

// x adds sign·(true count of the part) to a linear form; the constant goes
// to c.
func (a *attacker) x(form map[int]float64, c *float64, v partVars, sign float64) {
	form[v.y] += sign
	form[v.d] += sign
	*c -= sign * maxDev
}

// attack returns what the attacker narrows below Threshold values in the
// bundle of cur, knowing prev (nil: no earlier bundle).
func attack(prev, cur *month) ([]finding, error) {
	var a attacker
	type rowVars struct {
		row   attackRow
		split parts
		vars  []partVars
	}
	var all [2][]rowVars
	newPart := func() partVars {
		v := partVars{y: a.p.newVar(), d: a.p.newVar()}
		a.p.add(map[int]float64{v.d: 1}, -1, 2*maxDev)
		a.p.add(map[int]float64{v.y: 1, v.d: 1}, 1, maxDev) // x ≥ 0
		return v
	}
	prevParts := map[string]rowVars{}
	for mi, m := range []*month{prev, cur} {
		if m == nil {
			continue
		}
		for _, r := range m.rows {
			sp := split(r.table, r.truth, r.extra)
			rv := rowVars{row: r, split: sp}
			old, had := prevParts[r.key()]
			for i := range sp.value {
				v := newPart()
				if mi == 1 && had && i < len(old.split.value) && old.split.names[i] == sp.names[i] && old.split.value[i] == sp.value[i] {
					// The same true count as last month (its published value
					// may differ: the balance moves with other rows).
					a.p.add(map[int]float64{v.y: 1, v.d: 1, old.vars[i].y: -1, old.vars[i].d: -1}, 0, 0)
				}
				rv.vars = append(rv.vars, v)
			}
			for j, s := range sp.sums {
				if r.table == "measures" && linkedOnTruth(m, r, j) {
					continue // published as a column's sum: the identity below carries it
				}
				form := map[int]float64{}
				for _, i := range s {
					form[rv.vars[i].y]++
				}
				a.p.add(form, 0, float64(r.pub[j]))
			}
			if mi == 0 {
				prevParts[r.key()] = rv
			}
			all[mi] = append(all[mi], rv)
		}
	}
	sumTruth := func(rv rowVars, s []int) int {
		t := 0
		for _, i := range s {
			t += rv.split.value[i]
		}
		return t
	}
	addTarget := func(what string, truth int, terms []term) {
		if truth > 0 && truth < Threshold {
			a.targets = append(a.targets, target{what, truth, terms})
		}
	}
	partTerms := func(rv rowVars, s []int, sign float64) []term {
		var out []term
		for _, i := range s {
			out = append(out, term{rv.vars[i], sign})
		}
		return out
	}
	for mi := range all {
		rows := all[mi]
		label := []string{"прошлый месяц", "этот месяц"}[mi]
		// Small figures, small parts and small differences inside each row.
		for _, rv := range rows {
			name := label + " " + rv.row.table + " " + strings.Join(rv.row.dims, "/")
			for j, s := range rv.split.sums {
				addTarget(fmt.Sprintf("%s: показатель %d", name, j), sumTruth(rv, s), partTerms(rv, s, 1))
				for k, sk := range rv.split.sums {
					if diff, ok := minus(s, sk); ok && k != j {
						addTarget(fmt.Sprintf("%s: показатель %d минус %d", name, j, k), sumTruth(rv, diff), partTerms(rv, diff, 1))
					}
				}
			}
			for i, v := range rv.split.value {
				addTarget(fmt.Sprintf("%s: часть %s", name, rv.split.names[i]), v, partTerms(rv, []int{i}, 1))
			}
		}
		// The same graduates by municipality and by specialty: each part of
		// a year, when the sums agree on the truth; a small gap between them
		// (graduates without a municipality) is a target.
		groups := map[string][2][]rowVars{}
		for _, rv := range rows {
			if rv.row.table == "employment" || rv.row.table == "specialties" {
				side := 0
				if rv.row.table == "specialties" {
					side = 1
				}
				g := groups[rv.row.dims[0]]
				g[side] = append(g[side], rv)
				groups[rv.row.dims[0]] = g
			}
		}
		for _, year := range sortedKeys(groups) {
			g := groups[year]
			if len(g[0]) == 0 || len(g[1]) == 0 {
				continue
			}
			width := len(g[0][0].split.value)
			for i := 0; i < width; i++ {
				form, c, gap := map[int]float64{}, 0.0, 0
				pubForm := map[int]float64{}
				var terms []term
				ok := true
				for side, sign := range []float64{1, -1} {
					for _, rv := range g[side] {
						if len(rv.split.value) != width || rv.split.names[i] != g[0][0].split.names[i] {
							ok = false
							break
						}
						a.x(form, &c, rv.vars[i], sign)
						pubForm[rv.vars[i].y] += sign
						terms = append(terms, term{rv.vars[i], -sign})
						gap -= int(sign) * rv.split.value[i]
					}
				}
				if !ok || gap < 0 {
					continue
				}
				if gap == 0 {
					a.p.add(form, 0, -c)
					continue
				}
				// The graduates without a municipality: a part of their own,
				// published as the difference of the two tables.
				gp := newPart()
				pubForm[gp.y] = 1
				a.p.add(pubForm, 0, 0)
				a.x(form, &c, gp, 1)
				a.p.add(form, 0, -c)
				addTarget(fmt.Sprintf("%s: выпуск %s, часть %s, специальности минус муниципалитеты", label, year, g[0][0].split.names[i]), gap, terms)
			}
		}
		// A headline measure that counts the same persons as a column of a
		// table (over a year): the attacker knows the catalogue.
		scopeRows := map[string]map[string][]rowVars{}
		for _, rv := range rows {
			if scopeRows[rv.row.table] == nil {
				scopeRows[rv.row.table] = map[string][]rowVars{}
			}
			k := ""
			if len(rv.row.dims) == 2 {
				k = rv.row.dims[0]
			}
			scopeRows[rv.row.table][k] = append(scopeRows[rv.row.table][k], rv)
		}
		for _, rv := range rows {
			if rv.row.table != "measures" {
				continue
			}
			ls, ok := identities[rv.row.dims[0]]
			if !ok {
				continue
			}
			for j, s := range rv.split.sums {
				l := ls[j]
				if l.table == "" {
					continue
				}
				mt := sumTruth(rv, s)
				for _, k := range sortedKeys(scopeRows[l.table]) {
					form, c, ct := map[int]float64{}, 0.0, 0
					terms := partTerms(rv, s, 1)
					for _, t := range terms {
						a.x(form, &c, t.v, 1)
					}
					for _, o := range scopeRows[l.table][k] {
						if l.column >= len(o.split.sums) {
							continue
						}
						ct += sumTruth(o, o.split.sums[l.column])
						for _, t := range partTerms(o, o.split.sums[l.column], -1) {
							a.x(form, &c, t.v, -1)
							terms = append(terms, t)
						}
					}
					switch d := mt - ct; {
					case d == 0:
						a.p.add(form, 0, -c)
					case d > 0:
						addTarget(fmt.Sprintf("%s: показатель %s #%d минус %s %s #%d", label, rv.row.dims[0], j, l.table, k, l.column), d, terms)
					}
				}
			}
		}
	}
	// Changes since last month.
	if prev != nil {
		old := map[string]rowVars{}
		for _, rv := range all[0] {
			old[rv.row.key()] = rv
		}
		for _, rv := range all[1] {
			o, ok := old[rv.row.key()]
			if !ok {
				continue
			}
			for j, s := range rv.split.sums {
				if j >= len(o.split.sums) {
					continue
				}
				d := sumTruth(rv, s) - sumTruth(o, o.split.sums[j])
				if d < 0 {
					d = -d
					addTarget(fmt.Sprintf("изменение за месяц %s %s: показатель %d", rv.row.table, strings.Join(rv.row.dims, "/"), j), d,
						append(partTerms(o, o.split.sums[j], 1), partTerms(rv, s, -1)...))
				} else {
					addTarget(fmt.Sprintf("изменение за месяц %s %s: показатель %d", rv.row.table, strings.Join(rv.row.dims, "/"), j), d,
						append(partTerms(rv, s, 1), partTerms(o, o.split.sums[j], -1)...))
				}
			}
		}
	}
	// One target per set of parts: a figure of one part, that part, and a
	// group minus its other parts are the same unknown.
	seen := map[string]bool{}
	uniq := a.targets[:0]
	for _, t := range a.targets {
		k := termsKey(t.terms)
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, t)
		}
	}
	a.targets = uniq
	tried += len(a.targets)
	// The programme falls apart into pieces that share no variable (a year
	// of graduates, the guidance, the early warning…): each is solved on
	// its own, with the targets that lie in it.
	parent := make([]int, a.p.n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(form map[int]float64) {
		first := -1
		for v := range form {
			if first < 0 {
				first = v
			} else {
				parent[find(v)] = find(first)
			}
		}
	}
	for _, r := range a.p.rows {
		union(r.a)
	}
	forms := make([]map[int]float64, len(a.targets))
	consts := make([]float64, len(a.targets))
	for ti, t := range a.targets {
		form, c := map[int]float64{}, 0.0
		for _, tm := range t.terms {
			a.x(form, &c, tm.v, tm.sign)
		}
		forms[ti], consts[ti] = form, c
		union(form)
	}
	pieces := map[int][]int{} // root → targets
	for ti, f := range forms {
		for v := range f {
			pieces[find(v)] = append(pieces[find(v)], ti)
			break
		}
	}
	var out []finding
	for root, tis := range pieces {
		// The piece's own programme, its variables renumbered.
		var sub lp
		index := map[int]int{}
		num := func(v int) int {
			if k, ok := index[v]; ok {
				return k
			}
			index[v] = sub.newVar()
			return index[v]
		}
		for _, r := range a.p.rows {
			in := false
			for v := range r.a {
				in = find(v) == root
				break
			}
			if !in {
				continue
			}
			row := map[int]float64{}
			for v, c := range r.a {
				row[num(v)] = c
			}
			sub.add(row, r.op, r.b)
		}
		tb, ok := sub.feasible()
		if !ok {
			return nil, fmt.Errorf("the published figures contradict the truth: the attacker's programme has no solution")
		}
		// Solutions already met: a target that takes values five apart on
		// them cannot be narrowed below five, and needs no programme.
		var pool [][]float64
		for _, ti := range tis {
			t := a.targets[ti]
			form := map[int]float64{}
			for v, c := range forms[ti] {
				form[num(v)] = c
			}
			if spread(pool, form) >= float64(Threshold-1)-1e-6 {
				continue
			}
			up, ok1 := tb.max(form)
			pool = append(pool, tb.solution())
			neg := map[int]float64{}
			for j, v := range form {
				neg[j] = -v
			}
			down, ok2 := tb.max(neg)
			pool = append(pool, tb.solution())
			if len(pool) > 64 {
				pool = pool[2:]
			}
			ok := ok1 && ok2
			lo, hi := int(math.Ceil(-down-1e-6)), int(math.Floor(up+1e-6))
			if !ok {
				continue // unbounded: nothing learnt
			}
			lo, hi = lo+int(consts[ti]), hi+int(consts[ti])
			if t.truth < lo || t.truth > hi {
				return nil, fmt.Errorf("%s: the truth %d outside [%d, %d]: the attacker's model is wrong", t.what, t.truth, lo, hi)
			}
			if hi-lo+1 < Threshold {
				out = append(out, finding{t.what, t.truth, lo, hi})
			}
		}
	}
	slices.SortFunc(out, func(x, y finding) int { return strings.Compare(x.what, y.what) })
	return out, nil
}

// spread is how far apart a linear form lies on the solutions of pool.
func spread(pool [][]float64, form map[int]float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range pool {
		v := 0.0
		for j, c := range form {
			v += c * x[j]
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	return hi - lo
}

// termsKey names a linear form of parts, whatever the order of its terms.
func termsKey(ts []term) string {
	m := map[[2]int]float64{}
	for _, t := range ts {
		m[[2]int{t.v.y, t.v.d}] += t.sign
	}
	var keys []string
	for k, v := range m {
		if v != 0 {
			keys = append(keys, fmt.Sprint(k, v))
		}
	}
	slices.Sort(keys)
	return strings.Join(keys, ";")
}

// minus returns the parts of s that are not in k when k is a proper subset
// of s.
func minus(s, k []int) ([]int, bool) {
	in := map[int]bool{}
	for _, i := range s {
		in[i] = true
	}
	for _, i := range k {
		if !in[i] {
			return nil, false
		}
		delete(in, i)
	}
	if len(in) == 0 || len(k) == 0 {
		return nil, false
	}
	var out []int
	for _, i := range s {
		if in[i] {
			out = append(out, i)
		}
	}
	return out, true
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// attackCount is attack with the number of targets it tried.
func attackCount(prev, cur *month) ([]finding, int, error) {
	tried = 0
	f, err := attack(prev, cur)
	return f, tried, err
}

// tried counts the attacker's targets (tests run one at a time here).
var tried int

// linkedOnTruth reports whether a measure's figure was published as the sum
// of a column: its truth equals the column's over some scope.
func linkedOnTruth(m *month, r attackRow, j int) bool {
	ls, ok := links[r.dims[0]]
	if !ok || ls[j].table == "" {
		return false
	}
	sums := map[string]int{}
	for _, o := range m.rows {
		if o.table != ls[j].table || ls[j].column >= len(o.truth) {
			continue
		}
		k := ""
		if len(o.dims) == 2 {
			k = o.dims[0]
		}
		sums[k] += o.truth[ls[j].column]
	}
	for _, v := range sums {
		if v == r.truth[j] {
			return true
		}
	}
	return false
}

// identities are what the attacker knows of the catalogue: every measure
// that counts the persons of a column, linked in the bundle or not.
var identities = func() map[string][3]link {
	m := map[string][3]link{
		"employment6":  {{"employment", 0}, {"employment", 1}, {"employment", 4}},
		"employment12": {{"employment", 0}, {"employment", 2}, {}},
		"retention":    {{"employment", 1}, {"employment", 3}, {}},
	}
	for k, v := range links {
		m[k] = v
	}
	return m
}()
