package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/history"
	activemeasures "marshrut/internal/measures"
	"marshrut/internal/org"
)

// The pages of the programmes of active employment measures: the list of
// programmes, a programme with its groups, a group with its people and the
// forms to enrol and record completion, and the figures with their chart.

// measuresFilter reads the list's filter from the query.
func measuresFilter(r *http.Request) (activemeasures.Filter, error) {
	q := r.URL.Query()
	f := activemeasures.Filter{Query: strings.TrimSpace(q.Get("q")), Customer: activemeasures.Customer(q.Get("customer")),
		Format: activemeasures.Format(q.Get("format")), Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	p, err := intParam(q, "provider", "организация, которая обучает")
	f.ProviderID = int64(p)
	return f, err
}

// programmesPage is the list of programmes with the form of a new one.
type programmesPage struct {
	CanManage bool
	Query     url.Values
	Filter    activemeasures.Filter
	Filtered  bool
	Items     []activemeasures.Programme
	Total     int
	Pager     pager
	programmeFormPart
	Done, Error string
}

// Measures is the list of programmes with filters and, for those who
// manage, the form of a new programme.
func (w *Web) Measures(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !activemeasures.CanSee(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "программы содействия занятости видят регион, центры занятости, организации, которые по ним обучают, и работодатели-заказчики"))
		return
	}
	q := r.URL.Query()
	data := programmesPage{CanManage: activemeasures.CanManage(sc), Done: q.Get("done"), Error: q.Get("error"), Query: q,
		programmeFormPart: programmeFormPart{Customers: activemeasures.Customers, Formats: activemeasures.Formats}}
	f, err := measuresFilter(r)
	if err != nil {
		data.Error = apperr.Text(err)
		f = activemeasures.Filter{Limit: perPage}
	}
	list, total, err := w.d.Measures.Programmes(r.Context(), sc, f)
	if apperr.Is(err, apperr.Invalid) {
		data.Error = apperr.Text(err)
		list, total, err = w.d.Measures.Programmes(r.Context(), sc, activemeasures.Filter{Limit: perPage})
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Items, data.Total, data.Pager, data.Filter = list, total, newPager(r, total), f
	data.Filtered = f.Query != "" || f.Customer != "" || f.Format != "" || f.ProviderID != 0
	if activemeasures.CanManage(sc) {
		data.programmeFormPart = w.programmeFormData(r, activemeasures.Programme{Hours: 144})
	}
	w.render(rw, r, http.StatusOK, "measures", "measures", data)
}

// programmeFormPart is what the form of a programme needs.
type programmeFormPart struct {
	Form      activemeasures.Programme
	Customers []activemeasures.Customer
	Formats   []activemeasures.Format
	Providers []org.Organisation
	Employers []org.Organisation
}

// programmeFormData is what the form of a programme needs.
func (w *Web) programmeFormData(r *http.Request, p activemeasures.Programme) programmeFormPart {
	f := programmeFormPart{Form: p, Customers: activemeasures.Customers, Formats: activemeasures.Formats, Providers: w.providers(r)}
	// The customer is typed or chosen among the registry's employers;
	// an employer of the registry then sees the programmes it ordered.
	var err error
	if f.Employers, _, err = w.d.Orgs.List(r.Context(), org.Filter{Kind: org.Employer, Sort: "name", Limit: 2000}); err != nil {
		w.logWithout(r, "employers for a programme's form", err) // the customer is typed
	}
	return f
}

// EditMeasureProgrammeForm shows a programme in its form, for the region and
// the employment centre that manages it.
func (w *Web) EditMeasureProgrammeForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, _, err := w.d.Measures.Programme(r.Context(), sc, id)
	if err == nil && !p.EditableBy(sc) {
		err = apperr.New(apperr.Forbidden, "программу правят регион и центр занятости, который её ведёт")
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.renderProgrammeForm(rw, r, http.StatusOK, p, nil)
}

// programmeEditPage is the form of an edited programme.
type programmeEditPage struct {
	programmeFormPart
	Error string
}

func (w *Web) renderProgrammeForm(rw http.ResponseWriter, r *http.Request, status int, p activemeasures.Programme, err error) {
	data := programmeEditPage{programmeFormPart: w.programmeFormData(r, p)}
	if err != nil {
		data.Error = apperr.Text(err)
	}
	w.render(rw, r, status, "measures_programme_edit", "measures", data)
}

// programmeOfForm reads a programme from its form.
func programmeOfForm(r *http.Request) (activemeasures.Programme, error) {
	p := activemeasures.Programme{Name: r.PostFormValue("name"), ProviderID: formID(r, "provider_id"), ProviderName: r.PostFormValue("provider_name"),
		Customer: activemeasures.Customer(r.PostFormValue("customer")), CustomerName: r.PostFormValue("customer_name"),
		Profession: r.PostFormValue("profession"), Format: activemeasures.Format(r.PostFormValue("format"))}
	var err error
	if p.Hours, err = formNumber(r, "hours", "объём, часов"); err == nil {
		p.Price, err = formNumber(r, "price", "стоимость обучения одного человека")
	}
	return p, err
}

// UpdateMeasureProgramme saves an edited programme; a refused edit shows the
// form again with what was typed and why, nothing saved.
func (w *Web) UpdateMeasureProgramme(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := programmeOfForm(r)
	p.ID = id
	if err == nil {
		err = w.d.Measures.UpdateProgramme(r.Context(), sc, &p)
	}
	switch {
	case err == nil:
		http.Redirect(rw, r, fmt.Sprintf("/measures/programmes/%d?done=%s", id, url.QueryEscape("Изменения сохранены.")), http.StatusSeeOther)
	case apperr.Is(err, apperr.Invalid):
		w.renderProgrammeForm(rw, r, http.StatusBadRequest, p, err)
	case apperr.Is(err, apperr.Conflict):
		w.renderProgrammeForm(rw, r, http.StatusConflict, p, err)
	default:
		w.Error(rw, r, err)
	}
}

// providers lists the organisations of the region that may teach a programme.
func (w *Web) providers(r *http.Request) []org.Organisation {
	var out []org.Organisation
	for _, k := range []org.Kind{org.College, org.University, org.HRCentre, org.Employer} {
		list, _, err := w.d.Orgs.List(r.Context(), org.Filter{Kind: k, Limit: 500})
		if err != nil {
			w.logWithout(r, "providers for a programme's form", err) // the provider is typed
			continue
		}
		out = append(out, list...)
	}
	return out
}

// CreateMeasureProgramme saves a new programme from the form.
func (w *Web) CreateMeasureProgramme(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	p, err := programmeOfForm(r)
	if err == nil {
		err = w.d.Measures.CreateProgramme(r.Context(), sc, &p)
	}
	if err != nil {
		w.afterPost(rw, r, "/measures", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/measures/programmes/%d?done=%s", p.ID, url.QueryEscape("Программа добавлена.")), http.StatusSeeOther)
}

// formNumber reads a whole number of a form written with spaces between
// thousands; an empty field is 0, anything else not a number is a field error.
func formNumber(r *http.Request, key, label string) (int, error) {
	v := strings.Map(func(c rune) rune {
		if c == ' ' || c == '\u00a0' || c == '\u202f' {
			return -1
		}
		return c
	}, r.PostFormValue(key))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, apperr.Field(key, "%s: «%s» — не целое число", label, r.PostFormValue(key))
	}
	return n, nil
}

// measureProgrammePage is a programme with its groups and history.
type measureProgrammePage struct {
	P            activemeasures.Programme
	Groups       []activemeasures.Group
	CanManage    bool
	CanEdit      bool
	Today, Later string
	History      []history.Entry
	Done, Error  string
}

// MeasureProgramme is a programme with its groups and, for those who
// manage, the form of a new group.
func (w *Web) MeasureProgramme(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, groups, err := w.d.Measures.Programme(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	now := w.d.Measures.Now()
	data := measureProgrammePage{P: p, Groups: groups,
		CanManage: activemeasures.CanManage(sc), Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error"),
		Today: now.Format("2006-01-02"), Later: now.AddDate(0, 3, 0).Format("2006-01-02"), CanEdit: p.EditableBy(sc)}
	if p.EditableBy(sc) {
		h, err := w.d.Measures.ProgrammeHistory(r.Context(), sc, id)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.History = h
	}
	w.render(rw, r, http.StatusOK, "measures_programme", "measures", data)
}

// CreateMeasureGroup saves a new group of a programme from the form.
func (w *Web) CreateMeasureGroup(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/measures/programmes/%d", id)
	g := activemeasures.Group{ProgrammeID: id, Name: r.PostFormValue("name")}
	var err error
	if g.Capacity, err = formNumber(r, "capacity", "число мест"); err == nil {
		if g.Start, err = formDate(r, "starts_on", "начало обучения"); err == nil {
			g.End, err = formDate(r, "ends_on", "окончание обучения")
		}
	}
	if err == nil {
		err = w.d.Measures.CreateGroup(r.Context(), sc, &g)
	}
	if err != nil {
		w.afterPost(rw, r, back, "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/measures/groups/%d?done=%s", g.ID, url.QueryEscape("Группа добавлена.")), http.StatusSeeOther)
}

// measureGroupPage is a group with its people and the forms on them.
type measureGroupPage struct {
	G              activemeasures.Group
	Items          []activemeasures.Enrolment
	CanEnrol       bool
	Categories     []activemeasures.Category
	Today          string
	Partial        bool
	Municipalities []classifier.Municipality
	Done, Error    string
}

// MeasureGroup is a group with the people the caller sees in it and the
// forms to enrol, complete and drop.
func (w *Web) MeasureGroup(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	g, list, err := w.d.Measures.Group(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := measureGroupPage{G: g, Items: list, CanEnrol: activemeasures.CanEnrol(sc), Categories: activemeasures.Categories,
		Today: w.d.Measures.Now().Format("2006-01-02"), Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error"),
		Partial: sc.Role == auth.CZN && len(list) < g.Studying+g.Completed+g.Dropped}
	if data.Municipalities, err = w.d.Municipalities.Municipalities(r.Context(), sc.RegionCode); err != nil {
		w.logWithout(r, "municipalities for an enrolment", err) // the form offers the centre's own
	}
	w.auditBulk(r, "enrolments.list", len(list))
	w.render(rw, r, http.StatusOK, "measures_group", "measures", data)
}

// Enrol enrols a person from the group's form: a learner by number, or a
// person by name, birth year and SNILS.
func (w *Web) Enrol(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/measures/groups/%d", id)
	e := activemeasures.Enrolment{GroupID: id, Category: activemeasures.Category(r.PostFormValue("category")), LearnerID: formID(r, "learner_id"),
		Person: activemeasures.Person{LastName: r.PostFormValue("last_name"), FirstName: r.PostFormValue("first_name"),
			MiddleName: r.PostFormValue("middle_name"), SNILS: r.PostFormValue("snils"), MunicipalityID: formID(r, "municipality_id")}}
	var err error
	if strings.TrimSpace(r.PostFormValue("learner_id")) != "" && e.LearnerID <= 0 {
		err = apperr.Field("learner_id", "номер обучающегося «%s» — не целое положительное число", r.PostFormValue("learner_id"))
	}
	if err == nil && e.LearnerID == 0 {
		e.Person.BirthYear, err = formNumber(r, "birth_year", "год рождения")
	}
	if err == nil {
		e.Enrolled, err = formDate(r, "enrolled_on", "дата зачисления")
	}
	if err == nil {
		err = w.d.Measures.Enrol(r.Context(), sc, &e)
	}
	w.afterPost(rw, r, back, "Зачисление записано.", err)
}

// enrolmentAction runs an action on an enrolment and returns to its group.
func (w *Web) enrolmentAction(rw http.ResponseWriter, r *http.Request, done string, act func(sc auth.Scope, id int64) error) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	e, err := w.d.Measures.Enrolment(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.afterPost(rw, r, fmt.Sprintf("/measures/groups/%d", e.GroupID), done, act(sc, id))
}

// CompleteEnrolment records the completion of training, with the job of a
// person who is not a learner when it is known.
func (w *Web) CompleteEnrolment(rw http.ResponseWriter, r *http.Request) {
	w.enrolmentAction(rw, r, "Завершение обучения записано.", func(sc auth.Scope, id int64) error {
		on, err := formDate(r, "completed_on", "дата завершения")
		if err != nil {
			return err
		}
		employed, err := formDate(r, "employed_on", "дата трудоустройства")
		if err != nil {
			return err
		}
		return w.d.Measures.Complete(r.Context(), sc, id, on, employed, r.PostFormValue("employer"))
	})
}

// DropEnrolment records that a person dropped out; the form asks to confirm.
func (w *Web) DropEnrolment(rw http.ResponseWriter, r *http.Request) {
	w.enrolmentAction(rw, r, "Отчисление записано.", func(sc auth.Scope, id int64) error {
		if r.PostFormValue("confirm") != "1" {
			return apperr.Field("confirm", "подтвердите отчисление: отметьте «подтверждаю»")
		}
		on, err := formDate(r, "dropped_on", "дата отчисления")
		if err != nil {
			return err
		}
		return w.d.Measures.Drop(r.Context(), sc, id, on)
	})
}

// RecordEmployment records the job found by a person who is not a learner.
func (w *Web) RecordEmployment(rw http.ResponseWriter, r *http.Request) {
	w.enrolmentAction(rw, r, "Трудоустройство записано.", func(sc auth.Scope, id int64) error {
		on, err := formDate(r, "employed_on", "дата трудоустройства")
		if err != nil {
			return err
		}
		return w.d.Measures.RecordEmployment(r.Context(), sc, id, on, r.PostFormValue("employer"))
	})
}

// CompleteAll records the completion of the enrolments ticked on the group's
// page, all of them or none.
func (w *Web) CompleteAll(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/measures/groups/%d", id)
	if err := r.ParseForm(); err != nil {
		w.afterPost(rw, r, back, "", apperr.New(apperr.Invalid, "форма не прочитана"))
		return
	}
	var ids []int64
	for _, v := range r.PostForm["ids"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			w.afterPost(rw, r, back, "", apperr.Field("ids", "зачисление «%s» не найдено", v))
			return
		}
		ids = append(ids, n)
	}
	on, err := formDate(r, "completed_on", "дата завершения")
	if err == nil && on.IsZero() {
		err = apperr.Field("completed_on", "укажите дату завершения обучения")
	}
	if err == nil {
		err = w.d.Measures.CompleteAll(r.Context(), sc, ids, on)
	}
	w.afterPost(rw, r, back, fmt.Sprintf("Завершение обучения записано: %s.", Count(len(ids), "человек", "человека", "человек")), err)
}
