package measures

import (
	"time"

	"marshrut/internal/learner"
)

// Graduate is a graduate of the region without work six months after
// graduation whose status a year after graduation is known, as the
// comparison of the programmes counts them.
type Graduate struct {
	Year      int // of graduation
	Specialty string
	OrgID     int64
	AvgGrade  float64
	// Enrolled is the first enrolment in a programme; zero when none.
	Enrolled time.Time
	// Employed: working, self-employed, studying on or serving a year
	// after graduation.
	Employed bool
}

// Compare compares, among the graduates without work six months after
// graduation, those who enrolled in a programme before the year was out
// with those who did not, of the same year, specialty, organisation and band
// of grades, by their status a year after graduation. Enrolment, not
// completion, marks the treated: those who complete are chosen by how the
// training went, those who enrol are not yet.
func Compare(gs []Graduate) learner.Comparison {
	strata := map[learner.Stratum]int{} // Graduates and Employed zero: the key
	var order []learner.Stratum
	counts := map[learner.Stratum]*[2]int{}
	for _, g := range gs {
		k := learner.Stratum{Year: g.Year, Specialty: g.Specialty, OrgID: g.OrgID, Band: learner.GradeBand(g.AvgGrade),
			Treated: !g.Enrolled.IsZero() && g.Enrolled.Before(learner.GraduationDay(g.Year).AddDate(1, 0, 0))}
		if _, ok := strata[k]; !ok {
			strata[k] = len(order)
			order = append(order, k)
			counts[k] = &[2]int{}
		}
		c := counts[k]
		c[0]++
		if g.Employed {
			c[1]++
		}
	}
	out := make([]learner.Stratum, len(order))
	for i, k := range order {
		k.Graduates, k.Employed = counts[k][0], counts[k][1]
		out[i] = k
	}
	return learner.Compare(out)
}
