package store

import (
	"fmt"

	"marshrut/internal/guidance"
)

// SchoolEvent returns the id of the event of this organiser, title and day,
// writing e as a new one when there is none (created tells which): a file of
// participation names its events by these three.
func (l *Loader) SchoolEvent(e guidance.Event) (id int64, created bool, err error) {
	err = l.tx.QueryRowContext(l.ctx, `SELECT id FROM guidance_event WHERE region_code = $1 AND organiser_id = $2 AND title = $3 AND held_on = $4
		ORDER BY id LIMIT 1`, e.RegionCode, e.OrganiserID, e.Title, dateArg(e.HeldOn)).Scan(&id)
	switch {
	case err == nil:
		return id, false, nil
	case !noRows(err):
		return 0, false, fmt.Errorf("store: find event: %w", err)
	}
	if e.ID, err = l.NextID("guidance_event"); err != nil {
		return 0, false, wrap("school event", err)
	}
	if err := l.Events([]guidance.Event{e}); err != nil {
		return 0, false, wrap("school event", err)
	}
	return e.ID, true, nil
}

// Participate marks the learners at an event, those not yet marked, and
// brings their coverage up to date; it returns how many were marked.
func (l *Loader) Participate(eventID int64, ids []int64) (int, error) {
	have, err := participantSet(l.ctx, l.tx, eventID, ids)
	if err != nil {
		return 0, wrap("participate", err)
	}
	var add []guidance.Participation
	for _, id := range ids {
		if !have[id] {
			have[id] = true
			add = append(add, guidance.Participation{EventID: eventID, LearnerID: id})
		}
	}
	if len(add) == 0 {
		return 0, nil
	}
	if err := l.Participations(add); err != nil {
		return 0, wrap("participate", err)
	}
	touched := make([]int64, len(add))
	for i, p := range add {
		touched[i] = p.LearnerID
	}
	return len(add), wrap("participate", l.s.refreshReach(l.ctx, l.tx, touched))
}
