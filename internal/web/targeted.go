package web

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/ddo"
	"marshrut/internal/exchange"
	"marshrut/internal/history"
	"marshrut/internal/org"
	"marshrut/internal/targeted"
)

// targetedPage is the list of offers; to a learner or a parent also the
// offers that suit the young person and their applications.
type targetedPage struct {
	Filter   targeted.OfferFilter
	Statuses []targeted.OfferStatus
	CanOffer bool
	Mine     bool // an employer's own offers only
	Done     string
	Error    string
	Items    []targeted.Offer
	Total    int
	Pager    pager
	Suitable []targeted.Suitable
	MyApps   []targeted.ApplicationView // the young person's own applications
}

// Targeted is the list of offers of targeted education; a learner sees the
// offers that suit them first, an employer its own with drafts.
func (w *Web) Targeted(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	f := targeted.OfferFilter{SpecialtyCode: strings.TrimSpace(q.Get("specialty")), Status: targeted.OfferStatus(q.Get("status")),
		Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	if q.Get("mine") == "1" && sc.Role == auth.Employer {
		f.EmployerID = sc.OrgID
	}
	data := targetedPage{Filter: f, Statuses: targeted.OfferStatuses(), CanOffer: targeted.CanOffer(sc), Mine: f.EmployerID != 0,
		Done: q.Get("done"), Error: q.Get("error")}
	status := http.StatusOK
	items, total, err := w.d.Targeted.Offers(r.Context(), sc, f)
	if apperr.Is(err, apperr.Invalid) {
		data.Error, status = apperr.Text(err), http.StatusBadRequest
	} else if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Items, data.Total, data.Pager = items, total, newPager(r, total)
	if sc.Own() {
		suitable, err := w.d.Targeted.ForLearner(r.Context(), sc, sc.LearnerID)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Suitable = w.byInclination(r, sc, suitable)
		if data.MyApps, _, err = w.d.Targeted.Applications(r.Context(), sc, targeted.ApplicationFilter{LearnerID: sc.LearnerID}); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	w.render(rw, r, status, "targeted", "targeted", data)
}

// OfferForm is the form of a new offer.
func (w *Web) OfferForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !targeted.CanOffer(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "предложения целевого обучения публикуют работодатели и регион"))
		return
	}
	now := w.d.Targeted.Now()
	o := targeted.Offer{Places: 1, WorkYears: 3, Year: now.Year() + 1, Status: targeted.Published, Deadline: now.AddDate(0, 3, 0)}
	// The place of work defaults to where the employer is.
	if sc.Role == auth.Employer {
		e, err := w.d.Orgs.Get(r.Context(), sc.OrgID)
		if err != nil {
			w.logWithout(r, "employer's municipality", err)
		}
		o.MunicipalityID = e.MunicipalityID
	}
	w.renderOfferForm(rw, r, http.StatusOK, o, nil)
}

// EditOfferForm shows an offer in the form, for its employer and the region.
func (w *Web) EditOfferForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o, err := w.d.Targeted.Offer(r.Context(), sc, id)
	if err == nil && !(sc.WholeRegion() || sc.Role == auth.Employer && sc.OrgID == o.EmployerID) {
		err = apperr.New(apperr.Forbidden, "предложение правят работодатель, который его опубликовал, и регион")
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.renderOfferForm(rw, r, http.StatusOK, o, nil)
}

// offerForm is the form of an offer: new or edited.
type offerForm struct {
	Offer          targeted.Offer
	WholeRegion    bool
	Statuses       []targeted.OfferStatus
	Fields         map[string]string
	Error          string
	Municipalities []classifier.Municipality
	Employers      []org.Organisation
	// Taught groups what the region teaches by organisation; Chosen is
	// the offer's own «organisation|specialty».
	Taught []taughtOrg
	Chosen string
}

type taughtOrg struct {
	Name  string
	Items []targeted.Taught
}

func (w *Web) renderOfferForm(rw http.ResponseWriter, r *http.Request, status int, o targeted.Offer, err error) {
	_, sc, _ := auth.Caller(r.Context())
	// Fields is never nil: the template indexes it, and index of nil fails the page.
	f := offerForm{Offer: o, WholeRegion: sc.WholeRegion(), Statuses: targeted.OfferStatuses(), Fields: map[string]string{},
		Chosen: fmt.Sprintf("%d|%s", o.OrgID, o.SpecialtyCode)}
	var lerr error
	if f.Municipalities, lerr = w.d.Municipalities.Municipalities(r.Context(), w.d.Region); lerr != nil {
		w.logWithout(r, "municipalities", lerr)
	}
	if sc.WholeRegion() {
		if f.Employers, _, lerr = w.d.Orgs.List(r.Context(), org.Filter{Kind: org.Employer, Sort: "name", Limit: 2000}); lerr != nil {
			w.logWithout(r, "employers", lerr)
		}
	}
	taught, lerr := w.d.Targeted.Taught(r.Context(), sc)
	if lerr != nil {
		w.logWithout(r, "taught programmes", lerr)
	}
	for _, t := range taught {
		if n := len(f.Taught); n == 0 || f.Taught[n-1].Name != t.OrgName {
			f.Taught = append(f.Taught, taughtOrg{Name: t.OrgName})
		}
		f.Taught[len(f.Taught)-1].Items = append(f.Taught[len(f.Taught)-1].Items, t)
	}
	if err != nil {
		f.Error, f.Fields = apperr.Text(err), fieldMessages(err)
	}
	w.render(rw, r, status, "offer_new", "targeted", f)
}

// CreateOffer saves a new offer from the form, or an edited one.
func (w *Web) CreateOffer(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	atoi := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(k))); return n }
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var old targeted.Offer
	if id != 0 {
		// An edit names an offer of the region: another one is not found.
		var err error
		if old, err = w.d.Targeted.Offer(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	o := targeted.Offer{ID: id, EmployerID: int64(atoi("employer_id")), OrgID: int64(atoi("org_id")), SpecialtyCode: strings.TrimSpace(r.PostFormValue("specialty_code")),
		Places: atoi("places"), WorkYears: atoi("work_years"), MunicipalityID: int64(atoi("municipality_id")), Requirements: r.PostFormValue("requirements"),
		Year: atoi("year"), Status: targeted.OfferStatus(r.PostFormValue("status")),
		Support: targeted.Support{Stipend: atoi("stipend"), Housing: r.PostFormValue("housing") == "1", PaidPractice: r.PostFormValue("paid_practice") == "1",
			Other: r.PostFormValue("support_other")}}
	// The form's list gives the organisation and the specialty together.
	if v := strings.TrimSpace(r.PostFormValue("programme")); v != "" {
		orgID, code, _ := strings.Cut(v, "|")
		o.OrgID, _ = strconv.ParseInt(orgID, 10, 64)
		o.SpecialtyCode = code
	}
	if id != 0 && o.EmployerID == 0 && sc.WholeRegion() {
		o.EmployerID = old.EmployerID
	}
	var err error
	if v := strings.TrimSpace(r.PostFormValue("deadline")); v != "" {
		if o.Deadline, err = exchange.ParseDate(v); err != nil {
			err = apperr.Field("deadline", "срок подачи заявок: %s", apperr.Text(err))
		}
	}
	if err == nil {
		err = w.d.Targeted.SaveOffer(r.Context(), sc, &o)
	}
	if err != nil {
		if apperr.Is(err, apperr.Invalid) {
			w.renderOfferForm(rw, r, http.StatusBadRequest, o, err)
			return
		}
		w.Error(rw, r, err)
		return
	}
	done := "created"
	if id != 0 {
		done = "saved"
	}
	http.Redirect(rw, r, fmt.Sprintf("/targeted/offers/%d?done=%s", o.ID, done), http.StatusSeeOther)
}

// offerPage is an offer's card: to its owner with its history, to a young
// person with whether they applied and why it suits them, to those who see
// persons with its applications.
type offerPage struct {
	Offer        targeted.Offer
	Done, Error  string
	Open, Owner  bool
	History      []history.Entry
	Applied      bool
	Why          string
	Applications []targeted.ApplicationView
}

// Offer is an offer's card with its applications.
func (w *Web) Offer(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o, err := w.d.Targeted.Offer(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	data := offerPage{Offer: o, Done: q.Get("done"), Error: q.Get("error"), Open: o.Open(w.d.Targeted.Now()),
		Owner: o.EditableBy(sc)}
	if o.EditableBy(sc) {
		if data.History, err = w.d.Targeted.OfferHistory(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	if sc.Own() {
		l, _, err := w.d.Targeted.Applications(r.Context(), sc, targeted.ApplicationFilter{OfferID: id, LearnerID: sc.LearnerID})
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Applied = len(l) > 0
		s, err := w.d.Targeted.ForLearner(r.Context(), sc, sc.LearnerID)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		for _, x := range s {
			if x.Offer.ID == id {
				data.Why = x.Why
			}
		}
	} else if sc.SeesPersons() || sc.Role == auth.Employer {
		data.Applications, _, err = w.d.Targeted.Applications(r.Context(), sc, targeted.ApplicationFilter{OfferID: id, Limit: 500})
		if err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	w.render(rw, r, http.StatusOK, "offer", "targeted", data)
}

// OfferStatus publishes or closes an offer.
func (w *Web) OfferStatus(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	_, err := w.d.Targeted.SetStatus(r.Context(), sc, id, targeted.OfferStatus(r.PostFormValue("status")))
	w.afterPost(rw, r, fmt.Sprintf("/targeted/offers/%d", id), "status", err)
}

// Apply submits the learner's application to an offer.
func (w *Web) Apply(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	lid := sc.LearnerID
	if v := r.PostFormValue("learner_id"); v != "" {
		lid, _ = strconv.ParseInt(v, 10, 64)
	}
	_, err := w.d.Targeted.Apply(r.Context(), sc, id, lid)
	w.afterPost(rw, r, fmt.Sprintf("/targeted/offers/%d", id), "applied", err)
}

// applicationsPage is the list of applications with its filter.
type applicationsPage struct {
	Filter   targeted.ApplicationFilter
	Statuses []targeted.Status
	Error    string
	Items    []targeted.ApplicationView
	Total    int
	Pager    pager
}

// Applications is the list of applications the caller may see.
func (w *Web) Applications(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f := targeted.ApplicationFilter{Status: targeted.Status(r.URL.Query().Get("status")), Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	data := applicationsPage{Filter: f, Statuses: targeted.Statuses()}
	status := http.StatusOK
	items, total, err := w.d.Targeted.Applications(r.Context(), sc, f)
	if apperr.Is(err, apperr.Invalid) {
		data.Error, status = apperr.Text(err), http.StatusBadRequest
	} else if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Items, data.Total, data.Pager = items, total, newPager(r, total)
	w.render(rw, r, status, "applications", "targeted", data)
}

// applicationPage is an application's card with the moves the caller may make.
type applicationPage struct {
	App         targeted.ApplicationView
	Moves       []targeted.Status
	Today       time.Time
	Done, Error string
}

// Application is an application's card: its history and the moves the caller may make.
func (w *Web) Application(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	a, err := w.d.Targeted.Application(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "application", "targeted", applicationPage{App: a, Moves: targeted.Moves(sc, a),
		Today: w.d.Targeted.Now(), Done: q.Get("done"), Error: q.Get("error")})
}

// MoveApplication moves an application to the chosen status.
func (w *Web) MoveApplication(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var d targeted.Transition
	var err error
	parse := func(key, label string) time.Time {
		v := strings.TrimSpace(r.PostFormValue(key))
		if v == "" || err != nil {
			return time.Time{}
		}
		t, e := exchange.ParseDate(v)
		if e != nil {
			err = apperr.Field(key, "%s: %s", label, apperr.Text(e))
		}
		return t
	}
	d.ContractNo = strings.TrimSpace(r.PostFormValue("contract_no"))
	d.ContractSignedOn = parse("contract_signed_on", "дата договора")
	d.GraduatedOn = parse("graduated_on", "дата выпуска")
	d.ObligationStart = parse("obligation_start", "начало работы")
	if err == nil {
		err = w.d.Targeted.Move(r.Context(), sc, id, targeted.Status(r.PostFormValue("to")), r.PostFormValue("reason"), d)
	}
	w.afterPost(rw, r, fmt.Sprintf("/targeted/applications/%d", id), "moved", err)
}

// targetedFiguresPage is the figures of targeted education.
type targetedFiguresPage struct {
	F      targeted.Summary
	Names  map[string]string // employer ids → names
	Export map[string]template.URL
}

// figureRows writes the rows of a table of targeted-education figures, a
// row a group: its name (the employer's from names, or the key itself when
// names is nil) and its counts, the counts of applications, contracts and
// obligations through number (masked for the roles that see no person). A
// region has thousands of employers: written here the table takes a
// fraction of what the template's actions take a cell.
func figureRows(rows []targeted.Row, names map[string]string, number func(int) string) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 256)
	td := func(s string) { // text, as the template's actions write it: escaped
		b.WriteString(`<td class="num">`)
		b.WriteString(template.HTMLEscapeString(s))
		b.WriteString(`</td>`)
	}
	for _, r := range rows {
		name := r.Key
		if names != nil {
			name = names[r.Key]
		}
		b.WriteString(`<tr><th scope="row">`)
		b.WriteString(template.HTMLEscapeString(name))
		b.WriteString(`</th>`)
		td(strconv.Itoa(r.Offers))
		td(strconv.Itoa(r.Places))
		td(number(r.Applications))
		td(Decimal(r.PerPlace, 1))
		td(number(r.Contracts))
		td(number(r.Fulfilled))
		td(number(r.Broken))
		b.WriteString(`</tr>`)
	}
	return template.HTML(b.String())
}

// TargetedFigures is the region's figures of targeted education.
func (w *Web) TargetedFigures(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := w.d.Targeted.Figures(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "targeted_figures", "targeted", targetedFiguresPage{F: f, Names: f.Employers,
		Export: exportLinks(r, "/targeted/figures/export")})
}

var targetedColumns = []exchange.Column{
	{Title: "Разрез", Width: 14}, {Title: "Работодатель, специальность или год", Width: 44},
	{Title: "Предложений", Kind: exchange.Int}, {Title: "Мест", Kind: exchange.Int}, {Title: "Заявок", Kind: exchange.Int},
	{Title: "Заявок на место", Kind: exchange.Float}, {Title: "Договоров", Kind: exchange.Int}, {Title: "Обязательство выполнено", Kind: exchange.Int},
	{Title: "Обязательство нарушено", Kind: exchange.Int}, {Title: "Доля выполнения", Kind: exchange.Percent},
}

// TargetedFiguresExport downloads the figures by employer, specialty and year.
func (w *Web) TargetedFiguresExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := w.d.Targeted.Figures(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	names := f.Employers
	w.export(rw, r, "celevoe-obuchenie", targetedColumns, func(write func([]any) error) error {
		put := func(cut, key string, x targeted.Figures) error {
			return write([]any{cut, key, x.Offers, x.Places, x.Applications, math.Round(x.PerPlace*100) / 100, x.Contracts, x.Fulfilled, x.Broken, x.FulfilmentShare})
		}
		for _, row := range f.ByEmployer {
			if err := put("работодатель", names[row.Key], row.Figures); err != nil {
				return err
			}
		}
		for _, row := range f.BySpecialty {
			if err := put("специальность", row.Key, row.Figures); err != nil {
				return err
			}
		}
		for _, row := range f.ByYear {
			if err := put("год приёма", row.Key, row.Figures); err != nil {
				return err
			}
		}
		return put("всего", "", f.Total)
	})
}

// byInclination puts first the offers whose specialty suits the learner's
// latest ДДО result best, and says so; without a result the order stays.
func (w *Web) byInclination(r *http.Request, sc auth.Scope, list []targeted.Suitable) []targeted.Suitable {
	g, err := w.d.Guidance.ForLearner(r.Context(), sc, sc.LearnerID)
	if err != nil {
		w.logWithout(r, "order by inclination", err)
		return list
	}
	if len(g.Diagnostics) == 0 {
		return list
	}
	res := g.Diagnostics[0].Result
	fit := func(s targeted.Suitable) float64 { return ddo.Fit(res, s.Offer.SpecialtyCode) }
	slices.SortStableFunc(list, func(a, b targeted.Suitable) int { return cmp.Compare(fit(b), fit(a)) })
	for i := range list {
		for _, t := range res.Leading() {
			if slices.Contains(ddo.TypesOf(list[i].Offer.SpecialtyCode), t) {
				list[i].Why += "; подходит вашему типу «" + t.Title() + "»"
				break
			}
		}
	}
	return list
}
