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
	routes := slices.Concat(
		s.accountRoutes(w),
		s.registryRoutes(w),
		s.guidanceRoutes(w),
		s.targetedRoutes(w),
		s.routingRoutes(w),
		s.mentorshipRoutes(w),
		s.measuresRoutes(w),
		s.clusterRoutes(w),
		s.balanceRoutes(w),
		s.monitoringRoutes(w),
		s.youthRoutes(w, d.API),
	)
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
