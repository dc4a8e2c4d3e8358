package sso

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

// day is the fixed day the tests live on.
var day = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func testIdP(t *testing.T) (*TestIdP, *Provider) {
	t.Helper()
	idp := &TestIdP{ClientID: "marshrut", ClientSecret: "s3cret-s3cret", Now: func() time.Time { return day },
		People: []Identity{{Subject: "u-1", Name: "Иванова Мария", Email: "maria@example.ru", EmailVerified: true}}}
	srv := httptest.NewServer(idp)
	t.Cleanup(srv.Close)
	idp.Issuer = srv.URL
	p, err := New(Config{Issuer: srv.URL, ClientID: "marshrut", ClientSecret: "s3cret-s3cret", RedirectURL: "http://marshrut.test/login/sso/callback",
		Match: ByEmail, Now: func() time.Time { return day }})
	if err != nil {
		t.Fatal(err)
	}
	return idp, p
}

// signIn runs the flow up to the callback: begins, chooses subject at the
// provider and returns the state and code the provider sent back.
func signIn(t *testing.T, p *Provider, subject string) (Pending, string, string) {
	t.Helper()
	to, pend, err := p.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(to)
	if u.Query().Get("code_challenge_method") != "S256" || u.Query().Get("nonce") != pend.Nonce || u.Query().Get("state") != pend.State {
		t.Fatalf("authorization request %s", to)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(to, url.Values{"subject": {subject}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("provider answered %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	return pend, back.Query().Get("state"), back.Query().Get("code")
}

func TestFinish(t *testing.T) {
	idp, p := testIdP(t)
	ctx := context.Background()
	pend, state, code := signIn(t, p, "u-1")
	id, err := p.Finish(ctx, pend, state, code)
	if err != nil || id.Subject != "u-1" || id.Email != "maria@example.ru" || !id.EmailVerified || id.Issuer != idp.Issuer {
		t.Fatalf("identity = %+v, %v", id, err)
	}
	// A code works once.
	if _, err := p.Finish(ctx, pend, state, code); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("a code used twice: %v", err)
	}
	pend, state, code = signIn(t, p, "u-1")
	if _, err := p.Finish(ctx, pend, state+"x", code); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("another state: %v", err)
	}
	// A wrong PKCE verifier fails the exchange.
	pend, state, code = signIn(t, p, "u-1")
	pend.Verifier = "a-verifier-of-someone-else-a-verifier-of-someone-else"
	if _, err := p.Finish(ctx, pend, state, code); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("a wrong verifier: %v", err)
	}
	for _, tt := range []struct {
		name   string
		tamper func(map[string]any)
		why    string
	}{
		{"wrong audience", func(c map[string]any) { c["aud"] = "another-client" }, "audience"},
		{"wrong issuer", func(c map[string]any) { c["iss"] = "https://evil.example" }, "different provider"},
		{"wrong nonce", func(c map[string]any) { c["nonce"] = "replayed" }, "nonce"},
		{"expired", func(c map[string]any) { c["exp"] = day.Add(-time.Minute).Unix() }, "expired"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			idp.Tamper = tt.tamper
			defer func() { idp.Tamper = nil }()
			pend, state, code := signIn(t, p, "u-1")
			_, err := p.Finish(ctx, pend, state, code)
			if !apperr.Is(err, apperr.Unauthorized) || apperr.Text(err) != apperr.Text(Refusal) || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("%s: %v", tt.name, err)
			}
		})
	}
}

type memAccounts struct {
	links     map[string]int64
	users     map[string][]int64
	guardians map[string][]Guardian // by the child's СНИЛС
}

func (m *memAccounts) GuardiansBySNILS(_ context.Context, _ string, snils string) ([]Guardian, error) {
	return m.guardians[snils], nil
}

func (m *memAccounts) LinkedUser(_ context.Context, iss, sub string) (int64, error) {
	if id, ok := m.links[iss+" "+sub]; ok {
		return id, nil
	}
	return 0, apperr.New(apperr.NotFound, "нет")
}
func (m *memAccounts) FindUsers(_ context.Context, _ string, by Match, v string) ([]int64, error) {
	return m.users[string(by)+":"+v], nil
}
func (m *memAccounts) LinkUser(_ context.Context, iss, sub string, id int64, _ time.Time) error {
	m.links[iss+" "+sub] = id
	return nil
}

func TestAccount(t *testing.T) {
	ctx := context.Background()
	m := &memAccounts{links: map[string]int64{}, users: map[string][]int64{"email:maria@example.ru": {7}, "email:twins@example.ru": {8, 9}, "snils:11223344595": {10}}}
	s := NewService(m, "41", func() time.Time { return day })
	id := Identity{Issuer: "https://idp", Subject: "u-1", Email: "maria@example.ru", EmailVerified: true}
	if uid, err := s.Account(ctx, id, ByEmail); err != nil || uid != 7 || m.links["https://idp u-1"] != 7 {
		t.Fatalf("by e-mail: %d, %v", uid, err)
	}
	// Linked, the subject finds the account whatever the address says now.
	id.Email = "new@example.ru"
	if uid, err := s.Account(ctx, id, ByEmail); err != nil || uid != 7 {
		t.Fatalf("linked: %d, %v", uid, err)
	}
	for _, tt := range []struct {
		name string
		id   Identity
		by   Match
	}{
		{"unknown", Identity{Subject: "u-2", Email: "nobody@example.ru", EmailVerified: true}, ByEmail},
		{"unverified address", Identity{Subject: "u-3", Email: "maria@example.ru"}, ByEmail},
		{"two accounts", Identity{Subject: "u-4", Email: "twins@example.ru", EmailVerified: true}, ByEmail},
		{"no СНИЛС", Identity{Subject: "u-5"}, BySNILS},
	} {
		if _, err := s.Account(ctx, tt.id, tt.by); err != ErrUnknown || !strings.Contains(apperr.Text(err), "школе или колледже") {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if uid, err := s.Account(ctx, Identity{Subject: "esia-1", SNILS: "11223344595"}, BySNILS); err != nil || uid != 10 {
		t.Fatalf("by СНИЛС: %d, %v", uid, err)
	}
}
