package web

import (
	"net/http"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// userRow is one line of the «Пользователи» page.
type userRow struct {
	auth.User
	Sessions int
	Locked   bool
	CanAct   bool // the caller may end its sessions and unlock it
}

// Users lists the accounts of the region (every region for an administrator)
// with their open sessions and locks, so that an administrator can end the
// sessions of a lost device or unlock an account after failed logins.
func (w *Web) Users(rw http.ResponseWriter, r *http.Request) {
	w.usersPage(rw, r, http.StatusOK, "")
}

// usersPage is the «Пользователи» page: the accounts with their sessions and locks.
type usersPage struct {
	Users       []userRow
	LockedCount int
	LockAfter   int
	Done        string
}

func (w *Web) usersPage(rw http.ResponseWriter, r *http.Request, status int, done string) {
	ctx := r.Context()
	me, sc, _ := auth.Caller(ctx)
	all, err := w.d.Users.Users(ctx)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	now := w.d.Now()
	counts, err := w.d.Users.SessionCounts(ctx, now)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	var rows []userRow
	locked := 0
	for _, u := range all {
		if !managesUser(sc, u) && u.ID != me.ID {
			continue
		}
		row := userRow{User: u, Sessions: counts[u.ID], Locked: u.Locked(now), CanAct: managesUser(sc, u)}
		if row.Locked {
			locked++
		}
		rows = append(rows, row)
	}
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, status, "users", "users", usersPage{Users: rows, LockedCount: locked, LockAfter: auth.LockAfter, Done: done})
}

// managesUser reports whether the caller may act on u.
func managesUser(sc auth.Scope, u auth.User) bool { return auth.Manages(sc, u) }

// target is the user a form on the page acts on, refused when the caller may not act on it.
func (w *Web) target(r *http.Request) (auth.User, error) {
	_, sc, _ := auth.Caller(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return auth.User{}, apperr.New(apperr.NotFound, "пользователь не найден")
	}
	u, err := w.d.Users.User(r.Context(), id)
	if err != nil {
		return auth.User{}, err
	}
	if !managesUser(sc, u) {
		if sc.Role == auth.Region && u.RegionCode == sc.RegionCode {
			return auth.User{}, apperr.New(apperr.Forbidden, "Сеансы и блокировку администратора может менять только администратор.")
		}
		return auth.User{}, apperr.New(apperr.NotFound, "пользователь не найден")
	}
	return u, nil
}

// EndSessions logs a user out everywhere.
func (w *Web) EndSessions(rw http.ResponseWriter, r *http.Request) {
	u, err := w.target(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	n, err := w.d.Auth.EndSessions(r.Context(), u.ID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	me, _, _ := auth.Caller(r.Context())
	w.d.Log.Info("sessions ended by administrator", "by", me.ID, "user", u.ID, "count", n)
	w.usersPage(rw, r, http.StatusOK, "Сеансы пользователя "+u.Login+" завершены: "+Count(n, "сеанс", "сеанса", "сеансов")+".")
}

// UnlockUser lifts the lock of an account after failed logins.
func (w *Web) UnlockUser(rw http.ResponseWriter, r *http.Request) {
	u, err := w.target(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if err := w.d.Auth.Unlock(r.Context(), u.ID); err != nil {
		w.Error(rw, r, err)
		return
	}
	me, _, _ := auth.Caller(r.Context())
	w.d.Log.Info("account unlocked by administrator", "by", me.ID, "user", u.ID)
	w.usersPage(rw, r, http.StatusOK, "Учётная запись "+u.Login+" разблокирована.")
}

// User is the page of one account: its state, sessions and API tokens, with
// the forms that disable it, reset its password and revoke its tokens.
func (w *Web) User(rw http.ResponseWriter, r *http.Request) {
	u, err := w.target(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.userPage(rw, r, http.StatusOK, u, userPage{})
}

// userPage is the page of one account; Done, Error, Code and CodeUntil are
// what the form just posted did.
type userPage struct {
	Account   userRow
	Tokens    []auth.Token
	Sessions  int
	Now       time.Time
	Self      bool
	Done      string
	Error     string
	Code      string
	CodeUntil time.Time
}

func (w *Web) userPage(rw http.ResponseWriter, r *http.Request, status int, u auth.User, data userPage) {
	ctx := r.Context()
	u, err := w.d.Users.User(ctx, u.ID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	tokens, err := w.d.Users.Tokens(ctx, u.ID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	now := w.d.Now()
	counts, err := w.d.Users.SessionCounts(ctx, now)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	me, _, _ := auth.Caller(ctx)
	data.Account, data.Tokens, data.Sessions, data.Now = userRow{User: u, Sessions: counts[u.ID], Locked: u.Locked(now), CanAct: true}, tokens, counts[u.ID], now
	data.Self = me.ID == u.ID
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, status, "user", "users", data)
}

// DisableUser disables an account: its sessions and tokens end at once.
func (w *Web) DisableUser(rw http.ResponseWriter, r *http.Request) { w.setDisabled(rw, r, true) }

// EnableUser enables a disabled account again.
func (w *Web) EnableUser(rw http.ResponseWriter, r *http.Request) { w.setDisabled(rw, r, false) }

func (w *Web) setDisabled(rw http.ResponseWriter, r *http.Request, disabled bool) {
	u, err := w.target(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	me, _, _ := auth.Caller(r.Context())
	if disabled && u.ID == me.ID {
		w.userPage(rw, r, http.StatusConflict, u, userPage{Error: "Свою учётную запись отключить нельзя: это сделает другой администратор."})
		return
	}
	if err := w.d.Auth.SetDisabled(r.Context(), u.ID, disabled); err != nil {
		w.Error(rw, r, err)
		return
	}
	msg := "Учётная запись " + u.Login + " включена."
	if disabled {
		msg = "Учётная запись " + u.Login + " отключена: её сеансы завершены, API-токены отозваны."
	}
	w.d.Log.Info("account state changed by administrator", "by", me.ID, "user", u.ID, "disabled", disabled)
	w.userPage(rw, r, http.StatusOK, u, userPage{Done: msg})
}

// ResetUserPassword makes a one-time code with which the user chooses a new
// password; the old one stops working. The code is shown once, here.
func (w *Web) ResetUserPassword(rw http.ResponseWriter, r *http.Request) {
	u, err := w.target(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	code, until, err := w.d.Auth.ResetPassword(r.Context(), u.ID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	me, _, _ := auth.Caller(r.Context())
	w.d.Log.Info("password reset by administrator", "by", me.ID, "user", u.ID)
	w.userPage(rw, r, http.StatusOK, u, userPage{Code: code, CodeUntil: until})
}

// RevokeUserToken revokes any token of a user the caller manages.
func (w *Web) RevokeUserToken(rw http.ResponseWriter, r *http.Request) {
	u, err := w.target(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("token"), 10, 64)
	if err == nil {
		err = w.d.Users.RevokeToken(r.Context(), u.ID, id)
	}
	if err != nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "токен не найден"))
		return
	}
	me, _, _ := auth.Caller(r.Context())
	w.d.Log.Info("token revoked by administrator", "by", me.ID, "user", u.ID, "token", id)
	w.userPage(rw, r, http.StatusOK, u, userPage{Done: "Токен отозван."})
}

// PasswordForm is the form that changes one's own password.
func (w *Web) PasswordForm(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, http.StatusOK, "password", "password", passwordPage{Min: auth.MinPassword})
}

// passwordPage is the form that changes one's own password.
type passwordPage struct {
	Min   int
	Error string
}

// ChangePassword changes one's own password. Every session and token of the
// user ends with it, this browser's too: the user logs in with the new one.
func (w *Web) ChangePassword(rw http.ResponseWriter, r *http.Request) {
	u, _, _ := auth.Caller(r.Context())
	next := r.PostFormValue("password")
	err := error(nil)
	if next != r.PostFormValue("password2") {
		err = apperr.Field("password2", "пароли не совпадают")
	} else {
		err = w.d.Auth.ChangePassword(r.Context(), u, r.PostFormValue("current"), next, ClientIP(r))
	}
	if apperr.Is(err, apperr.Invalid) {
		rw.Header().Set("Cache-Control", "no-store")
		w.render(rw, r, http.StatusBadRequest, "password", "password", passwordPage{Min: auth.MinPassword, Error: apperr.Text(err)})
		return
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.d.Log.Info("password changed", "user", u.ID)
	http.SetCookie(rw, &http.Cookie{Name: SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: w.d.SecureCookies, SameSite: http.SameSiteLaxMode})
	w.loginNotice(rw, r, "Пароль изменён. Все сеансы и API-токены завершены: войдите с новым паролем.")
}

// loginNotice shows the login form with a notice of what just happened.
func (w *Web) loginNotice(rw http.ResponseWriter, r *http.Request, msg string) {
	token := auth.NewSecret()
	http.SetCookie(rw, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/login", HttpOnly: true, Secure: w.d.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	rw.Header().Set("Cache-Control", "no-store")
	w.renderView(rw, http.StatusOK, "login", view{CSRF: token, Data: map[string]string{"Next": "/", "Done": msg}})
}

// ResetForm is the form in which a user sets a new password with the
// one-time code an administrator gave.
func (w *Web) ResetForm(rw http.ResponseWriter, r *http.Request) {
	w.resetPage(rw, r, http.StatusOK, "", "")
}

func (w *Web) resetPage(rw http.ResponseWriter, r *http.Request, status int, login, msg string) {
	token := auth.NewSecret()
	http.SetCookie(rw, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/password/reset", HttpOnly: true, Secure: w.d.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	rw.Header().Set("Cache-Control", "no-store")
	w.renderView(rw, status, "reset", view{CSRF: token, Data: resetPage{Login: login, Error: msg, Min: auth.MinPassword}})
}

// resetPage is the form that sets a new password with a one-time code.
type resetPage struct {
	Login string
	Error string
	Min   int
}

// CompleteReset sets the new password with the one-time code.
func (w *Web) CompleteReset(rw http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || r.PostFormValue("csrf") != c.Value {
		w.resetPage(rw, r, http.StatusForbidden, "", "Форма устарела или подделана. Попробуйте ещё раз.")
		return
	}
	login := r.PostFormValue("login")
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		w.resetPage(rw, r, http.StatusBadRequest, login, "пароли не совпадают")
		return
	}
	if err := w.d.Auth.CompleteReset(r.Context(), login, r.PostFormValue("code"), r.PostFormValue("password"), ClientIP(r)); err != nil {
		w.resetPage(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), login, apperr.Text(err))
		return
	}
	http.SetCookie(rw, &http.Cookie{Name: loginCSRFCookie, Path: "/password/reset", MaxAge: -1})
	w.loginNotice(rw, r, "Новый пароль сохранён: войдите с ним.")
}
