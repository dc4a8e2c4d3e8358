package measures

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"marshrut/internal/learner"
)

// Window is how long after completion a job counts as the programme's result.
const Window = 3 // months

// Span is a period of work: a job from the outcome history of a learner, or
// the job recorded on an enrolment (open-ended).
type Span struct {
	Start, End time.Time // End zero: still at work
}

// EmployedWithin reports whether a person who completed training on
// completed was at work at some time in the three months that follow:
// a job that started no later than three months after completion and had
// not ended before completion. It returns the start of the first such job.
func EmployedWithin(completed time.Time, jobs []Span) (time.Time, bool) {
	if completed.IsZero() {
		return time.Time{}, false
	}
	until := completed.AddDate(0, Window, 0)
	var first time.Time
	for _, j := range jobs {
		if j.Start.IsZero() || j.Start.After(until) || (!j.End.IsZero() && j.End.Before(completed)) {
			continue
		}
		if first.IsZero() || j.Start.Before(first) {
			first = j.Start
		}
	}
	return first, !first.IsZero()
}

// Fact is one enrolment as the figures count it.
type Fact struct {
	EnrolmentID  int64
	ProgrammeID  int64
	Programme    string
	ProviderID   int64
	Provider     string
	Customer     Customer
	Category     Category
	Price        int
	Status       Status
	Completed    time.Time
	Jobs         []Span
	Municipality int64
}

// Row is what became of the people of one programme, provider or category.
type Row struct {
	Key       string `json:"key"`
	Name      string `json:"name"`
	Enrolled  int    `json:"enrolled"`  // every enrolment, whatever became of it
	Studying  int    `json:"studying"`  // still studying
	Completed int    `json:"completed"` // completed training
	Dropped   int    `json:"dropped"`   // dropped out
	Employed  int    `json:"employed"`  // completed and at work within three months
	// Waiting completed less than three months ago and have no job yet: their
	// result is not known, so the employment share leaves them out.
	Waiting int   `json:"waiting"`
	Cost    int64 `json:"cost"` // price × enrolled, roubles
}

// Finished are those whose training is over: completed or dropped.
func (r Row) Finished() int { return r.Completed + r.Dropped }

// CompletionShare is the share of those who completed among those whose
// training is over; 0 when nobody has finished yet.
func (r Row) CompletionShare() float64 { return share(r.Completed, r.Finished()) }

// Known are those who completed and whose three months are over or who
// have a job already.
func (r Row) Known() int { return r.Completed - r.Waiting }

// EmploymentShare is the share of those at work within three months among
// those who completed and whose result is known.
func (r Row) EmploymentShare() float64 { return share(r.Employed, r.Known()) }

// CostPerEmployed is the money spent per person at work: price × enrolled ÷
// employed; ok is false when nobody is employed yet.
func (r Row) CostPerEmployed() (float64, bool) {
	if r.Employed == 0 {
		return 0, false
	}
	return float64(r.Cost) / float64(r.Employed), true
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// add counts one fact into the row.
func (r *Row) add(f Fact, employed, waiting bool) {
	r.Enrolled++
	r.Cost += int64(f.Price)
	switch f.Status {
	case Enrolled:
		r.Studying++
	case Completed:
		r.Completed++
		switch {
		case employed:
			r.Employed++
		case waiting:
			r.Waiting++
		}
	case Dropped:
		r.Dropped++
	}
}

// Figures are the results of the measures the caller sees.
type Figures struct {
	Total       Row
	ByProgramme []Row
	ByProvider  []Row
	ByCategory  []Row // every category, in the order of Categories
	Year        int   // 0: every year
	// Comparison is the graduates of the region without work six months
	// on who enrolled against alike ones who did not (see Compare), over
	// every year whatever the filter, within what the caller sees.
	Comparison learner.Comparison
}

// Tally counts the facts on a day: totals, by programme and by provider
// (largest first) and by category.
func Tally(facts []Fact, now time.Time) Figures {
	f := Figures{Total: Row{Key: "total", Name: "Всего"}}
	programmes, providers, categories := map[int64]*Row{}, map[string]*Row{}, map[Category]*Row{}
	for _, c := range Categories {
		categories[c] = &Row{Key: string(c), Name: c.Name()}
	}
	for _, x := range facts {
		employed, waiting := false, false
		if x.Status == Completed {
			_, employed = EmployedWithin(x.Completed, x.Jobs)
			waiting = !employed && now.Before(x.Completed.AddDate(0, Window, 0))
		}
		f.Total.add(x, employed, waiting)
		p := programmes[x.ProgrammeID]
		if p == nil {
			p = &Row{Key: strconv.FormatInt(x.ProgrammeID, 10), Name: x.Programme}
			programmes[x.ProgrammeID] = p
		}
		p.add(x, employed, waiting)
		key := providerKey(x)
		v := providers[key]
		if v == nil {
			v = &Row{Key: key, Name: x.Provider}
			providers[key] = v
		}
		v.add(x, employed, waiting)
		if c := categories[x.Category]; c != nil {
			c.add(x, employed, waiting)
		}
	}
	f.ByProgramme = sorted(programmes)
	f.ByProvider = sorted(providers)
	for _, c := range Categories {
		f.ByCategory = append(f.ByCategory, *categories[c])
	}
	return f
}

// providerKey tells providers apart: by organisation when in the registry,
// by name otherwise.
func providerKey(x Fact) string {
	if x.ProviderID != 0 {
		return "org:" + strconv.FormatInt(x.ProviderID, 10)
	}
	return "name:" + x.Provider
}

// sorted lists rows by enrolled, largest first, then by name.
func sorted[K comparable](m map[K]*Row) []Row {
	out := make([]Row, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Row) int {
		if c := cmp.Compare(b.Enrolled, a.Enrolled); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// Headline is the short result of the measures for a dashboard.
type Headline struct {
	Enrolled  int `json:"enrolled"`
	Completed int `json:"completed"`
	Employed  int `json:"employed"` // at work within three months of completion
	// EmploymentShare is Employed ÷ those who completed and whose result is known.
	EmploymentShare float64 `json:"employment_share"`
}

// HeadlineOf takes the headline figures from a row.
func HeadlineOf(r Row) Headline {
	return Headline{Enrolled: r.Enrolled, Completed: r.Completed, Employed: r.Employed, EmploymentShare: r.EmploymentShare()}
}
