package server

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/web"
)

var (
	errNotFound    = apperr.New(apperr.NotFound, "Страница не найдена.")
	errCrossOrigin = apperr.New(apperr.Forbidden, "Запрос с чужого сайта отклонён.")
	errCSRF        = apperr.New(apperr.Forbidden, "Форма устарела или подделана: обновите страницу и повторите действие.")
	errNoToken     = apperr.New(apperr.Unauthorized, "Нужен API-токен: передайте его в заголовке Authorization: Bearer mrt_…")
	errForbidden   = apperr.New(apperr.Forbidden, "Этот раздел недоступен для вашей роли.")
	errTooLarge    = apperr.New(apperr.Invalid, "Тело запроса больше 1 МиБ.")
)

// maxBody is the largest request body a page or the API accepts.
const maxBody = 1 << 20

// uploads are the paths that take files, and the size each accepts.
// A multipart form carries a little more than its file.
var uploads = map[string]int64{
	"/imports/learners":         web.MaxUpload + 1<<20,
	"/api/v1/imports/learners":  web.MaxUpload + 1<<20,
	"/api/v1/imports/orgs":      web.MaxUpload + 1<<20,
	"/api/v1/imports/outcomes":  web.MaxUpload + 1<<20,
	"/api/v1/imports/sfr":       web.MaxUpload + 1<<20,
	"/api/v1/imports/frdo":      web.MaxUpload + 1<<20,
	"/api/v1/imports/guidance":  web.MaxUpload + 1<<20,
	"/api/v1/imports/vacancies": web.MaxUpload + 1<<20,
}

// tooLargeError is the answer to a body over the limit of its path.
func tooLargeError(path string) error {
	if _, ok := uploads[path]; ok {
		return apperr.New(apperr.Invalid, "Файл больше %d МиБ: разбейте его на части или загрузите через marshrut import.", web.MaxUpload>>20)
	}
	return errTooLarge
}

// parseForm reads a form body, multipart or not; files of a multipart form
// past 8 MiB go to temporary files rather than memory.
func parseForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(8 << 20)
	}
	return r.ParseForm()
}

// limitBody caps every request body, so that a huge one cannot exhaust memory.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBody)
		if n, ok := uploads[r.URL.Path]; ok {
			limit = n
		}
		if r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			s.fail(w, r, tooLargeError(r.URL.Path))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// csp allows only the program's own stylesheet, images and forms: no script
// at all, no inline style (meters are SVG with width attributes), no framing.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every answer carries. HSTS is sent only
// when the program is reached over TLS (its base URL is https://): sent over
// plain HTTP it would lock browsers out of a server that has no certificate.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", csp)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.d.HSTS || r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// number gives every request its number (apperr.NewRequestID): in the
// context, for the log lines about it, and in the X-Request-Id header.
func (s *Server) number(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := apperr.NewRequestID()
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(apperr.WithRequest(r.Context(), id)))
	})
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.d.Log.Error("panic", "request", apperr.RequestOf(r.Context()), "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				s.fail(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// identify finds the caller behind the session cookie or the API token and
// puts them into the request's context; it does not refuse anyone (require does).
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		// /metrics carries the metrics token, not a user's.
		if h := r.Header.Get("Authorization"); h != "" && r.URL.Path != "/metrics" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.fail(w, r, errNoToken)
				return
			}
			u, err := s.d.Auth.AuthenticateToken(ctx, strings.TrimSpace(tok), web.ClientIP(r))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			identified(w, u.ID)
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r.WithContext(auth.WithCaller(ctx, u, u.Scope(web.ClientIP(r)))))
			return
		}
		if c, err := r.Cookie(web.SessionCookie); err == nil && c.Value != "" {
			sess, u, err := s.d.Auth.Authenticate(ctx, c.Value)
			switch {
			case err == nil:
				identified(w, u.ID)
				ctx = auth.WithSession(auth.WithCaller(ctx, u, u.Scope(web.ClientIP(r))), sess)
			case apperr.Is(err, apperr.Unauthorized):
				http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Path: "/", MaxAge: -1})
			default:
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// require lets through only the callers that have the access a route needs,
// and checks the CSRF token of every state-changing request of a session.
func (s *Server) require(need access, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		routed(w, r.Pattern)
		if need == public {
			next.ServeHTTP(w, r)
			return
		}
		_, sc, ok := auth.Caller(r.Context())
		sess, hasSession := auth.SessionFrom(r.Context())
		// Nothing a signed-in user sees is kept by a browser or a proxy:
		// the back button on a shared computer must not show a list of people.
		w.Header().Set("Cache-Control", "no-store")
		if !ok {
			if need == token || wantsJSON(r) {
				s.fail(w, r, errNoToken)
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if need == token && hasSession {
			// The API takes tokens only: a cookie sent along by a browser opens nothing there.
			s.fail(w, r, errNoToken)
			return
		}
		if hasSession && r.Method != http.MethodGet && r.Method != http.MethodHead {
			got := r.Header.Get("X-CSRF-Token")
			if got == "" {
				if err := parseForm(r); err != nil {
					var tooLarge *http.MaxBytesError
					if errors.As(err, &tooLarge) {
						s.fail(w, r, tooLargeError(r.URL.Path))
						return
					}
				}
				got = r.PostFormValue("csrf")
			}
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
				flag(w, auth.EventCSRF)
				s.fail(w, r, errCSRF)
				return
			}
		}
		switch {
		case need == persons && !sc.SeesPersons(),
			need == auditor && !web.CanSeeAudit(sc):
			flag(w, auth.EventForbidden)
			s.fail(w, r, errForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// fail writes err as the response: its code decides the status; the message is
// Russian; an internal error is logged in full and shown only as a generic text.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if wantsJSON(r) {
		code := apperr.CodeOf(err)
		if code == apperr.Internal {
			s.d.Log.Error("request failed", "request", apperr.RequestOf(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(apperr.HTTPStatus(code))
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": string(code), "message": apperr.Message(err)}})
		return
	}
	s.d.Web.Error(w, r, err)
}
