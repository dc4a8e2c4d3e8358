package api

import (
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// The types below are the JSON of the API. Domain types carry no JSON tags, so
// that renaming a Go field never changes the API; a test keeps these tags and
// the schemas of openapi.json in step. Fields marked read-only are filled on
// reads and ignored on writes, so that a client can send back what it got.

// isoDate is how dates travel: "2006-01-02".
const isoDate = "2006-01-02"

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(isoDate)
}

// parseDate reads an optional date; a fault is added to errs under field.
func parseDate(errs *apperr.List, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(isoDate, s)
	if err != nil {
		errs.Add(field, "дата «%s» должна иметь вид ГГГГ-ММ-ДД, например 2008-05-06", s)
	}
	return t
}

// nullDate writes a date of the types of guidance and targeted education,
// which show every field: the date, or null when it is unknown.
func nullDate(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(isoDate)
	return &s
}

// parseNullDate reads an optional date that may come as null.
func parseNullDate(errs *apperr.List, field string, s *string) time.Time {
	if s == nil {
		return time.Time{}
	}
	return parseDate(errs, field, *s)
}

// formatTime writes a moment (not a date) in RFC 3339, in UTC.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// nullTime writes a moment that may not have come yet (a run still running,
// a proposal not yet decided): RFC 3339 in UTC, or null.
func nullTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := formatTime(t)
	return &s
}

type learnerDTO struct {
	ID             int64  `json:"id"`
	LastName       string `json:"last_name"`
	FirstName      string `json:"first_name"`
	MiddleName     string `json:"middle_name,omitempty"`
	Sex            string `json:"sex"`
	BirthDate      string `json:"birth_date"`
	SNILS          string `json:"snils,omitempty"`
	Status         string `json:"status"`
	OrgID          int64  `json:"org_id"`
	OrgName        string `json:"org_name,omitempty"` // read-only
	MunicipalityID int64  `json:"municipality_id"`
	Municipality   string `json:"municipality,omitempty"` // read-only
	Grade          int    `json:"grade,omitempty"`
	SpecialtyCode  string `json:"specialty_code,omitempty"`
	SpecialtyName  string `json:"specialty_name,omitempty"` // read-only
	Course         int    `json:"course,omitempty"`
	Form           string `json:"form,omitempty"`
	GraduationYear int    `json:"graduation_year,omitempty"`
	Disability     bool   `json:"disability"`
	CurrentOutcome string `json:"current_outcome,omitempty"` // read-only
	Outcome6m      string `json:"outcome_6m,omitempty"`      // read-only
	Outcome12m     string `json:"outcome_12m,omitempty"`     // read-only
}

func fromLearner(l learner.Learner) learnerDTO {
	return learnerDTO{
		ID: l.ID, LastName: l.LastName, FirstName: l.FirstName, MiddleName: l.MiddleName, Sex: l.Sex,
		BirthDate: formatDate(l.BirthDate), SNILS: l.SNILS, Status: string(l.Status),
		OrgID: l.OrgID, OrgName: l.OrgName, MunicipalityID: l.MunicipalityID, Municipality: l.Municipality,
		Grade: l.Grade, SpecialtyCode: l.SpecialtyCode, SpecialtyName: l.SpecialtyName, Course: l.Course, Form: string(l.Form),
		GraduationYear: l.GraduationYear, Disability: l.Disability,
		CurrentOutcome: string(l.Current), Outcome6m: string(l.After6), Outcome12m: string(l.After12),
	}
}

// checkID refuses an id in a body that contradicts the path: on a create
// (path id 0) the server assigns it, on an update it must be the path's.
func checkID(errs *apperr.List, field string, body, path int64) {
	switch {
	case body == 0 || body == path:
	case path == 0:
		errs.Add(field, "идентификатор назначает сервер; не указывайте его при добавлении")
	default:
		errs.Add(field, "идентификатор %d в теле не совпадает с идентификатором %d в адресе", body, path)
	}
}

// learner converts a request body for the learner id (0 for a new one); the
// region is the caller's, set by the service.
func (d learnerDTO) learner(id int64) (learner.Learner, error) {
	var errs apperr.List
	checkID(&errs, "id", d.ID, id)
	l := learner.Learner{
		ID: id, LastName: d.LastName, FirstName: d.FirstName, MiddleName: d.MiddleName, Sex: d.Sex,
		BirthDate: parseDate(&errs, "birth_date", d.BirthDate), SNILS: d.SNILS, Status: learner.Status(d.Status),
		OrgID: d.OrgID, MunicipalityID: d.MunicipalityID, Grade: d.Grade, SpecialtyCode: d.SpecialtyCode,
		Course: d.Course, Form: learner.Form(d.Form), GraduationYear: d.GraduationYear, Disability: d.Disability,
	}
	return l, errs.Err()
}

// cardDTO is a learner's card: the learner, the route and the employment history.
type cardDTO struct {
	learnerDTO
	Stages   []stageDTO   `json:"stages"`
	Outcomes []outcomeDTO `json:"outcomes"`
}

func fromCard(c learner.Card) cardDTO {
	return cardDTO{learnerDTO: fromLearner(c.Learner), Stages: mapSlice(c.Stages, fromStage), Outcomes: mapSlice(c.Outcomes, fromOutcome)}
}

type stageDTO struct {
	ID            int64  `json:"id"`
	LearnerID     int64  `json:"learner_id"` // read-only: the learner of the path
	Kind          string `json:"kind"`
	OrgID         int64  `json:"org_id,omitempty"`
	OrgName       string `json:"org_name,omitempty"` // read-only
	SpecialtyCode string `json:"specialty_code,omitempty"`
	Start         string `json:"start"`
	End           string `json:"end,omitempty"`
	Note          string `json:"note,omitempty"`
}

func fromStage(s learner.Stage) stageDTO {
	return stageDTO{ID: s.ID, LearnerID: s.LearnerID, Kind: string(s.Kind), OrgID: s.OrgID, OrgName: s.OrgName,
		SpecialtyCode: s.SpecialtyCode, Start: formatDate(s.Start), End: formatDate(s.End), Note: s.Note}
}

func (d stageDTO) stage(learnerID int64) (learner.Stage, error) {
	var errs apperr.List
	checkID(&errs, "id", d.ID, 0)
	checkID(&errs, "learner_id", d.LearnerID, learnerID)
	s := learner.Stage{LearnerID: learnerID, Kind: learner.StageKind(d.Kind), OrgID: d.OrgID, SpecialtyCode: d.SpecialtyCode,
		Start: parseDate(&errs, "start", d.Start), End: parseDate(&errs, "end", d.End), Note: d.Note}
	return s, errs.Err()
}

type outcomeDTO struct {
	ID           int64  `json:"id"`
	LearnerID    int64  `json:"learner_id"` // read-only: the learner of the path
	Status       string `json:"status"`
	EmployerID   int64  `json:"employer_id,omitempty"`
	EmployerName string `json:"employer_name,omitempty"`
	Start        string `json:"start"`
	End          string `json:"end,omitempty"`
	Source       string `json:"source,omitempty"`
	Note         string `json:"note,omitempty"`
	Salary       int    `json:"salary,omitempty"` // roubles a month, when known
}

func fromOutcome(o learner.Outcome) outcomeDTO {
	return outcomeDTO{ID: o.ID, LearnerID: o.LearnerID, Status: string(o.Status), EmployerID: o.EmployerID, EmployerName: o.EmployerName,
		Start: formatDate(o.Start), End: formatDate(o.End), Source: o.Source, Note: o.Note, Salary: o.Salary}
}

func (d outcomeDTO) outcome(learnerID int64) (learner.Outcome, error) {
	var errs apperr.List
	checkID(&errs, "id", d.ID, 0)
	checkID(&errs, "learner_id", d.LearnerID, learnerID)
	o := learner.Outcome{LearnerID: learnerID, Status: learner.OutcomeStatus(d.Status), EmployerID: d.EmployerID,
		EmployerName: d.EmployerName, Start: parseDate(&errs, "start", d.Start), End: parseDate(&errs, "end", d.End),
		Source: d.Source, Note: d.Note, Salary: d.Salary}
	return o, errs.Err()
}

type organisationDTO struct {
	ID             int64   `json:"id"`
	RegionCode     string  `json:"region_code,omitempty"` // the caller's region; another one is refused
	Kind           string  `json:"kind"`
	Name           string  `json:"name"`
	ShortName      string  `json:"short_name,omitempty"`
	INN            string  `json:"inn,omitempty"`
	OGRN           string  `json:"ogrn,omitempty"`
	MunicipalityID int64   `json:"municipality_id"`
	Municipality   string  `json:"municipality,omitempty"` // read-only
	Address        string  `json:"address,omitempty"`
	Lat            float64 `json:"lat"`
	Lon            float64 `json:"lon"`
	OKVED          string  `json:"okved,omitempty"`
	Learners       int     `json:"learners"` // read-only
}

func fromOrganisation(o org.Organisation) organisationDTO {
	return organisationDTO{ID: o.ID, RegionCode: o.RegionCode, Kind: string(o.Kind), Name: o.Name, ShortName: o.ShortName,
		INN: o.INN, OGRN: o.OGRN, MunicipalityID: o.MunicipalityID, Municipality: o.Municipality, Address: o.Address,
		Lat: o.Lat, Lon: o.Lon, OKVED: o.OKVED, Learners: o.Learners}
}

// organisation converts a request body into an organisation of the caller's region.
func (d organisationDTO) organisation(id int64, sc auth.Scope) (org.Organisation, error) {
	var errs apperr.List
	checkID(&errs, "id", d.ID, id)
	if d.RegionCode != "" && d.RegionCode != sc.RegionCode {
		errs.Add("region_code", "можно указывать только организации своего региона %s, указан %s", sc.RegionCode, d.RegionCode)
	}
	o := org.Organisation{ID: id, RegionCode: sc.RegionCode, Kind: org.Kind(d.Kind), Name: d.Name, ShortName: d.ShortName,
		INN: d.INN, OGRN: d.OGRN, MunicipalityID: d.MunicipalityID, Address: d.Address, Lat: d.Lat, Lon: d.Lon, OKVED: d.OKVED}
	return o, errs.Err()
}

// meDTO is the caller.
type meDTO struct {
	ID         int64  `json:"id"`
	Login      string `json:"login"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	OrgID      int64  `json:"org_id,omitempty"`
	RegionCode string `json:"region_code"`
}

func fromUser(u auth.User) meDTO {
	return meDTO{ID: u.ID, Login: u.Login, Name: u.Name, Role: string(u.Role), OrgID: u.OrgID, RegionCode: u.RegionCode}
}
