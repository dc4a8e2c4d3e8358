// Package server puts the HTTP side together: the table of routes, middleware,
// and the one place where an error becomes a response (HTML or JSON by Accept).
package server

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/config"
)

// Deps is what the server needs from the rest of the program.
type Deps struct {
	Config    *config.Config
	Log       *slog.Logger
	Ping      func(context.Context) error
	Analytics analytics.Store
	Version   string
}

// Server serves Marshrut over HTTP.
type Server struct {
	d   Deps
	mux *http.ServeMux
}

// New builds the server and its routes.
func New(d Deps) *Server {
	s := &Server{d: d, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /{$}", s.status)
	return s
}

// ServeHTTP applies the middleware and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.logRequests(s.mux).ServeHTTP(w, r)
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		// The path is logged without the query, which may carry a person's name.
		s.d.Log.Debug("http", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

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

var statusPage = template.Must(template.New("status").Parse(`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Маршрут</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; color: #1a1a1a">
<h1>Маршрут</h1>
<p>Региональная система сопровождения молодёжи от школы до работы. Регион {{.Region}}.</p>
<h2>Данные региона</h2>
<table>
{{range .Rows}}<tr><th scope="row" style="text-align:left; font-weight: normal">{{.Label}}</th><td style="text-align:right; padding-left: 2rem">{{.Value}}</td></tr>
{{end}}</table>
<p><small>Версия {{.Version}}</small></p>
</body></html>`))

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	ov, err := s.d.Analytics.Overview(r.Context(), s.d.Config.Region)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type row struct {
		Label string
		Value string
	}
	rows := []row{
		{"Школы", Number(ov.Organisations["school"])},
		{"Колледжи", Number(ov.Organisations["college"])},
		{"Вузы", Number(ov.Organisations["university"])},
		{"Работодатели", Number(ov.Organisations["employer"])},
		{"Центры занятости", Number(ov.Organisations["czn"])},
		{"Школьники", Number(ov.Learners["pupil"])},
		{"Студенты", Number(ov.Learners["student"])},
		{"Выпускники", Number(ov.Learners["graduate"])},
		{"Этапы маршрутов", Number(ov.Stages)},
		{"Записи о занятости", Number(ov.Outcomes)},
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := statusPage.Execute(w, map[string]any{"Region": s.d.Config.Region, "Rows": rows, "Version": s.d.Version}); err != nil {
		s.d.Log.Error("render status", "err", err)
	}
}

// fail writes err as the response: its code decides the status; the message is
// Russian; an internal error is logged in full and shown only as a generic text.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	status := StatusOf(code)
	if code == apperr.Internal && !errors.Is(err, context.Canceled) {
		s.d.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	msg := apperr.Message(err)
	if strings.Contains(r.Header.Get("Accept"), "application/json") || strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": string(code), "message": msg}})
		return
	}
	http.Error(w, msg, status)
}

// StatusOf maps an error code to its HTTP status.
func StatusOf(c apperr.Code) int {
	switch c {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
