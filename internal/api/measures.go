package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/measures"
)

// The programmes of active employment measures go through measures.Service
// with the caller's scope: the service decides who manages and enrols, the
// store keeps programmes, groups and people within what the caller sees.

// withMeasures is withGuidance for the programmes of active measures.
func (a *api) withMeasures(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Measures == nil {
			return errors.New("api: Deps.Measures is not set")
		}
		return h(w, r, c)
	}
}

// nullIDOf writes an identifier that may be absent as null.
func nullIDOf(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// measureProgrammeDTO is a programme of active measures.
type measureProgrammeDTO struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	ProviderID    *int64 `json:"provider_id"`
	ProviderName  string `json:"provider_name"`
	Customer      string `json:"customer"`
	CustomerID    *int64 `json:"customer_id"`
	CustomerName  string `json:"customer_name"`
	Profession    string `json:"profession"`
	Hours         int    `json:"hours"`
	Format        string `json:"format"`
	Price         int    `json:"price"`
	ManagerID     *int64 `json:"manager_id"`
	ManagerName   string `json:"manager_name"`
	GroupCount    int    `json:"group_count"`
	EnrolledCount int    `json:"enrolled_count"`
	CreatedAt     string `json:"created_at"`
}

func fromMeasureProgramme(p measures.Programme) measureProgrammeDTO {
	return measureProgrammeDTO{ID: p.ID, Name: p.Name, ProviderID: nullIDOf(p.ProviderID), ProviderName: p.ProviderName, Customer: string(p.Customer),
		CustomerID: nullIDOf(p.CustomerID), CustomerName: p.CustomerName, Profession: p.Profession, Hours: p.Hours, Format: string(p.Format), Price: p.Price,
		ManagerID: nullIDOf(p.ManagerID), ManagerName: p.ManagerName, GroupCount: p.Groups, EnrolledCount: p.Enrolled, CreatedAt: formatTime(p.CreatedAt)}
}

// measureGroupDTO is a group of a programme.
type measureGroupDTO struct {
	ID            int64  `json:"id"`
	ProgrammeID   int64  `json:"programme_id"`
	ProgrammeName string `json:"programme_name"`
	ProviderName  string `json:"provider_name"`
	Name          string `json:"name"`
	StartsOn      string `json:"starts_on"`
	EndsOn        string `json:"ends_on"`
	Capacity      int    `json:"capacity"`
	Studying      int    `json:"studying"`
	Completed     int    `json:"completed"`
	Dropped       int    `json:"dropped"`
	Free          int    `json:"free"`
	ManagerID     *int64 `json:"manager_id"`
	ManagerName   string `json:"manager_name"`
}

func fromMeasureGroup(g measures.Group) measureGroupDTO {
	return measureGroupDTO{ID: g.ID, ProgrammeID: g.ProgrammeID, ProgrammeName: g.ProgrammeName, ProviderName: g.ProviderName, Name: g.Name,
		StartsOn: formatDate(g.Start), EndsOn: formatDate(g.End), Capacity: g.Capacity, Studying: g.Studying, Completed: g.Completed,
		Dropped: g.Dropped, Free: g.Free(), ManagerID: nullIDOf(g.ManagerID), ManagerName: g.ManagerName}
}

// measureProgrammeCardDTO is a programme with its groups.
type measureProgrammeCardDTO struct {
	Programme measureProgrammeDTO `json:"programme"`
	Groups    []measureGroupDTO   `json:"groups"`
}

// enrolmentDTO is a person enrolled in a group.
type enrolmentDTO struct {
	ID             int64   `json:"id"`
	GroupID        int64   `json:"group_id"`
	LearnerID      *int64  `json:"learner_id"`
	LastName       string  `json:"last_name"`
	FirstName      string  `json:"first_name"`
	MiddleName     string  `json:"middle_name"`
	BirthYear      int     `json:"birth_year"`
	SNILS          string  `json:"snils,omitempty"`
	Category       string  `json:"category"`
	Status         string  `json:"status"`
	EnrolledOn     string  `json:"enrolled_on"`
	CompletedOn    *string `json:"completed_on"`
	DroppedOn      *string `json:"dropped_on"`
	EmployedOn     *string `json:"employed_on"`
	Employer       string  `json:"employer"`
	EmployedInTime bool    `json:"employed_in_time"`
	ManagerID      *int64  `json:"manager_id"`
	MunicipalityID *int64  `json:"municipality_id"`
}

func fromEnrolment(e measures.Enrolment) enrolmentDTO {
	return enrolmentDTO{ID: e.ID, GroupID: e.GroupID, LearnerID: nullIDOf(e.LearnerID), LastName: e.Person.LastName, FirstName: e.Person.FirstName,
		MiddleName: e.Person.MiddleName, BirthYear: e.Person.BirthYear, SNILS: e.Person.SNILS, Category: string(e.Category), Status: string(e.Status),
		EnrolledOn: formatDate(e.Enrolled), CompletedOn: nullDate(e.Completed), DroppedOn: nullDate(e.Dropped), EmployedOn: nullDate(e.EmployedOn),
		Employer: e.Employer, EmployedInTime: e.EmployedInTime(), ManagerID: nullIDOf(e.ManagerID), MunicipalityID: nullIDOf(e.MunicipalityID)}
}

// measureGroupCardDTO is a group with the enrolments the caller sees.
type measureGroupCardDTO struct {
	Group      measureGroupDTO `json:"group"`
	Enrolments []enrolmentDTO  `json:"enrolments"`
}

// listMeasureProgrammes answers a page of the programmes the caller sees.
func (a *api) listMeasureProgrammes(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := measures.Filter{Query: q.text("q", 100), Customer: measures.Customer(q.oneOf("customer", "b2b", "b2g")),
		Format: measures.Format(q.oneOf("format", "full_time", "mixed", "distance")), ProviderID: q.id("provider_id")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	ps, total, err := a.d.Measures.Programmes(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[measureProgrammeDTO]{Items: mapSlice(ps, fromMeasureProgramme), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// measureProgrammeRequest is the body of a new programme.
type measureProgrammeRequest struct {
	Name         string `json:"name"`
	ProviderID   int64  `json:"provider_id,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	Customer     string `json:"customer"`
	CustomerID   int64  `json:"customer_id,omitempty"`
	CustomerName string `json:"customer_name,omitempty"`
	Profession   string `json:"profession"`
	Hours        int    `json:"hours"`
	Format       string `json:"format"`
	Price        int    `json:"price"`
}

// createMeasureProgramme adds a programme.
func (a *api) createMeasureProgramme(w http.ResponseWriter, r *http.Request, c caller) error {
	var in measureProgrammeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p := measures.Programme{Name: in.Name, ProviderID: in.ProviderID, ProviderName: in.ProviderName, Customer: measures.Customer(in.Customer),
		CustomerID: in.CustomerID, CustomerName: in.CustomerName, Profession: in.Profession, Hours: in.Hours, Format: measures.Format(in.Format), Price: in.Price}
	if err := a.d.Measures.CreateProgramme(r.Context(), c.scope, &p); err != nil {
		return err
	}
	got, _, err := a.d.Measures.Programme(r.Context(), c.scope, p.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/measures/programmes/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, fromMeasureProgramme(got))
	return nil
}

// getMeasureProgramme answers a programme with its groups.
func (a *api) getMeasureProgramme(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, gs, err := a.d.Measures.Programme(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, measureProgrammeCardDTO{Programme: fromMeasureProgramme(p), Groups: mapSlice(gs, fromMeasureGroup)})
	return nil
}

// updateMeasureProgramme replaces the writable fields of a programme (PUT is
// not a patch) and answers it as stored.
func (a *api) updateMeasureProgramme(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in measureProgrammeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p := measures.Programme{ID: id, Name: in.Name, ProviderID: in.ProviderID, ProviderName: in.ProviderName, Customer: measures.Customer(in.Customer),
		CustomerID: in.CustomerID, CustomerName: in.CustomerName, Profession: in.Profession, Hours: in.Hours, Format: measures.Format(in.Format), Price: in.Price}
	if err := a.d.Measures.UpdateProgramme(r.Context(), c.scope, &p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromMeasureProgramme(p))
	return nil
}

// measureProgrammeHistory answers the programme's edits, the latest first.
func (a *api) measureProgrammeHistory(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := a.d.Measures.ProgrammeHistory(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeHistory(w, h)
	return nil
}

// measureGroupRequest is the body of a new group.
type measureGroupRequest struct {
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Capacity int    `json:"capacity"`
}

// createMeasureGroup adds a group to a programme.
func (a *api) createMeasureGroup(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in measureGroupRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	g := measures.Group{ProgrammeID: id, Name: in.Name, Capacity: in.Capacity, Start: parseDate(&errs, "starts_on", in.StartsOn),
		End: parseDate(&errs, "ends_on", in.EndsOn)}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Measures.CreateGroup(r.Context(), c.scope, &g); err != nil {
		return err
	}
	got, _, err := a.d.Measures.Group(r.Context(), c.scope, g.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/measures/groups/"+strconv.FormatInt(g.ID, 10))
	writeJSON(w, http.StatusCreated, fromMeasureGroup(got))
	return nil
}

// getMeasureGroup answers a group with the enrolments the caller sees.
func (a *api) getMeasureGroup(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, es, err := a.d.Measures.Group(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	a.auditList(r, c, "enrolments.list", len(es))
	writeJSON(w, http.StatusOK, measureGroupCardDTO{Group: fromMeasureGroup(g), Enrolments: mapSlice(es, fromEnrolment)})
	return nil
}

// enrolRequest is the body of an enrolment: a learner of the region by
// learner_id, or a person by name, birth year and, optionally, SNILS.
type enrolRequest struct {
	Category       string `json:"category"`
	LearnerID      int64  `json:"learner_id,omitempty"`
	LastName       string `json:"last_name,omitempty"`
	FirstName      string `json:"first_name,omitempty"`
	MiddleName     string `json:"middle_name,omitempty"`
	BirthYear      int    `json:"birth_year,omitempty"`
	SNILS          string `json:"snils,omitempty"`
	MunicipalityID int64  `json:"municipality_id,omitempty"`
	EnrolledOn     string `json:"enrolled_on,omitempty"`
}

// enrol enrols a person in a group.
func (a *api) enrol(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in enrolRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	e := measures.Enrolment{GroupID: id, Category: measures.Category(in.Category), LearnerID: in.LearnerID, Enrolled: parseDate(&errs, "enrolled_on", in.EnrolledOn),
		Person: measures.Person{LastName: in.LastName, FirstName: in.FirstName, MiddleName: in.MiddleName, BirthYear: in.BirthYear, SNILS: in.SNILS,
			MunicipalityID: in.MunicipalityID}}
	if in.LearnerID < 0 {
		errs.Add("learner_id", "номер обучающегося — целое положительное число")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Measures.Enrol(r.Context(), c.scope, &e); err != nil {
		return err
	}
	return a.answerEnrolment(w, r, c, e.ID, http.StatusCreated)
}

// answerEnrolment writes an enrolment as it is stored now.
func (a *api) answerEnrolment(w http.ResponseWriter, r *http.Request, c caller, id int64, status int) error {
	got, err := a.d.Measures.Enrolment(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/measures/enrolments/"+strconv.FormatInt(id, 10))
	}
	writeJSON(w, status, fromEnrolment(got))
	return nil
}

// getEnrolment answers an enrolment.
func (a *api) getEnrolment(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.answerEnrolment(w, r, c, id, http.StatusOK)
}

// completeRequest is the body of a completion.
type completeRequest struct {
	CompletedOn string `json:"completed_on"`
	EmployedOn  string `json:"employed_on,omitempty"`
	Employer    string `json:"employer,omitempty"`
}

// completeEnrolment records that a person completed training.
func (a *api) completeEnrolment(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in completeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	on, employed := requiredDate(&errs, "completed_on", in.CompletedOn), parseDate(&errs, "employed_on", in.EmployedOn)
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Measures.Complete(r.Context(), c.scope, id, on, employed, in.Employer); err != nil {
		return err
	}
	return a.answerEnrolment(w, r, c, id, http.StatusOK)
}

// requiredDate reads a date that must be given.
func requiredDate(errs *apperr.List, field, s string) time.Time {
	if s == "" {
		errs.Add(field, "укажите дату в виде ГГГГ-ММ-ДД")
		return time.Time{}
	}
	return parseDate(errs, field, s)
}

// dropRequest is the body of a drop-out.
type dropRequest struct {
	DroppedOn string `json:"dropped_on"`
}

// dropEnrolment records that a person dropped out.
func (a *api) dropEnrolment(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in dropRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	on := requiredDate(&errs, "dropped_on", in.DroppedOn)
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Measures.Drop(r.Context(), c.scope, id, on); err != nil {
		return err
	}
	return a.answerEnrolment(w, r, c, id, http.StatusOK)
}

// employmentRequest is the body of a job found after training.
type employmentRequest struct {
	EmployedOn string `json:"employed_on"`
	Employer   string `json:"employer,omitempty"`
}

// recordEmployment records the job of a person who is not a learner.
func (a *api) recordEmployment(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in employmentRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	on := requiredDate(&errs, "employed_on", in.EmployedOn)
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Measures.RecordEmployment(r.Context(), c.scope, id, on, in.Employer); err != nil {
		return err
	}
	return a.answerEnrolment(w, r, c, id, http.StatusOK)
}

// measureRowDTO is a row of the figures with its shares.
type measureRowDTO struct {
	measures.Row
	CompletionShare float64  `json:"completion_share"`
	EmploymentShare float64  `json:"employment_share"`
	CostPerEmployed *float64 `json:"cost_per_employed"`
}

func fromMeasureRow(x measures.Row) measureRowDTO {
	d := measureRowDTO{Row: x, CompletionShare: round4(x.CompletionShare()), EmploymentShare: round4(x.EmploymentShare())}
	if c, ok := x.CostPerEmployed(); ok {
		v := float64(int64(c*100+0.5)) / 100
		d.CostPerEmployed = &v
	}
	return d
}

// measureFiguresDTO are the figures of the programmes.
type measureFiguresDTO struct {
	Year        *int            `json:"year"`
	Total       measureRowDTO   `json:"total"`
	ByProgramme []measureRowDTO `json:"by_programme"`
	ByProvider  []measureRowDTO `json:"by_provider"`
	ByCategory  []measureRowDTO `json:"by_category"`
	Comparison  comparisonDTO   `json:"comparison"`
}

// comparisonDTO is learner.Comparison.
type comparisonDTO struct {
	Treated      int     `json:"treated"`
	Matched      int     `json:"matched"`
	Peers        int     `json:"peers"`
	Cells        int     `json:"cells"`
	TreatedShare float64 `json:"treated_share"`
	PeersShare   float64 `json:"peers_share"`
	Difference   float64 `json:"difference"`
	Low          float64 `json:"low"`
	High         float64 `json:"high"`
}

// measureFigures answers the figures of the enrolments the caller sees.
func (a *api) measureFigures(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := measures.FigureFilter{Year: q.int("year", 2000, 2100, 0), MunicipalityID: q.id("municipality_id"), OrgID: q.id("org_id"),
		ProgrammeID: q.id("programme_id")}
	if err := q.err(); err != nil {
		return err
	}
	figs, err := a.d.Measures.Figures(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	out := measureFiguresDTO{Total: fromMeasureRow(figs.Total), ByProgramme: mapSlice(figs.ByProgramme, fromMeasureRow),
		ByProvider: mapSlice(figs.ByProvider, fromMeasureRow), ByCategory: mapSlice(figs.ByCategory, fromMeasureRow),
		Comparison: comparisonDTO(figs.Comparison)}
	if f.Year != 0 {
		out.Year = &f.Year
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
