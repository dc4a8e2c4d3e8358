package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// SessionCookie holds the session token; loginCSRFCookie the token that the
// login form, made before any session exists, must carry back.
const (
	SessionCookie   = "marshrut_session"
	loginCSRFCookie = "marshrut_login"
)

// LoginForm shows the login form.
func (w *Web) LoginForm(rw http.ResponseWriter, r *http.Request) {
	if _, _, ok := auth.Caller(r.Context()); ok {
		http.Redirect(rw, r, "/", http.StatusSeeOther)
		return
	}
	w.loginPage(rw, r, http.StatusOK, "", "")
}

func (w *Web) loginPage(rw http.ResponseWriter, r *http.Request, status int, login, msg string) {
	token := auth.NewSecret()
	http.SetCookie(rw, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/login", HttpOnly: true, Secure: w.d.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	rw.Header().Set("Cache-Control", "no-store")
	data := map[string]string{"Next": safeNext(r.FormValue("next")), "Login": login, "Error": msg}
	if w.d.SSO != nil {
		data["SSO"] = "1"
	}
	if err := w.esiaOff(); err != nil {
		data["ESIAOff"] = sentence(err.Error())
	} else {
		data["ESIA"] = "1"
	}
	if r.URL.Query().Get("opened") == "1" && msg == "" {
		data["Done"] = "Кабинет открыт. Войдите с новым логином и паролем."
	}
	w.renderView(rw, status, "login", view{CSRF: token, Data: data})
}

// Login checks the credentials and opens a session.
func (w *Web) Login(rw http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || r.PostFormValue("csrf") != c.Value {
		w.loginPage(rw, r, http.StatusForbidden, "", "Форма входа устарела или подделана. Попробуйте ещё раз.")
		return
	}
	login := r.PostFormValue("login")
	token, sess, _, err := w.d.Auth.Login(r.Context(), login, r.PostFormValue("password"), ClientIP(r))
	if err != nil {
		w.loginPage(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), login, apperr.Text(err))
		return
	}
	http.SetCookie(rw, &http.Cookie{Name: loginCSRFCookie, Path: "/login", MaxAge: -1})
	w.setSession(rw, token, sess)
	http.Redirect(rw, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// setSession gives the browser the cookie of a session just opened. The
// cookie's life is told in seconds, not as a date: the browser's clock need
// not agree with the installation's.
func (w *Web) setSession(rw http.ResponseWriter, token string, sess auth.Session) {
	http.SetCookie(rw, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: w.d.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sess.ExpiresAt.Add(time.Hour).Sub(w.d.Now()) / time.Second)})
}

// Logout ends the session.
func (w *Web) Logout(rw http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := w.d.Auth.Logout(r.Context(), c.Value); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	http.SetCookie(rw, &http.Cookie{Name: SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: w.d.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(rw, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a redirect after login inside the site: a path of this
// site only, never one a browser reads as another host. Browsers drop tabs
// and line breaks from a URL and read «\» as «/», so «/\t/evil.example»
// would become «//evil.example»: any control character or backslash refuses.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' || unicode.IsSpace(c) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// ClientIP is the client's address without the port.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
