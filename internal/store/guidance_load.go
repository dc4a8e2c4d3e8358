package store

import (
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
	"marshrut/internal/routing"
	"marshrut/internal/targeted"
)

// Events writes guidance events with their ids set.
func (l *Loader) Events(es []guidance.Event) error {
	return wrap("load events", l.insert("guidance_event", []string{"id", "region_code", "organiser_id", "kind", "title", "held_on", "school_year", "place",
		"grade_from", "grade_to", "capacity", "specialty_code", "hours", "ticket", "bookable", "created_at"}, len(es), func(i int) []any {
		e := &es[i]
		return []any{e.ID, e.RegionCode, e.OrganiserID, e.Kind, e.Title, dateArg(e.HeldOn), int(guidance.YearOf(e.HeldOn)), e.Place,
			e.GradeFrom, e.GradeTo, e.Capacity, nullText(e.SpecialtyCode), e.Hours, e.Ticket, e.Bookable, l.now}
	}))
}

// Bookings writes schools' bookings of events.
func (l *Loader) Bookings(bs []guidance.Booking) error {
	return wrap("load bookings", l.insert("guidance_booking", []string{"event_id", "school_id", "seats", "created_at"}, len(bs), func(i int) []any {
		return []any{bs[i].EventID, bs[i].SchoolID, bs[i].Seats, l.now}
	}))
}

// Participations writes pupils' participation in events; the coverage rows
// follow with RebuildReach.
func (l *Loader) Participations(ps []guidance.Participation) error {
	return wrap("load participations", l.insert("guidance_participation", []string{"event_id", "learner_id", "recorded_at"}, len(ps), func(i int) []any {
		return []any{ps[i].EventID, ps[i].LearnerID, l.now}
	}))
}

// Informings writes informing about targeted education with ids set.
func (l *Loader) Informings(region string, is []guidance.Informing) error {
	return wrap("load informings", l.insert("targeted_informing", []string{"id", "region_code", "learner_id", "org_id", "informed_on", "school_year", "method", "note", "created_at"},
		len(is), func(i int) []any {
			x := &is[i]
			return []any{x.ID, region, x.LearnerID, x.OrgID, dateArg(x.On), int(guidance.YearOf(x.On)), x.Method, x.Note, l.now}
		}))
}

// Levels writes schools' профминимум levels.
func (l *Loader) Levels(ls []guidance.LevelChoice) error {
	return wrap("load levels", l.insert("profminimum_level", []string{"org_id", "school_year", "level"}, len(ls), func(i int) []any {
		return []any{ls[i].OrgID, int(ls[i].Year), ls[i].Level}
	}))
}

// Diagnostics writes ДДО results with ids set.
func (l *Loader) Diagnostics(region string, ds []guidance.Diagnostic) error {
	return wrap("load diagnostics", l.insert("ddo_result", []string{"id", "region_code", "learner_id", "taken_on", "answers", "nature", "technics", "human", "sign", "art",
		"source", "created_at"}, len(ds), func(i int) []any {
		d := &ds[i]
		p := d.Result.Points
		return []any{d.ID, region, d.LearnerID, dateArg(d.TakenOn), d.Answers.String(), p[ddo.Nature], p[ddo.Technics], p[ddo.Human],
			p[ddo.Sign], p[ddo.Art], d.Source, l.now}
	}))
}

// RebuildReach rebuilds the coverage rows of the region's pupils from what
// the load wrote.
func (l *Loader) RebuildReach(region string) error {
	var a args
	return wrap("rebuild reach", l.s.rebuildReach(l.ctx, l.tx, `learner_id IN (SELECT id FROM learner WHERE region_code = `+a.add(region)+`)`, a))
}

// Offers writes offers of targeted education with their ids set, and their
// parts in targeted_tally.
func (l *Loader) Offers(os []targeted.Offer) error {
	err := l.insert("targeted_offer", []string{"id", "region_code", "employer_id", "org_id", "specialty_code", "level", "places", "stipend",
		"housing", "paid_practice", "support_other", "work_years", "municipality_id", "requirements", "deadline", "year", "status",
		"created_at", "updated_at"}, len(os), func(i int) []any {
		o := &os[i]
		return []any{o.ID, o.RegionCode, o.EmployerID, o.OrgID, o.SpecialtyCode, o.Level, o.Places, o.Support.Stipend, o.Support.Housing,
			o.Support.PaidPractice, o.Support.Other, o.WorkYears, o.MunicipalityID, o.Requirements, dateArg(o.Deadline), o.Year, o.Status, l.now, l.now}
	})
	if err != nil {
		return wrap("load offers", err)
	}
	ids := make([]int64, len(os))
	for i, o := range os {
		ids[i] = o.ID
	}
	return wrap("load offers", keepOffers(l.ctx, l.tx, ids, 1))
}

// Applications writes applications with their ids set, and their histories.
func (l *Loader) Applications(region string, as []targeted.Application) error {
	// The parts of their offers in targeted_tally and of their learners in
	// contract_tally: out before, in after.
	offers, learners := make([]int64, len(as)), make([]int64, len(as))
	for i, a := range as {
		offers[i], learners[i] = a.OfferID, a.LearnerID
	}
	if err := keepOffers(l.ctx, l.tx, offers, -1); err != nil {
		return wrap("load applications", err)
	}
	if err := keepContracted(l.ctx, l.tx, learners, -1); err != nil {
		return wrap("load applications", err)
	}
	err := l.insert("targeted_application", []string{"id", "region_code", "offer_id", "learner_id", "status", "status_reason", "submitted_at",
		"contract_no", "contract_signed_on", "study_start", "graduated_on", "obligation_start", "obligation_end", "updated_at"}, len(as), func(i int) []any {
		a := &as[i]
		return []any{a.ID, region, a.OfferID, a.LearnerID, a.Status, a.StatusReason, tsArg(a.SubmittedAt), a.ContractNo, dateArg(a.ContractSignedOn),
			dateArg(a.StudyStart), dateArg(a.GraduatedOn), dateArg(a.ObligationStart), dateArg(a.ObligationEnd), tsArg(a.UpdatedAt)}
	})
	if err == nil {
		err = keepOffers(l.ctx, l.tx, offers, 1)
	}
	if err == nil {
		err = keepContracted(l.ctx, l.tx, learners, 1)
	}
	if err != nil {
		return wrap("load applications", err)
	}
	type step struct {
		app int64
		targeted.Step
	}
	var steps []step
	for _, a := range as {
		for _, s := range a.History {
			steps = append(steps, step{a.ID, s})
		}
	}
	return wrap("load applications", l.insert("targeted_step", []string{"application_id", "status", "at", "reason", "user_id"}, len(steps), func(i int) []any {
		s := &steps[i]
		return []any{s.app, s.Status, tsArg(s.At), s.Reason, nullID(s.UserID)}
	}))
}

// Preferences writes graduates' wishes of a job.
func (l *Loader) Preferences(ps []routing.Preference) error {
	return wrap("load preferences", l.insert("learner_preference", []string{"learner_id", "relocate", "min_salary", "schedule", "updated_at"}, len(ps), func(i int) []any {
		p := &ps[i]
		return []any{p.LearnerID, p.Relocate, p.MinSalary, p.Schedule, l.now}
	}))
}
