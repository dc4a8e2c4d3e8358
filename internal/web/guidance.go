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
	"marshrut/internal/guidance"
	"marshrut/internal/history"
)

// guidancePage is the list of guidance events with the coverage at a glance.
type guidancePage struct {
	Filter      guidance.EventFilter
	Kinds       []guidance.Kind
	CanOrganise bool
	Mine        bool
	Error       string
	Items       []guidance.Event
	Total       int
	Pager       pager
	Coverage    *guidance.CoverageReport
}

// Guidance is the list of guidance events of the school year with the
// coverage at a glance.
func (w *Web) Guidance(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	f := guidance.EventFilter{Year: w.d.Guidance.Year(), Kind: guidance.Kind(q.Get("kind")), Bookable: q.Get("bookable") == "1",
		Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	if q.Get("mine") == "1" && sc.OrgID != 0 {
		f.OrganiserID = sc.OrgID
	}
	data := guidancePage{Filter: f, Kinds: guidance.Kinds, CanOrganise: guidance.CanOrganise(sc), Mine: q.Get("mine") == "1"}
	items, total, err := w.d.Guidance.Events(r.Context(), sc, f)
	status := http.StatusOK
	if apperr.Is(err, apperr.Invalid) {
		data.Error, status = apperr.Text(err), http.StatusBadRequest
	} else if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Items, data.Total, data.Pager = items, total, newPager(r, total)
	if rep, err := w.d.Guidance.Coverage(r.Context(), sc, 0, "school"); err != nil {
		w.logWithout(r, "guidance coverage", err) // the list stands without the coverage at a glance
	} else {
		data.Coverage = &rep
	}
	w.render(rw, r, status, "guidance", "guidance", data)
}

// EventForm is the form of a new event.
func (w *Web) EventForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !guidance.CanOrganise(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "недостаточно прав для создания мероприятий"))
		return
	}
	e := guidance.Event{Kind: guidance.Proba, HeldOn: w.d.Guidance.Now(), GradeFrom: 6, GradeTo: 11, Hours: 2, OrganiserID: sc.OrgID}
	w.renderEventForm(rw, r, http.StatusOK, e, nil)
}

// EditEventForm shows an event in the form, for its organiser and the region.
func (w *Web) EditEventForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	e, _, err := w.d.Guidance.Event(r.Context(), sc, id)
	if err == nil && !e.EditableBy(sc) {
		err = apperr.New(apperr.Forbidden, "мероприятие изменяют его организатор и регион")
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.renderEventForm(rw, r, http.StatusOK, e, nil)
}

// eventForm is the form of a new or edited event.
type eventForm struct {
	Event       guidance.Event
	Kinds       []guidance.Kind
	WholeRegion bool
	Fields      map[string]string
	Held        *time.Time // when the edited event took place, nil before
	Error       string
}

func (w *Web) renderEventForm(rw http.ResponseWriter, r *http.Request, status int, e guidance.Event, err error) {
	_, sc, _ := auth.Caller(r.Context())
	// Fields is never nil: the template indexes it, and index of nil fails the page.
	data := eventForm{Event: e, Kinds: guidance.Kinds, WholeRegion: sc.WholeRegion(), Fields: map[string]string{}}
	if e.ID != 0 {
		// An edited event says when it has taken place, and what it keeps then.
		if old, _, oerr := w.d.Guidance.Event(r.Context(), sc, e.ID); oerr != nil {
			w.logWithout(r, "event as saved", oerr) // the form stands without the notice of a held event
		} else if old.Held(w.d.Guidance.Now()) {
			data.Held = &old.HeldOn
		}
	}
	if err != nil {
		data.Error, data.Fields = apperr.Text(err), fieldMessages(err)
	}
	w.render(rw, r, status, "event_new", "guidance", data)
}

// CreateEvent creates an event from the form, or saves an edited one.
func (w *Web) CreateEvent(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	atoi := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(k))); return n }
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if id != 0 {
		// An edit names an event of the region: another one is not found.
		if _, _, err := w.d.Guidance.Event(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	e := guidance.Event{ID: id, Kind: guidance.Kind(r.PostFormValue("kind")), Title: r.PostFormValue("title"), Place: r.PostFormValue("place"),
		GradeFrom: atoi("grade_from"), GradeTo: atoi("grade_to"), Capacity: atoi("capacity"), Hours: atoi("hours"),
		SpecialtyCode: strings.TrimSpace(r.PostFormValue("specialty_code")), Ticket: r.PostFormValue("ticket") == "1",
		Bookable: r.PostFormValue("bookable") == "1", OrganiserID: int64(atoi("organiser_id"))}
	var err error
	if e.HeldOn, err = exchange.ParseDate(r.PostFormValue("held_on")); err != nil {
		err = apperr.Field("held_on", "дата проведения: %s", apperr.Text(err))
	} else if id != 0 {
		err = w.d.Guidance.UpdateEvent(r.Context(), sc, &e)
	} else {
		err = w.d.Guidance.CreateEvent(r.Context(), sc, &e)
	}
	if err != nil {
		if apperr.Is(err, apperr.Invalid) {
			w.renderEventForm(rw, r, http.StatusBadRequest, e, err)
			return
		}
		w.Error(rw, r, err)
		return
	}
	done := "created"
	if id != 0 {
		done = "saved"
	}
	http.Redirect(rw, r, fmt.Sprintf("/guidance/events/%d?done=%s", e.ID, done), http.StatusSeeOther)
}

// eventCard is an event's card.
type eventCard struct {
	Event        guidance.Event
	Bookings     []guidance.Booking
	CanRecord    bool
	CanBook      bool
	MyBooking    *guidance.Booking // the caller school's booking, nil without one
	CanEdit      bool
	History      []history.Entry
	Participants []guidance.Pupil
	classPick
	Done, Error string
}

// Event is an event's card: its bookings, and for a school its pupils and
// the entry of participation by class.
func (w *Web) Event(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	e, bookings, err := w.d.Guidance.Event(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := eventCard{Event: e, Bookings: bookings, CanRecord: guidance.CanRecord(sc),
		CanBook: sc.Role == auth.School && e.Bookable && e.OrganiserID != sc.OrgID, Done: r.URL.Query().Get("done")}
	for _, b := range bookings {
		if b.SchoolID == sc.OrgID {
			data.MyBooking = &b
		}
	}
	if e.EditableBy(sc) {
		data.CanEdit = true
		if data.History, err = w.d.Guidance.EventHistory(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	if sc.SeesPersons() {
		if data.Participants, err = w.d.Guidance.Participants(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	if sc.Role == auth.School {
		data.classPick = w.classPicker(r, sc)
	}
	data.Error = r.URL.Query().Get("error")
	w.render(rw, r, http.StatusOK, "event", "guidance", data)
}

// classPick is the school's classes and, when one is chosen, its pupils.
type classPick struct {
	Classes     []guidance.Class
	Class       *guidance.Class // the chosen class, nil before a choice
	ClassPupils []guidance.Pupil
}

// classPicker reads the school's classes and, when one is chosen, its pupils;
// the page stands without them when they cannot be read.
func (w *Web) classPicker(r *http.Request, sc auth.Scope) classPick {
	var p classPick
	classes, err := w.d.Guidance.Classes(r.Context(), sc, sc.OrgID)
	if err != nil {
		w.logWithout(r, "school classes", err)
		return p
	}
	p.Classes = classes
	chosen := r.URL.Query().Get("class")
	for _, c := range classes {
		if classKey(c) == chosen {
			p.Class = &c
			if p.ClassPupils, err = w.d.Guidance.ClassPupils(r.Context(), sc, sc.OrgID, c); err != nil {
				w.logWithout(r, "pupils of a class", err)
			}
		}
	}
	return p
}

func classKey(c guidance.Class) string { return strconv.Itoa(c.Grade) + "|" + c.Group }

// Book books places on an event for the caller's school.
func (w *Web) Book(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	seats, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("seats")))
	w.afterPost(rw, r, fmt.Sprintf("/guidance/events/%d", id), "booked", w.d.Guidance.Book(r.Context(), sc, id, seats))
}

// Record marks the chosen pupils as taking part in an event.
func (w *Web) Record(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ids, err := idList(r.PostForm["learner_id"])
	var n int
	if err == nil {
		n, err = w.d.Guidance.Record(r.Context(), sc, id, ids)
	}
	w.afterPost(rw, r, fmt.Sprintf("/guidance/events/%d", id), "recorded:"+strconv.Itoa(n), err)
}

// Unrecord takes a pupil off an event's list.
func (w *Web) Unrecord(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	lid, _ := strconv.ParseInt(r.PathValue("learner"), 10, 64)
	w.afterPost(rw, r, fmt.Sprintf("/guidance/events/%d", id), "removed", w.d.Guidance.Unrecord(r.Context(), sc, id, lid))
}

// afterPost redirects back to the page with the outcome: done, or the
// refusal's message for a wrong input; other errors are error pages.
func (w *Web) afterPost(rw http.ResponseWriter, r *http.Request, back, done string, err error) {
	switch {
	case err == nil:
		http.Redirect(rw, r, back+"?done="+url.QueryEscape(done), http.StatusSeeOther)
	case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict):
		http.Redirect(rw, r, back+"?error="+url.QueryEscape(apperr.Text(err)), http.StatusSeeOther)
	default:
		w.Error(rw, r, err)
	}
}

func idList(vals []string) ([]int64, error) {
	out := make([]int64, 0, len(vals))
	for _, v := range vals {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, apperr.Field("learner_id", "«%s» не является номером обучающегося", v)
		}
		out = append(out, id)
	}
	return out, nil
}

// coveragePage is the coverage of pupils with a school's профминимум level.
type coveragePage struct {
	Report      guidance.CoverageReport
	Export      map[string]template.URL
	Levels      []guidance.Level
	Level       guidance.Level
	LevelChosen bool
	Done, Error string
}

// Coverage is the coverage of pupils by guidance and informing this school
// year, by school or municipality, with the monthly trend.
func (w *Web) Coverage(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	rep, err := w.d.Guidance.Coverage(r.Context(), sc, 0, r.URL.Query().Get("by"))
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := coveragePage{Report: rep, Export: exportLinks(r, "/guidance/coverage/export"), Levels: guidance.Levels,
		Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error")}
	if sc.Role == auth.School {
		lv, chosen, err := w.d.Guidance.Level(r.Context(), sc.OrgID)
		if err != nil {
			w.logWithout(r, "school's профминимум level", err) // the form shows no level chosen
		} else {
			data.Level, data.LevelChosen = lv, chosen
		}
	}
	w.render(rw, r, http.StatusOK, "coverage", "guidance", data)
}

var coverageColumns = []exchange.Column{
	{Title: "Организация или территория", Width: 48}, {Title: "Школьники 6–11 классов", Kind: exchange.Int, Width: 14},
	{Title: "Охвачены профориентацией", Kind: exchange.Int, Width: 14}, {Title: "Доля охвата", Kind: exchange.Percent, Width: 12},
	{Title: "Школьники 9–11 классов", Kind: exchange.Int, Width: 14}, {Title: "Проинформированы о целевом обучении", Kind: exchange.Int, Width: 18},
	{Title: "Доля проинформированных", Kind: exchange.Percent, Width: 14},
	{Title: "Набрали часы своего уровня профминимума", Kind: exchange.Int, Width: 18}, {Title: "Доля", Kind: exchange.Percent, Width: 10},
	{Title: "Участники «Билета в будущее»", Kind: exchange.Int, Width: 16},
}

// CoverageExport downloads the coverage table: the report a school or the
// region submits, made of what was entered once.
func (w *Web) CoverageExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	rep, err := w.d.Guidance.Coverage(r.Context(), sc, 0, r.URL.Query().Get("by"))
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "proforientaciya-"+strconv.Itoa(int(rep.Year)), coverageColumns, func(write func([]any) error) error {
		for _, c := range append(rep.Rows, rep.Total) {
			if err := write([]any{c.Name, c.Pupils, c.Reached, ratio(c.Reached, c.Pupils), c.Seniors, c.Informed, ratio(c.Informed, c.Seniors),
				c.HoursMet, ratio(c.HoursMet, c.Pupils), c.Ticket}); err != nil {
				return err
			}
		}
		return nil
	})
}

func ratio(n, of int) any {
	if of == 0 {
		return nil
	}
	return float64(n) / float64(of)
}

// SetLevel records the school's профминимум level for the year.
func (w *Web) SetLevel(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	err := w.d.Guidance.SetLevel(r.Context(), sc, sc.OrgID, guidance.Level(r.PostFormValue("level")))
	w.afterPost(rw, r, "/guidance/coverage", "level", err)
}

// pupilsPage is the list of pupils with their guidance this year.
type pupilsPage struct {
	Filter guidance.PupilFilter
	Export map[string]template.URL
	Items  []guidance.Pupil
	Total  int
	Pager  pager
	Error  string
}

// GuidancePupils lists pupils with their guidance this year: those not
// reached, not informed or short of hours.
func (w *Web) GuidancePupils(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := pupilFilter(r)
	f.Limit, f.Offset = perPage, (pageOf(r)-1)*perPage
	data := pupilsPage{Filter: f, Export: exportLinks(r, "/guidance/pupils/export")}
	status := http.StatusOK
	if err == nil {
		var items []guidance.Pupil
		var total int
		items, total, err = w.d.Guidance.Pupils(r.Context(), sc, f)
		data.Items, data.Total, data.Pager = items, total, newPager(r, total)
		w.auditBulk(r, "pupils.list", len(items))
	}
	if apperr.Is(err, apperr.Invalid) {
		data.Error, status = apperr.Text(err), http.StatusBadRequest
	} else if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, status, "pupils", "guidance", data)
}

func pupilFilter(r *http.Request) (guidance.PupilFilter, error) {
	q := r.URL.Query()
	f := guidance.PupilFilter{Not: q.Get("not"), Group: strings.TrimSpace(q.Get("group"))}
	g, err := intParam(q, "grade", "класс")
	f.Grade = g
	if err == nil {
		var o int
		o, err = intParam(q, "org", "школа")
		f.OrgID = int64(o)
	}
	return f, err
}

var pupilColumns = []exchange.Column{
	{Title: "Школа", Width: 40}, {Title: "Класс", Width: 8}, {Title: "ФИО", Width: 36}, {Title: "Мероприятий", Kind: exchange.Int},
	{Title: "Часов", Kind: exchange.Int}, {Title: "Уровень школы", Width: 14}, {Title: "Часов по уровню", Kind: exchange.Int},
	{Title: "Проинформирован о целевом обучении", Kind: exchange.Date, Width: 18},
}

// GuidancePupilsExport downloads the filtered list of pupils.
func (w *Web) GuidancePupilsExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := pupilFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.exportPersons(rw, r, "pupils.export", "shkolniki-proforientaciya", pupilColumns, func(write func([]any) error) error {
		for f.Offset = 0; ; f.Offset += 1000 {
			f.Limit = 1000
			items, _, err := w.d.Guidance.Pupils(r.Context(), sc, f)
			if err != nil {
				return err
			}
			for _, p := range items {
				var informed any
				if !p.InformedOn.IsZero() {
					informed = p.InformedOn
				}
				class := p.Group
				if class == "" {
					class = strconv.Itoa(p.Grade)
				}
				if err := write([]any{p.School, class, p.Name, p.Activities, p.Hours, p.Level.Name(), p.Level.Hours(), informed}); err != nil {
					return err
				}
			}
			if len(items) < 1000 {
				return nil
			}
		}
	})
}

// informPage is the entry of informing about targeted education for a class.
type informPage struct {
	Methods []guidance.Method
	Today   time.Time
	classPick
	Done, Error string
}

// InformForm is the entry of informing about targeted education for a class.
func (w *Web) InformForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !guidance.CanRecord(sc) || sc.OrgID == 0 {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "информирование отмечает школа"))
		return
	}
	data := informPage{Methods: guidance.Methods, Today: w.d.Guidance.Now(), Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error"),
		classPick: w.classPicker(r, sc)}
	w.render(rw, r, http.StatusOK, "inform", "guidance", data)
}

// Inform records informing of the chosen pupils.
func (w *Web) Inform(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	ids, err := idList(r.PostForm["learner_id"])
	back := "/guidance/inform?class=" + url.QueryEscape(r.PostFormValue("class"))
	if err == nil {
		var on time.Time
		if on, err = exchange.ParseDate(r.PostFormValue("on")); err != nil {
			err = apperr.Field("on", "дата информирования: %s", apperr.Text(err))
		} else {
			err = w.d.Guidance.Inform(r.Context(), sc, ids, on, guidance.Method(r.PostFormValue("method")), r.PostFormValue("note"))
		}
	}
	if err == nil {
		http.Redirect(rw, r, back+"&done="+strconv.Itoa(len(ids)), http.StatusSeeOther)
		return
	}
	if apperr.Is(err, apperr.Invalid) {
		http.Redirect(rw, r, back+"&error="+url.QueryEscape(apperr.Text(err)), http.StatusSeeOther)
		return
	}
	w.Error(rw, r, err)
}

// fieldMessages maps a form's fields to their messages.
func fieldMessages(err error) map[string]string {
	out := map[string]string{}
	for _, e := range apperr.Fields(err) {
		if e.Field != "" {
			out[e.Field] = e.Message
		}
	}
	return out
}
