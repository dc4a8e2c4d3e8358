package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/history"
	"marshrut/internal/mentor"
	"marshrut/internal/org"
)

// mentorshipPage is the first page of mentorship.
type mentorshipPage struct {
	CanCoordinate bool
	CanAddMentors bool
	SeesFigures   bool
	Forms         []mentor.Form
	Year          int
	Programmes    []mentor.Programme
	Pairs         []mentor.Pair
	Total         int
	Pager         pager
	Status        string
	Statuses      []mentor.Status
	Orgs          []org.Organisation
	Done, Error   string
}

// Mentorship is the first page of mentorship: a coordinator's programmes,
// an employer's mentors and pairs, a learner's own pair.
func (w *Web) Mentorship(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	data := mentorshipPage{CanCoordinate: mentor.CanCoordinate(sc), CanAddMentors: mentor.CanAddMentors(sc), SeesFigures: mentor.SeesFigures(sc),
		Forms: mentor.Forms(), Year: w.d.Mentor.Now().Year(), Done: q.Get("done"), Error: q.Get("error")}
	progs, err := w.d.Mentor.Programmes(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Programmes = progs
	pairs, total, err := w.d.Mentor.Pairs(r.Context(), sc, mentor.PairFilter{Status: mentor.Status(q.Get("status")), Limit: perPage, Offset: (pageOf(r) - 1) * perPage})
	if apperr.Is(err, apperr.Invalid) {
		data.Error = apperr.Text(err)
	} else if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Pairs, data.Total, data.Pager, data.Status = pairs, total, newPager(r, total), q.Get("status")
	data.Statuses = mentor.Statuses()
	if sc.WholeRegion() {
		data.Orgs = w.educators(r)
	}
	w.render(rw, r, http.StatusOK, "mentor", "mentorship", data)
}

// educators lists the region's colleges, universities and schools for the region's forms.
func (w *Web) educators(r *http.Request) []org.Organisation {
	var out []org.Organisation
	for _, k := range []org.Kind{org.College, org.University} {
		list, _, err := w.d.Orgs.List(r.Context(), org.Filter{Kind: k, Limit: 500})
		if err != nil {
			w.logWithout(r, "educators for a form", err) // the form offers the others
			continue
		}
		out = append(out, list...)
	}
	return out
}

func formInt(r *http.Request, key string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(key)))
	return n
}

func formID(r *http.Request, key string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(key)), 10, 64)
	return n
}

// formDate reads a date field; a malformed one is a field error.
func formDate(r *http.Request, key, label string) (time.Time, error) {
	v := strings.TrimSpace(r.PostFormValue(key))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := exchange.ParseDate(v)
	if err != nil {
		return t, apperr.Field(key, "%s: %s", label, apperr.Text(err))
	}
	return t, nil
}

// CreateProgramme saves a new programme from the form.
func (w *Web) CreateProgramme(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	p := mentor.Programme{OrgID: formID(r, "org_id"), Form: mentor.Form(r.PostFormValue("form")), Title: r.PostFormValue("title"), Year: formInt(r, "year")}
	if err := w.d.Mentor.SaveProgramme(r.Context(), sc, &p); err != nil {
		w.afterPost(rw, r, "/mentorship", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/mentorship/programmes/%d?done=created", p.ID), http.StatusSeeOther)
}

// Programme is a programme's card: its pairs, the proposals of the engine
// with a form to accept them, and a form to make a pair by hand.
func (w *Web) Programme(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := w.d.Mentor.Programme(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	now := w.d.Mentor.Now()
	data := mentorProgrammePage{Programme: p, Done: q.Get("done"), Error: q.Get("error"), CanCoordinate: mentor.CanCoordinate(sc),
		Start: now, End: now.AddDate(0, 9, 0)}
	pairs, _, err := w.d.Mentor.Pairs(r.Context(), sc, mentor.PairFilter{ProgrammeID: id, Limit: 500})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Pairs = pairs
	if mentor.CanCoordinate(sc) {
		props, err := w.d.Mentor.Proposals(r.Context(), sc, id)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		mentors, _, err := w.d.Mentor.Mentors(r.Context(), sc, mentor.MentorFilter{OrgID: p.OrgID, Limit: 500})
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		var fit []mentor.Mentor
		for _, m := range mentors {
			if m.Active && m.Kind == p.Form.MentorKind() {
				fit = append(fit, m)
			}
		}
		data.Proposals, data.Mentors = props, fit
	}
	w.render(rw, r, http.StatusOK, "mentor_programme", "mentorship", data)
}

// mentorProgrammePage is a programme's card with its pairs and proposals.
type mentorProgrammePage struct {
	Programme     mentor.Programme
	CanCoordinate bool
	Start, End    time.Time
	Pairs         []mentor.Pair
	Proposals     []mentor.Proposal
	Mentors       []mentor.Mentor
	Done, Error   string
}

// MakePairs makes the pairs chosen on the programme's card: the accepted
// proposals (values «mentor:learner») or the one pair entered by hand.
func (w *Web) MakePairs(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/mentorship/programmes/%d", id)
	if err := r.ParseForm(); err != nil {
		w.afterPost(rw, r, back, "", apperr.Wrap(err, apperr.Invalid, "форма не прочитана"))
		return
	}
	var choices []mentor.Choice
	for _, v := range r.PostForm["pair"] {
		m, l, ok := strings.Cut(v, ":")
		mid, err1 := strconv.ParseInt(m, 10, 64)
		lid, err2 := strconv.ParseInt(l, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			w.afterPost(rw, r, back, "", apperr.Field("pair", "неверное предложение пары «%s»", v))
			return
		}
		choices = append(choices, mentor.Choice{MentorID: mid, LearnerID: lid})
	}
	if len(choices) == 0 && formID(r, "mentor_id") != 0 {
		choices = append(choices, mentor.Choice{MentorID: formID(r, "mentor_id"), LearnerID: formID(r, "learner_id"), MenteeName: r.PostFormValue("mentee_name")})
	}
	start, err := formDate(r, "start", "начало")
	var end time.Time
	if err == nil {
		end, err = formDate(r, "planned_end", "плановое завершение")
	}
	if err == nil {
		_, err = w.d.Mentor.MakePairs(r.Context(), sc, id, choices, mentor.Terms{Start: start, PlannedEnd: end, Goals: r.PostFormValue("goals")})
	}
	w.afterPost(rw, r, back, "paired", err)
}

// Mentors is the list of the mentors the caller sees, with the form of a new one.
func (w *Web) Mentors(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	list, total, err := w.d.Mentor.Mentors(r.Context(), sc, mentor.MentorFilter{Limit: perPage, Offset: (pageOf(r) - 1) * perPage})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := mentorsPage{Mentors: list, Total: total, Pager: newPager(r, total), CanAdd: mentor.CanAddMentors(sc),
		Done: q.Get("done"), Error: q.Get("error"), WholeRegion: sc.WholeRegion(), mentorFormPart: w.mentorFormData(r, mentor.Mentor{Capacity: 3})}
	w.render(rw, r, http.StatusOK, "mentor_mentors", "mentorship", data)
}

// mentorsPage is the list of mentors with the form of a new one.
type mentorsPage struct {
	Mentors     []mentor.Mentor
	Total       int
	Pager       pager
	CanAdd      bool
	WholeRegion bool
	mentorFormPart
	Done, Error string
}

// mentorFormPart is what the form of a mentor needs.
type mentorFormPart struct {
	Form     mentor.Mentor
	Kinds    []mentor.Kind
	Employer bool
	Orgs     []org.Organisation
}

// mentorFormData is what the form of a mentor needs.
func (w *Web) mentorFormData(r *http.Request, m mentor.Mentor) mentorFormPart {
	_, sc, _ := auth.Caller(r.Context())
	p := mentorFormPart{Form: m, Kinds: mentor.Kinds(), Employer: sc.Role == auth.Employer}
	if sc.Role == auth.Employer || sc.WholeRegion() {
		p.Orgs = w.educators(r)
	}
	return p
}

// mentorOfForm reads a mentor from its form.
func mentorOfForm(r *http.Request) mentor.Mentor {
	return mentor.Mentor{OrgID: formID(r, "org_id"), EmployerID: formID(r, "employer_id"), Kind: mentor.Kind(r.PostFormValue("kind")),
		FullName: r.PostFormValue("full_name"), Position: r.PostFormValue("position"), SpecialtyCode: r.PostFormValue("specialty_code"),
		Capacity: formInt(r, "capacity")}
}

// CreateMentor registers a mentor from the form.
func (w *Web) CreateMentor(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	m := mentorOfForm(r)
	err := w.d.Mentor.SaveMentor(r.Context(), sc, &m)
	w.afterPost(rw, r, "/mentorship/mentors", "created", err)
}

// mentorCard is a mentor's page with their pairs and the history of edits.
type mentorCard struct {
	Mentor      mentor.Mentor
	CanEdit     bool
	Pairs       []mentor.Pair
	History     []history.Entry
	Done, Error string
}

// MentorCard is a mentor's page: who they are, their pairs, and for those
// who may edit them the link to the form and the history of edits.
func (w *Web) MentorCard(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := w.d.Mentor.Mentor(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	canEdit := mentor.CanAddMentors(sc) && m.EditableBy(sc)
	data := mentorCard{Mentor: m, CanEdit: canEdit, Done: q.Get("done"), Error: q.Get("error")}
	pairs, _, err := w.d.Mentor.Pairs(r.Context(), sc, mentor.PairFilter{MentorID: id, Limit: 500})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Pairs = pairs
	if canEdit {
		h, err := w.d.Mentor.MentorHistory(r.Context(), sc, id)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.History = h
	}
	w.render(rw, r, http.StatusOK, "mentor_mentor", "mentorship", data)
}

// EditMentorForm shows a mentor in the form, for those who may edit them.
func (w *Web) EditMentorForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := w.d.Mentor.Mentor(r.Context(), sc, id)
	if err == nil && !(mentor.CanAddMentors(sc) && m.EditableBy(sc)) {
		err = apperr.New(apperr.Forbidden, "наставника правят образовательная организация, за которой он закреплён, его предприятие и регион")
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.renderMentorForm(rw, r, http.StatusOK, m, nil)
}

// mentorEditPage is the form of an edited mentor.
type mentorEditPage struct {
	mentorFormPart
	Error string
}

func (w *Web) renderMentorForm(rw http.ResponseWriter, r *http.Request, status int, m mentor.Mentor, err error) {
	data := mentorEditPage{mentorFormPart: w.mentorFormData(r, m)}
	if err != nil {
		data.Error = apperr.Text(err)
	}
	w.render(rw, r, status, "mentor_mentor_edit", "mentorship", data)
}

// UpdateMentor saves an edited mentor; a refused edit shows the form again
// with what was typed and why, nothing saved.
func (w *Web) UpdateMentor(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m := mentorOfForm(r)
	m.ID = id
	err := w.d.Mentor.UpdateMentor(r.Context(), sc, &m)
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/mentorship/mentors/%d?done=%s", id, url.QueryEscape("Изменения сохранены.")), http.StatusSeeOther)
	case apperr.Is(err, apperr.Invalid):
		w.renderMentorForm(rw, r, http.StatusBadRequest, m, err)
	case apperr.Is(err, apperr.Conflict):
		w.renderMentorForm(rw, r, http.StatusConflict, m, err)
	default:
		w.Error(rw, r, err)
	}
}

// mentorPairPage is a pair's card with its meetings and feedback.
type mentorPairPage struct {
	Pair              mentor.Pair
	Meetings          []mentor.Meeting
	Feedback          []mentor.Feedback
	MayLog, MayFinish bool
	Sides             []mentor.Side
	Today             time.Time
	Done, Error       string
}

// MentorPair is a pair's card: goals, the meeting log, feedback, and the
// forms the caller may use.
func (w *Web) MentorPair(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, meetings, feedback, err := w.d.Mentor.Pair(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "mentor_pair", "mentorship", mentorPairPage{Pair: p, Meetings: meetings, Feedback: feedback,
		MayLog: mentor.MayLog(sc, p), MayFinish: mentor.CanCoordinate(sc) && mentor.MayLog(sc, p), Sides: mentor.Sides(sc, p),
		Today: w.d.Mentor.Now(), Done: q.Get("done"), Error: q.Get("error")})
}

// AddMeeting logs a meeting from the pair's card.
func (w *Web) AddMeeting(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	held, err := formDate(r, "held_on", "дата встречи")
	if err == nil {
		err = w.d.Mentor.AddMeeting(r.Context(), sc, &mentor.Meeting{PairID: id, HeldOn: held, Minutes: formInt(r, "minutes"),
			Topic: r.PostFormValue("topic"), Note: r.PostFormValue("note")})
	}
	w.afterPost(rw, r, fmt.Sprintf("/mentorship/pairs/%d", id), "meeting", err)
}

// AddFeedback records feedback from the pair's card.
func (w *Web) AddFeedback(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := w.d.Mentor.AddFeedback(r.Context(), sc, &mentor.Feedback{PairID: id, Side: mentor.Side(r.PostFormValue("side")),
		Rating: formInt(r, "rating"), Comment: r.PostFormValue("comment")})
	w.afterPost(rw, r, fmt.Sprintf("/mentorship/pairs/%d", id), "feedback", err)
}

// FinishPair ends a pair from its card.
func (w *Web) FinishPair(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	end, err := formDate(r, "end", "дата завершения")
	if err == nil {
		err = w.d.Mentor.FinishPair(r.Context(), sc, id, end, r.PostFormValue("reason"))
	}
	w.afterPost(rw, r, fmt.Sprintf("/mentorship/pairs/%d", id), "finished", err)
}

// mentorFiguresPage is the figures of mentorship.
type mentorFiguresPage struct {
	F      mentor.Figures
	Export map[string]template.URL
}

// MentorFigures is the figures of mentorship: coverage by organisation and
// municipality, pairs by form, meetings, early ends, graduates' employment.
func (w *Web) MentorFigures(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := w.d.Mentor.Figures(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "mentor_figures", "mentorship", mentorFiguresPage{F: f, Export: exportLinks(r, "/mentorship/figures/export")})
}

var mentorColumns = []exchange.Column{
	{Title: "Разрез", Width: 16}, {Title: "Организация или муниципальное образование", Width: 48},
	{Title: "Студенты очной формы", Kind: exchange.Int}, {Title: "С действующим наставником", Kind: exchange.Int},
	{Title: "Охват наставничеством", Kind: exchange.Percent}, {Title: "С наставником с предприятия", Kind: exchange.Int},
	{Title: "Доля с наставником с предприятия", Kind: exchange.Percent},
}

// MentorFiguresExport downloads the coverage by organisation and municipality.
func (w *Web) MentorFiguresExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := w.d.Mentor.Figures(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "nastavnichestvo", mentorColumns, func(write func([]any) error) error {
		put := func(cut string, c mentor.Coverage) error {
			return write([]any{cut, c.Name, c.FullTime, c.Mentored, c.Share(), c.AtEnterprise, c.EnterpriseShare()})
		}
		for _, c := range f.ByOrg {
			if err := put("организация", c); err != nil {
				return err
			}
		}
		for _, c := range f.ByMunicipality {
			if err := put("муниципалитет", c); err != nil {
				return err
			}
		}
		return put("регион", mentor.Coverage{Name: "всего", FullTime: f.Total.FullTime, Mentored: f.Total.Mentored, AtEnterprise: f.Total.AtEnterprise})
	})
}
