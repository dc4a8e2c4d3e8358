// Package web serves Marshrut's pages: server-rendered html/template in Russian,
// usable without JavaScript. Templates are parsed once at start, so a broken
// template stops the start, not a user's request.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/classifier"
	"marshrut/internal/cluster"
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
	"marshrut/internal/imports"
	"marshrut/internal/jobs"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	activemeasures "marshrut/internal/measures"
	"marshrut/internal/mentor"
	"marshrut/internal/org"
	"marshrut/internal/referral"
	"marshrut/internal/report"
	"marshrut/internal/risk"
	"marshrut/internal/rollup"
	"marshrut/internal/routing"
	"marshrut/internal/sso"
	"marshrut/internal/targeted"
	"marshrut/internal/vacancy"
	"marshrut/internal/youth"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Static serves the stylesheet and other assets.
func Static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}

// Deps is what the pages need.
type Deps struct {
	Learners       *learner.Service
	Orgs           *org.Service
	Analytics      *analytics.Service
	Auth           *auth.Service
	Users          auth.Directory
	Municipalities classifier.Municipalities
	Vacancies      vacancy.Reader
	Importer       *imports.Importer
	Guidance       *guidance.Service
	Targeted       *targeted.Service
	Routing        *routing.Service
	Risk           *risk.Service
	Rollup         *rollup.Service
	Monitor        *analytics.Monitor
	KPI            *kpi.Service
	Reports        *report.Service
	Forms          *report.Forms
	Mentor         *mentor.Service
	Cluster        *cluster.Service
	Measures       *activemeasures.Service
	Referrals      *referral.Service
	Balance        *balance.Service
	Youth          *youth.Service
	Invitations    *youth.Invitations
	// SSO is the region's single sign-on and SignIn finds its people's
	// accounts; nil when the installation has none.
	SSO    *sso.Provider
	SignIn *sso.Service
	// ESIA is the connection to Госуслуги; off, and the login page says
	// why, while it is nil or not Ready.
	ESIA *sso.ESIA
	// BaseURL is the installation's public address, for the links of
	// invitations; the address a request came to when empty.
	BaseURL       string
	Jobs          *jobs.Runner
	Region        string
	Location      *time.Location // the region's time zone: every time on a page is in it
	SecureCookies bool
	SessionTTL    time.Duration
	Log           *slog.Logger
	// Now is the installation's clock (time.Now when nil): today's date on a
	// page, in a file's name and in the audit log comes from it.
	Now func() time.Time
}

// Web holds the parsed templates and the handlers of every page.
type Web struct {
	d     Deps
	pages map[string]*template.Template
	// masked are the same pages for the roles that may not see persons:
	// their numbers hide counts under the rollup's threshold.
	masked map[string]*template.Template
}

// New parses the templates.
func New(d Deps) (*Web, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	funcs := template.FuncMap{
		"number":     Number,
		"percent":    Percent,
		"date":       Date,
		"datetime":   func(t time.Time) string { return DateTimeIn(t, d.Location) },
		"count":      Count,
		"trimPrefix": strings.TrimPrefix,
		"ratio": func(a, b int) float64 {
			if b == 0 {
				return 0
			}
			return float64(a) / float64(b)
		},
		"month":     Month,
		"period":    Period,
		"sub":       func(a, b int) int { return a - b },
		"riskLabel": risk.Label,
		"mul100":    func(x float64) float64 { return x * 100 },
		"deref":     func(p *int) int { return *p },
		"deref64":   func(p *float64) float64 { return *p },
		"dim":       dimValue,
		"inc":       func(i int) int { return i + 1 },
		"cell":      formCell,
		"skipped":   imports.SkippedLines,
		"mul22":     func(n int) int { return 22*n + 4 },
		"add250":    func(x float64) float64 { return 250 + x },
		"add230":    func(x float64) float64 { return fedLabel + x },
		"panelBottom": func(p federalPanel) int {
			if len(p.Bars) == 0 {
				return p.Y + fedHead
			}
			return p.Bars[len(p.Bars)-1].Y + fedRow
		},
		"kb":       func(n int) int { return (n + 1023) / 1024 },
		"number64": func(n int64) string { return Number(int(n)) },
		"decimal":  Decimal,
		"figureRows": func(rows []targeted.Row, names map[string]string) template.HTML {
			return figureRows(rows, names, Number)
		},
		"pp":     PercentPoints,
		"groups": ddo.Groups,
		"share": func(a, b int) string {
			if b == 0 {
				return "—"
			}
			return Percent(float64(a) / float64(b))
		},
		"width": func(x float64) string { return strconv.FormatFloat(math.Min(100, math.Max(0, x*100)), 'f', 1, 64) },
		"age":   func(b time.Time) int { return learner.YearsBetween(b, d.Now()) },
		"snils": learner.FormatSNILS,
		"salary": func(lo, hi int) string {
			switch {
			case lo == 0 && hi == 0:
				return "не указана"
			case hi == 0:
				return "от " + Number(lo)
			case lo == 0:
				return "до " + Number(hi)
			case lo == hi:
				return Number(lo)
			}
			return Number(lo) + "–" + Number(hi)
		},
		"outcome": func(s learner.OutcomeStatus) string { return s.Name() },
		"source":  learner.SourceName,
		"action":  AuditKindName,
		"referralRow": func(r referral.Referral, can bool, today, csrf, back string) referralItem {
			return referralItem{R: r, CanRefer: can, Today: today, CSRF: csrf, Back: back}
		},
		"responseStatus": func(s youth.ResponseStatus) string { return s.Name() },
	}
	w := &Web{d: d, pages: map[string]*template.Template{}, masked: map[string]*template.Template{}}
	layout, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	for _, p := range []string{"login", "password", "reset", "user", "dashboard", "learners", "learner", "organisations", "organisation", "audit", "users", "tokens", "error", "import", "job", "vacancies", "vacancy",
		"guidance", "event_new", "event", "coverage", "pupils", "inform", "ddo", "ddo_result", "ddo_paper",
		"targeted", "offer_new", "offer", "applications", "application", "targeted_figures",
		"routing", "match_run", "match_bulk", "recommend", "applicants", "employment",
		"risk", "risk_model", "risk_cases", "risk_case",
		"federal", "federal_region", "federal_cell",
		"monitoring", "reports", "kpi", "kpi_measure", "forms", "form",
		"mentor", "mentor_programme", "mentor_mentors", "mentor_mentor", "mentor_mentor_edit", "mentor_pair", "mentor_figures",
		"balance", "balance_group", "balance_data", "balance_scenario",
		"cluster", "cluster_form", "cluster_card", "cluster_criteria", "cluster_defences", "cluster_defence", "cluster_score", "cluster_protocol",
		"measures", "measures_programme", "measures_programme_edit", "measures_group", "measures_figures",
		"services", "service", "service_form", "referrals",
		"youth_home", "my_responses", "my_response", "my_proposals", "invite", "invite_code", "my_profile", "resume", "invitations", "join"} {
		t, err := layout.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, "templates/"+p+".html"); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", p, err)
		}
		w.pages[p] = t
		m, err := t.Clone()
		if err != nil {
			return nil, err
		}
		w.masked[p] = m.Funcs(maskedFuncs)
	}
	return w, nil
}

// view is what every page template gets.
type view struct {
	User          auth.User
	CSRF          string
	Nav           string
	SeesPersons   bool
	SeesAudit     bool
	EditsLearners bool
	SeesRisk      bool
	Own           bool // a learner or a parent: the young person's own menu
	Data          any
}

// render writes a page; it renders into a buffer first, so that a failed
// render becomes an error page rather than half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, page, nav string, data any) {
	v := view{Nav: nav, Data: data}
	if u, sc, ok := auth.Caller(r.Context()); ok {
		v.User, v.SeesPersons, v.SeesAudit, v.EditsLearners = u, sc.SeesPersons(), CanSeeAudit(sc), sc.CanEditLearners()
		v.SeesRisk = risk.CanSee(sc)
		v.Own = sc.Own()
	}
	if s, ok := auth.SessionFrom(r.Context()); ok {
		v.CSRF = s.CSRF
	}
	w.renderView(rw, status, page, v)
}

func (w *Web) renderView(rw http.ResponseWriter, status int, page string, v view) {
	var buf bytes.Buffer
	t := w.pages[page]
	if v.User.ID != 0 && !v.SeesPersons {
		t = w.masked[page]
	}
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		w.d.Log.Error("render", "page", page, "err", err)
		http.Error(rw, "Не удалось показать страницу.", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.WriteHeader(status)
	buf.WriteTo(rw)
}

// Error renders an error page with the status of err's code.
func (w *Web) Error(rw http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	status := apperr.HTTPStatus(code)
	if code == apperr.Internal {
		w.d.Log.Error("request failed", "request", apperr.RequestOf(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	title := map[int]string{400: "Неверный запрос", 401: "Нужен вход", 403: "Доступ запрещён", 404: "Не найдено", 409: "Конфликт", 429: "Слишком много запросов", 503: "Сервис временно недоступен"}[status]
	if title == "" {
		title = "Ошибка"
	}
	page := errorPage{Title: title, Message: apperr.Text(err)}
	if code == apperr.Internal || code == apperr.Unavailable {
		page.Request = apperr.RequestOf(r.Context())
	}
	w.render(rw, r, status, "error", "", page)
}

// errorPage is a refusal or a failure in words; a failure names the
// request, for the person's report to support.
type errorPage struct {
	Title, Message string
	Request        string
}

// CanSeeAudit reports whether the scope may read the audit log.
func CanSeeAudit(sc auth.Scope) bool { return sc.Role == auth.Admin || sc.Role == auth.Region }

// pager is the navigation between pages of a list.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

const perPage = 50

func newPager(r *http.Request, total int) pager {
	page := pageOf(r)
	p := pager{Page: page, Pages: max(1, (total+perPage-1)/perPage)}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// maxPage bounds the page number of a list, so that its offset (page × 50)
// cannot overflow into a negative number, which PostgreSQL refuses.
const maxPage = 1_000_000

func pageOf(r *http.Request) int {
	p, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || p < 1 {
		return 1
	}
	return min(p, maxPage)
}

// intParam reads an optional integer query parameter, naming it when it is wrong.
func intParam(q url.Values, name, label string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, apperr.Field(name, "%s: «%s» не является целым положительным числом", label, v)
	}
	return n, nil
}
