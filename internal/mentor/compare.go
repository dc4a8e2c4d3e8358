package mentor

import "math"

// Stratum counts the graduates of one year with a known status six months
// on who are alike in what the comparison holds equal: specialty,
// organisation and band of the average grade; mentored or not.
type Stratum struct {
	Specialty string
	OrgID     int64
	Band      int // GradeBand
	Mentored  bool
	Graduates int
	Employed  int
}

// GradeBand puts an average grade in a band: 0 not known, 1 below 3,5,
// 2 below 4,0, 3 below 4,5, 4 from 4,5.
func GradeBand(avg float64) int {
	switch {
	case avg <= 0 || math.IsNaN(avg):
		return 0
	case avg < 3.5:
		return 1
	case avg < 4:
		return 2
	case avg < 4.5:
		return 3
	}
	return 4
}

// Comparison is the employment of mentored graduates against graduates
// without a mentor of the same specialty, organisation and band of grades
// (exact matching): the peers' shares are weighted by the number of
// mentored graduates in each cell, so the comparison is made on the
// mentored graduates' own mix.
type Comparison struct {
	Year int
	// Mentored counts the mentored graduates with a known status; Matched
	// those of them who have peers; Peers the peers they are compared with.
	Mentored, Matched, Peers int
	// Cells is the number of cells (specialty × organisation × band) compared.
	Cells int
	// MentoredShare and PeersShare are the shares at work or in study six
	// months on; Difference is their difference, Low and High its 95 %
	// interval from the sampling noise alone (the normal approximation).
	MentoredShare, PeersShare, Difference, Low, High float64
}

// Clear tells whether the interval leaves out zero.
func (c Comparison) Clear() bool { return c.Matched > 0 && (c.Low > 0 || c.High < 0) }

// Compare matches the mentored graduates to their peers cell by cell.
func Compare(year int, strata []Stratum) Comparison {
	type key struct {
		spec string
		org  int64
		band int
	}
	type cell struct{ m, me, r, re int }
	cells := map[key]*cell{}
	var order []key
	for _, s := range strata {
		k := key{s.Specialty, s.OrgID, s.Band}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
			order = append(order, k)
		}
		if s.Mentored {
			c.m += s.Graduates
			c.me += s.Employed
		} else {
			c.r += s.Graduates
			c.re += s.Employed
		}
	}
	out := Comparison{Year: year}
	var sumM, sumR, variance float64
	for _, k := range order { // in the order of the strata: sums do not depend on map order
		c := cells[k]
		out.Mentored += c.m
		if c.m == 0 || c.r == 0 {
			continue
		}
		out.Matched += c.m
		out.Peers += c.r
		out.Cells++
		pm, pr := float64(c.me)/float64(c.m), float64(c.re)/float64(c.r)
		w := float64(c.m)
		sumM += w * pm
		sumR += w * pr
		variance += w * w * (pm*(1-pm)/float64(c.m) + pr*(1-pr)/float64(c.r))
	}
	if out.Matched == 0 {
		return out
	}
	n := float64(out.Matched)
	out.MentoredShare, out.PeersShare = sumM/n, sumR/n
	out.Difference = out.MentoredShare - out.PeersShare
	half := 1.96 * math.Sqrt(variance) / n
	out.Low, out.High = out.Difference-half, out.Difference+half
	return out
}
