// Package server puts the HTTP side together: one table of routes with the
// access each needs, the middleware, and the one place where an error becomes
// a response (an HTML page or JSON by the path and Accept header).
package server

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"marshrut/internal/auth"
	"marshrut/internal/web"
)

// Deps is what the server needs from the rest of the program.
type Deps struct {
	Web      *web.Web
	API      http.Handler // serves /api/v1/…
	Auth     *auth.Service
	Ping     func(context.Context) error
	Log      *slog.Logger
	Registry *prometheus.Registry
	HSTS     bool // the program is reached over TLS: browsers are told to keep to it
	// OnWrite, when set, hears of every write that succeeded, with the
	// writer's scope, so that the figures that scope sees count it at once.
	OnWrite func(ctx context.Context, sc auth.Scope)
	// OwnWritesFor, when above zero, keeps a user's reads on the primary
	// database for so long after the user wrote (auth.WithOwnWrites), so that
	// a read replica that lags does not hide the user's own write; every
	// request that may write reads from the primary too.
	OwnWritesFor time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client; from any other address the header is ignored.
	TrustedProxies []netip.Prefix
	// MetricsToken opens /metrics on the main address to a scraper that
	// sends it as a bearer token; without it /metrics there answers 404 (the
	// metrics are then served only on their own address, see Metrics).
	MetricsToken string
}

// Server serves Marshrut over HTTP.
type Server struct {
	d       Deps
	mux     *http.ServeMux
	handler http.Handler
	metrics *metrics
	prom    http.Handler
	table   []Route
	wrote   recentWriters
}

// Route is one line of the table of routes as registered, for tests that
// walk every route: the mux pattern and the access it requires.
type Route struct {
	Pattern string // "GET /learners/{id}", or "/api/v1/" for the API's subtree
	Access  string // public, session, persons, auditor or token
}

// Routes returns the table of routes New registered, in its order.
func (s *Server) Routes() []Route { return slices.Clone(s.table) }

// String is the name of the access, as Route.Access gives it.
func (a access) String() string {
	return [...]string{"public", "session", "persons", "auditor", "token"}[a]
}

// access is what a route requires of the caller.
type access int

const (
	public  access = iota // anyone
	session               // a logged-in user
	persons               // a user whose role sees personal records
	auditor               // admin or region: the audit log
	token                 // an API client (bearer token)
)

// New builds the server: the routes below are the whole access map.
func New(d Deps) *Server {
	s := &Server{d: d, mux: http.NewServeMux(), metrics: newMetrics(d.Registry),
		prom: promhttp.HandlerFor(d.Registry, promhttp.HandlerOpts{})}
	if d.Auth != nil {
		d.Auth.OnEvent(s.securityEvent)
	}
	w := d.Web
	routes := []struct {
		pattern string
		need    access
		h       http.HandlerFunc
	}{
		{"GET /healthz", public, s.healthz},
		{"GET /readyz", public, s.readyz},
		{"GET /metrics", public, s.metricsPage},
		{"GET /static/", public, web.Static().ServeHTTP},
		{"GET /login", public, w.LoginForm},
		{"POST /login", public, w.Login},
		{"GET /login/sso", public, w.SSOBegin},
		{"GET /login/sso/callback", public, w.SSOCallback},
		{"GET /login/esia", public, w.ESIABegin},
		{"GET /login/esia/callback", public, w.ESIACallback},
		{"POST /logout", session, w.Logout},
		{"GET /password", session, w.PasswordForm},
		{"POST /password", session, w.ChangePassword},
		{"GET /password/reset", public, w.ResetForm},
		{"POST /password/reset", public, w.CompleteReset},
		{"GET /{$}", session, w.Dashboard},
		{"GET /organisations", session, w.Organisations},
		{"GET /organisations/export", session, w.OrganisationsExport},
		{"GET /cohorts/export", session, w.CohortsExport},
		{"GET /organisations/{id}", session, w.Organisation},
		{"GET /vacancies", session, w.Vacancies},
		{"GET /vacancies/{id}", session, w.Vacancy},
		{"GET /learners", persons, w.Learners},
		{"GET /learners/export", persons, w.LearnersExport},
		{"GET /learners/{id}", persons, w.Learner},
		{"POST /learners/{id}/outcomes", persons, w.AddOutcome},
		{"GET /audit", auditor, w.Audit},
		{"GET /audit.csv", auditor, w.AuditCSV},
		{"GET /users", auditor, w.Users},
		{"POST /users/{id}/sessions/end", auditor, w.EndSessions},
		{"POST /users/{id}/unlock", auditor, w.UnlockUser},
		{"GET /users/{id}", auditor, w.User},
		{"POST /users/{id}/disable", auditor, w.DisableUser},
		{"POST /users/{id}/enable", auditor, w.EnableUser},
		{"POST /users/{id}/reset", auditor, w.ResetUserPassword},
		{"POST /users/{id}/tokens/{token}/revoke", auditor, w.RevokeUserToken},
		{"GET /imports/learners", session, w.ImportForm},
		{"POST /imports/learners", session, w.ImportUpload},
		{"POST /imports/learners/run", session, w.ImportRun},
		{"GET /jobs/{id}", session, w.Job},
		{"GET /jobs/{id}/issues", session, w.JobIssues},
		{"GET /guidance", session, w.Guidance},
		{"GET /guidance/events/new", session, w.EventForm},
		{"POST /guidance/events", session, w.CreateEvent},
		{"GET /guidance/events/{id}", session, w.Event},
		{"GET /guidance/events/{id}/edit", session, w.EditEventForm},
		{"POST /guidance/events/{id}", session, w.CreateEvent},
		{"POST /guidance/events/{id}/book", session, w.Book},
		{"POST /guidance/events/{id}/participants", persons, w.Record},
		{"POST /guidance/events/{id}/participants/{learner}/remove", persons, w.Unrecord},
		{"GET /guidance/coverage", session, w.Coverage},
		{"GET /guidance/coverage/export", session, w.CoverageExport},
		{"POST /guidance/level", session, w.SetLevel},
		{"GET /guidance/pupils", persons, w.GuidancePupils},
		{"GET /guidance/pupils/export", persons, w.GuidancePupilsExport},
		{"GET /guidance/inform", persons, w.InformForm},
		{"POST /guidance/inform", persons, w.Inform},
		{"GET /ddo", persons, w.DDO},
		{"POST /ddo", persons, w.DDOAnswer},
		{"GET /ddo/result", persons, w.DDOResult},
		{"GET /learners/{id}/ddo", persons, w.DDOPaper},
		{"POST /learners/{id}/ddo", persons, w.DDOPaperSave},
		{"GET /targeted", session, w.Targeted},
		{"GET /targeted/offers/new", session, w.OfferForm},
		{"POST /targeted/offers", session, w.CreateOffer},
		{"GET /targeted/offers/{id}", session, w.Offer},
		{"GET /targeted/offers/{id}/edit", session, w.EditOfferForm},
		{"POST /targeted/offers/{id}", session, w.CreateOffer},
		{"POST /targeted/offers/{id}/status", session, w.OfferStatus},
		{"POST /targeted/offers/{id}/apply", persons, w.Apply},
		{"GET /targeted/applications", session, w.Applications},
		{"GET /targeted/applications/{id}", session, w.Application},
		{"POST /targeted/applications/{id}/move", session, w.MoveApplication},
		{"GET /targeted/figures", session, w.TargetedFigures},
		{"GET /targeted/figures/export", session, w.TargetedFiguresExport},
		{"GET /employment", session, w.Employment},
		{"GET /employment/export", session, w.EmploymentExport},
		{"GET /routing", session, w.Routing},
		{"POST /routing/runs", session, w.StartRun},
		{"GET /routing/runs/{id}", session, w.MatchRun},
		{"GET /routing/runs/{id}/bulk", persons, w.BulkPreview},
		{"POST /routing/runs/{id}/bulk", persons, w.BulkApply},
		{"POST /routing/proposals/{id}", persons, w.Decide},
		{"GET /routing/learners/{id}", persons, w.Recommend},
		{"GET /vacancies/{id}/applicants", session, w.Applicants},
		{"GET /risk", persons, w.Risk},
		{"GET /risk/export", persons, w.RiskExport},
		{"GET /risk/model", persons, w.RiskModel},
		{"POST /risk/train", persons, w.RiskTrain},
		{"POST /risk/score", persons, w.RiskScore},
		{"POST /risk/threshold", persons, w.RiskThreshold},
		{"GET /risk/cases", persons, w.Cases},
		{"POST /risk/cases", persons, w.OpenCase},
		{"GET /risk/cases/{id}", persons, w.Case},
		{"POST /risk/cases/{id}/actions", persons, w.AddAction},
		{"POST /risk/cases/{id}/close", persons, w.CloseCase},
		{"GET /mentorship", session, w.Mentorship},
		{"POST /mentorship/programmes", session, w.CreateProgramme},
		{"GET /mentorship/programmes/{id}", session, w.Programme},
		{"POST /mentorship/programmes/{id}/pairs", persons, w.MakePairs},
		{"GET /mentorship/mentors", session, w.Mentors},
		{"POST /mentorship/mentors", session, w.CreateMentor},
		{"GET /mentorship/mentors/{id}", session, w.MentorCard},
		{"GET /mentorship/mentors/{id}/edit", session, w.EditMentorForm},
		{"POST /mentorship/mentors/{id}", session, w.UpdateMentor},
		{"GET /mentorship/pairs/{id}", persons, w.MentorPair},
		{"POST /mentorship/pairs/{id}/meetings", persons, w.AddMeeting},
		{"POST /mentorship/pairs/{id}/feedback", persons, w.AddFeedback},
		{"POST /mentorship/pairs/{id}/finish", persons, w.FinishPair},
		{"GET /mentorship/figures", session, w.MentorFigures},
		{"GET /mentorship/figures/export", session, w.MentorFiguresExport},
		{"GET /measures", session, w.Measures},
		{"POST /measures/programmes", session, w.CreateMeasureProgramme},
		{"GET /measures/programmes/{id}", session, w.MeasureProgramme},
		{"GET /measures/programmes/{id}/edit", session, w.EditMeasureProgrammeForm},
		{"POST /measures/programmes/{id}", session, w.UpdateMeasureProgramme},
		{"POST /measures/programmes/{id}/groups", session, w.CreateMeasureGroup},
		{"GET /measures/groups/{id}", persons, w.MeasureGroup},
		{"POST /measures/groups/{id}/enrolments", persons, w.Enrol},
		{"POST /measures/groups/{id}/complete", persons, w.CompleteAll},
		{"POST /measures/enrolments/{id}/complete", persons, w.CompleteEnrolment},
		{"POST /measures/enrolments/{id}/drop", persons, w.DropEnrolment},
		{"POST /measures/enrolments/{id}/employment", persons, w.RecordEmployment},
		{"GET /measures/figures", session, w.MeasureFigures},
		{"GET /measures/figures/export", session, w.MeasureFiguresExport},
		{"GET /services", session, w.Services},
		{"GET /services/new", session, w.NewServiceForm},
		{"POST /services", session, w.SaveService},
		{"GET /services/{id}", session, w.Service},
		{"GET /services/{id}/edit", session, w.EditServiceForm},
		{"POST /services/{id}", session, w.SaveService},
		{"GET /referrals", persons, w.Referrals},
		{"POST /referrals", persons, w.Refer},
		{"POST /referrals/{id}/result", persons, w.ReferralResult},
		{"GET /clusters", session, w.Clusters},
		{"GET /clusters/new", session, w.ClusterForm},
		{"POST /clusters", session, w.SaveCluster},
		{"GET /clusters/criteria", session, w.ClusterCriteria},
		{"POST /clusters/criteria", session, w.SaveClusterCriteria},
		{"GET /clusters/defences", session, w.Defences},
		{"POST /clusters/defences", session, w.OpenDefence},
		{"GET /clusters/defences/{id}", session, w.Defence},
		{"POST /clusters/defences/{id}/commission", session, w.SetCommission},
		{"POST /clusters/defences/{id}/sign", session, w.SignDefence},
		{"GET /clusters/defences/{id}/protocol", session, w.Protocol},
		{"GET /clusters/defences/{id}/protocol/export", session, w.ProtocolExport},
		{"GET /clusters/defences/{id}/clusters/{cluster}", session, w.ScoreForm},
		{"POST /clusters/defences/{id}/clusters/{cluster}", session, w.Score},
		{"GET /clusters/{id}", session, w.Cluster},
		{"POST /clusters/{id}/values", session, w.SetClusterValue},
		{"POST /learners/{id}/record", persons, w.SaveRecord},
		{"GET /balance", session, w.Balance},
		{"GET /balance/export", session, w.BalanceExport},
		{"GET /balance/proposals/export", session, w.ProposalsExport},
		{"GET /balance/groups/{key}", session, w.BalanceGroup},
		{"GET /balance/data", session, w.BalanceData},
		{"POST /balance/needs", session, w.DeclareNeed},
		{"POST /balance/needs/{id}/delete", session, w.DeleteNeed},
		{"POST /balance/capacity", session, w.SetCapacity},
		{"POST /balance/import", session, w.BalanceImport},
		{"GET /balance/scenarios", session, w.Scenarios},
		{"POST /balance/scenarios", session, w.CreateScenario},
		{"POST /balance/scenarios/proposals", session, w.ScenarioFromProposals},
		{"POST /balance/settings", session, w.SetBalanceLimit},
		{"GET /balance/scenarios/{id}", session, w.ScenarioPage},
		{"POST /balance/scenarios/{id}/changes", session, w.AddScenarioChange},
		{"POST /balance/scenarios/{id}/changes/remove", session, w.RemoveScenarioChange},
		{"POST /balance/scenarios/{id}/delete", session, w.DeleteScenario},
		{"GET /monitoring", session, w.Monitoring},
		{"GET /monitoring/export", session, w.MonitoringExport},
		{"GET /monitoring/measures", session, w.MeasureCatalogue},
		{"GET /monitoring/measures/{code}", session, w.MeasurePage},
		{"POST /monitoring/targets", session, w.SetTarget},
		{"GET /monitoring/reports", session, w.Reports},
		{"POST /monitoring/reports", session, w.StartReport},
		{"GET /monitoring/reports/{id}", session, w.ReportFile},
		{"GET /monitoring/forms", session, w.Forms},
		{"GET /monitoring/forms/view", session, w.Form},
		{"GET /monitoring/forms/xlsx", session, w.FormXLSX},
		{"GET /federal", session, w.Federal},
		{"POST /federal/import", session, w.FederalImport},
		{"POST /federal/keys", session, w.FederalTrust},
		{"GET /federal/regions/{code}", session, w.FederalRegion},
		{"GET /federal/regions/{code}/{table}/{row}", session, w.FederalCell},
		{"GET /invite", public, w.InviteForm},
		{"POST /invite", public, w.AcceptInvite},
		{"POST /learners/{id}/invite", persons, w.InviteGuardian},
		{"GET /invitations", persons, w.Invitations},
		{"POST /invitations/print", persons, w.PrintInvitations},
		{"POST /invitations/revoke", persons, w.RevokeInvitations},
		{"POST /learners/{id}/invitation-email", persons, w.EmailInvitation},
		{"GET /join", public, w.JoinForm},
		{"POST /join", public, w.Join},
		{"POST /vacancies/{id}/respond", persons, w.Respond},
		{"GET /me/responses", session, w.MyResponses},
		{"GET /me/responses/{id}", session, w.MyResponse},
		{"POST /me/responses/{id}/answer", session, w.AnswerResponse},
		{"GET /me/proposals", session, w.MyProposals},
		{"POST /me/proposals/{id}", session, w.AnswerProposal},
		{"POST /me/consents", persons, w.SetConsent},
		{"POST /me/messages/read", session, w.ReadMessages},
		{"POST /me/email", session, w.SetEmail},
		{"POST /me/trials/{id}", persons, w.SignUp},
		{"GET /me/profile", persons, w.MyProfile},
		{"POST /me/profile", persons, w.SaveProfile},
		{"GET /me/profile.json", persons, w.ProfileExport},
		{"GET /me/resume", persons, w.Resume},
		{"POST /me/achievements", persons, w.AddAchievement},
		{"POST /me/achievements/{id}/delete", persons, w.DeleteAchievement},
		{"GET /tokens", session, w.Tokens},
		{"POST /tokens", session, w.CreateToken},
		{"POST /tokens/{id}/revoke", session, w.RevokeToken},
		{"GET /api/v1/openapi.json", public, d.API.ServeHTTP},
		{"/api/v1/", token, d.API.ServeHTTP},
	}
	for _, rt := range routes {
		s.mux.Handle(rt.pattern, s.require(rt.need, rt.h))
		s.table = append(s.table, Route{Pattern: rt.pattern, Access: rt.need.String()})
	}
	s.mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		s.fail(rw, r, errNotFound)
	})
	protect := http.NewCrossOriginProtection()
	protect.SetDenyHandler(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		flag(rw, auth.EventCSRF)
		s.fail(rw, r, errCrossOrigin)
	}))
	s.handler = s.clientAddr(s.number(s.recover(s.metrics.wrap(s.securityHeaders(s.limitBody(protect.Handler(s.identify(s.written(s.notices(s.mux)))))), s.securityEvent))))
	return s
}

// Metrics serves the metrics alone, for a separate address (--metrics-addr)
// that only the monitoring system reaches.
func (s *Server) Metrics() http.Handler { return s.prom }

// metricsPage serves /metrics on the main address to a scraper with the
// metrics token; without a token set it is not there.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	if s.d.MetricsToken == "" {
		s.fail(w, r, errNotFound)
		return
	}
	got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.d.MetricsToken)) != 1 {
		flag(w, auth.EventForbidden)
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		http.Error(w, "Нужен токен метрик: Authorization: Bearer …", http.StatusUnauthorized)
		return
	}
	s.prom.ServeHTTP(w, r)
}

// securityEvent writes a security event to the log, with the user's id and
// the client's address only, and counts it for /metrics.
func (s *Server) securityEvent(e auth.Event) {
	s.d.Log.Warn("security event", "event", e.Kind, "user", e.UserID, "ip", e.IP)
	s.metrics.events.WithLabelValues(e.Kind).Inc()
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// written sees to what a request that may write leaves behind: its reads
// stay on the primary database (auth.WithOwnWrites), and once it succeeded,
// OnWrite hears of it and, for Deps.OwnWritesFor, the same user's reads stay
// on the primary too, so that they see what they wrote.
func (s *Server) written(next http.Handler) http.Handler {
	if s.d.OnWrite == nil && s.d.OwnWritesFor <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, sc, ok := auth.Caller(r.Context())
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if ok && s.d.OwnWritesFor > 0 && s.wrote.since(u.ID, s.d.OwnWritesFor) {
				r = r.WithContext(auth.WithOwnWrites(r.Context()))
			}
			next.ServeHTTP(w, r)
			return
		}
		if s.d.OwnWritesFor > 0 {
			r = r.WithContext(auth.WithOwnWrites(r.Context()))
		}
		rec := &writeRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if !ok || rec.status >= http.StatusBadRequest {
			return
		}
		if s.d.OnWrite != nil {
			s.d.OnWrite(r.Context(), sc)
		}
		if s.d.OwnWritesFor > 0 {
			s.wrote.mark(u.ID, s.d.OwnWritesFor)
		}
	})
}

// recentWriters remembers, in memory, when each user last wrote.
type recentWriters struct {
	mu sync.Mutex
	at map[int64]time.Time
}

// mark notes that user wrote now, and forgets the writes older than keep.
func (rw *recentWriters) mark(user int64, keep time.Duration) {
	now := time.Now()
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.at == nil {
		rw.at = map[int64]time.Time{}
	}
	if len(rw.at) >= 1024 {
		maps.DeleteFunc(rw.at, func(_ int64, at time.Time) bool { return now.Sub(at) >= keep })
	}
	rw.at[user] = now
}

// since reports whether user wrote less than d ago.
func (rw *recentWriters) since(user int64, d time.Duration) bool {
	rw.mu.Lock()
	at, ok := rw.at[user]
	rw.mu.Unlock()
	return ok && time.Since(at) < d
}

// writeRecorder keeps the status a handler answered with.
type writeRecorder struct {
	http.ResponseWriter
	status int
}

func (r *writeRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *writeRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.d.Ping(ctx); err != nil {
		s.d.Log.Warn("not ready", "err", err)
		http.Error(w, "база данных недоступна", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ready\n"))
}
