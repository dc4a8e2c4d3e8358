package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"marshrut/internal/auth"
	"marshrut/internal/web"
)

// metrics counts requests, their latencies and errors by route.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	events   *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "marshrut_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "marshrut_http_request_duration_seconds", Help: "Time to serve an HTTP request, by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "marshrut_security_events_total", Help: "Security events: failed and locked logins, refused forms and permissions, revoked or expired tokens tried.",
		}, []string{"event"}),
	}
	for _, k := range auth.EventKinds {
		m.events.WithLabelValues(k)
	}
	reg.MustRegister(m.requests, m.duration, m.events)
	return m
}

// wrap counts each request; a refusal (403) or an event flagged by a
// handler goes to emit as a security event.
func (m *metrics) wrap(next http.Handler, emit func(auth.Event)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.event == "" && rec.status == http.StatusForbidden {
			rec.event = auth.EventForbidden
		}
		if rec.event != "" {
			emit(auth.Event{Kind: rec.event, UserID: rec.userID, IP: web.ClientIP(r)})
		}
		// The route pattern, never the path, which may carry an id or a name.
		route := rec.route
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	route  string // set by the route's handler, which alone knows the matched pattern
	userID int64  // set by identify
	event  string // a security event the request raised, set by whoever refused it
}

// recorder finds the statusRecorder under w and whatever wraps it.
func recorder(w http.ResponseWriter) *statusRecorder {
	for {
		switch x := w.(type) {
		case *statusRecorder:
			return x
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return nil
		}
	}
}

// routed tells the metrics which route served the request.
func routed(w http.ResponseWriter, pattern string) {
	if rec := recorder(w); rec != nil {
		rec.route = pattern
	}
}

// flag marks the request as a security event of the given kind.
func flag(w http.ResponseWriter, kind string) {
	if rec := recorder(w); rec != nil {
		rec.event = kind
	}
}

// identified tells the metrics who made the request.
func identified(w http.ResponseWriter, userID int64) {
	if rec := recorder(w); rec != nil {
		rec.userID = userID
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
