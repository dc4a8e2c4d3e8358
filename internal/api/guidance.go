package api

import (
	"net/http"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
)

// Career guidance goes through guidance.Service with the caller's scope: the
// service decides who may organise, book and record, and the store keeps
// every pupil within what the caller sees.

// coverageCuts are the values of ?by= of the coverage; pupilGaps those of
// ?not= of the list of pupils.
var (
	coverageCuts = []string{"school", "municipality"}
	pupilGaps    = []string{"reached", "informed", "hours"}
)

// eventDTO is a guidance event.
type eventDTO struct {
	ID int64 `json:"id"` // read-only
	// OrganiserID is the caller's organisation; only the region names another.
	OrganiserID   int64   `json:"organiser_id"`
	Organiser     string  `json:"organiser,omitempty"` // read-only
	Kind          string  `json:"kind"`
	Title         string  `json:"title"`
	HeldOn        *string `json:"held_on"`
	Place         string  `json:"place,omitempty"`
	GradeFrom     int     `json:"grade_from"`
	GradeTo       int     `json:"grade_to"`
	Capacity      int     `json:"capacity"`
	SpecialtyCode string  `json:"specialty_code,omitempty"`
	Specialty     string  `json:"specialty,omitempty"` // read-only
	Hours         int     `json:"hours"`
	Ticket        bool    `json:"ticket"`
	Bookable      bool    `json:"bookable"`
	Participants  int     `json:"participants"` // read-only
	Booked        int     `json:"booked"`       // read-only
}

func fromEvent(e guidance.Event) eventDTO {
	return eventDTO{ID: e.ID, OrganiserID: e.OrganiserID, Organiser: e.Organiser, Kind: string(e.Kind), Title: e.Title,
		HeldOn: nullDate(e.HeldOn), Place: e.Place, GradeFrom: e.GradeFrom, GradeTo: e.GradeTo, Capacity: e.Capacity,
		SpecialtyCode: e.SpecialtyCode, Specialty: e.Specialty, Hours: e.Hours, Ticket: e.Ticket, Bookable: e.Bookable,
		Participants: e.Participants, Booked: e.Booked}
}

// event converts a request body into the event id (0 for a new one); an
// organiser other than the caller's own organisation is refused unless the
// caller is the region.
func (d eventDTO) event(id int64, sc auth.Scope) (guidance.Event, error) {
	var errs apperr.List
	checkID(&errs, "id", d.ID, id)
	if guidance.CanOrganise(sc) && !sc.WholeRegion() && d.OrganiserID != 0 && d.OrganiserID != sc.OrgID {
		errs.Add("organiser_id", "другого организатора может указать только регион; мероприятие записывается за вашей организацией")
	}
	e := guidance.Event{ID: id, OrganiserID: d.OrganiserID, Kind: guidance.Kind(d.Kind), Title: d.Title,
		HeldOn: parseNullDate(&errs, "held_on", d.HeldOn), Place: d.Place, GradeFrom: d.GradeFrom, GradeTo: d.GradeTo,
		Capacity: d.Capacity, SpecialtyCode: d.SpecialtyCode, Hours: d.Hours, Ticket: d.Ticket, Bookable: d.Bookable}
	return e, errs.Err()
}

// bookingDTO is a school's booking of places on an event.
type bookingDTO struct {
	SchoolID int64  `json:"school_id"`
	School   string `json:"school"`
	Seats    int    `json:"seats"`
	Came     int    `json:"came"`
}

func fromBooking(b guidance.Booking) bookingDTO {
	return bookingDTO{SchoolID: b.SchoolID, School: b.School, Seats: b.Seats, Came: b.Came}
}

// eventCardDTO is an event with the schools that booked it.
type eventCardDTO struct {
	eventDTO
	Bookings []bookingDTO `json:"bookings"`
}

func fromEventCard(e guidance.Event, bs []guidance.Booking) eventCardDTO {
	return eventCardDTO{eventDTO: fromEvent(e), Bookings: mapSlice(bs, fromBooking)}
}

// bookingRequest is the body of a booking.
type bookingRequest struct {
	Seats int `json:"seats"`
}

// learnerIDsRequest is the body that records pupils' participation.
type learnerIDsRequest struct {
	LearnerIDs []int64 `json:"learner_ids"`
}

// addedDTO is how many pupils were added.
type addedDTO struct {
	Added int `json:"added"`
}

// participantDTO is a pupil who took part in an event.
type participantDTO struct {
	LearnerID int64  `json:"learner_id"`
	Name      string `json:"name"`
	Grade     int    `json:"grade"`
	Group     string `json:"group,omitempty"`
	OrgID     int64  `json:"org_id"`
}

func fromParticipant(p guidance.Pupil) participantDTO {
	return participantDTO{LearnerID: p.LearnerID, Name: p.Name, Grade: p.Grade, Group: p.Group, OrgID: p.OrgID}
}

// pupilDTO is a pupil's guidance in the current school year.
type pupilDTO struct {
	LearnerID  int64   `json:"learner_id"`
	Name       string  `json:"name"`
	Grade      int     `json:"grade"`
	Group      string  `json:"group,omitempty"`
	OrgID      int64   `json:"org_id"`
	School     string  `json:"school"`
	Activities int     `json:"activities"`
	Hours      int     `json:"hours"`
	Level      string  `json:"level"`
	LevelHours int     `json:"level_hours"`
	MeetsLevel bool    `json:"meets_level"`
	InformedOn *string `json:"informed_on"`
}

func fromPupil(p guidance.Pupil) pupilDTO {
	return pupilDTO{LearnerID: p.LearnerID, Name: p.Name, Grade: p.Grade, Group: p.Group, OrgID: p.OrgID, School: p.School,
		Activities: p.Activities, Hours: p.Hours, Level: string(p.Level), LevelHours: p.Level.Hours(), MeetsLevel: p.MeetsLevel(),
		InformedOn: nullDate(p.InformedOn)}
}

// coverageRowDTO is the reach of guidance over a school, a municipality or the whole.
type coverageRowDTO struct {
	ID            int64   `json:"id"`
	Name          string  `json:"name"`
	Pupils        int     `json:"pupils"`
	Reached       int     `json:"reached"`
	ReachedShare  float64 `json:"reached_share"`
	Seniors       int     `json:"seniors"`
	Informed      int     `json:"informed"`
	InformedShare float64 `json:"informed_share"`
	HoursMet      int     `json:"hours_met"`
	HoursShare    float64 `json:"hours_share"`
	Ticket        int     `json:"ticket"`
}

func fromCoverage(c guidance.Coverage) coverageRowDTO {
	return coverageRowDTO{ID: c.ID, Name: c.Name, Pupils: c.Pupils, Reached: c.Reached, ReachedShare: c.ReachedShare(),
		Seniors: c.Seniors, Informed: c.Informed, InformedShare: c.InformedShare(), HoursMet: c.HoursMet, HoursShare: c.HoursShare(),
		Ticket: c.Ticket}
}

// monthDTO is the coverage at the end of a month.
type monthDTO struct {
	Month    string `json:"month"` // "2026-09"
	Reached  int    `json:"reached"`
	Informed int    `json:"informed"`
}

func fromMonth(m guidance.MonthPoint) monthDTO {
	return monthDTO{Month: m.Month.Format("2006-01"), Reached: m.Reached, Informed: m.Informed}
}

// coverageDTO is the coverage report of a school year.
type coverageDTO struct {
	Year       int              `json:"year"`
	SchoolYear string           `json:"school_year"`
	By         string           `json:"by"`
	Rows       []coverageRowDTO `json:"rows"`
	Total      coverageRowDTO   `json:"total"`
	Trend      []monthDTO       `json:"trend"`
}

func fromCoverageReport(r guidance.CoverageReport) coverageDTO {
	return coverageDTO{Year: int(r.Year), SchoolYear: r.Year.String(), By: r.By, Rows: mapSlice(r.Rows, fromCoverage),
		Total: fromCoverage(r.Total), Trend: mapSlice(r.Trend, fromMonth)}
}

// informingRequest is the body that records informing about targeted education.
type informingRequest struct {
	LearnerIDs []int64 `json:"learner_ids"`
	On         string  `json:"on"`
	Method     string  `json:"method"`
	Note       string  `json:"note,omitempty"`
}

// levelRequest is the body that chooses a school's профминимум level.
type levelRequest struct {
	OrgID int64  `json:"org_id"`
	Level string `json:"level"`
}

// ddoRequest is a filled-in ДДО sheet.
type ddoRequest struct {
	Answers string `json:"answers"`
}

// ddoPointsDTO are the points of the five types, 0–8 each.
type ddoPointsDTO struct {
	Nature   int `json:"nature"`
	Technics int `json:"technics"`
	Human    int `json:"human"`
	Sign     int `json:"sign"`
	Art      int `json:"art"`
}

// ddoLevelsDTO are the bands of the points: low, medium, high.
type ddoLevelsDTO struct {
	Nature   string `json:"nature"`
	Technics string `json:"technics"`
	Human    string `json:"human"`
	Sign     string `json:"sign"`
	Art      string `json:"art"`
}

// ddoDTO is one ДДО taken by a learner, scored.
type ddoDTO struct {
	ID        int64        `json:"id"`
	LearnerID int64        `json:"learner_id"`
	TakenOn   *string      `json:"taken_on"`
	Answers   string       `json:"answers"`
	Source    string       `json:"source"`
	Points    ddoPointsDTO `json:"points"`
	Levels    ddoLevelsDTO `json:"levels"`
	Leading   []string     `json:"leading"`
}

func fromDiagnostic(d guidance.Diagnostic) ddoDTO {
	r := d.Result
	p := r.Points
	return ddoDTO{ID: d.ID, LearnerID: d.LearnerID, TakenOn: nullDate(d.TakenOn), Answers: d.Answers.String(), Source: d.Source,
		Points: ddoPointsDTO{Nature: p[ddo.Nature], Technics: p[ddo.Technics], Human: p[ddo.Human], Sign: p[ddo.Sign], Art: p[ddo.Art]},
		Levels: ddoLevelsDTO{Nature: string(r.Level(ddo.Nature)), Technics: string(r.Level(ddo.Technics)), Human: string(r.Level(ddo.Human)),
			Sign: string(r.Level(ddo.Sign)), Art: string(r.Level(ddo.Art))},
		Leading: names(r.Leading())}
}

// listEvents answers a page of the region's events.
func (a *api) listEvents(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := guidance.EventFilter{
		Kind:        guidance.Kind(q.oneOf("kind", names(guidance.Kinds)...)),
		Year:        guidance.SchoolYear(q.int("year", 2000, 2100, 0)),
		OrganiserID: q.id("organiser_id"),
		BookedBy:    q.id("booked_by"),
		Bookable:    q.bool("bookable"),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	es, total, err := a.d.Guidance.Events(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[eventDTO]{Items: mapSlice(es, fromEvent), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// createEvent answers 201 with the event as stored, its names read back.
func (a *api) createEvent(w http.ResponseWriter, r *http.Request, c caller) error {
	var in eventDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := in.event(0, c.scope)
	if err != nil {
		return err
	}
	if err := a.d.Guidance.CreateEvent(r.Context(), c.scope, &e); err != nil {
		return err
	}
	card := fromEventCard(e, nil)
	if got, bs, err := a.d.Guidance.Event(r.Context(), c.scope, e.ID); err != nil {
		a.d.Log.Warn("api: read back event", "id", e.ID, "err", err)
	} else {
		card = fromEventCard(got, bs)
	}
	w.Header().Set("Location", Prefix+"/guidance/events/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, card)
	return nil
}

// updateEvent changes an event for its organiser or the region and answers
// it as stored; an organiser_id of 0 keeps the organiser.
func (a *api) updateEvent(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in eventDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := in.event(id, c.scope)
	if err != nil {
		return err
	}
	if err := a.d.Guidance.UpdateEvent(r.Context(), c.scope, &e); err != nil {
		return err
	}
	got, bs, err := a.d.Guidance.Event(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromEventCard(got, bs))
	return nil
}

// eventHistory answers the event's edits, the latest first.
func (a *api) eventHistory(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := a.d.Guidance.EventHistory(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeHistory(w, h)
	return nil
}

// getEvent answers an event with its bookings.
func (a *api) getEvent(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, bs, err := a.d.Guidance.Event(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromEventCard(e, bs))
	return nil
}

// bookEvent reserves places of a bookable event for the caller's school; a
// second booking replaces the first. It answers the event with its bookings.
func (a *api) bookEvent(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in bookingRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Guidance.Book(r.Context(), c.scope, id, in.Seats); err != nil {
		return err
	}
	e, bs, err := a.d.Guidance.Event(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromEventCard(e, bs))
	return nil
}

// listParticipants answers the pupils of an event the caller sees; roles that
// see no person get an empty list.
func (a *api) listParticipants(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, _, err := a.d.Guidance.Event(r.Context(), c.scope, id); err != nil {
		return err
	}
	ps, err := a.d.Guidance.Participants(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	a.auditList(r, c, "participants.list", len(ps))
	writeJSON(w, http.StatusOK, items[participantDTO]{mapSlice(ps, fromParticipant)})
	return nil
}

// addParticipants records pupils as taking part, all of them or none.
func (a *api) addParticipants(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in learnerIDsRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	n, err := a.d.Guidance.Record(r.Context(), c.scope, id, in.LearnerIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, addedDTO{Added: n})
	return nil
}

// removeParticipant takes a pupil off an event's list.
func (a *api) removeParticipant(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s := r.PathValue("learner_id")
	lid, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil || lid <= 0 {
		return apperr.Field("learner_id", "идентификатор обучающегося в адресе должен быть целым положительным числом, указано «%s»", s)
	}
	if err := a.d.Guidance.Unrecord(r.Context(), c.scope, id, lid); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// coverage answers the reach of guidance in a school year. Roles that see no
// person (the federal operator, experts) get the region's counts.
func (a *api) coverage(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	by := q.oneOf("by", coverageCuts...)
	year := guidance.SchoolYear(q.int("year", 2000, 2100, 0))
	if err := q.err(); err != nil {
		return err
	}
	rep, err := a.d.Guidance.Coverage(r.Context(), c.scope, year, by)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromCoverageReport(rep))
	return nil
}

// listPupils answers a page of pupils of grades 6–11 with their guidance this
// school year: those not yet reached, not informed or short of their hours.
func (a *api) listPupils(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := guidance.PupilFilter{
		Not:   q.oneOf("not", pupilGaps...),
		OrgID: q.id("org_id"),
		Grade: q.int("grade", guidance.GuidanceFrom, guidance.LastGrade, 0),
		Group: q.text("group", 20),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	ps, total, err := a.d.Guidance.Pupils(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	a.auditList(r, c, "pupils.list", len(ps))
	writeJSON(w, http.StatusOK, list[pupilDTO]{Items: mapSlice(ps, fromPupil), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// inform records that pupils were informed about targeted education.
func (a *api) inform(w http.ResponseWriter, r *http.Request, c caller) error {
	var in informingRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	on := parseDate(&errs, "on", in.On)
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Guidance.Inform(r.Context(), c.scope, in.LearnerIDs, on, guidance.Method(in.Method), in.Note); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// setLevel records a school's профминимум level for the current school year;
// a school may leave out org_id, meaning itself.
func (a *api) setLevel(w http.ResponseWriter, r *http.Request, c caller) error {
	var in levelRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.OrgID == 0 && c.scope.Role == auth.School {
		in.OrgID = c.scope.OrgID
	}
	if in.OrgID <= 0 {
		return apperr.Field("org_id", "укажите школу")
	}
	if err := a.d.Guidance.SetLevel(r.Context(), c.scope, in.OrgID, guidance.Level(in.Level)); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// listDiagnostics answers a learner's ДДО results, newest first. It reads the
// card first, which audits the read and answers 404 outside the caller's scope.
func (a *api) listDiagnostics(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.d.Learners.Get(r.Context(), c.scope, id); err != nil {
		return err
	}
	g, err := a.d.Guidance.ForLearner(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[ddoDTO]{mapSlice(g.Diagnostics, fromDiagnostic)})
	return nil
}

// takeDiagnostic scores a complete sheet and stores it: a learner's own, or a
// paper sheet entered by the school or the region.
func (a *api) takeDiagnostic(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in ddoRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Guidance.TakeDiagnostic(r.Context(), c.scope, id, in.Answers)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fromDiagnostic(d))
	return nil
}
