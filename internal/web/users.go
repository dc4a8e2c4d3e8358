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
	w.usersPage(rw, r, http.StatusOK, map[string]any{})
}

func (w *Web) usersPage(rw http.ResponseWriter, r *http.Request, status int, data map[string]any) {
	ctx := r.Context()
	me, sc, _ := auth.Caller(ctx)
	all, err := w.d.Users.Users(ctx)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	now := time.Now()
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
	data["Users"], data["LockedCount"], data["LockAfter"] = rows, locked, auth.LockAfter
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, status, "users", "users", data)
}

// managesUser reports whether the caller may act on u: an administrator on
// anyone, the regional ministry on the users of its region except administrators.
func managesUser(sc auth.Scope, u auth.User) bool {
	switch sc.Role {
	case auth.Admin:
		return true
	case auth.Region:
		return u.RegionCode == sc.RegionCode && u.Role != auth.Admin
	}
	return false
}

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
	w.usersPage(rw, r, http.StatusOK, map[string]any{"Done": "Сеансы пользователя " + u.Login + " завершены: " + Count(n, "сеанс", "сеанса", "сеансов") + "."})
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
	w.usersPage(rw, r, http.StatusOK, map[string]any{"Done": "Учётная запись " + u.Login + " разблокирована."})
}
