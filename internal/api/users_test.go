package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// The accounts through the API: the region and the administrator list,
// disable and enable accounts, reset passwords with a one-time code and
// revoke any token; everyone lists and revokes their own tokens and changes
// their own password.
func TestUsersAndTokensAPI(t *testing.T) {
	e := newEnv(t)
	svc := auth.NewService(e.store.Auth, time.Hour, time.Now)
	e.deps.Auth, e.deps.Users = svc, e.store.Auth
	e.srv.Config.Handler = asCaller(t, e.f.users, New(e.deps))
	ctx := context.Background()
	kpt := e.f.users["kpt"]
	secret, tok, err := svc.CreateToken(ctx, kpt, "выгрузка")
	if err != nil {
		t.Fatal(err)
	}
	works := func() bool {
		_, err := svc.AuthenticateToken(ctx, secret, "127.0.0.1")
		return err == nil
	}
	// Who may manage.
	for _, as := range []string{"kpt", "federal", "smirnov", "czn-elizovo"} {
		if res := e.get(t, as, Prefix+"/users"); res.status != http.StatusForbidden {
			t.Errorf("%s lists accounts: %d", as, res.status)
		}
	}
	res := e.get(t, "minobr", Prefix+"/users")
	if res.status != 200 || !strings.Contains(string(res.body), `"login":"kpt"`) || strings.Contains(string(res.body), `"login":"admin"`) {
		t.Errorf("the region's list: %d %s", res.status, res.body)
	}
	// The region may not touch the administrator: answered as missing.
	admin := itoa(e.f.users["admin"].ID)
	if res := e.do(t, req{as: "minobr", method: "PUT", path: Prefix + "/users/" + admin + "/state", body: map[string]any{"disabled": true}}); res.status != 404 {
		t.Errorf("region disables the administrator: %d", res.status)
	}
	// Tokens of an account, revoked by the region.
	res = e.get(t, "minobr", Prefix+"/users/"+itoa(kpt.ID)+"/tokens")
	if res.status != 200 || !strings.Contains(string(res.body), `"name":"выгрузка"`) || !strings.Contains(string(res.body), `"expires_at"`) || strings.Contains(string(res.body), secret) {
		t.Errorf("tokens of kpt: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "minobr", method: "DELETE", path: Prefix + "/users/" + itoa(kpt.ID) + "/tokens/" + itoa(tok.ID)}); res.status != 204 {
		t.Errorf("revoke: %d %s", res.status, res.body)
	}
	if works() {
		t.Error("a revoked token works")
	}
	// Disabling ends the tokens.
	secret, _, _ = svc.CreateToken(ctx, kpt, "вторая")
	for _, c := range []struct {
		body   any
		status int
	}{{map[string]any{}, 400}, {map[string]any{"disabled": "yes"}, 400}, {map[string]any{"disabled": true}, 200}} {
		if res := e.do(t, req{as: "admin", method: "PUT", path: Prefix + "/users/" + itoa(kpt.ID) + "/state", body: c.body}); res.status != c.status {
			t.Errorf("state %v: %d %s", c.body, res.status, res.body)
		}
	}
	if works() {
		t.Error("a disabled user's token works")
	}
	if res := e.do(t, req{as: "admin", method: "PUT", path: Prefix + "/users/" + admin + "/state", body: map[string]any{"disabled": true}}); res.status != 409 {
		t.Errorf("the administrator disables themselves: %d", res.status)
	}
	// A reset answers a one-time code that sets a new password.
	res = e.do(t, req{as: "admin", method: "POST", path: Prefix + "/users/" + itoa(kpt.ID) + "/password-reset", body: map[string]any{}})
	reset := decodeJSON[resetDTO](t, res)
	if res.status != 201 || len(reset.Code) != 14 {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	e.do(t, req{as: "admin", method: "PUT", path: Prefix + "/users/" + itoa(kpt.ID) + "/state", body: map[string]any{"disabled": false}})
	if err := svc.CompleteReset(ctx, "kpt", reset.Code, "a-fresh-long-phrase", "127.0.0.1"); err != nil {
		t.Fatalf("the code: %v", err)
	}
	// The owner changes the password; the token of the request ends with it.
	secret, mine, _ := svc.CreateToken(ctx, kpt, "моя")
	if res := e.get(t, "kpt", Prefix+"/tokens"); res.status != 200 || !strings.Contains(string(res.body), `"name":"моя"`) {
		t.Errorf("own tokens: %d %s", res.status, res.body)
	}
	for _, c := range []struct {
		body   map[string]any
		status int
	}{
		{map[string]any{"current": "wrong-password", "password": "another-long-phrase"}, 400},
		{map[string]any{"current": "a-fresh-long-phrase", "password": "Qwerty123!"}, 400},
		{map[string]any{"current": "a-fresh-long-phrase", "password": "another-long-phrase"}, 204},
	} {
		if res := e.do(t, req{as: "kpt", method: "PUT", path: Prefix + "/me/password", body: c.body}); res.status != c.status {
			t.Errorf("password %v: %d %s", c.body, res.status, res.body)
		}
	}
	if works() {
		t.Error("a token survived the change of password")
	}
	if _, _, _, err := svc.Login(ctx, "kpt", "another-long-phrase", "127.0.0.1"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	// Another's token through the own list is missing.
	_, theirs, _ := svc.CreateToken(ctx, e.f.users["minobr"], "чужая")
	if res := e.do(t, req{as: "kpt", method: "DELETE", path: Prefix + "/tokens/" + itoa(theirs.ID)}); res.status != 404 {
		t.Errorf("revoking another's token: %d", res.status)
	}
	if res := e.do(t, req{as: "kpt", method: "DELETE", path: Prefix + "/tokens/" + itoa(mine.ID)}); res.status != 204 {
		t.Errorf("revoking the own token: %d", res.status)
	}
}
