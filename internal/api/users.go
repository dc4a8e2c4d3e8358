package api

import (
	"net/http"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// userDTO is an account as its administrator sees it.
type userDTO struct {
	ID          int64   `json:"id"`
	Login       string  `json:"login"`
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	OrgID       int64   `json:"org_id,omitempty"`
	RegionCode  string  `json:"region_code"`
	Disabled    bool    `json:"disabled"`
	LockedUntil *string `json:"locked_until"`
}

func fromAccount(u auth.User, now time.Time) userDTO {
	d := userDTO{ID: u.ID, Login: u.Login, Name: u.Name, Role: string(u.Role), OrgID: u.OrgID, RegionCode: u.RegionCode, Disabled: u.Disabled}
	if u.Locked(now) {
		s := u.LockedUntil.UTC().Format(time.RFC3339)
		d.LockedUntil = &s
	}
	return d
}

// tokenDTO is an API token without its secret.
type tokenDTO struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Prefix    string  `json:"prefix"`
	CreatedAt string  `json:"created_at"`
	ExpiresAt string  `json:"expires_at"`
	LastUsed  *string `json:"last_used"`
	Revoked   bool    `json:"revoked"`
	Expired   bool    `json:"expired"`
}

func fromToken(t auth.Token, now time.Time) tokenDTO {
	d := tokenDTO{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339),
		ExpiresAt: t.Expiry().UTC().Format(time.RFC3339), Revoked: t.Revoked, Expired: t.Expired(now)}
	if !t.LastUsed.IsZero() {
		s := t.LastUsed.UTC().Format(time.RFC3339)
		d.LastUsed = &s
	}
	return d
}

// userStateRequest disables or enables an account.
type userStateRequest struct {
	Disabled *bool `json:"disabled"`
}

// resetRequest is the body of a password reset; it carries nothing yet.
type resetRequest struct{}

// resetDTO is the one-time code of a reset, shown once.
type resetDTO struct {
	Code      string `json:"code"`
	ExpiresAt string `json:"expires_at"`
}

// passwordRequest changes the caller's own password.
type passwordRequest struct {
	Current  string `json:"current"`
	Password string `json:"password"`
}

var errNoUser = apperr.New(apperr.NotFound, "пользователь не найден")

// withUsers serves h only when the API was given the accounts.
func (a *api) withUsers(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Auth == nil || a.d.Users == nil {
			return apperr.New(apperr.Internal, "api: Deps.Auth or Deps.Users is not set")
		}
		return h(w, r, c)
	}
}

// managed is the account of the path's {id} when the caller may act on it;
// an account the caller may not manage is answered as a missing one.
func (a *api) managed(r *http.Request, c caller) (auth.User, error) {
	if c.scope.Role != auth.Admin && c.scope.Role != auth.Region {
		return auth.User{}, apperr.New(apperr.Forbidden, "учётными записями управляют администратор и регион")
	}
	id, err := pathID(r)
	if err != nil {
		return auth.User{}, err
	}
	u, err := a.d.Users.User(r.Context(), id)
	if apperr.Is(err, apperr.NotFound) || err == nil && !auth.Manages(c.scope, u) {
		return auth.User{}, errNoUser
	}
	return u, err
}

// listUsers answers the accounts the caller manages.
func (a *api) listUsers(w http.ResponseWriter, r *http.Request, c caller) error {
	if c.scope.Role != auth.Admin && c.scope.Role != auth.Region {
		return apperr.New(apperr.Forbidden, "учётными записями управляют администратор и регион")
	}
	all, err := a.d.Users.Users(r.Context())
	if err != nil {
		return err
	}
	now := a.now()
	out := []userDTO{}
	for _, u := range all {
		if auth.Manages(c.scope, u) {
			out = append(out, fromAccount(u, now))
		}
	}
	writeJSON(w, http.StatusOK, items[userDTO]{out})
	return nil
}

// setUserState disables or enables an account; disabling ends its sessions and tokens.
func (a *api) setUserState(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.managed(r, c)
	if err != nil {
		return err
	}
	var in userStateRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Disabled == nil {
		return apperr.Field("disabled", "укажите disabled: true — отключить, false — включить")
	}
	if *in.Disabled && u.ID == c.user.ID {
		return apperr.New(apperr.Conflict, "свою учётную запись отключить нельзя: это сделает другой администратор")
	}
	if err := a.d.Auth.SetDisabled(r.Context(), u.ID, *in.Disabled); err != nil {
		return err
	}
	a.d.Log.Info("account state changed by administrator", "by", c.user.ID, "user", u.ID, "disabled", *in.Disabled)
	u, err = a.d.Users.User(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromAccount(u, a.now()))
	return nil
}

// resetUserPassword starts a reset and answers the one-time code, once.
func (a *api) resetUserPassword(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.managed(r, c)
	if err != nil {
		return err
	}
	var in resetRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	code, until, err := a.d.Auth.ResetPassword(r.Context(), u.ID)
	if err != nil {
		return err
	}
	a.d.Log.Info("password reset by administrator", "by", c.user.ID, "user", u.ID)
	writeJSON(w, http.StatusCreated, resetDTO{Code: code, ExpiresAt: until.UTC().Format(time.RFC3339)})
	return nil
}

// listUserTokens answers the tokens of an account the caller manages.
func (a *api) listUserTokens(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.managed(r, c)
	if err != nil {
		return err
	}
	return a.writeTokens(w, r, u.ID)
}

func (a *api) writeTokens(w http.ResponseWriter, r *http.Request, userID int64) error {
	list, err := a.d.Users.Tokens(r.Context(), userID)
	if err != nil {
		return err
	}
	now := a.now()
	out := make([]tokenDTO, 0, len(list))
	for _, t := range list {
		out = append(out, fromToken(t, now))
	}
	writeJSON(w, http.StatusOK, items[tokenDTO]{out})
	return nil
}

// revokeUserToken revokes any token of an account the caller manages.
func (a *api) revokeUserToken(w http.ResponseWriter, r *http.Request, c caller) error {
	u, err := a.managed(r, c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("token_id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.New(apperr.NotFound, "токен не найден")
	}
	if err := a.d.Users.RevokeToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	a.d.Log.Info("token revoked by administrator", "by", c.user.ID, "user", u.ID, "token", id)
	noContent(w)
	return nil
}

// listTokens answers the caller's own tokens.
func (a *api) listTokens(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.writeTokens(w, r, c.user.ID)
}

// revokeToken revokes one of the caller's own tokens.
func (a *api) revokeToken(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.d.Users.RevokeToken(r.Context(), c.user.ID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// changePassword changes the caller's own password; every session and token
// of the caller ends with it, the token of this request too.
func (a *api) changePassword(w http.ResponseWriter, r *http.Request, c caller) error {
	var in passwordRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Auth.ChangePassword(r.Context(), c.user, in.Current, in.Password, c.scope.From); err != nil {
		return err
	}
	a.d.Log.Info("password changed", "user", c.user.ID)
	noContent(w)
	return nil
}
