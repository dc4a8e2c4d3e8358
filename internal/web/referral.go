package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/history"
	"marshrut/internal/learner"
	activemeasures "marshrut/internal/measures"
	"marshrut/internal/org"
	"marshrut/internal/referral"
)

// The employment centres' youth services: the catalogue, a service's card
// with the people referred, the form that adds or edits a service, the
// centre's referrals and the result of each.

// servicesPage is the catalogue.
type servicesPage struct {
	Items          []referral.Offering
	Total          int
	Pager          pager
	Filter         referral.Filter
	Kinds          []referral.Kind
	Municipalities []classifier.Municipality
	CanManage      bool
	CanRefer       bool
	Done           string
}

// Services is the catalogue of youth services, filtered.
func (w *Web) Services(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	f := referral.Filter{Kind: referral.Kind(q.Get("kind")), Query: q.Get("q"), Current: q.Get("all") == "",
		Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	f.MunicipalityID, _ = strconv.ParseInt(q.Get("municipality"), 10, 64)
	f.Age, _ = strconv.Atoi(q.Get("age"))
	if f.Kind != "" && !f.Kind.Valid() {
		w.Error(rw, r, apperr.Field("kind", "неизвестный вид услуги «%s»", f.Kind))
		return
	}
	items, total, err := w.d.Referrals.Offerings(r.Context(), sc, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	p := servicesPage{Items: items, Total: total, Pager: newPager(r, total), Filter: f, Kinds: referral.Kinds,
		CanManage: referral.CanManage(sc), CanRefer: referral.CanRefer(sc), Done: q.Get("done")}
	if p.Municipalities, err = w.d.Municipalities.Municipalities(r.Context(), sc.RegionCode); err != nil {
		w.logWithout(r, "municipalities of the filter", err) // the catalogue stands without the choice
	}
	w.render(rw, r, http.StatusOK, "services", "services", p)
}

// servicePage is a service's card.
type servicePage struct {
	S         referral.Offering
	Referrals []referral.Referral
	Total     int
	CanEdit   bool
	SeesRefs  bool
	Done      string
	History   []history.Entry // the edits, to those who may edit
}

// Service is a service of the catalogue with the referrals to it the caller
// sees.
func (w *Web) Service(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s, err := w.d.Referrals.Offering(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	p := servicePage{S: s, CanEdit: s.EditableBy(sc), Done: r.URL.Query().Get("done")}
	if p.CanEdit {
		if p.History, err = w.d.Referrals.OfferingHistory(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	if referral.CanSeeReferrals(sc) {
		p.SeesRefs = true
		if p.Referrals, p.Total, err = w.d.Referrals.Referrals(r.Context(), sc, referral.RefFilter{OfferingID: id, Limit: 200}); err != nil {
			w.Error(rw, r, err)
			return
		}
		w.auditBulk(r, "referrals.list", len(p.Referrals))
	}
	w.render(rw, r, http.StatusOK, "service", "services", p)
}

// serviceForm is the form that adds or edits a service.
type serviceForm struct {
	S              referral.Offering
	New            bool
	Kinds          []referral.Kind
	Centres        []org.Organisation // the region chooses the centre
	Municipalities []classifier.Municipality
	Groups         []activemeasures.Group
	Error          string
}

// serviceForm builds the form; a list of choices that cannot be read is
// logged and the form offers the rest.
func (w *Web) serviceForm(r *http.Request, sc auth.Scope, s referral.Offering, isNew bool, errText string) serviceForm {
	ctx := r.Context()
	f := serviceForm{S: s, New: isNew, Kinds: referral.Kinds, Error: errText}
	var err error
	if f.Municipalities, err = w.d.Municipalities.Municipalities(ctx, sc.RegionCode); err != nil {
		w.logWithout(r, "municipalities of a service's form", err)
	}
	if sc.WholeRegion() && isNew {
		if f.Centres, _, err = w.d.Orgs.List(ctx, org.Filter{Kind: org.CZN, Sort: "name", Limit: 200}); err != nil {
			w.logWithout(r, "employment centres of a service's form", err)
		}
	}
	// The groups that still take people: those of the programmes the
	// caller sees, not yet ended.
	if w.d.Measures != nil && activemeasures.CanSee(sc) {
		progs, _, err := w.d.Measures.Programmes(ctx, sc, activemeasures.Filter{Limit: 200})
		if err != nil {
			w.logWithout(r, "programmes of a service's form", err)
		}
		today := referral.Day(w.d.Referrals.Now())
		for _, p := range progs {
			_, groups, err := w.d.Measures.Programme(ctx, sc, p.ID)
			if err != nil {
				w.logWithout(r, "groups of a service's form", err)
				continue
			}
			for _, g := range groups {
				if !g.End.Before(today) || g.ID == s.GroupID {
					f.Groups = append(f.Groups, g)
				}
			}
		}
	}
	return f
}

// NewServiceForm shows the empty form; the dates default to the coming
// summer for summer work and to the next three months otherwise.
func (w *Web) NewServiceForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !referral.CanManage(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "услуги в каталог добавляют центры занятости и регион"))
		return
	}
	today := referral.Day(w.d.Referrals.Now())
	s := referral.Offering{Kind: referral.Kind(r.URL.Query().Get("kind")), AgeMin: 14, AgeMax: 35, Places: 10, Start: today, End: today.AddDate(0, 3, 0)}
	if !s.Kind.Valid() {
		s.Kind = referral.Consultation
	}
	w.render(rw, r, http.StatusOK, "service_form", "services", w.serviceForm(r, sc, s, true, ""))
}

// EditServiceForm shows a service in the form.
func (w *Web) EditServiceForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s, err := w.d.Referrals.Offering(r.Context(), sc, id)
	if err == nil && !(referral.CanManage(sc) && (sc.WholeRegion() || s.CZNID == sc.OrgID)) {
		err = apperr.New(apperr.Forbidden, "услугу правят центр занятости, который её оказывает, и регион")
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "service_form", "services", w.serviceForm(r, sc, s, false, ""))
}

// offeringFromForm reads a service from the posted form.
func offeringFromForm(r *http.Request) (referral.Offering, error) {
	s := referral.Offering{Kind: referral.Kind(r.PostFormValue("kind")), Name: r.PostFormValue("name"), Audience: r.PostFormValue("audience"),
		Provider: r.PostFormValue("provider"), MunicipalityID: formID(r, "municipality_id"), GroupID: formID(r, "group_id"), CZNID: formID(r, "czn_id")}
	var err error
	if s.AgeMin, err = formNumber(r, "age_min", "возраст «от»"); err != nil {
		return s, err
	}
	if s.AgeMax, err = formNumber(r, "age_max", "возраст «до»"); err != nil {
		return s, err
	}
	if s.Places, err = formNumber(r, "places", "число мест"); err != nil {
		return s, err
	}
	if s.Start, err = formDate(r, "starts_on", "дата начала"); err != nil {
		return s, err
	}
	s.End, err = formDate(r, "ends_on", "дата окончания")
	return s, err
}

// SaveService adds a service or rewrites one; a refusal shows the form again
// with what was typed and the reason.
func (w *Web) SaveService(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s, err := offeringFromForm(r)
	if err == nil {
		if id == 0 {
			err = w.d.Referrals.Create(r.Context(), sc, &s)
		} else {
			err = w.d.Referrals.Update(r.Context(), sc, id, &s)
		}
	}
	if err != nil {
		if c := apperr.CodeOf(err); c == apperr.Invalid || c == apperr.Conflict {
			s.ID = id
			w.render(rw, r, apperr.HTTPStatus(c), "service_form", "services", w.serviceForm(r, sc, s, id == 0, apperr.Text(err)))
			return
		}
		w.Error(rw, r, err)
		return
	}
	done := "Услуга добавлена в каталог."
	if id != 0 {
		done = "Изменения сохранены."
	}
	w.afterPost(rw, r, fmt.Sprintf("/services/%d", s.ID), done, nil)
}

// referralsPage is the centre's referrals.
type referralsPage struct {
	Items    []referral.Referral
	Total    int
	Pager    pager
	Status   referral.Status
	Statuses []referral.Status
	Today    string
	CanRefer bool
	Done     string
	Error    string
}

// Referrals lists the referrals the caller sees, with the forms that record
// their results.
func (w *Web) Referrals(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	f := referral.RefFilter{Status: referral.Status(q.Get("status")), Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	if f.Status != "" && !f.Status.Valid() {
		w.Error(rw, r, apperr.Field("status", "неизвестное состояние направления «%s»", f.Status))
		return
	}
	items, total, err := w.d.Referrals.Referrals(r.Context(), sc, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.auditBulk(r, "referrals.list", len(items))
	w.render(rw, r, http.StatusOK, "referrals", "services", referralsPage{Items: items, Total: total, Pager: newPager(r, total),
		Status: f.Status, Statuses: referral.Statuses, Today: w.d.Referrals.Now().Format("2006-01-02"), CanRefer: referral.CanRefer(sc),
		Done: q.Get("done"), Error: q.Get("error")})
}

// Refer sends a young person to a service or a vacancy from a case or a
// card, and goes back there.
func (w *Web) Refer(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	x := referral.Referral{LearnerID: formID(r, "learner_id"), CaseID: formID(r, "case_id"), Note: r.PostFormValue("note")}
	// One select offers both: «s:ID» for a service, «v:ID» for a vacancy.
	target := strings.TrimSpace(r.PostFormValue("target"))
	var err error
	switch kind, id, _ := strings.Cut(target, ":"); kind {
	case "s":
		if x.OfferingID, err = strconv.ParseInt(id, 10, 64); err != nil || x.OfferingID <= 0 {
			err = apperr.Field("target", "услуга «%s» не найдена: выберите из списка", id)
		}
	case "v":
		x.VacancyID = id
	default:
		err = apperr.Field("target", "выберите услугу или вакансию, куда направить")
	}
	back := fmt.Sprintf("/learners/%d", x.LearnerID)
	if x.CaseID != 0 {
		back = fmt.Sprintf("/risk/cases/%d", x.CaseID)
	}
	if err == nil {
		err = w.d.Referrals.Refer(r.Context(), sc, &x)
	}
	done := "Направление № " + strconv.FormatInt(x.ID, 10) + " записано: " + x.Target() + "."
	if x.EnrolmentID != 0 {
		done = "Направление № " + strconv.FormatInt(x.ID, 10) + " записано, человек зачислен в группу: " + x.Target() + "."
	}
	w.afterPost(rw, r, back, done, err)
}

// ReferralResult records what came of a referral.
func (w *Web) ReferralResult(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c := referral.Change{Status: referral.Status(r.PostFormValue("status")), Reason: r.PostFormValue("reason")}
	var err error
	if c.On, err = formDate(r, "on", "дата"); err == nil {
		err = w.d.Referrals.Change(r.Context(), sc, id, c)
	}
	back := "/referrals"
	if v := r.PostFormValue("back"); strings.HasPrefix(v, "/risk/cases/") || strings.HasPrefix(v, "/services/") {
		if _, perr := strconv.ParseInt(v[strings.LastIndexByte(v, '/')+1:], 10, 64); perr == nil {
			back = v
		}
	}
	w.afterPost(rw, r, back, "Итог направления записан: "+c.Status.Name()+".", err)
}

// referBlock is what a case or a card shows of the person's referrals and
// the form that makes one.
type referBlock struct {
	LearnerID int64
	CaseID    int64
	Items     []referral.Referral
	Services  []referral.Offering
	Vacancies []referVacancy
	CanRefer  bool
	Today     string
	Back      string
	CSRF      string
}

// referralItem is a referral in a list, with what its result form needs.
type referralItem struct {
	R        referral.Referral
	CanRefer bool
	Today    string
	CSRF     string
	Back     string
}

type referVacancy struct {
	ID, Title, Employer string
}

// referBlockFor fills the referrals block of a person: their referrals and,
// for a centre that works with them, the services they fit and the
// vacancies recommended to them.
func (w *Web) referBlockFor(r *http.Request, sc auth.Scope, l learner.Learner, caseID int64, canRefer bool) (*referBlock, error) {
	if w.d.Referrals == nil || !referral.CanSeeReferrals(sc) {
		return nil, nil
	}
	ctx := r.Context()
	b := &referBlock{LearnerID: l.ID, CaseID: caseID, CanRefer: canRefer && referral.CanRefer(sc), Today: w.d.Referrals.Now().Format("2006-01-02"),
		Back: fmt.Sprintf("/learners/%d", l.ID)}
	if caseID != 0 {
		b.Back = fmt.Sprintf("/risk/cases/%d", caseID)
	}
	if s, ok := auth.SessionFrom(ctx); ok {
		b.CSRF = s.CSRF
	}
	var err error
	if b.Items, _, err = w.d.Referrals.Referrals(ctx, sc, referral.RefFilter{LearnerID: l.ID, Limit: 100}); err != nil {
		return nil, err
	}
	if !b.CanRefer {
		return b, nil
	}
	f := referral.Filter{Current: true, MunicipalityID: l.MunicipalityID, Limit: 200}
	if !l.BirthDate.IsZero() {
		f.Age = referral.Age(l.BirthDate, w.d.Referrals.Now())
	}
	if b.Services, _, err = w.d.Referrals.Offerings(ctx, sc, f); err != nil {
		return nil, err
	}
	if w.d.Routing != nil && l.Status != learner.Pupil {
		rec, err := w.d.Routing.ForLearner(ctx, sc, l.ID, 15)
		if err != nil {
			w.logWithout(r, "vacancies recommended to a person", err) // the block offers the services
		} else {
			for _, p := range rec.Pairs {
				b.Vacancies = append(b.Vacancies, referVacancy{ID: p.Place.VacancyID, Title: p.Place.Title, Employer: p.Place.EmployerName})
			}
		}
	}
	return b, nil
}
