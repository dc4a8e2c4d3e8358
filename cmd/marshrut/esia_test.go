package main

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marshrut/internal/sso"
)

// TestESIASignIn signs people in through a fake ЕСИА run inside the test,
// with ed25519 keys standing in for ГОСТ: the demo pupil by СНИЛС, the
// demo parent by the pupil's СНИЛС among their children; an unconfirmed
// account, a stranger, a wrong state and a forged token are refused; and
// without a provider the option is off and says why.
func TestESIASignIn(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig()
	cfg.LogLevel = 8
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "esia.db")
	if err := copyFile(demoBase(t), cfg.DatabaseURL); err != nil {
		t.Fatal(err)
	}
	// The pupil gets a СНИЛС of the test's own, the pupil's parent a name.
	db, err := sql.Open("sqlite", cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	const pupilSNILS = "00000000101"
	var born string
	if _, err := db.ExecContext(ctx, `UPDATE learner SET snils = $1 WHERE id = (SELECT learner_id FROM app_user WHERE login = 'pupil')`, pupilSNILS); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE app_user SET name = 'Иванова Анна Петровна' WHERE login = 'parent'`); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT substr(l.birth_date, 1, 10) FROM learner l JOIN app_user u ON u.learner_id = l.id WHERE u.login = 'pupil'`).Scan(&born); err != nil {
		t.Fatal(err)
	}
	db.Close()
	birth, err := time.Parse(time.DateOnly, born)
	if err != nil {
		t.Fatal(err)
	}

	system, esiaKey := sso.NewTestKey(), sso.NewTestKey()
	fake := &sso.TestESIA{ClientID: "MARSHRUT", Client: system, Key: esiaKey, Now: testClock, People: []sso.ESIAPerson{
		{OID: "1001", FirstName: "Ученик", LastName: "Демонстрационный", SNILS: "000-000-001 01", Trusted: true},
		{OID: "1002", FirstName: "Анна", LastName: "Иванова", MiddleName: "Петровна", SNILS: "000-000-002 02", Trusted: true,
			Kids: []sso.ESIAKid{{FirstName: "Ученик", LastName: "Демонстрационный", BirthDate: birth.Format("02.01.2006"), SNILS: "000-000-001 01"}}},
		{OID: "1003", FirstName: "Ученик", LastName: "Демонстрационный", SNILS: "000-000-001 01"},
		{OID: "1004", FirstName: "Олег", LastName: "Сидоров", SNILS: "000-000-004 04", Trusted: true},
	}}
	esrv := httptest.NewServer(fake)
	defer esrv.Close()
	fake.URL = esrv.URL

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL = "http://" + ln.Addr().String()
	off := cfg // the same installation without a provider
	cfg.ESIAURL, cfg.ESIAClientID, cfg.ESIASigner, cfg.ESIAVerifier = esrv.URL, "MARSHRUT", system, esiaKey
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
	// signIn goes to ЕСИА, chooses oid there and comes back, with the
	// state ЕСИА sent back changed by tamper.
	signIn := func(c *http.Client, oid string, tamper func(url.Values)) (*http.Response, string) {
		t.Helper()
		resp, _ := get(c, srv.URL+"/login/esia")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), esrv.URL+"/aas/oauth2/ac?") {
			t.Fatalf("/login/esia: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		back, err := c.PostForm(resp.Header.Get("Location"), url.Values{"oid": {oid}})
		if err != nil {
			t.Fatal(err)
		}
		back.Body.Close()
		u, err := url.Parse(back.Header.Get("Location"))
		if err != nil || back.StatusCode != http.StatusFound {
			t.Fatalf("ЕСИА answered %d", back.StatusCode)
		}
		if tamper != nil {
			q := u.Query()
			tamper(q)
			u.RawQuery = q.Encode()
		}
		return get(c, u.String())
	}
	home := func(c *http.Client, who string) {
		t.Helper()
		resp, page := get(c, srv.URL+"/")
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, who) {
			t.Fatalf("home after the sign-in: %d, %s not named", resp.StatusCode, who)
		}
	}

	if _, page := get(client(), srv.URL+"/login"); !strings.Contains(page, `href="/login/esia"`) {
		t.Fatal("the login page does not offer Госуслуги")
	}
	for _, tt := range []struct{ name, oid, who string }{
		{"the pupil by СНИЛС", "1001", "Обучающийся"},
		{"the parent by the child's СНИЛС", "1002", "Иванова Анна Петровна"},
	} {
		c := client()
		if resp, _ := signIn(c, tt.oid, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("%s: %d %s", tt.name, resp.StatusCode, resp.Header.Get("Location"))
		}
		home(c, tt.who)
	}
	// Linked, the oid finds the parent again.
	if resp, _ := signIn(client(), "1002", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the parent again: %d", resp.StatusCode)
	}
	for _, tt := range []struct {
		name, oid string
		tamper    func(url.Values)
		status    int
		says      string
	}{
		{"an unconfirmed account", "1003", nil, http.StatusForbidden, "не подтверждена"},
		{"a stranger", "1004", nil, http.StatusForbidden, "приглашение"},
		{"a wrong state", "1001", func(q url.Values) { q.Set("state", "8c1b7a5e-0d4f-4a8e-9b1c-2d3e4f5a6b7c") }, http.StatusUnauthorized, "не удался"},
		{"ЕСИА's refusal", "1001", func(q url.Values) { q.Del("code"); q.Set("error", "access_denied") }, http.StatusUnauthorized, "отменён"},
	} {
		if resp, page := signIn(client(), tt.oid, tt.tamper); resp.StatusCode != tt.status || !strings.Contains(page, tt.says) {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, page)
		}
	}
	// A token ЕСИА's key did not sign is refused.
	fake.Key = sso.NewTestKey()
	if resp, page := signIn(client(), "1001", nil); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "не удался") {
		t.Errorf("a forged token: %d", resp.StatusCode)
	}
	fake.Key = esiaKey
	// Without a sign-in begun here, the callback opens nothing.
	if resp, _ := get(client(), srv.URL+"/login/esia/callback?state=x&code=y"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a callback without its cookie: %d", resp.StatusCode)
	}

	// Without a certified provider the routes are not there and the login
	// page says why.
	hoff, err := handler(&off, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/login/esia", "/login/esia/callback?state=x&code=y"} {
		rec := httptest.NewRecorder()
		hoff.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "не подключено") {
			t.Errorf("%s without a provider: %d", path, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	hoff.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	if page := rec.Body.String(); strings.Contains(page, `href="/login/esia"`) || !strings.Contains(page, "сертифицированным средством криптозащиты") {
		t.Error("the login page without a provider does not say why Госуслуги are off")
	}
}
