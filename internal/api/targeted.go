package api

import (
	"net/http"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/targeted"
)

// Targeted education goes through targeted.Service with the caller's scope:
// the service decides who offers, applies and moves an application, the store
// keeps applications within what the caller sees (an employer sees those to
// its own offers).

// supportDTO is the support an offer promises during study.
type supportDTO struct {
	Stipend      int    `json:"stipend"` // roubles a month; 0 — none
	Housing      bool   `json:"housing"`
	PaidPractice bool   `json:"paid_practice"`
	Other        string `json:"other,omitempty"`
}

func fromSupport(s targeted.Support) supportDTO {
	return supportDTO{Stipend: s.Stipend, Housing: s.Housing, PaidPractice: s.PaidPractice, Other: s.Other}
}

func (d supportDTO) support() targeted.Support {
	return targeted.Support{Stipend: d.Stipend, Housing: d.Housing, PaidPractice: d.PaidPractice, Other: d.Other}
}

// offerDTO is an employer's offer of targeted places.
type offerDTO struct {
	ID int64 `json:"id"` // read-only
	// EmployerID is the caller's organisation; only the region names another.
	EmployerID     int64      `json:"employer_id"`
	EmployerName   string     `json:"employer_name,omitempty"` // read-only
	OrgID          int64      `json:"org_id"`
	OrgName        string     `json:"org_name,omitempty"` // read-only
	SpecialtyCode  string     `json:"specialty_code"`
	SpecialtyName  string     `json:"specialty_name,omitempty"` // read-only
	Level          string     `json:"level,omitempty"`          // read-only: from the specialty code
	Places         int        `json:"places"`
	Support        supportDTO `json:"support"`
	WorkYears      int        `json:"work_years"`
	MunicipalityID int64      `json:"municipality_id"`
	Municipality   string     `json:"municipality,omitempty"` // read-only
	Requirements   string     `json:"requirements,omitempty"`
	Deadline       *string    `json:"deadline"`
	Year           int        `json:"year"`
	Status         string     `json:"status"`
	Open           bool       `json:"open"`         // read-only: takes applications today
	Applications   int        `json:"applications"` // read-only
	Contracts      int        `json:"contracts"`    // read-only
}

func (a *api) fromOffer(o targeted.Offer) offerDTO {
	return offerDTO{ID: o.ID, EmployerID: o.EmployerID, EmployerName: o.EmployerName, OrgID: o.OrgID, OrgName: o.OrgName,
		SpecialtyCode: o.SpecialtyCode, SpecialtyName: o.SpecialtyName, Level: string(o.Level), Places: o.Places,
		Support: fromSupport(o.Support), WorkYears: o.WorkYears, MunicipalityID: o.MunicipalityID, Municipality: o.Municipality,
		Requirements: o.Requirements, Deadline: nullDate(o.Deadline), Year: o.Year, Status: string(o.Status), Open: o.Open(a.d.Targeted.Now()),
		Applications: o.Applications, Contracts: o.Contracts}
}

// offer converts a request body for the offer id (0 for a new one); an
// employer other than the caller's own is refused unless the caller is the region.
func (d offerDTO) offer(id int64, sc auth.Scope) (targeted.Offer, error) {
	var errs apperr.List
	checkID(&errs, "id", d.ID, id)
	if targeted.CanOffer(sc) && !sc.WholeRegion() && d.EmployerID != 0 && d.EmployerID != sc.OrgID {
		errs.Add("employer_id", "другого работодателя-заказчика может указать только регион; предложение записывается за вашей организацией")
	}
	o := targeted.Offer{ID: id, EmployerID: d.EmployerID, OrgID: d.OrgID, SpecialtyCode: d.SpecialtyCode, Places: d.Places,
		Support: d.Support.support(), WorkYears: d.WorkYears, MunicipalityID: d.MunicipalityID, Requirements: d.Requirements,
		Deadline: parseNullDate(&errs, "deadline", d.Deadline), Year: d.Year, Status: targeted.OfferStatus(d.Status)}
	return o, errs.Err()
}

// applyRequest is the body of an application; a learner may leave out learner_id.
type applyRequest struct {
	LearnerID int64 `json:"learner_id"`
}

// applicationDTO is an application with the moves the caller may make.
type applicationDTO struct {
	ID               int64    `json:"id"`
	OfferID          int64    `json:"offer_id"`
	LearnerID        int64    `json:"learner_id"`
	Learner          string   `json:"learner,omitempty"`
	EmployerID       int64    `json:"employer_id"`
	Employer         string   `json:"employer,omitempty"`
	OrgID            int64    `json:"org_id"`
	SpecialtyCode    string   `json:"specialty_code"`
	Status           string   `json:"status"`
	StatusReason     string   `json:"status_reason,omitempty"`
	SubmittedAt      string   `json:"submitted_at"`
	ContractNo       string   `json:"contract_no,omitempty"`
	ContractSignedOn *string  `json:"contract_signed_on"`
	StudyStart       *string  `json:"study_start"`
	GraduatedOn      *string  `json:"graduated_on"`
	ObligationStart  *string  `json:"obligation_start"`
	ObligationEnd    *string  `json:"obligation_end"`
	UpdatedAt        string   `json:"updated_at"`
	Moves            []string `json:"moves"`
}

func fromApplication(sc auth.Scope, x targeted.ApplicationView) applicationDTO {
	ap := x.Application
	return applicationDTO{ID: ap.ID, OfferID: ap.OfferID, LearnerID: ap.LearnerID, Learner: x.Learner, EmployerID: x.EmployerID,
		Employer: x.Employer, OrgID: x.OrgID, SpecialtyCode: x.SpecialtyCode, Status: string(ap.Status), StatusReason: ap.StatusReason,
		SubmittedAt: formatTime(ap.SubmittedAt), ContractNo: ap.ContractNo, ContractSignedOn: nullDate(ap.ContractSignedOn),
		StudyStart: nullDate(ap.StudyStart), GraduatedOn: nullDate(ap.GraduatedOn), ObligationStart: nullDate(ap.ObligationStart),
		ObligationEnd: nullDate(ap.ObligationEnd), UpdatedAt: formatTime(ap.UpdatedAt), Moves: names(targeted.Moves(sc, x))}
}

// stepDTO is one move in the history of an application.
type stepDTO struct {
	Status string `json:"status"`
	At     string `json:"at"`
	Reason string `json:"reason,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
}

func fromStep(s targeted.Step) stepDTO {
	return stepDTO{Status: string(s.Status), At: formatTime(s.At), Reason: s.Reason, UserID: s.UserID}
}

// applicationCardDTO is an application with its history.
type applicationCardDTO struct {
	applicationDTO
	History []stepDTO `json:"history"`
}

func fromApplicationCard(sc auth.Scope, x targeted.ApplicationView) applicationCardDTO {
	return applicationCardDTO{applicationDTO: fromApplication(sc, x), History: mapSlice(x.History, fromStep)}
}

// moveRequest is the body of a move of an application and the data the move needs.
type moveRequest struct {
	To               string `json:"to"`
	Reason           string `json:"reason,omitempty"`
	ContractNo       string `json:"contract_no,omitempty"`
	ContractSignedOn string `json:"contract_signed_on,omitempty"`
	StudyStart       string `json:"study_start,omitempty"`
	GraduatedOn      string `json:"graduated_on,omitempty"`
	ObligationStart  string `json:"obligation_start,omitempty"`
}

// transition reads the move's target and data.
func (d moveRequest) transition() (targeted.Status, targeted.Transition, error) {
	var errs apperr.List
	to := targeted.Status(d.To)
	switch {
	case d.To == "":
		errs.Add("to", "укажите состояние, в которое переводится заявка")
	case !to.Valid():
		errs.Add("to", "неизвестное состояние заявки «%s»; допустимы: %s", d.To, joinNames(targeted.Statuses()))
	}
	t := targeted.Transition{ContractNo: d.ContractNo,
		ContractSignedOn: parseDate(&errs, "contract_signed_on", d.ContractSignedOn),
		StudyStart:       parseDate(&errs, "study_start", d.StudyStart),
		GraduatedOn:      parseDate(&errs, "graduated_on", d.GraduatedOn),
		ObligationStart:  parseDate(&errs, "obligation_start", d.ObligationStart)}
	return to, t, errs.Err()
}

// figuresDTO are the figures of a set of offers.
type figuresDTO struct {
	Offers          int     `json:"offers"`
	Places          int     `json:"places"`
	Applications    int     `json:"applications"`
	PerPlace        float64 `json:"per_place"`
	Contracts       int     `json:"contracts"`
	Fulfilled       int     `json:"fulfilled"`
	Broken          int     `json:"broken"`
	FulfilmentShare float64 `json:"fulfilment_share"`
}

func fromFigures(f targeted.Figures) figuresDTO {
	return figuresDTO{Offers: f.Offers, Places: f.Places, Applications: f.Applications, PerPlace: f.PerPlace,
		Contracts: f.Contracts, Fulfilled: f.Fulfilled, Broken: f.Broken, FulfilmentShare: f.FulfilmentShare}
}

// figuresRowDTO is the figures of one employer, specialty or admission year.
type figuresRowDTO struct {
	Key  string `json:"key"`
	Name string `json:"name,omitempty"` // the employer's name in by_employer
	figuresDTO
}

// targetedFiguresDTO is the region's figures of targeted education.
type targetedFiguresDTO struct {
	Total          figuresDTO      `json:"total"`
	ByEmployer     []figuresRowDTO `json:"by_employer"`
	BySpecialty    []figuresRowDTO `json:"by_specialty"`
	ByYear         []figuresRowDTO `json:"by_year"`
	GraduationYear int             `json:"graduation_year"`
	Graduates      int             `json:"graduates"`
	UnderContract  int             `json:"under_contract"`
	ContractShare  float64         `json:"contract_share"`
}

func fromRow(r targeted.Row) figuresRowDTO {
	return figuresRowDTO{Key: r.Key, figuresDTO: fromFigures(r.Figures)}
}

// listOffers answers a page of the offers the caller may see: drafts only to
// their employer (filtering by itself) and the region.
func (a *api) listOffers(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := targeted.OfferFilter{
		EmployerID:    q.id("employer_id"),
		OrgID:         q.id("org_id"),
		SpecialtyCode: q.specialty("specialty_code"),
		Year:          q.int("year", 2000, 2100, 0),
		Status:        targeted.OfferStatus(q.oneOf("status", names(targeted.OfferStatuses())...)),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	os, total, err := a.d.Targeted.Offers(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[offerDTO]{Items: mapSlice(os, a.fromOffer), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

func (a *api) getOffer(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := a.d.Targeted.Offer(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.fromOffer(o))
	return nil
}

// createOffer answers 201 with the offer as stored, its names read back.
func (a *api) createOffer(w http.ResponseWriter, r *http.Request, c caller) error {
	var in offerDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := in.offer(0, c.scope)
	if err != nil {
		return err
	}
	if err := a.d.Targeted.SaveOffer(r.Context(), c.scope, &o); err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/targeted/offers/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, a.fromOffer(a.rereadOffer(r, c, o)))
	return nil
}

// updateOffer replaces the writable fields of an offer (PUT is not a patch);
// publishing and closing are changes of its status.
func (a *api) updateOffer(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in offerDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := in.offer(id, c.scope)
	if err != nil {
		return err
	}
	if err := a.d.Targeted.SaveOffer(r.Context(), c.scope, &o); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.fromOffer(a.rereadOffer(r, c, o)))
	return nil
}

// rereadOffer fills the read-only fields of an offer just written; a failed
// read is logged and the written offer answered.
func (a *api) rereadOffer(r *http.Request, c caller, o targeted.Offer) targeted.Offer {
	got, err := a.d.Targeted.Offer(r.Context(), c.scope, o.ID)
	if err != nil {
		a.d.Log.Warn("api: read back offer", "id", o.ID, "err", err)
		return o
	}
	return got
}

// apply submits a learner's application to an offer: a learner for themself,
// the learner's school or college, or the region on the learner's behalf.
func (a *api) apply(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in applyRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.LearnerID == 0 && c.scope.Role == auth.Learner {
		in.LearnerID = c.scope.LearnerID
	}
	if in.LearnerID <= 0 {
		return apperr.Field("learner_id", "укажите обучающегося, который подаёт заявку")
	}
	ap, err := a.d.Targeted.Apply(r.Context(), c.scope, id, in.LearnerID)
	if err != nil {
		return err
	}
	view := targeted.ApplicationView{Application: ap}
	if got, err := a.d.Targeted.Application(r.Context(), c.scope, ap.ID); err != nil {
		a.d.Log.Warn("api: read back application", "id", ap.ID, "err", err)
	} else {
		view = got
	}
	w.Header().Set("Location", Prefix+"/targeted/applications/"+strconv.FormatInt(ap.ID, 10))
	writeJSON(w, http.StatusCreated, fromApplicationCard(c.scope, view))
	return nil
}

// listApplications answers a page of the applications the caller may see,
// each with the moves the caller may make.
func (a *api) listApplications(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := targeted.ApplicationFilter{
		OfferID:   q.id("offer_id"),
		LearnerID: q.id("learner_id"),
		Status:    targeted.Status(q.oneOf("status", names(targeted.Statuses())...)),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	xs, total, err := a.d.Targeted.Applications(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	out := make([]applicationDTO, 0, len(xs))
	for _, x := range xs {
		out = append(out, fromApplication(c.scope, x))
	}
	writeJSON(w, http.StatusOK, list[applicationDTO]{Items: out, Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

func (a *api) getApplication(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := a.d.Targeted.Application(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromApplicationCard(c.scope, x))
	return nil
}

// moveApplication moves an application and answers it as it now stands; a
// move the route does not allow is 409, nothing changes on a refusal.
func (a *api) moveApplication(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in moveRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	to, d, err := in.transition()
	if err != nil {
		return err
	}
	if err := a.d.Targeted.Move(r.Context(), c.scope, id, to, in.Reason, d); err != nil {
		return err
	}
	x, err := a.d.Targeted.Application(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromApplicationCard(c.scope, x))
	return nil
}

// targetedFigures answers the region's figures; they are counts, with no person.
func (a *api) targetedFigures(w http.ResponseWriter, r *http.Request, c caller) error {
	f, err := a.d.Targeted.Figures(r.Context(), c.scope)
	if err != nil {
		return err
	}
	out := targetedFiguresDTO{Total: fromFigures(f.Total), ByEmployer: mapSlice(f.ByEmployer, fromRow),
		BySpecialty: mapSlice(f.BySpecialty, fromRow), ByYear: mapSlice(f.ByYear, fromRow),
		GraduationYear: f.Year, Graduates: f.Graduates, UnderContract: f.UnderContract, ContractShare: f.ContractShare}
	for i, row := range out.ByEmployer {
		// The figures carry their employers' names; a row not of a
		// registered employer keeps its key as its name.
		if name, ok := f.Employers[row.Key]; ok && name != "" {
			out.ByEmployer[i].Name = name
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// joinNames lists the values of a domain enumeration for a message.
func joinNames[T ~string](vs []T) string { return strings.Join(names(vs), ", ") }

// offerHistory answers the offer's edits, the latest first.
func (a *api) offerHistory(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := a.d.Targeted.OfferHistory(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeHistory(w, h)
	return nil
}
