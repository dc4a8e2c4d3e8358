package demo

import (
	"math"

	"marshrut/internal/risk"
)

// RecordLoader writes what colleges record of their students beyond the
// roster: attendance, academic debts, social status.
type RecordLoader interface {
	Records([]risk.StudyRecord) error
}

// study draws a student's record from their diligence z (a standard normal
// draw that also moves grades and the chance of work): colleges record
// attendance and debts for most students, universities for fewer; the social
// status is recorded for seven in ten.
func (g *gen) study(l int64, z float64, university bool) (risk.StudyRecord, bool) {
	r := risk.StudyRecord{LearnerID: l, Attendance: math.NaN(), Debts: math.NaN()}
	recorded := 0.85
	if university {
		recorded = 0.55
	}
	if g.chance(recorded) {
		r.Attendance = math.Round(100*math.Max(0.35, math.Min(1, 0.86+0.07*z+0.04*g.rng.NormFloat64()))) / 100
		r.Debts = float64(g.poisson(math.Exp(-0.4 - 0.9*z)))
	}
	if g.chance(0.7) {
		switch x := g.rng.Float64(); {
		case x < 0.03:
			r.Social = risk.SocialOrphan
		case x < 0.11:
			r.Social = risk.SocialLowIncome
		case x < 0.16:
			r.Social = risk.SocialLarge
		case x < 0.17:
			r.Social = risk.SocialSVO
		default:
			r.Social = risk.SocialNone
		}
	}
	return r, !math.IsNaN(r.Attendance) || r.Social != ""
}

// poisson draws a count with mean m (Knuth's method; m is small here).
func (g *gen) poisson(m float64) int {
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= g.rng.Float64()
		if p <= l || k > 30 {
			return k
		}
		k++
	}
}
