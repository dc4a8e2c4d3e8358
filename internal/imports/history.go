package imports

import (
	"fmt"

	"marshrut/internal/learner"
)

// historyRow is a row of an import of employment history: the person by
// СНИЛС and one entry of their history.
type historyRow struct {
	line  int
	snils string
	o     learner.Outcome
}

// historyRules are what the imports of employment history (a report of an
// education organisation, the social fund's answer) do differently: how
// they name the person, which stored entry a row stands for and how a row
// completes it.
type historyRules struct {
	column    string // the СНИЛС column's title
	who       string // «обучающийся» or «выпускник», as messages name the person
	pupil     string // the refusal of a pupil's СНИЛС
	entry     func(hist []learner.Outcome, in learner.Outcome) int
	merge     func(old, in learner.Outcome) (learner.Outcome, []Issue)
	unchanged func(old, merged learner.Outcome) bool
}

// saveHistories finds a batch's people in the region (an organisation's
// user, among its own only), reads their stored histories, and adds each
// row as a new entry or completes the entry it stands for; rows that name
// nobody, or a pupil, are rejected.
func saveHistories(rep *Report, ld Loader, ol OutcomeLoader, opt Options, batch []historyRow, h historyRules) error {
	if len(batch) == 0 {
		return nil
	}
	keys := make([]learner.Key, 0, len(batch))
	for _, r := range batch {
		keys = append(keys, learner.Key{SNILS: r.snils})
	}
	found, err := ld.FindLearners(opt.Region, keys)
	if err != nil {
		return err
	}
	var ids []int64
	for _, r := range batch {
		if l, ok := found[learner.Key{SNILS: r.snils}]; ok {
			ids = append(ids, l.ID)
		}
	}
	stored, err := ol.LearnerOutcomes(ids)
	if err != nil {
		return err
	}
	var add, change []learner.Outcome
	for _, r := range batch {
		l, ok := found[learner.Key{SNILS: r.snils}]
		switch {
		case opt.OrgID != 0 && (!ok || l.OrgID != opt.OrgID):
			// Whether the person is elsewhere in the region is not the caller's business.
			rep.reject(r.line, []Issue{{Column: h.column, Reason: h.who + " с этим СНИЛС не найден в вашей организации"}})
			continue
		case !ok:
			rep.reject(r.line, []Issue{{Column: h.column, Reason: fmt.Sprintf("%s с СНИЛС %s не найден в регионе", h.who, learner.FormatSNILS(r.snils))}})
			continue
		case l.Status == learner.Pupil:
			rep.reject(r.line, []Issue{{Column: h.column, Reason: h.pupil}})
			continue
		}
		in := r.o
		in.LearnerID = l.ID
		hist := stored[l.ID]
		i := h.entry(hist, in)
		if i < 0 {
			add = append(add, in)
			stored[l.ID] = append(hist, in)
			rep.Created++
			continue
		}
		merged, issues := h.merge(hist[i], in)
		if len(issues) > 0 {
			rep.reject(r.line, issues)
			continue
		}
		if h.unchanged(hist[i], merged) {
			rep.Unchanged++
			continue
		}
		hist[i] = merged
		change = append(change, merged)
		rep.Updated++
	}
	return ol.SaveOutcomes(opt.Region, add, change)
}
