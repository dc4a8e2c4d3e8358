package api

import (
	"net/http"
	"strconv"

	"marshrut/internal/classifier"
	"marshrut/internal/learner"
)

// Every read and write of a person goes through learner.Service with the
// caller's scope: the store applies it in its queries, so a learner outside
// the scope is answered exactly as a missing one (404).

var learnerSorts = []string{"name", "birth_date", "org", "graduation_year"}

// listLearners answers a page of the list, or with ?format= the whole list as
// a CSV or XLSX file (limit and offset are then ignored).
func (a *api) listLearners(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := learner.Filter{
		Status:         learner.Status(q.oneOf("status", names(learner.Statuses)...)),
		OrgID:          q.id("org_id"),
		MunicipalityID: q.id("municipality_id"),
		Grade:          q.int("grade", 1, 11, 0),
		GraduationYear: q.int("graduation_year", 1970, 2100, 0),
		Query:          q.text("q", 200),
		Sort:           q.oneOf("sort", learnerSorts...),
		Desc:           q.bool("desc"),
	}
	if code := q.v.Get("specialty_code"); code != "" {
		q.check(classifier.CheckSpecialtyCode("specialty_code", code))
		f.SpecialtyCode = code
	}
	format := q.exportFormat()
	if format == "" {
		f.Limit, f.Offset = q.page()
	}
	if err := q.err(); err != nil {
		return err
	}
	if format != "" {
		return a.exportLearners(w, r, c, format, f)
	}
	ls, total, err := a.d.Learners.List(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	a.auditList(r, c, "learners.list", len(ls))
	writeJSON(w, http.StatusOK, list[learnerDTO]{Items: mapSlice(ls, fromLearner), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// getLearner answers the card; the service writes the read to the audit log.
func (a *api) getLearner(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	card, err := a.d.Learners.Get(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromCard(card))
	return nil
}

// createLearner answers 201 with the learner as stored (normalised); the
// read-only names come with a read of the card, which is audited.
func (a *api) createLearner(w http.ResponseWriter, r *http.Request, c caller) error {
	var in learnerDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	l, err := in.learner(0)
	if err != nil {
		return err
	}
	if err := a.d.Learners.Create(r.Context(), c.scope, &l); err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/learners/"+strconv.FormatInt(l.ID, 10))
	writeJSON(w, http.StatusCreated, fromLearner(l))
	return nil
}

// updateLearner replaces the writable fields of a learner (PUT is not a patch:
// a field left out is cleared).
func (a *api) updateLearner(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in learnerDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	l, err := in.learner(id)
	if err != nil {
		return err
	}
	if err := a.d.Learners.Update(r.Context(), c.scope, &l); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromLearner(l))
	return nil
}

// listStages answers the route of a learner. learner.Service has no read of
// the route alone, so it reads the card, which also audits the read, as it must.
func (a *api) listStages(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	card, err := a.d.Learners.Get(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[stageDTO]{mapSlice(card.Stages, fromStage)})
	return nil
}

func (a *api) addStage(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in stageDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	st, err := in.stage(id)
	if err != nil {
		return err
	}
	if err := a.d.Learners.AddStage(r.Context(), c.scope, &st); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fromStage(st))
	return nil
}

// listOutcomes answers the employment history of a learner, through the
// audited card like listStages.
func (a *api) listOutcomes(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	card, err := a.d.Learners.Get(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[outcomeDTO]{mapSlice(card.Outcomes, fromOutcome)})
	return nil
}

// addOutcome records an outcome; without a source, the caller's role is the source.
func (a *api) addOutcome(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in outcomeDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := in.outcome(id)
	if err != nil {
		return err
	}
	if o.Source == "" {
		o.Source = string(c.scope.Role)
	}
	if err := a.d.Learners.AddOutcome(r.Context(), c.scope, &o); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fromOutcome(o))
	return nil
}

// names lists the string values of a domain enumeration.
func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
