package web

import (
	"context"
	"errors"
	"net/http"

	"marshrut/internal/apperr"
	"marshrut/internal/sso"
)

// ssoCookie keeps a sign-in through the provider while the person is away
// at it: the state, the nonce and the PKCE verifier.
const ssoCookie = "marshrut_sso"

// SSOBegin sends the person to the region's single sign-on.
func (w *Web) SSOBegin(rw http.ResponseWriter, r *http.Request) {
	if w.d.SSO == nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "Вход через единую систему региона в этой установке не настроен."))
		return
	}
	to, pend, err := w.d.SSO.Begin(r.Context())
	if err != nil {
		w.d.Log.Warn("sso begin", "err", err)
		w.loginPage(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), "", apperr.Text(err))
		return
	}
	w.toProvider(rw, r, ssoCookie, "/login/sso", pend.Encode(), to)
}

// toProvider keeps a sign-in's pending state in a short-lived cookie of
// path and sends the person to the provider. Lax: the cookie must come back
// with the provider's redirect, a top-level navigation from another site.
func (w *Web) toProvider(rw http.ResponseWriter, r *http.Request, name, path, value, to string) {
	http.SetCookie(rw, &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, Secure: w.d.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: 600})
	rw.Header().Set("Cache-Control", "no-store")
	http.Redirect(rw, r, to, http.StatusFound)
}

// refuseSignIn answers a refused sign-in through a provider: logged without
// the person, counted for the address's limit, told on the login page.
func (w *Web) refuseSignIn(rw http.ResponseWriter, r *http.Request, what, ip string, err error) {
	w.d.Log.Warn(what+" refused", "ip", ip, "err", err)
	w.d.Auth.SSORefused(0, ip)
	w.loginPage(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), "", apperr.Text(err))
}

// SSOCallback ends the sign-in: the provider's token verified, the account
// found, a session opened.
func (w *Web) SSOCallback(rw http.ResponseWriter, r *http.Request) {
	if w.d.SSO == nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "Вход через единую систему региона в этой установке не настроен."))
		return
	}
	w.signInCallback(rw, r, signInFlow{what: "sso", cookie: ssoCookie, path: "/login/sso",
		refused: "Вход через единую систему региона отменён или не разрешён провайдером. Войдите снова или по логину и паролю.",
		expired: "Вход через единую систему региона устарел: начните его снова с этой страницы.",
		account: func(ctx context.Context, pending, state, code string) (int64, error) {
			pend, ok := sso.DecodePending(pending)
			if !ok {
				return 0, errExpired
			}
			id, err := w.d.SSO.Finish(ctx, pend, state, code)
			if err != nil {
				return 0, err
			}
			return w.d.SignIn.Account(ctx, id, w.d.SSO.MatchBy())
		}})
}

// signInFlow is what differs between the providers' sign-in callbacks.
type signInFlow struct {
	what, cookie, path string
	refused, expired   string // the refusal by the provider, an expired start
	// account finishes the provider's flow from the pending cookie's value
	// and finds the account; errExpired when the cookie is not readable.
	account func(ctx context.Context, pending, state, code string) (int64, error)
}

// errExpired is a pending sign-in that cannot be read back.
var errExpired = errors.New("pending sign-in unreadable")

// signInCallback ends a provider's sign-in: the pending cookie dropped, the
// provider's refusal or an expired start told, the account found, a session
// opened; a refusal is logged without the person and counted.
func (w *Web) signInCallback(rw http.ResponseWriter, r *http.Request, f signInFlow) {
	http.SetCookie(rw, &http.Cookie{Name: f.cookie, Path: f.path, MaxAge: -1})
	ip := ClientIP(r)
	refuse := func(err error) { w.refuseSignIn(rw, r, f.what, ip, err) }
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		refuse(apperr.New(apperr.Unauthorized, "%s", f.refused))
		return
	}
	c, err := r.Cookie(f.cookie)
	if err != nil || c.Value == "" {
		refuse(apperr.New(apperr.Unauthorized, "%s", f.expired))
		return
	}
	uid, err := f.account(r.Context(), c.Value, q.Get("state"), q.Get("code"))
	if errors.Is(err, errExpired) {
		err = apperr.New(apperr.Unauthorized, "%s", f.expired)
	}
	if err != nil {
		refuse(err)
		return
	}
	token, sess, _, err := w.d.Auth.OpenSession(r.Context(), uid, ip)
	if err != nil {
		refuse(err)
		return
	}
	w.setSession(rw, token, sess)
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}
