package api

import (
	"errors"
	"net/http"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/referral"
)

// The youth services of the employment centres and the referrals to them go
// through referral.Service with the caller's scope.

// withReferrals is withMeasures for the youth services.
func (a *api) withReferrals(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Referrals == nil {
			return errors.New("api: Deps.Referrals is not set")
		}
		return h(w, r, c)
	}
}

// serviceDTO is a youth service of the catalogue.
type serviceDTO struct {
	ID               int64  `json:"id"`
	CZNID            int64  `json:"czn_id"`
	CZNName          string `json:"czn_name"`
	Kind             string `json:"kind"`
	KindName         string `json:"kind_name"`
	Name             string `json:"name"`
	Audience         string `json:"audience"`
	AgeMin           int    `json:"age_min"`
	AgeMax           int    `json:"age_max"`
	MunicipalityID   *int64 `json:"municipality_id"`
	MunicipalityName string `json:"municipality_name"`
	Provider         string `json:"provider"`
	Places           int    `json:"places"`
	Referred         int    `json:"referred"`
	Free             int    `json:"free"`
	StartsOn         string `json:"starts_on"`
	EndsOn           string `json:"ends_on"`
	GroupID          *int64 `json:"group_id"`
	GroupName        string `json:"group_name"`
}

func fromOffering(s referral.Offering) serviceDTO {
	return serviceDTO{ID: s.ID, CZNID: s.CZNID, CZNName: s.CZNName, Kind: string(s.Kind), KindName: s.Kind.Name(), Name: s.Name,
		Audience: s.Audience, AgeMin: s.AgeMin, AgeMax: s.AgeMax, MunicipalityID: nullIDOf(s.MunicipalityID), MunicipalityName: s.MunicipalityName,
		Provider: s.Provider, Places: s.Places, Referred: s.Referred, Free: s.Free(), StartsOn: formatDate(s.Start), EndsOn: formatDate(s.End),
		GroupID: nullIDOf(s.GroupID), GroupName: s.GroupName}
}

// serviceRequest is the body that adds or rewrites a service.
type serviceRequest struct {
	CZNID          int64  `json:"czn_id"`
	Kind           string `json:"kind"`
	Name           string `json:"name"`
	Audience       string `json:"audience"`
	AgeMin         int    `json:"age_min"`
	AgeMax         int    `json:"age_max"`
	MunicipalityID int64  `json:"municipality_id"`
	Provider       string `json:"provider"`
	Places         int    `json:"places"`
	StartsOn       string `json:"starts_on"`
	EndsOn         string `json:"ends_on"`
	GroupID        int64  `json:"group_id"`
}

func (in serviceRequest) offering() (referral.Offering, error) {
	var errs apperr.List
	s := referral.Offering{CZNID: in.CZNID, Kind: referral.Kind(in.Kind), Name: in.Name, Audience: in.Audience, AgeMin: in.AgeMin, AgeMax: in.AgeMax,
		MunicipalityID: in.MunicipalityID, Provider: in.Provider, Places: in.Places, GroupID: in.GroupID,
		Start: requiredDate(&errs, "starts_on", in.StartsOn), End: requiredDate(&errs, "ends_on", in.EndsOn)}
	return s, errs.Err()
}

// referralDTO is a referral and what came of it.
type referralDTO struct {
	ID           int64   `json:"id"`
	LearnerID    int64   `json:"learner_id"`
	LearnerName  string  `json:"learner_name"`
	CZNID        int64   `json:"czn_id"`
	CaseID       *int64  `json:"case_id"`
	ServiceID    *int64  `json:"service_id"`
	ServiceName  string  `json:"service_name"`
	Kind         string  `json:"kind"`
	VacancyID    string  `json:"vacancy_id"`
	VacancyTitle string  `json:"vacancy_title"`
	EmployerName string  `json:"employer_name"`
	EnrolmentID  *int64  `json:"enrolment_id"`
	Status       string  `json:"status"`
	StatusName   string  `json:"status_name"`
	Reason       string  `json:"reason"`
	ReferredOn   string  `json:"referred_on"`
	ResultOn     *string `json:"result_on"`
	Note         string  `json:"note"`
}

func fromReferral(r referral.Referral) referralDTO {
	kind := string(r.Kind)
	if r.VacancyID != "" {
		kind = "vacancy"
	}
	return referralDTO{ID: r.ID, LearnerID: r.LearnerID, LearnerName: r.LearnerName, CZNID: r.CZNID, CaseID: nullIDOf(r.CaseID),
		ServiceID: nullIDOf(r.OfferingID), ServiceName: r.OfferingName, Kind: kind, VacancyID: r.VacancyID, VacancyTitle: r.VacancyTitle,
		EmployerName: r.EmployerName, EnrolmentID: nullIDOf(r.EnrolmentID), Status: string(r.Status), StatusName: r.Status.Name(),
		Reason: r.Reason, ReferredOn: formatDate(r.On), ResultOn: nullDate(r.Result), Note: r.Note}
}

func kindNames() []string {
	out := make([]string, len(referral.Kinds))
	for i, k := range referral.Kinds {
		out[i] = string(k)
	}
	return out
}

// listServices answers a page of the region's catalogue.
func (a *api) listServices(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := referral.Filter{Kind: referral.Kind(q.oneOf("kind", kindNames()...)), CZNID: q.id("czn_id"), MunicipalityID: q.id("municipality_id"),
		Age: q.int("age", referral.MinAge, referral.MaxAge, 0), Current: !q.bool("ended"), Query: q.text("q", 100)}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := a.d.Referrals.Offerings(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[serviceDTO]{Items: mapSlice(items, fromOffering), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// getService answers a service of the catalogue.
func (a *api) getService(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := a.d.Referrals.Offering(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromOffering(s))
	return nil
}

// createService adds a service to the catalogue.
func (a *api) createService(w http.ResponseWriter, r *http.Request, c caller) error {
	var in serviceRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := in.offering()
	if err != nil {
		return err
	}
	if err := a.d.Referrals.Create(r.Context(), c.scope, &s); err != nil {
		return err
	}
	got, err := a.d.Referrals.Offering(r.Context(), c.scope, s.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/services/"+strconv.FormatInt(s.ID, 10))
	writeJSON(w, http.StatusCreated, fromOffering(got))
	return nil
}

// updateService rewrites a service.
func (a *api) updateService(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in serviceRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := in.offering()
	if err != nil {
		return err
	}
	if err := a.d.Referrals.Update(r.Context(), c.scope, id, &s); err != nil {
		return err
	}
	return a.getService(w, r, c)
}

// listReferrals answers a page of the referrals the caller sees.
func (a *api) listReferrals(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	statuses := make([]string, len(referral.Statuses))
	for i, s := range referral.Statuses {
		statuses[i] = string(s)
	}
	f := referral.RefFilter{OfferingID: q.id("service_id"), LearnerID: q.id("learner_id"), CaseID: q.id("case_id"),
		Status: referral.Status(q.oneOf("status", statuses...)), Vacancies: q.bool("vacancies")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	items, total, err := a.d.Referrals.Referrals(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	a.auditList(r, c, "referrals.list", len(items))
	writeJSON(w, http.StatusOK, list[referralDTO]{Items: mapSlice(items, fromReferral), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// referRequest is the body of a referral: a service or a vacancy.
type referRequest struct {
	LearnerID int64  `json:"learner_id"`
	ServiceID int64  `json:"service_id"`
	VacancyID string `json:"vacancy_id"`
	CaseID    int64  `json:"case_id"`
	Note      string `json:"note"`
}

// refer sends a young person to a service or a vacancy.
func (a *api) refer(w http.ResponseWriter, r *http.Request, c caller) error {
	var in referRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	x := referral.Referral{LearnerID: in.LearnerID, OfferingID: in.ServiceID, VacancyID: in.VacancyID, CaseID: in.CaseID, Note: in.Note}
	if err := a.d.Referrals.Refer(r.Context(), c.scope, &x); err != nil {
		return err
	}
	got, err := a.d.Referrals.Referral(r.Context(), c.scope, x.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/referrals/"+strconv.FormatInt(x.ID, 10))
	writeJSON(w, http.StatusCreated, fromReferral(got))
	return nil
}

// getReferral answers a referral.
func (a *api) getReferral(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := a.d.Referrals.Referral(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromReferral(x))
	return nil
}

// resultRequest is what came of a referral.
type resultRequest struct {
	Status string `json:"status"`
	On     string `json:"on"`
	Reason string `json:"reason"`
}

// referralResult records what came of a referral.
func (a *api) referralResult(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in resultRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	ch := referral.Change{Status: referral.Status(in.Status), Reason: in.Reason, On: requiredDate(&errs, "on", in.On)}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Referrals.Change(r.Context(), c.scope, id, ch); err != nil {
		return err
	}
	return a.getReferral(w, r, c)
}

// serviceHistory answers the service's edits, the latest first.
func (a *api) serviceHistory(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := a.d.Referrals.OfferingHistory(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeHistory(w, h)
	return nil
}
