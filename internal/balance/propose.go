package balance

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
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
	// Proposed is the admission proposed within the region's limit on a
	// year's change; Wanted is what closing the gap alone would ask. They
	// differ only when the change asked is beyond the limit: Wanted is then
	// taken only when the region confirms it, and Why says why it is asked.
	Proposed int
	Wanted   int
	Limit    int // the largest change of places without a confirmation
	Why      string
	// The year's demand with its 80 % interval and the supply before the
	// change, the uncertainty behind the proposal.
	Demand Interval
	Supply float64
}

// Change is the proposed change of admission.
func (p Proposal) Change() int { return p.Proposed - p.Current }

// Confirm tells whether the change asked is beyond the limit and waits for
// the region's confirmation.
func (p Proposal) Confirm() bool { return p.Wanted != p.Proposed }

// ID names the proposal for a confirmation: organisation, specialty and
// campaign, as «12-15.02.08-2027».
func (p Proposal) ID() string {
	return fmt.Sprintf("%d-%s-%d", p.OrgID, p.Specialty.Code, p.AdmissionYear)
}

// limitOf is the largest change of a programme's admission of cur places
// without a confirmation: the share of cur, at least one place. Opening a
// programme that admits nobody always asks for a confirmation.
func limitOf(cur int, share float64) int {
	if cur <= 0 {
		return 0
	}
	return max(1, int(math.Floor(share*float64(cur)+1e-9)))
}

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
		got, capped := 0.0, false
		share := in.maxChange()
		for k, l := range levers {
			if change[k] == 0 {
				continue
			}
			lim := limitOf(l.cur, share)
			held := max(-lim, min(lim, change[k]))
			got += float64(held) * l.surv
			p := Proposal{Key: row.Key, OrgID: l.p.OrgID, OrgName: l.p.OrgName, Specialty: l.p.Specialty,
				AdmissionYear: l.a, GraduationYear: c.Year, Current: l.cur, Capacity: l.p.Capacity,
				Proposed: l.cur + held, Wanted: l.cur + change[k], Limit: lim, Demand: c.Demand, Supply: c.Supply}
			if held != change[k] {
				p.Why = why(c, l.cur, change[k], share)
				capped = true
			}
			props = append(props, p)
		}
		plan.GapAfter = c.Gap + got
		switch {
		case plan.Reason != "" || plan.GapAfter >= -0.5 && !capped:
		case capped:
			plan.Unclosed = max(0, -plan.GapAfter)
			plan.Reason = fmt.Sprintf("изменение приёма ограничено %d %% в год; большее — после подтверждения", int(math.Round(share*100)))
		default:
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

// why says why a change beyond the limit is asked: the gap it closes, with
// the uncertainty of demand.
func why(c Cell, cur, change int, share float64) string {
	dir := "нехватку"
	if change < 0 {
		dir = "избыток"
	}
	pct := "с нуля"
	if cur > 0 {
		pct = fmt.Sprintf("на %d %%", int(math.Round(100*math.Abs(float64(change))/float64(cur))))
	}
	return fmt.Sprintf("чтобы закрыть %s выпускников %d года: спрос %s (80 %%: %s–%s), выпуск %s; изменение %s больше допустимых %d %% в год — нужно подтверждение",
		dir, c.Year, people(c.Demand.Mean), people(c.Demand.Lo80), people(c.Demand.Hi80), people(c.Supply), pct, int(math.Round(share*100)))
}

// people writes a rounded count with thin spaces between thousands.
func people(x float64) string {
	s := strconv.Itoa(int(math.Round(math.Abs(x))))
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	if x <= -0.5 {
		return "−" + b.String()
	}
	return b.String()
}

// Confirmed applies the region's confirmations: a proposal beyond the limit
// whose ID is confirmed takes the admission asked. An ID of no such
// proposal is an error.
func Confirmed(props []Proposal, ids []string) ([]Proposal, error) {
	want := map[string]bool{}
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" {
			want[id] = true
		}
	}
	out := slices.Clone(props)
	for i := range out {
		if want[out[i].ID()] && out[i].Confirm() {
			out[i].Proposed = out[i].Wanted
			delete(want, out[i].ID())
		}
	}
	if len(want) > 0 {
		left := slices.Sorted(maps.Keys(want))
		return nil, apperr.Field("confirm", "предложения «%s», ждущего подтверждения, нет", left[0])
	}
	return out, nil
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
