package api

import (
	"errors"
	"net/http"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/learner"
	"marshrut/internal/mentor"
)

// Mentorship goes through mentor.Service with the caller's scope: the
// service decides who coordinates, registers mentors, logs meetings and
// gives feedback; the store keeps programmes, mentors and pairs within reach.

// withMentor serves h only when the API was given the mentorship service.
func (a *api) withMentor(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Mentor == nil {
			return errors.New("api: Deps.Mentor is not set")
		}
		return h(w, r, c)
	}
}

// programmeDTO is a mentorship programme.
type programmeDTO struct {
	ID      int64  `json:"id"`                 // read-only
	OrgID   int64  `json:"org_id"`             // the caller's organisation unless the caller is the region
	OrgName string `json:"org_name,omitempty"` // read-only
	Form    string `json:"form"`
	Title   string `json:"title"`
	Year    int    `json:"year"`
	Pairs   int    `json:"pairs"`  // read-only
	Active  int    `json:"active"` // read-only
}

func fromProgramme(p mentor.Programme) programmeDTO {
	return programmeDTO{ID: p.ID, OrgID: p.OrgID, OrgName: p.OrgName, Form: string(p.Form), Title: p.Title, Year: p.Year, Pairs: p.Pairs, Active: p.Active}
}

// mentorDTO is a mentor.
type mentorDTO struct {
	ID            int64  `json:"id"`     // read-only
	OrgID         int64  `json:"org_id"` // the education organisation whose programmes the mentor serves
	OrgName       string `json:"org_name,omitempty"`
	EmployerID    int64  `json:"employer_id,omitempty"` // the enterprise of a staff mentor
	EmployerName  string `json:"employer_name,omitempty"`
	Kind          string `json:"kind"`
	FullName      string `json:"full_name"`
	Position      string `json:"position,omitempty"`
	SpecialtyCode string `json:"specialty_code,omitempty"`
	Capacity      int    `json:"capacity"`
	Load          int    `json:"load"` // read-only: active pairs
}

func fromMentor(m mentor.Mentor) mentorDTO {
	return mentorDTO{ID: m.ID, OrgID: m.OrgID, OrgName: m.OrgName, EmployerID: m.EmployerID, EmployerName: m.EmployerName, Kind: string(m.Kind),
		FullName: m.FullName, Position: m.Position, SpecialtyCode: m.SpecialtyCode, Capacity: m.Capacity, Load: m.Load}
}

// pairDTO is a pair.
type pairDTO struct {
	ID          int64   `json:"id"`
	ProgrammeID int64   `json:"programme_id"`
	Form        string  `json:"form"`
	OrgID       int64   `json:"org_id"`
	MentorID    int64   `json:"mentor_id"`
	Mentor      string  `json:"mentor"`
	EmployerID  int64   `json:"employer_id,omitempty"`
	Employer    string  `json:"employer,omitempty"`
	LearnerID   int64   `json:"learner_id,omitempty"`
	MenteeName  string  `json:"mentee_name"`
	Start       string  `json:"start"`
	PlannedEnd  string  `json:"planned_end"`
	End         *string `json:"end"`
	EndReason   string  `json:"end_reason,omitempty"`
	Goals       string  `json:"goals"`
	Status      string  `json:"status"`
	Meetings    int     `json:"meetings"`
}

func fromPair(p mentor.Pair) pairDTO {
	return pairDTO{ID: p.ID, ProgrammeID: p.ProgrammeID, Form: string(p.Form), OrgID: p.OrgID, MentorID: p.MentorID, Mentor: p.Mentor,
		EmployerID: p.EmployerID, Employer: p.Employer, LearnerID: p.LearnerID, MenteeName: p.MenteeName, Start: formatDate(p.Start),
		PlannedEnd: formatDate(p.PlannedEnd), End: nullDate(p.End), EndReason: p.EndReason, Goals: p.Goals, Status: string(p.Status), Meetings: p.Meetings}
}

// meetingDTO is one meeting of a pair.
type meetingDTO struct {
	ID      int64  `json:"id"` // read-only
	HeldOn  string `json:"held_on"`
	Minutes int    `json:"minutes"`
	Topic   string `json:"topic"`
	Note    string `json:"note,omitempty"`
}

func fromMeeting(m mentor.Meeting) meetingDTO {
	return meetingDTO{ID: m.ID, HeldOn: formatDate(m.HeldOn), Minutes: m.Minutes, Topic: m.Topic, Note: m.Note}
}

// feedbackDTO is one side's feedback on a pair.
type feedbackDTO struct {
	ID      int64  `json:"id"` // read-only
	Side    string `json:"side"`
	Rating  int    `json:"rating"`
	Comment string `json:"comment,omitempty"`
	At      string `json:"at"` // read-only
}

func fromFeedback(f mentor.Feedback) feedbackDTO {
	return feedbackDTO{ID: f.ID, Side: string(f.Side), Rating: f.Rating, Comment: f.Comment, At: formatTime(f.At)}
}

// pairCardDTO is a pair with its meetings and feedback.
type pairCardDTO struct {
	pairDTO
	MeetingLog []meetingDTO  `json:"meeting_log"`
	Feedback   []feedbackDTO `json:"feedback"`
}

// pairProposalDTO is a pair the engine proposes.
type pairProposalDTO struct {
	MentorID  int64    `json:"mentor_id"`
	Mentor    string   `json:"mentor"`
	LearnerID int64    `json:"learner_id"`
	Learner   string   `json:"learner"`
	Fit       int      `json:"fit"`
	Risk      *float64 `json:"risk"`
	Why       []string `json:"why"`
}

func fromPairProposal(p mentor.Proposal) pairProposalDTO {
	out := pairProposalDTO{MentorID: p.Mentor.ID, Mentor: p.Mentor.FullName, LearnerID: p.Candidate.LearnerID, Learner: p.Candidate.Name, Fit: p.Fit, Why: p.Why}
	if p.Candidate.Risk >= 0 {
		r := p.Candidate.Risk
		out.Risk = &r
	}
	if out.Why == nil {
		out.Why = []string{}
	}
	return out
}

// pairsRequest makes pairs of a programme: accepted proposals or chosen by hand.
type pairsRequest struct {
	Pairs      []choiceDTO `json:"pairs"`
	Start      string      `json:"start"`
	PlannedEnd string      `json:"planned_end"`
	Goals      string      `json:"goals"`
}

// choiceDTO is one pair to make.
type choiceDTO struct {
	MentorID   int64  `json:"mentor_id"`
	LearnerID  int64  `json:"learner_id,omitempty"`
	MenteeName string `json:"mentee_name,omitempty"`
}

// finishRequest ends a pair.
type finishRequest struct {
	End    string `json:"end"`
	Reason string `json:"reason,omitempty"`
}

// coverageDTO is mentorship coverage of one organisation, municipality or the region.
type mentorCoverageDTO struct {
	Key          string  `json:"key,omitempty"`
	Name         string  `json:"name,omitempty"`
	FullTime     int     `json:"full_time"`
	Mentored     int     `json:"mentored"`
	AtEnterprise int     `json:"at_enterprise"`
	Share        float64 `json:"share"`
}

func fromMentorCoverage(c mentor.Coverage) mentorCoverageDTO {
	return mentorCoverageDTO{Key: c.Key, Name: c.Name, FullTime: c.FullTime, Mentored: c.Mentored, AtEnterprise: c.AtEnterprise, Share: c.Share()}
}

// formRowDTO is the pairs of one form.
type formRowDTO struct {
	Form      string `json:"form"`
	Active    int    `json:"active"`
	Completed int    `json:"completed"`
	Early     int    `json:"early"`
	Meetings  int    `json:"meetings"`
}

// graduatesDTO is the employment of a group of graduates six months after graduation.
type graduatesDTO struct {
	Graduates int     `json:"graduates"`
	Employed  int     `json:"employed"`
	Share     float64 `json:"share"`
}

// mentorFiguresDTO is the figures of mentorship.
type mentorFiguresDTO struct {
	Total           mentorCoverageDTO   `json:"total"`
	ByOrg           []mentorCoverageDTO `json:"by_org"`
	ByMunicipality  []mentorCoverageDTO `json:"by_municipality"`
	ByForm          []formRowDTO        `json:"by_form"`
	Pairs           int                 `json:"pairs"`
	Active          int                 `json:"active"`
	Ended           int                 `json:"ended"`
	Early           int                 `json:"early"`
	Meetings        int                 `json:"meetings"`
	MeetingsPerPair float64             `json:"meetings_per_pair"`
	EarlyShare      float64             `json:"early_share"`
	GraduationYear  int                 `json:"graduation_year"`
	Mentored        graduatesDTO        `json:"mentored"`
	Rest            graduatesDTO        `json:"rest"`
	Comparison      mentorComparisonDTO `json:"comparison"`
}

func fromComparison(c learner.Comparison) mentorComparisonDTO {
	return mentorComparisonDTO{Mentored: c.Treated, Matched: c.Matched, Peers: c.Peers, Cells: c.Cells,
		MentoredShare: c.TreatedShare, PeersShare: c.PeersShare, Difference: c.Difference, Low: c.Low, High: c.High}
}

// mentorComparisonDTO is mentor.Comparison.
type mentorComparisonDTO struct {
	Mentored      int     `json:"mentored"`
	Matched       int     `json:"matched"`
	Peers         int     `json:"peers"`
	Cells         int     `json:"cells"`
	MentoredShare float64 `json:"mentored_share"`
	PeersShare    float64 `json:"peers_share"`
	Difference    float64 `json:"difference"`
	Low           float64 `json:"low"`
	High          float64 `json:"high"`
}

func (a *api) listProgrammes(w http.ResponseWriter, r *http.Request, c caller) error {
	ps, err := a.d.Mentor.Programmes(r.Context(), c.scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[programmeDTO]{Items: mapSlice(ps, fromProgramme)})
	return nil
}

// createProgramme answers 201 with the programme as stored.
func (a *api) createProgramme(w http.ResponseWriter, r *http.Request, c caller) error {
	var in programmeDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p := mentor.Programme{OrgID: in.OrgID, Form: mentor.Form(in.Form), Title: in.Title, Year: in.Year}
	if err := a.d.Mentor.SaveProgramme(r.Context(), c.scope, &p); err != nil {
		return err
	}
	if got, err := a.d.Mentor.Programme(r.Context(), c.scope, p.ID); err != nil {
		a.d.Log.Warn("api: read back programme", "id", p.ID, "err", err) // the answer is the programme as saved
	} else {
		p = got
	}
	w.Header().Set("Location", Prefix+"/mentorship/programmes/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, fromProgramme(p))
	return nil
}

func (a *api) listMentors(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := mentor.MentorFilter{OrgID: q.id("org_id"), EmployerID: q.id("employer_id")}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	ms, total, err := a.d.Mentor.Mentors(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[mentorDTO]{Items: mapSlice(ms, fromMentor), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// createMentor answers 201 with the mentor as stored.
func (a *api) createMentor(w http.ResponseWriter, r *http.Request, c caller) error {
	var in mentorDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m := mentor.Mentor{OrgID: in.OrgID, EmployerID: in.EmployerID, Kind: mentor.Kind(in.Kind), FullName: in.FullName, Position: in.Position,
		SpecialtyCode: in.SpecialtyCode, Capacity: in.Capacity}
	if err := a.d.Mentor.SaveMentor(r.Context(), c.scope, &m); err != nil {
		return err
	}
	if got, err := a.d.Mentor.Mentor(r.Context(), c.scope, m.ID); err != nil {
		a.d.Log.Warn("api: read back mentor", "id", m.ID, "err", err) // the answer is the mentor as saved
	} else {
		m = got
	}
	writeJSON(w, http.StatusCreated, fromMentor(m))
	return nil
}

// getMentor answers a mentor the caller sees.
func (a *api) getMentor(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.d.Mentor.Mentor(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromMentor(m))
	return nil
}

// updateMentor replaces the writable fields of a mentor (PUT is not a patch)
// and answers the mentor as stored.
func (a *api) updateMentor(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in mentorDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m := mentor.Mentor{ID: id, OrgID: in.OrgID, EmployerID: in.EmployerID, Kind: mentor.Kind(in.Kind), FullName: in.FullName, Position: in.Position,
		SpecialtyCode: in.SpecialtyCode, Capacity: in.Capacity}
	if err := a.d.Mentor.UpdateMentor(r.Context(), c.scope, &m); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromMentor(m))
	return nil
}

// mentorHistory answers the mentor's edits, the latest first.
func (a *api) mentorHistory(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := a.d.Mentor.MentorHistory(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeHistory(w, h)
	return nil
}

// listPairProposals answers the pairs the engine proposes for a programme.
func (a *api) listPairProposals(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ps, err := a.d.Mentor.Proposals(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[pairProposalDTO]{Items: mapSlice(ps, fromPairProposal)})
	return nil
}

// makePairs makes pairs all at once or none, and answers 201 with them.
func (a *api) makePairs(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in pairsRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	t := mentor.Terms{Start: parseDate(&errs, "start", in.Start), PlannedEnd: parseDate(&errs, "planned_end", in.PlannedEnd), Goals: in.Goals}
	if err := errs.Err(); err != nil {
		return err
	}
	choices := make([]mentor.Choice, len(in.Pairs))
	for i, ch := range in.Pairs {
		choices[i] = mentor.Choice{MentorID: ch.MentorID, LearnerID: ch.LearnerID, MenteeName: ch.MenteeName}
	}
	ps, err := a.d.Mentor.MakePairs(r.Context(), c.scope, id, choices, t)
	if err != nil {
		return err
	}
	out := make([]pairDTO, 0, len(ps))
	for _, p := range ps {
		if got, _, _, err := a.d.Mentor.Pair(r.Context(), c.scope, p.ID); err != nil {
			a.d.Log.Warn("api: read back pair", "id", p.ID, "err", err) // the answer is the pair as made
		} else {
			p = got
		}
		out = append(out, fromPair(p))
	}
	writeJSON(w, http.StatusCreated, items[pairDTO]{Items: out})
	return nil
}

func (a *api) listPairs(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := mentor.PairFilter{ProgrammeID: q.id("programme_id"), MentorID: q.id("mentor_id"), LearnerID: q.id("learner_id"),
		Status: mentor.Status(q.oneOf("status", names(mentor.Statuses())...))}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	ps, total, err := a.d.Mentor.Pairs(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[pairDTO]{Items: mapSlice(ps, fromPair), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// getPair answers a pair with its meetings and feedback; the read is audited.
func (a *api) getPair(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.writePair(w, r, c, id, http.StatusOK)
}

func (a *api) writePair(w http.ResponseWriter, r *http.Request, c caller, id int64, status int) error {
	p, ms, fs, err := a.d.Mentor.Pair(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, status, pairCardDTO{pairDTO: fromPair(p), MeetingLog: mapSlice(ms, fromMeeting), Feedback: mapSlice(fs, fromFeedback)})
	return nil
}

// addMeeting logs a meeting and answers the pair.
func (a *api) addMeeting(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in meetingDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	m := mentor.Meeting{PairID: id, HeldOn: parseDate(&errs, "held_on", in.HeldOn), Minutes: in.Minutes, Topic: in.Topic, Note: in.Note}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Mentor.AddMeeting(r.Context(), c.scope, &m); err != nil {
		return err
	}
	return a.writePair(w, r, c, id, http.StatusCreated)
}

// addFeedback records feedback and answers the pair.
func (a *api) addFeedback(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in feedbackDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	f := mentor.Feedback{PairID: id, Side: mentor.Side(in.Side), Rating: in.Rating, Comment: in.Comment}
	if err := a.d.Mentor.AddFeedback(r.Context(), c.scope, &f); err != nil {
		return err
	}
	return a.writePair(w, r, c, id, http.StatusCreated)
}

// finishPair ends a pair and answers it.
func (a *api) finishPair(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in finishRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var errs apperr.List
	end := parseDate(&errs, "end", in.End)
	if err := errs.Err(); err != nil {
		return err
	}
	if err := a.d.Mentor.FinishPair(r.Context(), c.scope, id, end, in.Reason); err != nil {
		return err
	}
	return a.writePair(w, r, c, id, http.StatusOK)
}

// mentorFigures answers the figures of mentorship; they are counts.
func (a *api) mentorFigures(w http.ResponseWriter, r *http.Request, c caller) error {
	f, err := a.d.Mentor.Figures(r.Context(), c.scope)
	if err != nil {
		return err
	}
	out := mentorFiguresDTO{Total: fromMentorCoverage(f.Total), ByOrg: mapSlice(f.ByOrg, fromMentorCoverage),
		ByMunicipality: mapSlice(f.ByMunicipality, fromMentorCoverage), Pairs: f.Pairs, Active: f.Active, Ended: f.Ended, Early: f.Early,
		Meetings: f.Meetings, MeetingsPerPair: f.MeetingsPerPair, EarlyShare: f.EarlyShare, GraduationYear: f.Year,
		Mentored: graduatesDTO{f.Mentored.Graduates, f.Mentored.Employed, f.Mentored.Share()}, Rest: graduatesDTO{f.Rest.Graduates, f.Rest.Employed, f.Rest.Share()},
		Comparison: fromComparison(f.Comparison)}
	for _, row := range f.ByForm {
		out.ByForm = append(out.ByForm, formRowDTO{Form: string(row.Form), Active: row.Active, Completed: row.Completed, Early: row.Early, Meetings: row.Meetings})
	}
	if out.ByForm == nil {
		out.ByForm = []formRowDTO{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
