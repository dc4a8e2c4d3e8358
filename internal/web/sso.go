package web

import (
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
	http.SetCookie(rw, &http.Cookie{Name: ssoCookie, Path: "/login/sso", MaxAge: -1})
	ip := ClientIP(r)
	refuse := func(err error) { w.refuseSignIn(rw, r, "sso", ip, err) }
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		refuse(apperr.New(apperr.Unauthorized, "Вход через единую систему региона отменён или не разрешён провайдером. Войдите снова или по логину и паролю."))
		return
	}
	c, err := r.Cookie(ssoCookie)
	var pend sso.Pending
	ok := err == nil
	if ok {
		pend, ok = sso.DecodePending(c.Value)
	}
	if !ok {
		refuse(apperr.New(apperr.Unauthorized, "Вход через единую систему региона устарел: начните его снова с этой страницы."))
		return
	}
	id, err := w.d.SSO.Finish(r.Context(), pend, q.Get("state"), q.Get("code"))
	if err != nil {
		refuse(err)
		return
	}
	uid, err := w.d.SignIn.Account(r.Context(), id, w.d.SSO.MatchBy())
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
