package web

import (
	"encoding/csv"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/ddo"
	"marshrut/internal/exchange"
	"marshrut/internal/guidance"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/risk"
)

// learnerFilter reads the learners' filter from the query, naming every
// parameter that is wrong.
func learnerFilter(r *http.Request) (learner.Filter, error) {
	q := r.URL.Query()
	f := learner.Filter{
		Status:        learner.Status(q.Get("status")),
		SpecialtyCode: strings.TrimSpace(q.Get("specialty")),
		Query:         strings.TrimSpace(q.Get("q")),
		Sort:          q.Get("sort"),
		Desc:          q.Get("desc") == "1",
		Limit:         perPage,
		Offset:        (pageOf(r) - 1) * perPage,
		NoWork6:       q.Get("nowork6") == "1",
	}
	var errs apperr.List
	ints := []struct {
		name, label string
		into        *int
	}{{"grade", "класс", &f.Grade}, {"year", "год выпуска", &f.GraduationYear}, {"unknown", "статус через … месяцев неизвестен", &f.Unknown}}
	for _, p := range ints {
		n, err := intParam(q, p.name, p.label)
		if err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
		*p.into = n
	}
	for _, p := range []struct {
		name, label string
		into        *int64
	}{{"org", "организация", &f.OrgID}, {"municipality", "муниципальное образование", &f.MunicipalityID}} {
		n, err := intParam(q, p.name, p.label)
		if err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
		*p.into = int64(n)
	}
	if f.SpecialtyCode != "" {
		if err := classifier.CheckSpecialtyCode("specialty", f.SpecialtyCode); err != nil {
			errs = append(errs, err.(*apperr.Error))
			f.SpecialtyCode = ""
		}
	}
	return f, errs.Err()
}

// logWithout logs the error of a part a page goes on without (a list that
// fills a form's choices), with the request it belongs to.
func (w *Web) logWithout(r *http.Request, part string, err error) {
	w.d.Log.Warn("page shown without a part", "request", apperr.RequestOf(r.Context()), "part", part, "method", r.Method, "path", r.URL.Path, "err", err)
}

// learnersPage is the list of learners with its filter.
type learnersPage struct {
	Filter         learner.Filter
	Statuses       []learner.Status
	Export         map[string]template.URL
	Error          string
	Items          []learner.Learner
	Total          int
	Pager          pager
	Municipalities []classifier.Municipality
	Orgs           []org.Organisation // the colleges and universities, to the whole region
}

// Learners is the list of learners the caller sees, with search, filters,
// sorting and pages.
func (w *Web) Learners(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, ferr := learnerFilter(r)
	data := learnersPage{Filter: f, Statuses: learner.Statuses, Export: exportLinks(r, "/learners/export")}
	status := http.StatusOK
	if ferr != nil {
		data.Error = apperr.Text(ferr)
		status = http.StatusBadRequest
	} else {
		items, total, err := w.d.Learners.List(r.Context(), sc, f)
		if apperr.Is(err, apperr.Invalid) {
			data.Error = apperr.Text(err)
			status = http.StatusBadRequest
		} else if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Items, data.Total, data.Pager = items, total, newPager(r, total)
		w.auditBulk(r, "learners.list", len(items))
	}
	ms, err := w.d.Municipalities.Municipalities(r.Context(), w.d.Region)
	if err != nil {
		w.logWithout(r, "municipalities", err)
	}
	data.Municipalities = ms
	if sc.WholeRegion() {
		var orgs []org.Organisation
		for _, k := range []org.Kind{org.College, org.University} {
			list, _, err := w.d.Orgs.List(r.Context(), org.Filter{Kind: k, Limit: 500})
			if err != nil {
				w.Error(rw, r, err)
				return
			}
			orgs = append(orgs, list...)
		}
		data.Orgs = orgs
	}
	w.render(rw, r, status, "learners", "learners", data)
}

// Learner is a learner's card; the read is audited by the service.
func (w *Web) Learner(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "обучающийся не найден"))
		return
	}
	card, err := w.d.Learners.Get(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	p := learnerPage{Card: card, CanRecordOutcomes: sc.CanRecordOutcomes(), OutcomeStatuses: learner.OutcomeStatuses, Rule: learner.Rule,
		Done: q.Get("done"), Error: q.Get("error")}
	if card.Learner.Status == learner.Pupil && w.d.Guidance != nil {
		g, err := w.d.Guidance.ForLearner(r.Context(), sc, id)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		p.Guidance, p.DDOTypes, p.CanEnterDDO = &g, ddo.Types(), guidance.CanRecord(sc)
		if len(g.Diagnostics) > 0 {
			p.DDOPoints = g.Diagnostics[0].Result.Points
		}
		switch lv, ok, err := w.d.Guidance.Level(r.Context(), card.Learner.OrgID); {
		case err != nil:
			w.logWithout(r, "профминимум школы", err)
		case ok:
			p.Level = lv
		}
	}
	if err := w.learnerRisk(r, sc, card.Learner, &p); err != nil {
		w.Error(rw, r, err)
		return
	}
	if p.Refer, err = w.referBlockFor(r, sc, card.Learner, 0, true); err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "learner", "learners", p)
}

// learnerPage is a learner's card: the route and the history of work, the
// guidance of a pupil, the risk of a student or graduate, referrals.
type learnerPage struct {
	Card              learner.Card
	CanRecordOutcomes bool
	OutcomeStatuses   []learner.OutcomeStatus
	Rule              string
	Done, Error       string
	// A pupil's guidance.
	Guidance    *guidance.LearnerGuidance
	DDOTypes    []ddo.Type
	DDOPoints   map[ddo.Type]int
	CanEnterDDO bool
	Level       guidance.Level
	// A student's or graduate's risk, to those who see it.
	Risk          *risk.Learner
	RiskThreshold float64
	CanWorkCases  bool
	CanEditRecord bool
	Socials       []risk.Social
	Refer         *referBlock
}

// organisationsPage is the registry of organisations with its filter.
type organisationsPage struct {
	Kinds          []org.Kind
	Export         map[string]template.URL
	Items          []org.Organisation
	Total          int
	Pager          pager
	Error          string
	Filter         org.Filter
	Municipalities []classifier.Municipality
}

// Organisations is the registry of the region's organisations.
func (w *Web) Organisations(rw http.ResponseWriter, r *http.Request) {
	f, err := orgFilter(r)
	f.Limit, f.Offset = perPage, (pageOf(r)-1)*perPage
	data := organisationsPage{Kinds: org.Kinds, Export: exportLinks(r, "/organisations/export")}
	status := http.StatusOK
	if err == nil {
		data.Items, data.Total, err = w.d.Orgs.List(r.Context(), f)
		data.Pager = newPager(r, data.Total)
	}
	if apperr.Is(err, apperr.Invalid) {
		data.Error, status = apperr.Text(err), http.StatusBadRequest
	} else if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Filter = f
	if data.Municipalities, err = w.d.Municipalities.Municipalities(r.Context(), w.d.Region); err != nil {
		w.logWithout(r, "municipalities", err)
	}
	w.render(rw, r, status, "organisations", "organisations", data)
}

// organisationPage is an organisation's card.
type organisationPage struct {
	Org      org.Organisation
	Measures *kpi.Document // the headline measures of a school, college or university
}

// Organisation is an organisation's card, with the employment of its graduates
// for colleges and universities.
func (w *Web) Organisation(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "организация не найдена"))
		return
	}
	o, err := w.d.Orgs.Get(r.Context(), id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := organisationPage{Org: o}
	if w.d.KPI != nil && (o.Kind == org.College || o.Kind == org.University || o.Kind == org.School) {
		// Figures carry no person: anyone who opens the card sees them.
		doc, err := w.d.KPI.Document(r.Context(), auth.SystemScope(o.RegionCode), kpi.Scope{Kind: "organisation", ID: o.ID}, time.Time{})
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			w.Error(rw, r, err)
			return
		}
		if err == nil {
			data.Measures = &doc
		}
	}
	w.render(rw, r, http.StatusOK, "organisation", "organisations", data)
}

// auditFilter reads the audit log's filter from the query.
func auditFilter(r *http.Request) (auth.AuditFilter, url.Values, error) {
	q := r.URL.Query()
	f := auth.AuditFilter{Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	n, err := intParam(q, "learner", "номер записи обучающегося")
	if err != nil {
		return f, q, err
	}
	f.LearnerID = int64(n)
	if n, err = intParam(q, "user", "номер пользователя"); err != nil {
		return f, q, err
	}
	f.UserID = int64(n)
	if k := q.Get("kind"); k != "" {
		if _, ok := AuditKinds[k]; !ok {
			return f, q, apperr.Field("kind", "вид записи «%s» неизвестен", k)
		}
		f.Action = k
	}
	for _, p := range []struct {
		name string
		into *time.Time
		add  int
	}{{"since", &f.Since, 0}, {"until", &f.Until, 1}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, time.Local)
			if err != nil {
				return f, q, apperr.Field(p.name, "дата «%s» должна иметь вид ГГГГ-ММ-ДД", v)
			}
			*p.into = t.AddDate(0, 0, p.add)
		}
	}
	return f, q, nil
}

// auditPage is the audit log with its filter.
type auditPage struct {
	Filter       auth.AuditFilter
	Since, Until string
	Kinds        []struct{ Key, Name string }
	Users        []auth.User
	Export       template.URL
	Error        string
	Items        []auth.AuditEntry
	Total        int
	Pager        pager
}

// Audit is the log of reads of personal records.
func (w *Web) Audit(rw http.ResponseWriter, r *http.Request) {
	f, q, err := auditFilter(r)
	data := auditPage{Filter: f, Since: q.Get("since"), Until: q.Get("until"), Kinds: auditKindList()}
	users, uerr := w.d.Users.Users(r.Context())
	if uerr != nil {
		w.logWithout(r, "users", uerr)
	}
	data.Users = users
	eq := url.Values{}
	for _, k := range []string{"learner", "since", "until", "user", "kind"} {
		if v := q.Get(k); v != "" {
			eq.Set(k, v)
		}
	}
	data.Export = template.URL("/audit.csv?" + eq.Encode())
	status := http.StatusOK
	if err != nil {
		data.Error, status = apperr.Text(err), http.StatusBadRequest
	} else {
		items, total, err := w.d.Users.AuditLog(r.Context(), f)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Items, data.Total, data.Pager = items, total, newPager(r, total)
	}
	w.render(rw, r, status, "audit", "audit", data)
}

// AuditCSV exports the audit log as CSV that Excel opens (UTF-8 with BOM, «;»).
func (w *Web) AuditCSV(rw http.ResponseWriter, r *http.Request) {
	f, _, err := auditFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
	rw.Header().Set("Content-Disposition", `attachment; filename="audit-`+w.d.Now().Format("2006-01-02")+`.csv"`)
	rw.Write([]byte("\ufeff"))
	cw := csv.NewWriter(rw)
	cw.Comma = ';'
	cw.Write([]string{"Когда", "Пользователь", "Роль", "Действие", "Обучающийся (№ записи)", "Отбор", "Людей", "Адрес"})
	f.Offset = 0
	for {
		f.Limit = 1000
		items, _, err := w.d.Users.AuditLog(r.Context(), f)
		if err != nil {
			w.d.Log.Error("audit export", "method", r.Method, "path", r.URL.Path, "err", err)
			return
		}
		for _, e := range items {
			learner := ""
			if e.LearnerID != 0 {
				learner = strconv.FormatInt(e.LearnerID, 10)
			}
			cw.Write([]string{DateTimeIn(e.At, w.d.Location), e.UserLogin, e.Role.Name(), AuditKindName(e.Action), learner, e.Filter, strconv.Itoa(e.Persons), e.From})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			w.d.Log.Error("audit export", "method", r.Method, "path", r.URL.Path, "err", err)
			return
		}
		if len(items) < f.Limit {
			return
		}
		f.Offset += len(items)
	}
}

// Tokens lists the caller's API tokens and makes new ones.
func (w *Web) Tokens(rw http.ResponseWriter, r *http.Request) {
	w.tokensPage(rw, r, http.StatusOK, tokensPage{})
}

// tokensPage is the caller's API tokens; Secret and Expires show a new
// token once, Done and Error what the form just did.
type tokensPage struct {
	Tokens  []auth.Token
	Now     time.Time
	Secret  string
	Expires time.Time
	Done    string
	Error   string
}

func (w *Web) tokensPage(rw http.ResponseWriter, r *http.Request, status int, data tokensPage) {
	u, _, _ := auth.Caller(r.Context())
	list, err := w.d.Users.Tokens(r.Context(), u.ID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Tokens, data.Now = list, w.d.Now()
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, status, "tokens", "tokens", data)
}

// CreateToken makes a token and shows its secret once.
func (w *Web) CreateToken(rw http.ResponseWriter, r *http.Request) {
	u, _, _ := auth.Caller(r.Context())
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
	if strings.TrimSpace(r.PostFormValue("days")) == "" {
		days, err = 0, nil
	}
	var secret string
	var tok auth.Token
	if err != nil {
		err = apperr.Field("days", "срок действия токена — число дней от 1 до %d", auth.MaxTokenDays)
	} else {
		secret, tok, err = w.d.Auth.CreateTokenFor(r.Context(), u, r.PostFormValue("name"), days)
	}
	if apperr.Is(err, apperr.Invalid) {
		w.tokensPage(rw, r, http.StatusBadRequest, tokensPage{Error: apperr.Text(err)})
		return
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.tokensPage(rw, r, http.StatusCreated, tokensPage{Secret: secret, Expires: tok.Expiry()})
}

// RevokeToken revokes one of the caller's tokens.
func (w *Web) RevokeToken(rw http.ResponseWriter, r *http.Request) {
	u, _, _ := auth.Caller(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = w.d.Users.RevokeToken(r.Context(), u.ID, id)
	}
	if err != nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "токен не найден"))
		return
	}
	w.tokensPage(rw, r, http.StatusOK, tokensPage{Done: "Токен отозван."})
}

// exportLinks are the download links of a list with the page's filter.
func exportLinks(r *http.Request, path string) map[string]template.URL {
	q := r.URL.Query()
	q.Del("page")
	out := map[string]template.URL{}
	for _, f := range []string{"xlsx", "csv"} {
		q.Set("format", f)
		out[f] = template.URL(path + "?" + q.Encode())
	}
	return out
}

// AddOutcome records an employment outcome from the form on the card.
func (w *Web) AddOutcome(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	o := learner.Outcome{LearnerID: id, Status: learner.OutcomeStatus(r.PostFormValue("status")), EmployerName: strings.TrimSpace(r.PostFormValue("employer_name")),
		Source: r.PostFormValue("source")}
	o.EmployerID, _ = strconv.ParseInt(strings.TrimSpace(r.PostFormValue("employer_id")), 10, 64)
	o.Salary, _ = strconv.Atoi(strings.TrimSpace(r.PostFormValue("salary")))
	var err error
	if o.Start, err = exchange.ParseDate(r.PostFormValue("start")); err != nil {
		err = apperr.Field("start", "дата начала: %s", apperr.Text(err))
	} else if v := strings.TrimSpace(r.PostFormValue("end")); v != "" {
		if o.End, err = exchange.ParseDate(v); err != nil {
			err = apperr.Field("end", "дата окончания: %s", apperr.Text(err))
		}
	}
	if err == nil {
		err = w.d.Learners.AddOutcome(r.Context(), sc, &o)
	}
	back := "/learners/" + strconv.FormatInt(id, 10)
	switch {
	case err == nil:
		http.Redirect(rw, r, back+"?done=1#hist-h", http.StatusSeeOther)
	case apperr.Is(err, apperr.Invalid):
		http.Redirect(rw, r, back+"?error="+url.QueryEscape(apperr.Text(err))+"#hist-h", http.StatusSeeOther)
	default:
		w.Error(rw, r, err)
	}
}
