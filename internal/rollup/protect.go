package rollup

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"math"
	"slices"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
)

// MethodCellKey names the disclosure control of a bundle: the cell-key
// method of the Australian Bureau of Statistics and of the 2021 census of
// England and Wales. Every count is moved by a small noise read from a
// perturbation table at a key of the cell; counts 1–4 never appear as
// themselves; the same cell with the same count gets the same key, so the
// same published value, month after month.
const MethodCellKey = "cell-key"

// Protection is the disclosure control a bundle was made with and what it
// cost; a bundle without it is refused.
type Protection struct {
	Method string `json:"method"`
	// Modulus is the number of keys: a cell's key is 0…Modulus−1, drawn by
	// HMAC-SHA-256 under the region's secret from the table, the row, the
	// part and its true count.
	Modulus int `json:"modulus"`
	// Small: no count 1…Small−1 is published.
	Small int `json:"small"`
	// MaxNoise is the largest change of a count of Small persons or more.
	MaxNoise int `json:"max_noise"`
	// PTable is the perturbation table: for each true count (the last row
	// for every larger one) what is published, and for how many of the
	// Modulus keys.
	PTable []PRow `json:"ptable"`
	// Parts says how the figures of a row relate: each row is split into
	// parts that do not overlap (employed and not, informed and not…); every
	// part is perturbed, and every figure of the row is the sum of its
	// perturbed parts, so a group minus its parts is itself a protected part.
	// Totals over rows (the region's measures) are perturbed on their own,
	// as the ABS does.
	Parts string `json:"parts"`
	// Accuracy is the measured loss, by table.
	Accuracy []Accuracy `json:"accuracy"`
}

// PRow is one row of the perturbation table: a true count is published as
// Out[i] for Keys[i] of the Modulus keys; with Shift, Out is added to the
// count instead.
type PRow struct {
	Count int   `json:"count"`
	Out   []int `json:"out"`
	Keys  []int `json:"keys"`
	Shift bool  `json:"shift,omitempty"`
}

// Accuracy is what the protection changed in a table: the mean absolute
// change of its published figures and of the share of each row (employed
// of graduates, reached of pupils, numerator of denominator…), in
// percentage points, against the unprotected values.
type Accuracy struct {
	Table   string  `json:"table"`
	Figures int     `json:"figures"`
	MeanAbs float64 `json:"mean_abs"`
	Shares  float64 `json:"shares_pp"`
	// ShareMax is the largest change of a row's share, in points; kept for
	// the measures table only, where a row is a headline share of the region.
	ShareMax float64 `json:"share_max_pp,omitempty"`
}

// keys is the number of cell keys.
const keys = 256

// ptable is the perturbation table of this version. Counts 1–4 go to 0 or
// to 5 with the chance that keeps them unbiased (a count of 2 is published
// as 5 for 102 keys of 256, as 0 otherwise); 5 stays; 6 goes to 5, 6 or 7;
// seven and more move by −2…+2, most often by nothing.
var ptable = []PRow{
	{Count: 0, Out: []int{0}, Keys: []int{256}},
	{Count: 1, Out: []int{0, 5}, Keys: []int{205, 51}},
	{Count: 2, Out: []int{0, 5}, Keys: []int{154, 102}},
	{Count: 3, Out: []int{0, 5}, Keys: []int{102, 154}},
	{Count: 4, Out: []int{0, 5}, Keys: []int{51, 205}},
	{Count: 5, Out: []int{5}, Keys: []int{256}},
	{Count: 6, Out: []int{5, 6, 7}, Keys: []int{64, 128, 64}},
	{Count: 7, Out: []int{-2, -1, 0, 1, 2}, Keys: []int{26, 51, 102, 51, 26}, Shift: true},
}

// CellKey returns the protection this version applies, without its
// accuracy (measured per bundle).
func CellKey() Protection {
	return Protection{Method: MethodCellKey, Modulus: keys, Small: Threshold, MaxNoise: 2, PTable: ptable,
		Parts: "row-parts; graduates: small parts 0, municipality and specialty balanced; measures of a column: its sum; other totals independent"}
}

// Secret is the region's key of the cells, derived from its signing key:
// the same every month, unknown outside the region.
func Secret(priv ed25519.PrivateKey) []byte {
	m := hmac.New(sha256.New, priv.Seed())
	m.Write([]byte("marshrut rollup cell key 1"))
	return m.Sum(nil)
}

// cellKey is the key of one part of one row: HMAC-SHA-256 of its identity
// and its true count under the region's secret, modulo Modulus.
func cellKey(secret []byte, id string, count int) int {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write([]byte(strconv.Itoa(count)))
	return int(m.Sum(nil)[0]) % keys
}

// Perturb is the published value of a true count at a key.
func (p Protection) Perturb(count, key int) int {
	if count < 0 {
		return count
	}
	row := p.PTable[len(p.PTable)-1]
	if count < len(p.PTable)-1 {
		row = p.PTable[count]
	}
	k := key % p.Modulus
	for i, n := range row.Keys {
		if k < n || i == len(row.Keys)-1 {
			if row.Shift {
				return count + row.Out[i]
			}
			return row.Out[i]
		}
		k -= n
	}
	return count
}

// check refuses a protection this version does not know how to read: no
// method, or a table that could publish a count under the threshold.
func (p *Protection) check(threshold int) error {
	if p == nil || p.Method == "" {
		return apperr.New(apperr.Invalid, "в пакете не указан способ защиты малых чисел и его параметры: такой пакет записан прежней версией Маршрута — обновите её в регионе и выгрузите пакет заново")
	}
	if p.Method != MethodCellKey {
		return apperr.New(apperr.Invalid, "способ защиты «%s» этой версии Маршрута не известен: пакет не принят", p.Method)
	}
	if p.Modulus <= 0 || p.Small < threshold || p.MaxNoise < 0 || len(p.PTable) < p.Small+1 {
		return apperr.New(apperr.Invalid, "параметры защиты пакета неполны: модуль ключей, порог малых чисел и таблица возмущений обязательны")
	}
	for i, r := range p.PTable {
		sum := 0
		for _, k := range r.Keys {
			sum += k
		}
		if r.Count != i || len(r.Out) != len(r.Keys) || sum != p.Modulus || r.Shift != (i == len(p.PTable)-1) {
			return apperr.New(apperr.Invalid, "таблица возмущений пакета неверна в строке числа %d", i)
		}
		for _, o := range r.Out {
			v := o
			if r.Shift {
				v = r.Count + o
			}
			if v > 0 && v < p.Small || r.Shift && (o < -p.MaxNoise || o > p.MaxNoise) {
				return apperr.New(apperr.Invalid, "таблица возмущений пакета публикует число %d из %d: так малое число стало бы видно", v, r.Count)
			}
		}
	}
	return nil
}

// parts is a row split into parts that do not overlap, and each figure of
// the row as the parts it adds up.
type parts struct {
	names []string
	value []int
	sums  [][]int
}

// independent is the split of last resort: every figure is its own part.
func independent(vals []int) parts {
	p := parts{}
	for j, v := range vals {
		p.names = append(p.names, strconv.Itoa(j))
		p.value = append(p.value, v)
		p.sums = append(p.sums, []int{j})
	}
	return p
}

// valid reports whether no part is negative: a split that does not hold on
// the data (a subset larger than its group) falls back to independent.
func (p parts) valid() bool {
	for _, v := range p.value {
		if v < 0 {
			return false
		}
	}
	return true
}

// split returns the parts of a row of a table: the figures of the row in
// the order of the table's measures; extra carries the counts a split needs
// beyond them (the employed at twelve months of those unknown at six).
func split(table string, vals []int, extra int) parts {
	var p parts
	switch table {
	case "employment", "specialties":
		g, e6, e12, r, u6, j := vals[0], vals[1], vals[2], vals[3], vals[4], extra
		p = parts{names: []string{"e6e12", "e6", "u6e12", "u6", "e12", "rest"},
			value: []int{r, e6 - r, j, u6 - j, e12 - r - j, g - e6 - u6 - (e12 - r - j)},
			sums:  [][]int{{0, 1, 2, 3, 4, 5}, {0, 1}, {0, 2, 4}, {0}, {2, 3}}}
	case "guidance":
		pu, re, se, in, h, ti := vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
		p = parts{names: []string{"reached", "unreached", "informed", "uninformed", "hours", "ticket"},
			value: []int{re, pu - re, in, se - in, h, ti},
			sums:  [][]int{{0, 1}, {0}, {2, 3}, {2}, {4}, {5}}}
	case "early_warning":
		sc, at, wc, wcw, wo, wow, op, cl := vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7]
		p = parts{names: []string{"calm", "case_working", "case_other", "nocase_working", "nocase_other", "open", "closed"},
			value: []int{sc - at, wcw, wc - wcw, wow, wo - wow, op, cl},
			sums:  [][]int{{0, 1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2}, {1}, {3, 4}, {3}, {5}, {6}}}
		if wc+wo != at {
			return independent(vals)
		}
	case "measures":
		if len(vals) == 3 {
			d, nu, u := vals[0], vals[1], vals[2]
			p = parts{names: []string{"numerator", "unknown", "rest"}, value: []int{nu, u, d - nu - u}, sums: [][]int{{0, 1, 2}, {0}, {1}}}
		} else {
			d, nu := vals[0], vals[1]
			p = parts{names: []string{"numerator", "rest"}, value: []int{nu, d - nu}, sums: [][]int{{0, 1}, {0}}}
		}
	default:
		return independent(vals)
	}
	if !p.valid() {
		return independent(vals)
	}
	return p
}

// perturbed is one row split into parts, with the true and the published
// value of each part.
type perturbed struct {
	split parts
	pub   []int
}

// perturbRow splits a row and perturbs each of its parts at its key.
func (p Protection) perturbRow(secret []byte, table string, dims []string, vals []int, extra int) perturbed {
	sp := split(table, vals, extra)
	id := table + "\x00" + strings.Join(dims, "\x00") + "\x00"
	pr := perturbed{split: sp, pub: make([]int, len(sp.value))}
	for i, v := range sp.value {
		pr.pub[i] = p.Perturb(v, cellKey(secret, id+sp.names[i], v))
		if zeroSmall(table) && v < p.Small {
			pr.pub[i] = 0
		}
	}
	return pr
}

// zeroSmall tells the tables where a part of 1–4 persons is published as 0,
// not as 0 or 5: the graduates by municipality and by specialty, the same
// persons in two tables. A 5 there would leave a sum the other table cannot
// match without moving small parts, and a small part that moves from month
// to month gives itself away; a 0 is the same every month and both tables
// balance on their large parts.
func zeroSmall(table string) bool { return table == "employment" || table == "specialties" }

// figures are a row's published figures, each the sum of its perturbed
// parts.
func (pr perturbed) figures() []int {
	out := make([]int, len(pr.split.sums))
	for j, s := range pr.split.sums {
		for _, i := range s {
			out[j] += pr.pub[i]
		}
	}
	return out
}

// link is a headline measure's figure that counts the same persons as a
// column of a table: published as the sum of that column, so that the
// measure and the table agree and their difference tells nothing. The
// measures of graduates are not linked: their tables publish small parts
// as 0, and a sum of them would lower the region's shares; they are
// perturbed on their own, as the ABS perturbs its totals.
type link struct {
	table  string
	column int
}

// links of each measure: denominator, numerator, unknown (a zero table: none).
var links = map[string][3]link{
	"guidance":    {{"guidance", 0}, {"guidance", 1}, {}},
	"informed":    {{"guidance", 2}, {"guidance", 3}, {}},
	"profminimum": {{"guidance", 0}, {"guidance", 4}, {}},
	"risk_case":   {{"early_warning", 1}, {"early_warning", 2}, {}},
}

// scopes of a table for a link: the rows of each year, or all rows.
func scopes(r *raw) map[string][]int {
	out := map[string][]int{}
	for i, row := range r.table.Rows {
		k := ""
		if len(row.Dims) == 2 {
			k = row.Dims[0]
		}
		out[k] = append(out[k], i)
	}
	return out
}

// trueValues is a row's true figures that apply.
func trueValues(vals []*int) []int {
	var out []int
	for _, v := range vals {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out
}

// publish protects all the tables of a bundle at once: every row from its
// perturbed parts; the graduates by municipality and by specialty balanced
// so that each year's parts add up the same in both; a headline measure
// that counts a column's persons published as that column's sum. It
// returns the tables and the accuracy of each.
func (p Protection) publish(secret []byte, truth []*raw) ([]Table, []Accuracy) {
	rows := make([][]perturbed, len(truth))
	byName := map[string]int{}
	for ti, r := range truth {
		byName[r.table.Name] = ti
		for i, row := range r.table.Rows {
			rows[ti] = append(rows[ti], p.perturbRow(secret, r.table.Name, row.Dims, trueValues(r.vals[i]), r.extra[i]))
		}
	}
	mi, ok1 := byName["employment"]
	si, ok2 := byName["specialties"]
	if ok1 && ok2 {
		p.balance(secret, truth[mi], rows[mi], truth[si], rows[si])
	}
	var tables []Table
	var accs []Accuracy
	for ti, r := range truth {
		t := r.table
		t.Rows = make([]Row, len(r.table.Rows))
		var tv, pv [][]int
		for i, row := range r.table.Rows {
			vals := trueValues(r.vals[i])
			out := rows[ti][i].figures()
			if r.table.Name == "measures" {
				out = p.linked(row.Dims[0], vals, out, truth, rows, byName)
			}
			t.Rows[i] = Row{Dims: row.Dims, Values: make([]*int, len(r.vals[i]))}
			k := 0
			for j, v := range r.vals[i] {
				if v != nil {
					t.Rows[i].Values[j] = n(out[k])
					k++
				}
			}
			tv, pv = append(tv, vals), append(pv, out)
		}
		tables = append(tables, t)
		accs = append(accs, measure(t.Name, tv, pv))
	}
	return tables, accs
}

// linked replaces a measure's figures by the sums of the columns that count
// the same persons, where the truth agrees exactly.
func (p Protection) linked(code string, vals, out []int, truth []*raw, rows [][]perturbed, byName map[string]int) []int {
	ls, ok := links[code]
	if !ok {
		return out
	}
	res := append([]int(nil), out...)
	for j := range vals {
		l := ls[j]
		ti, ok := byName[l.table]
		if l.table == "" || !ok {
			continue
		}
		r := truth[ti]
		sc := scopes(r)
		for _, k := range sortedScopes(sc) {
			tsum, psum := 0, 0
			for _, i := range sc[k] {
				tv := trueValues(r.vals[i])
				if l.column >= len(tv) {
					tsum = -1
					break
				}
				tsum += tv[l.column]
				psum += rows[ti][i].figures()[l.column]
			}
			if tsum == vals[j] {
				res[j] = psum
				break
			}
		}
	}
	return res
}

func sortedScopes(m map[string][]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// balRef is a row of one side of the balance.
type balRef struct {
	rows []perturbed
	row  int
	sign int // +1 municipality, −1 specialty
	key  string
}

// balance makes each year's parts add up the same by municipality and by
// specialty (with the graduates who have no municipality as a part of
// their own): the difference left by independent noise is moved onto
// parts of seven persons or more, at most two more per part, none below
// five. The same counts balance the same way every month.
func (p Protection) balance(secret []byte, mt *raw, mrows []perturbed, st *raw, srows []perturbed) {
	years := map[string][]balRef{}
	for i, row := range mt.table.Rows {
		years[row.Dims[0]] = append(years[row.Dims[0]], balRef{mrows, i, 1, "m" + row.Dims[1]})
	}
	for i, row := range st.table.Rows {
		years[row.Dims[0]] = append(years[row.Dims[0]], balRef{srows, i, -1, "s" + row.Dims[1]})
	}
	var ys []string
	for y := range years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	for _, y := range ys {
		refs := years[y]
		width := len(refs[0].rows[refs[0].row].split.value)
		same := true
		for _, r := range refs {
			if sp := r.rows[r.row].split; len(sp.value) != width || sp.names[0] != refs[0].rows[refs[0].row].split.names[0] {
				same = false
			}
		}
		if !same {
			continue
		}
		for part := 0; part < width; part++ {
			gap, diff := 0, 0
			for _, r := range refs {
				pr := r.rows[r.row]
				gap -= r.sign * pr.split.value[part]
				diff -= r.sign * pr.pub[part]
			}
			if gap < 0 {
				continue // more by municipality than by specialty: not the same graduates
			}
			if gap >= p.Small {
				diff -= p.Perturb(gap, cellKey(secret, "gap\x00"+y+"\x00"+strconv.Itoa(part), gap))
			}
			// diff = Σ specialty − Σ municipality − gap (the graduates with
			// no municipality, 0 when fewer than five): parts of five and
			// more take it by ones, at most two each. A small part is never
			// moved: it is 0 every month.
			p.settle(refs, part, &diff)
		}
	}
}

// settle moves diff (Σ specialty − Σ municipality − gap of one part of a
// year) onto the parts of refs of five persons and more, by ones; what
// cannot be moved stays.
func (p Protection) settle(refs []balRef, part int, diff *int) {
	order := append([]balRef(nil), refs...)
	slices.SortFunc(order, func(a, b balRef) int {
		va, vb := a.rows[a.row].split.value[part], b.rows[b.row].split.value[part]
		if va != vb {
			return vb - va
		}
		return strings.Compare(a.key, b.key)
	})
	for step := 0; *diff != 0 && step < 2*p.MaxNoise; step++ {
		for _, r := range order {
			if *diff == 0 {
				break
			}
			pr := r.rows[r.row]
			x := pr.split.value[part]
			if x < p.Small {
				continue
			}
			move := 1
			if *diff < 0 {
				move = -1
			}
			nv := pr.pub[part] + move*r.sign
			if nv < p.Small || nv-x > 2*p.MaxNoise || x-nv > 2*p.MaxNoise {
				continue
			}
			pr.pub[part] = nv
			*diff -= move
		}
	}
}

// shareOf is the row share a table's accuracy is measured on: the indices
// of its numerator and denominator, or false for a table without one.
func shareOf(table string) (num, den int, ok bool) {
	switch table {
	case "employment", "specialties":
		return 1, 0, true
	case "guidance":
		return 1, 0, true
	case "early_warning":
		return 1, 0, true
	case "measures":
		return 1, 0, true
	}
	return 0, 0, false
}

// measure compares a table's published figures with the true ones.
func measure(table string, truth, published [][]int) Accuracy {
	a := Accuracy{Table: table}
	var abs, shares float64
	nShares := 0
	ni, di, ok := shareOf(table)
	for i := range truth {
		for j := range truth[i] {
			a.Figures++
			abs += math.Abs(float64(published[i][j] - truth[i][j]))
		}
		if ok && di < len(truth[i]) && ni < len(truth[i]) && truth[i][di] > 0 && published[i][di] > 0 {
			d := 100 * math.Abs(float64(published[i][ni])/float64(published[i][di])-float64(truth[i][ni])/float64(truth[i][di]))
			shares += d
			nShares++
			if table == "measures" && d > a.ShareMax {
				a.ShareMax = d
			}
		}
	}
	if a.Figures > 0 {
		a.MeanAbs = round2(abs / float64(a.Figures))
	}
	if nShares > 0 {
		a.Shares = round2(shares / float64(nShares))
	}
	a.ShareMax = round2(a.ShareMax)
	return a
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
