package balance

import (
	"math"
	"sort"
)

// Proposal is a proposed admission of an organisation to a specialty in an
// admission campaign, so that its graduates close the gap of their year.
type Proposal struct {
	Key            Key
	OrgID          int64
	OrgName        string
	Specialty      Specialty
	AdmissionYear  int
	GraduationYear int
	Current        int // the admission the balance assumes now
	Capacity       int // 0: not known
	Proposed       int
}

// Change is the proposed change of admission.
func (p Proposal) Change() int { return p.Proposed - p.Current }

// Plan is what the proposals of a row do to the gap of a year.
type Plan struct {
	Key       Key
	Year      int
	GapBefore float64
	GapAfter  float64
	// Unclosed is the shortage the capacity does not let close.
	Unclosed float64
	// Reason says in Russian why a gap is left, when it is.
	Reason string
}

// propose makes the proposals of a row. For each year of the balance the
// programmes whose admission of a coming campaign graduates that year are
// the levers: a shortage is closed by admitting more, in proportion to each
// programme's free capacity (capacity less the admission), never above it; a
// surplus beyond the high bound of demand's 80% interval is cut, in
// proportion to the admissions. A programme of unknown capacity is not
// raised: the region has not said it can take more.
func propose(in Input, row Row, progs []*Programme, adm admissions) ([]Proposal, []Plan) {
	var props []Proposal
	var plans []Plan
	for _, c := range row.Cells {
		type lever struct {
			p      *Programme
			a, cur int
			free   float64
			surv   float64
		}
		var levers []lever
		for _, p := range progs {
			a := c.Year - p.Years
			if a <= in.SchoolYear || p.Survival <= 0 {
				continue
			}
			cur := adm.of(p, a)
			free := 0.0
			if p.Capacity > 0 {
				free = float64(max(0, p.Capacity-cur))
			}
			levers = append(levers, lever{p: p, a: a, cur: cur, free: free, surv: p.Survival})
		}
		if len(levers) == 0 {
			continue
		}
		plan := Plan{Key: row.Key, Year: c.Year, GapBefore: c.Gap, GapAfter: c.Gap}
		change := make([]int, len(levers))
		switch {
		case c.Supply < c.Demand.Mean-0.5:
			need := c.Demand.Mean - c.Supply
			room := 0.0
			for _, l := range levers {
				room += l.free * l.surv
			}
			if room <= 0 {
				plan.Unclosed, plan.Reason = need, "вместимость организаций исчерпана или не указана"
				break
			}
			t := math.Min(1, need/room)
			for k, l := range levers {
				change[k] = min(int(math.Ceil(l.free*t-1e-9)), int(l.free))
			}
		case c.Supply > c.Demand.Hi80+0.5:
			excess := c.Supply - c.Demand.Hi80
			base := 0.0
			for _, l := range levers {
				base += float64(l.cur) * l.surv
			}
			if base <= 0 {
				break
			}
			t := math.Min(1, excess/base)
			for k, l := range levers {
				change[k] = -int(math.Floor(float64(l.cur) * t))
			}
		default:
			continue
		}
		got := 0.0
		for k, l := range levers {
			if change[k] == 0 {
				continue
			}
			got += float64(change[k]) * l.surv
			props = append(props, Proposal{Key: row.Key, OrgID: l.p.OrgID, OrgName: l.p.OrgName, Specialty: l.p.Specialty,
				AdmissionYear: l.a, GraduationYear: c.Year, Current: l.cur, Capacity: l.p.Capacity, Proposed: l.cur + change[k]})
		}
		plan.GapAfter = c.Gap + got
		if plan.Reason == "" && plan.GapAfter < -0.5 {
			plan.Unclosed = -plan.GapAfter
			plan.Reason = "не хватает вместимости организаций"
		}
		plans = append(plans, plan)
	}
	sort.SliceStable(props, func(i, j int) bool {
		a, b := props[i], props[j]
		if a.AdmissionYear != b.AdmissionYear {
			return a.AdmissionYear < b.AdmissionYear
		}
		if a.OrgName != b.OrgName {
			return a.OrgName < b.OrgName
		}
		return a.Specialty.Code < b.Specialty.Code
	})
	return props, plans
}

// AsScenario turns proposals into changes of admission. A change holds from
// its campaign on, so a programme whose next campaign has no proposal gets
// its admission back in that campaign.
func AsScenario(props []Proposal) []AdmissionChange {
	type at struct {
		org  int64
		spec string
		year int
	}
	has := map[at]bool{}
	for _, p := range props {
		has[at{p.OrgID, p.Specialty.Code, p.AdmissionYear}] = true
	}
	var out []AdmissionChange
	for _, p := range props {
		out = append(out, AdmissionChange{OrgID: p.OrgID, Specialty: p.Specialty.Code, FromYear: p.AdmissionYear, Admissions: p.Proposed})
		if !has[at{p.OrgID, p.Specialty.Code, p.AdmissionYear + 1}] {
			out = append(out, AdmissionChange{OrgID: p.OrgID, Specialty: p.Specialty.Code, FromYear: p.AdmissionYear + 1, Admissions: p.Current})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].FromYear < out[j].FromYear })
	return out
}
