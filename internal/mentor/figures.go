package mentor

import (
	"cmp"
	"slices"

	"marshrut/internal/learner"
)

// Coverage is the mentorship of the full-time students of one organisation,
// one municipality or the whole region.
type Coverage struct {
	Key  string // organisation or municipality id as text; empty for the total
	Name string
	// FullTime counts the full-time students; Mentored those of them with an
	// active pair; AtEnterprise those whose active mentor is a specialist of
	// an enterprise.
	FullTime, Mentored, AtEnterprise int
}

// Share is Mentored ÷ FullTime, 0 when there are no full-time students.
func (c Coverage) Share() float64 { return ratio(c.Mentored, c.FullTime) }

// EnterpriseShare is AtEnterprise ÷ FullTime.
func (c Coverage) EnterpriseShare() float64 { return ratio(c.AtEnterprise, c.FullTime) }

// PairCount is the pairs of one form in one status and the meetings they held.
type PairCount struct {
	Form     Form
	Status   Status
	Pairs    int
	Meetings int
}

// Graduates counts graduates of one year and those of them employed six
// months after graduation (working, self-employed, studying on or serving).
type Graduates struct {
	Graduates, Employed int
}

// Share is Employed ÷ Graduates.
func (g Graduates) Share() float64 { return ratio(g.Employed, g.Graduates) }

// Counts are the raw counts the store gives for the figures.
type Counts struct {
	ByOrg, ByMunicipality []Coverage
	Pairs                 []PairCount
	// Year is the graduation year compared: the latest, up to the last
	// whose six months have passed, with mentored graduates of a known
	// status (0 when there is none).
	Year           int
	Mentored, Rest Graduates
	// Strata are the year's graduates of a known status by specialty,
	// organisation, band of grades and mentorship (Treated).
	Strata []learner.Stratum
}

// FormRow is the pairs of one form.
type FormRow struct {
	Form                     Form
	Active, Completed, Early int
	Meetings                 int
}

// Pairs is every pair of the form, whatever its status.
func (r FormRow) Pairs() int { return r.Active + r.Completed + r.Early }

// Figures are the region's (or an organisation's) figures of mentorship.
type Figures struct {
	Total          Coverage
	ByOrg          []Coverage // by name
	ByMunicipality []Coverage // by name
	ByForm         []FormRow  // in the order of Forms, forms without pairs left out
	// Pairs counts every pair; Ended those that ended, Early of them before
	// their planned end; Meetings every meeting held.
	Pairs, Active, Ended, Early, Meetings int
	// MeetingsPerPair is Meetings ÷ Pairs; EarlyShare is Early ÷ Ended.
	MeetingsPerPair, EarlyShare float64
	// Year is the graduation year whose employment is compared: Mentored had
	// a pair while studying, Rest did not.
	Year           int
	Mentored, Rest Graduates
	// Comparison is Mentored against graduates alike in specialty,
	// organisation and grades.
	Comparison learner.Comparison
}

// Compute makes the figures of the counts. The total is the sum of the
// organisations' rows, so that a student is counted once.
func Compute(c Counts) Figures {
	f := Figures{Year: c.Year, Mentored: c.Mentored, Rest: c.Rest, Comparison: learner.Compare(c.Strata)}
	f.ByOrg = sortedByName(c.ByOrg)
	f.ByMunicipality = sortedByName(c.ByMunicipality)
	for _, r := range c.ByOrg {
		f.Total.FullTime += r.FullTime
		f.Total.Mentored += r.Mentored
		f.Total.AtEnterprise += r.AtEnterprise
	}
	rows := map[Form]*FormRow{}
	for _, p := range c.Pairs {
		r := rows[p.Form]
		if r == nil {
			r = &FormRow{Form: p.Form}
			rows[p.Form] = r
		}
		switch p.Status {
		case Active:
			r.Active += p.Pairs
		case Completed:
			r.Completed += p.Pairs
		case Early:
			r.Early += p.Pairs
		}
		r.Meetings += p.Meetings
	}
	for _, form := range Forms() {
		r := rows[form]
		if r == nil {
			continue
		}
		f.ByForm = append(f.ByForm, *r)
		f.Pairs += r.Pairs()
		f.Active += r.Active
		f.Ended += r.Completed + r.Early
		f.Early += r.Early
		f.Meetings += r.Meetings
	}
	f.MeetingsPerPair = ratio(f.Meetings, f.Pairs)
	f.EarlyShare = ratio(f.Early, f.Ended)
	return f
}

func sortedByName(rows []Coverage) []Coverage {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b Coverage) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key))
	})
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
