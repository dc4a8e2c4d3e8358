package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"marshrut/internal/sso"
)

// TestSSOSignIn signs people in through a provider run inside the test: a
// known user lands home, an unknown one is refused with whom to ask, and
// logging out ends the local session.
func TestSSOSignIn(t *testing.T) {
	ctx := context.Background()
	idp := &sso.TestIdP{ClientID: "marshrut", ClientSecret: "client-secret-of-the-test", Now: testClock,
		People: []sso.Identity{{Subject: "sub-school", Name: "Педагог", Login: "school"}, {Subject: "sub-stranger", Name: "Незнакомец", Login: "stranger"}}}
	isrv := httptest.NewServer(idp)
	defer isrv.Close()
	idp.Issuer = isrv.URL

	cfg := testConfig()
	cfg.LogLevel = 8
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "sso.db")
	if err := copyFile(demoBase(t), cfg.DatabaseURL); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL = "http://" + ln.Addr().String()
	cfg.OIDCIssuer, cfg.OIDCClientID, cfg.OIDCClientSecret, cfg.OIDCMatch = isrv.URL, "marshrut", "client-secret-of-the-test", "login"
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := handler(&cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
	srv.Start()
	defer srv.Close()

	client := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	get := func(c *http.Client, u string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	// signIn goes to the provider, chooses subject there and comes back.
	signIn := func(c *http.Client, subject string) (*http.Response, string) {
		t.Helper()
		resp, _ := get(c, srv.URL+"/login/sso")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), isrv.URL+"/authorize") {
			t.Fatalf("/login/sso: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		back, err := c.PostForm(resp.Header.Get("Location"), url.Values{"subject": {subject}})
		if err != nil {
			t.Fatal(err)
		}
		back.Body.Close()
		return get(c, back.Header.Get("Location"))
	}

	c := client()
	if _, page := get(c, srv.URL+"/login"); !strings.Contains(page, `href="/login/sso"`) || !strings.Contains(page, `href="/join"`) {
		t.Fatal("the login page offers neither the region's sign-in nor the invitation")
	}
	resp, _ := signIn(c, "sub-school")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("a known user: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, home := get(c, srv.URL+"/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(home, "Педагог-навигатор") {
		t.Fatalf("home after the sign-in: %d", resp.StatusCode)
	}
	// Logging out ends the local session.
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no CSRF token at home")
	}
	out, err := c.PostForm(srv.URL+"/logout", url.Values{"csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	out.Body.Close()
	if resp, _ := get(c, srv.URL+"/"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("after logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A person the provider knows and Marshrut does not is refused with whom to ask.
	resp, page := signIn(client(), "sub-stranger")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "школе или колледже") || !strings.Contains(page, "администратору") {
		t.Fatalf("an unknown person: %d", resp.StatusCode)
	}
	// A token for another client is refused.
	idp.Tamper = func(c map[string]any) { c["aud"] = "another-client" }
	resp, page = signIn(client(), "sub-school")
	idp.Tamper = nil
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "не удался") {
		t.Fatalf("a token for another client: %d", resp.StatusCode)
	}
	// Without a sign-in begun here, the callback opens nothing.
	if resp, _ := get(client(), srv.URL+"/login/sso/callback?state=x&code=y"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a callback without its cookie: %d", resp.StatusCode)
	}
}
