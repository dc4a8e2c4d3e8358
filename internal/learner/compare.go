package learner

import "math"

// Stratum counts graduates of a known outcome who are alike in what a
// comparison holds equal: graduation year, specialty, organisation and band
// of the average grade; treated (mentored, enrolled in a programme) or not.
type Stratum struct {
	Year      int
	Specialty string
	OrgID     int64
	Band      int // GradeBand
	Treated   bool
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

// Comparison is the employment of treated graduates (mentored, or enrolled
// in a programme of active measures) against untreated graduates of the same
// year, specialty, organisation and band of grades (exact matching): the
// peers' shares are weighted by the number of treated graduates in each
// cell, so the comparison is made on the treated graduates' own mix.
type Comparison struct {
	// Treated counts the treated graduates of a known outcome; Matched those
	// of them who have peers; Peers the peers they are compared with.
	Treated, Matched, Peers int
	// Cells is the number of cells (year × specialty × organisation × band) compared.
	Cells int
	// TreatedShare and PeersShare are the shares at work or in study;
	// Difference is their difference, Low and High its 95 % interval from
	// the sampling noise alone (the normal approximation).
	TreatedShare, PeersShare, Difference, Low, High float64
}

// Clear tells whether the interval leaves out zero.
func (c Comparison) Clear() bool { return c.Matched > 0 && (c.Low > 0 || c.High < 0) }

// Compare matches the treated graduates to their peers cell by cell.
func Compare(strata []Stratum) Comparison {
	type key struct {
		year int
		spec string
		org  int64
		band int
	}
	type cell struct{ m, me, r, re int }
	cells := map[key]*cell{}
	var order []key
	for _, s := range strata {
		k := key{s.Year, s.Specialty, s.OrgID, s.Band}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
			order = append(order, k)
		}
		if s.Treated {
			c.m += s.Graduates
			c.me += s.Employed
		} else {
			c.r += s.Graduates
			c.re += s.Employed
		}
	}
	var out Comparison
	var sumM, sumR, variance float64
	for _, k := range order { // in the order of the strata: sums do not depend on map order
		c := cells[k]
		out.Treated += c.m
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
	out.TreatedShare, out.PeersShare = sumM/n, sumR/n
	out.Difference = out.TreatedShare - out.PeersShare
	half := 1.96 * math.Sqrt(variance) / n
	out.Low, out.High = out.Difference-half, out.Difference+half
	return out
}
