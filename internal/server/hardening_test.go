package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/server"
	"marshrut/internal/store"
	"marshrut/internal/web"
)

const metricsToken = "metrics-token-of-the-test"

// syncBuffer is a log that tests read while the server writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// hardEnv is a served region with an administrator, a regional user, a
// second regional user and an administrator's colleague; its log is kept.
type hardEnv struct {
	lockEnv
	log *syncBuffer
}

func hardSetup(t *testing.T, tune func(*server.Deps)) *hardEnv {
	t.Helper()
	ctx := context.Background()
	buf := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(buf, nil))
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "hard.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := classifier.LoadBuiltin()
	if err := st.SeedClassifiers(ctx, b); err != nil {
		t.Fatal(err)
	}
	e := &hardEnv{lockEnv: lockEnv{st: st, clock: &clock{t: time.Now()}, users: map[string]auth.User{}}, log: buf}
	e.auth = auth.NewService(st.Auth, time.Hour, e.clock.now)
	for _, u := range []auth.User{
		{Login: "admin", Role: auth.Admin, RegionCode: "41"},
		{Login: "region", Role: auth.Region, RegionCode: "41"},
		{Login: "minister", Role: auth.Region, RegionCode: "41"},
	} {
		if err := e.auth.AddUser(ctx, &u, password); err != nil {
			t.Fatal(err)
		}
		e.users[u.Login] = u
	}
	w, err := web.New(web.Deps{Auth: e.auth, Users: st.Auth, Municipalities: st.Classifier, Region: "41", SessionTTL: time.Hour, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	d := server.Deps{Web: w, API: http.NotFoundHandler(), Auth: e.auth, Ping: st.Ping, Log: log, Registry: prometheus.NewRegistry(),
		MetricsToken: metricsToken}
	if tune != nil {
		tune(&d)
	}
	e.srv = httptest.NewServer(server.New(d))
	t.Cleanup(e.srv.Close)
	return e
}

func getMetrics(t *testing.T, base, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// apiGet sends a bearer token to a page that needs a session: the token is
// authenticated first, so its status tells whether the token still works.
func tokenWorks(t *testing.T, base, token string) bool {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode != http.StatusUnauthorized
}

// A next= that a browser reads as another host never leaves the site.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	e := hardSetup(t, nil)
	for next, want := range map[string]string{
		"/%09/evil.example":        "/",
		"/%0a/evil.example":        "/",
		"/%5C/evil.example":        "/",
		"/%5Cevil.example":         "/",
		"//evil.example":           "/",
		"https://evil.example/":    "/",
		"/%20/evil.example":        "/",
		"/learners?status=student": "/learners?status=student",
	} {
		c := (&env{srv: e.srv}).client(t)
		_, page := get(t, c, e.srv.URL+"/login?next="+next)
		m := reCSRF.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no CSRF token on the login form")
		}
		// The form carries next as the attacker's link put it, whatever the
		// form on the page holds.
		raw, _ := url.QueryUnescape(next)
		form := url.Values{"login": {"region"}, "password": {password}, "csrf": {m[1]}, "next": {raw}}
		req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("next=%s: %d → %q, want %q", next, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

func TestPasswordPolicyRefusesDecoratedWords(t *testing.T) {
	for _, p := range []string{"Qwerty123!", "Password2026#", "Йцукен12345", "Asdfgh!2024", "Admin@2026!!", "Marshrut-2026"} {
		if err := auth.CheckPassword("ivanova", p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
	for _, p := range []string{"correct-horse-battery", "Камчатка-весна", "marshrut-demo", "7#kL9$mP2@qz"} {
		if err := auth.CheckPassword("ivanova", p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
}

// The owner changes the password; every session and token ends with it.
func TestChangeOwnPassword(t *testing.T) {
	e := hardSetup(t, nil)
	ctx := context.Background()
	region := loginClient(t, &e.lockEnv, "region")
	other := loginClient(t, &e.lockEnv, "region")
	secret, _, err := e.auth.CreateToken(ctx, e.users["region"], "выгрузка")
	if err != nil {
		t.Fatal(err)
	}
	if !tokenWorks(t, e.srv.URL, secret) {
		t.Fatal("a new token does not work")
	}
	if code, page := get(t, region.c, e.srv.URL+"/password"); code != 200 || !strings.Contains(page, "Смена пароля") {
		t.Fatalf("password form: %d", code)
	}
	// A wrong current password, a weak new one, a mismatch: nothing changes.
	for _, f := range []url.Values{
		{"current": {"wrong-password-1"}, "password": {"another-long-phrase"}, "password2": {"another-long-phrase"}},
		{"current": {password}, "password": {"Qwerty123!"}, "password2": {"Qwerty123!"}},
		{"current": {password}, "password": {"another-long-phrase"}, "password2": {"another-long-phrasE"}},
	} {
		f.Set("csrf", region.csrf)
		if code, _ := post(t, region.c, e.srv.URL+"/password", f); code != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", f, code)
		}
	}
	if _, _, _, err := e.auth.Login(ctx, "region", password, "10.1.1.1"); err != nil {
		t.Fatalf("the old password stopped working after refused changes: %v", err)
	}
	code, page := post(t, region.c, e.srv.URL+"/password", url.Values{"csrf": {region.csrf}, "current": {password},
		"password": {"another-long-phrase"}, "password2": {"another-long-phrase"}})
	if code != 200 || !strings.Contains(page, "Пароль изменён") {
		t.Fatalf("change: %d\n%s", code, page)
	}
	if code, _ := get(t, other.c, e.srv.URL+"/tokens"); code != http.StatusSeeOther {
		t.Errorf("another session of the user survived the change: %d", code)
	}
	if tokenWorks(t, e.srv.URL, secret) {
		t.Error("an API token survived the change of password")
	}
	if _, _, _, err := e.auth.Login(ctx, "region", password, "10.1.1.2"); err != auth.ErrBadCredentials {
		t.Errorf("the old password still works: %v", err)
	}
	if _, _, _, err := e.auth.Login(ctx, "region", "another-long-phrase", "10.1.1.3"); err != nil {
		t.Errorf("the new password: %v", err)
	}
}

// An administrator disables and enables a user, resets the password with a
// one-time code, and revokes any token; the region may do the same to its
// users but not to an administrator.
func TestAdministratorManagesCredentials(t *testing.T) {
	e := hardSetup(t, nil)
	ctx := context.Background()
	admin := loginClient(t, &e.lockEnv, "admin")
	minister := loginClient(t, &e.lockEnv, "minister")
	mid := itoa(e.users["minister"].ID)
	secret, tok, err := e.auth.CreateToken(ctx, e.users["minister"], "отчёты")
	if err != nil {
		t.Fatal(err)
	}
	code, page := get(t, admin.c, e.srv.URL+"/users/"+mid)
	if code != 200 || !strings.Contains(page, "отчёты") || !strings.Contains(page, "/users/"+mid+"/tokens/"+itoa(tok.ID)+"/revoke") {
		t.Fatalf("user page: %d\n%s", code, page)
	}
	// Disabled: the sessions and the token end, and the password opens nothing.
	if code, page := post(t, admin.c, e.srv.URL+"/users/"+mid+"/disable", url.Values{"csrf": {admin.csrf}}); code != 200 || !strings.Contains(page, "отключена") {
		t.Fatalf("disable: %d", code)
	}
	if code, _ := get(t, minister.c, e.srv.URL+"/tokens"); code != http.StatusSeeOther {
		t.Errorf("a disabled user's session still opens a page: %d", code)
	}
	if tokenWorks(t, e.srv.URL, secret) {
		t.Error("a disabled user's token still works")
	}
	if _, _, _, err := e.auth.Login(ctx, "minister", password, "10.2.0.1"); err != auth.ErrBadCredentials {
		t.Errorf("a disabled user logs in: %v", err)
	}
	if code, _ := post(t, admin.c, e.srv.URL+"/users/"+mid+"/enable", url.Values{"csrf": {admin.csrf}}); code != 200 {
		t.Fatalf("enable: %d", code)
	}
	if _, _, _, err := e.auth.Login(ctx, "minister", password, "10.2.0.2"); err != nil {
		t.Errorf("an enabled user cannot log in: %v", err)
	}
	// The token stays revoked: enabling gives back the account, not the leaked secret.
	if tokenWorks(t, e.srv.URL, secret) {
		t.Error("enabling brought a revoked token back")
	}

	// Any token of a user is revoked from the user's page.
	secret2, tok2, _ := e.auth.CreateToken(ctx, e.users["minister"], "второй")
	if code, _ := post(t, admin.c, e.srv.URL+"/users/"+mid+"/tokens/"+itoa(tok2.ID)+"/revoke", url.Values{"csrf": {admin.csrf}}); code != 200 {
		t.Fatalf("revoke: %d", code)
	}
	if tokenWorks(t, e.srv.URL, secret2) {
		t.Error("a token revoked by the administrator still works")
	}
	// A token of another user is not found through this user's page.
	_, tok3, _ := e.auth.CreateToken(ctx, e.users["region"], "чужой")
	if code, _ := post(t, admin.c, e.srv.URL+"/users/"+mid+"/tokens/"+itoa(tok3.ID)+"/revoke", url.Values{"csrf": {admin.csrf}}); code != 404 {
		t.Errorf("another user's token through this page: %d", code)
	}

	// A reset shows the one-time code once; the old password stops working.
	code, page = post(t, admin.c, e.srv.URL+"/users/"+mid+"/reset", url.Values{"csrf": {admin.csrf}})
	m := regexp.MustCompile(`<code class="secret">([A-Z0-9-]+)</code>`).FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("reset: %d\n%s", code, page)
	}
	if _, again := get(t, admin.c, e.srv.URL+"/users/"+mid); strings.Contains(again, m[1]) {
		t.Error("the code is shown again")
	}
	if _, _, _, err := e.auth.Login(ctx, "minister", password, "10.2.0.3"); err != auth.ErrBadCredentials {
		t.Errorf("the old password works after a reset: %v", err)
	}
	c := (&env{srv: e.srv}).client(t)
	resetWith := func(login, code, pw string) (int, string) {
		_, form := get(t, c, e.srv.URL+"/password/reset")
		f := reCSRF.FindStringSubmatch(form)
		if f == nil {
			t.Fatal("no CSRF token on the reset form")
		}
		return post(t, c, e.srv.URL+"/password/reset", url.Values{"csrf": {f[1]}, "login": {login}, "code": {code}, "password": {pw}, "password2": {pw}})
	}
	wrongCode, wrongBody := resetWith("minister", "AAAA-BBBB-CCCC", "fresh-long-phrase")
	unknown, unknownBody := resetWith("nobody", m[1], "fresh-long-phrase")
	if wrongCode != 400 || unknown != 400 || !strings.Contains(wrongBody, "Неверный логин или код") || !strings.Contains(unknownBody, "Неверный логин или код") {
		t.Errorf("wrong code %d, unknown login %d", wrongCode, unknown)
	}
	if code, body := resetWith("minister", strings.ToLower(m[1]), "fresh-long-phrase"); code != 200 || !strings.Contains(body, "Новый пароль сохранён") {
		t.Fatalf("reset with the code: %d\n%s", code, body)
	}
	if _, _, _, err := e.auth.Login(ctx, "minister", "fresh-long-phrase", "10.2.0.4"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if code, _ := resetWith("minister", m[1], "another-fresh-phrase"); code != 400 {
		t.Errorf("the one-time code worked twice: %d", code)
	}

	// The region manages its users, not an administrator.
	region := loginClient(t, &e.lockEnv, "region")
	if code, _ := post(t, region.c, e.srv.URL+"/users/"+itoa(e.users["admin"].ID)+"/disable", url.Values{"csrf": {region.csrf}}); code != 403 {
		t.Errorf("region disables the administrator: %d", code)
	}
	if code, _ := post(t, region.c, e.srv.URL+"/users/"+mid+"/disable", url.Values{"csrf": {region.csrf}}); code != 200 {
		t.Errorf("region disables its user: %d", code)
	}
	// Nobody disables themselves.
	if code, _ := post(t, admin.c, e.srv.URL+"/users/"+itoa(e.users["admin"].ID)+"/disable", url.Values{"csrf": {admin.csrf}}); code != 409 {
		t.Errorf("the administrator disables themselves: %d", code)
	}
}

// Ending a user's sessions revokes the user's tokens too; tokens expire.
func TestTokensEndAndExpire(t *testing.T) {
	e := hardSetup(t, nil)
	ctx := context.Background()
	admin := loginClient(t, &e.lockEnv, "admin")
	secret, _, _ := e.auth.CreateToken(ctx, e.users["minister"], "выгрузка")
	if code, _ := post(t, admin.c, e.srv.URL+"/users/"+itoa(e.users["minister"].ID)+"/sessions/end", url.Values{"csrf": {admin.csrf}}); code != 200 {
		t.Fatalf("end sessions: %d", code)
	}
	if tokenWorks(t, e.srv.URL, secret) {
		t.Error("a token survived the end of its user's sessions")
	}
	secret, tok, err := e.auth.CreateToken(ctx, e.users["region"], "срочный")
	if err != nil {
		t.Fatal(err)
	}
	if d := tok.Expiry().Sub(tok.CreatedAt); d != auth.TokenTTL || auth.TokenTTL != 90*24*time.Hour {
		t.Errorf("a token lives %s by default", d)
	}
	if !tokenWorks(t, e.srv.URL, secret) {
		t.Fatal("a fresh token does not work")
	}
	e.clock.add(auth.TokenTTL + time.Minute)
	if tokenWorks(t, e.srv.URL, secret) {
		t.Error("a token works past its expiry")
	}
	if _, _, err := e.auth.CreateTokenFor(ctx, e.users["region"], "вечный", 10000); err == nil {
		t.Error("a token of 10 000 days was made")
	}
	// The tokens page tells when a new token expires.
	region := loginClient(t, &e.lockEnv, "region")
	code, page := post(t, region.c, e.srv.URL+"/tokens", url.Values{"csrf": {region.csrf}, "name": {"новый"}, "days": {"30"}})
	if code != 201 || !strings.Contains(page, "Токен действует до") {
		t.Errorf("token creation page: %d", code)
	}
}

// Security events go to the log with the user's id and address and no
// login, and to counters in /metrics, which opens only with its token.
func TestSecurityEventsAndMetrics(t *testing.T) {
	e := hardSetup(t, nil)
	ctx := context.Background()
	if code, _ := getMetrics(t, e.srv.URL, ""); code != 401 {
		t.Errorf("/metrics without the token: %d", code)
	}
	if code, _ := getMetrics(t, e.srv.URL, "wrong-token-wrong-token"); code != 401 {
		t.Errorf("/metrics with a wrong token: %d", code)
	}
	(&env{srv: e.srv}).login(t, "region", "wrong-password-1")
	for i := 1; i <= auth.LockAfter+1; i++ {
		e.auth.Login(ctx, "minister", "wrong-password-2", "10.3.0."+itoa(int64(i)))
		if i%5 == 0 {
			e.clock.add(16 * time.Minute)
		}
	}
	region := loginClient(t, &e.lockEnv, "region")
	post(t, region.c, e.srv.URL+"/tokens", url.Values{"csrf": {"forged"}, "name": {"x"}})
	get(t, region.c, e.srv.URL+"/users/"+itoa(e.users["admin"].ID))
	secret, tok, _ := e.auth.CreateToken(ctx, e.users["region"], "отозванный")
	e.st.Auth.RevokeToken(ctx, 0, tok.ID)
	tokenWorks(t, e.srv.URL, secret)

	code, metrics := getMetrics(t, e.srv.URL, metricsToken)
	if code != 200 {
		t.Fatalf("/metrics with the token: %d", code)
	}
	for _, k := range []string{auth.EventLoginFailed, auth.EventLoginLocked, auth.EventCSRF, auth.EventForbidden, auth.EventTokenRevoked} {
		if !regexp.MustCompile(`marshrut_security_events_total\{event="` + k + `"\} [1-9]`).MatchString(metrics) {
			t.Errorf("no %s counted in /metrics", k)
		}
	}
	log := e.log.String()
	for _, k := range []string{auth.EventLoginFailed, auth.EventLoginLocked, auth.EventCSRF, auth.EventForbidden, auth.EventTokenRevoked} {
		if !strings.Contains(log, "event="+k) {
			t.Errorf("no %s in the log", k)
		}
	}
	if !strings.Contains(log, "user="+itoa(e.users["minister"].ID)) || !strings.Contains(log, "ip=10.3.0.") {
		t.Error("the events lack the user's id or address")
	}
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "security event") && (strings.Contains(line, "minister") || strings.Contains(line, "region")) {
			t.Errorf("a security event names a login: %s", line)
		}
	}
	// Without a token the metrics are not on the main address at all.
	bare := hardSetup(t, func(d *server.Deps) { d.MetricsToken = "" })
	if code, _ := getMetrics(t, bare.srv.URL, ""); code != 404 {
		t.Errorf("/metrics without a metrics token set: %d", code)
	}
}

// Behind a trusted proxy the client's address comes from X-Forwarded-For:
// failed logins of many made-up names through the proxy block their own
// sender, not the other users of the proxy; from any other peer the header
// is ignored.
func TestTrustedProxies(t *testing.T) {
	e := hardSetup(t, func(d *server.Deps) { d.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	send := func(xff, login, pw string) (int, string) {
		c := (&env{srv: e.srv}).client(t)
		req, _ := http.NewRequest("GET", e.srv.URL+"/login", nil)
		req.Header.Set("X-Forwarded-For", xff)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		m := reCSRF.FindStringSubmatch(b.String())
		req, _ = http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(url.Values{"login": {login}, "password": {pw}, "csrf": {m[1]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		resp, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b.Reset()
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b.String()
	}
	for i := 0; i < 25; i++ {
		send("203.0.113.7", "made-up-"+itoa(int64(i)), "wrong-password-1")
	}
	if code, body := send("203.0.113.7", "region", password); code != 429 {
		t.Errorf("the guesser is not held back: %d %.100s", code, body)
	}
	if code, _ := send("198.51.100.2", "region", password); code != http.StatusSeeOther {
		t.Errorf("another user behind the proxy is locked out: %d", code)
	}
	if !strings.Contains(e.log.String(), "ip=203.0.113.7") {
		t.Error("the log records the proxy, not the client")
	}
	// A client that is not a trusted proxy cannot choose its address.
	if ip, ok := server.ForwardedFor("192.0.2.1:5555", "10.9.9.9", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}); ok {
		t.Errorf("X-Forwarded-For believed from an untrusted peer: %s", ip)
	}
	// The rightmost address that is not a proxy is the client; what a client
	// put to the left of it is not believed.
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	if ip, _ := server.ForwardedFor("10.0.0.5:443", "6.6.6.6, 203.0.113.9, 10.0.0.7", proxies); ip.String() != "203.0.113.9" {
		t.Errorf("client behind two proxies: %s", ip)
	}
}

// ?done= and ?error= show only what the program itself said after a form: a
// redirect of the program carries the signature of its notice, good only for
// the session that got it.
func TestSignedNoticeShows(t *testing.T) {
	e := setup(t)
	rc, _, _ := e.login(t, "region", password)
	_, page := get(t, rc, e.srv.URL+"/learners/"+itoa(e.mine.ID))
	m := reCSRF.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the card")
	}
	// A link with a text of its own shows nothing of it.
	for _, q := range []string{"?done=Ваш+пароль+истёк%2C+введите+его+на+evil.example", "?error=Ваш+пароль+истёк%2C+введите+его+на+evil.example"} {
		if _, page := get(t, rc, e.srv.URL+"/learners/"+itoa(e.mine.ID)+q); strings.Contains(page, "evil.example") {
			t.Errorf("the card prints the text of the link %s", q)
		}
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/learners/"+itoa(e.mine.ID)+"/outcomes",
		strings.NewReader(url.Values{"csrf": {m[1]}, "status": {"employed"}, "start": {"не дата"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := rc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "error=") || !strings.Contains(loc, "sig=") {
		t.Fatalf("refused outcome: %d → %s", resp.StatusCode, loc)
	}
	u, _ := url.Parse(loc)
	msg := u.Query().Get("error")
	if _, page := get(t, rc, e.srv.URL+loc); !strings.Contains(page, htmlEscape(msg)) {
		t.Errorf("the program's own notice is not shown: %q", msg)
	}
	q := u.Query()
	q.Set("error", "Ваш пароль истёк, введите его на evil.example")
	u.RawQuery = q.Encode()
	if _, page := get(t, rc, e.srv.URL+u.String()); strings.Contains(page, "evil.example") {
		t.Error("a changed notice with the old signature is shown")
	}
	other, _, _ := e.login(t, "region", password)
	if _, page := get(t, other, e.srv.URL+loc); strings.Contains(page, htmlEscape(msg)) {
		t.Error("another session shows a notice signed for the first")
	}
	// Pages of people are not kept by the browser.
	resp, err = rc.Get(e.srv.URL + "/learners")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("/learners: Cache-Control %q", cc)
	}
	t.Run("bulk reads audited", func(t *testing.T) { bulkReadsAudited(t, e) })
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// An export of people and a list page are audited with who, the filter and
// how many; the audit page filters by user and kind and exports the same.
// It runs in TestSignedNoticeShows, on the same region.
func bulkReadsAudited(t *testing.T, e *env) {
	ctx := context.Background()
	rc, _, _ := e.login(t, "region", password)
	code, csv := get(t, rc, e.srv.URL+"/learners/export?format=csv&status=student")
	if code != 200 {
		t.Fatalf("export: %d", code)
	}
	rows := strings.Count(csv, "\n") - 1
	entries, _, err := e.st.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learners.export"})
	if err != nil || len(entries) != 1 || entries[0].Persons != rows || entries[0].Filter != "status=student" || entries[0].UserLogin != "region" {
		t.Fatalf("export audit: %+v %v (rows %d)", entries, err, rows)
	}
	_, before, _ := e.st.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learners.list"})
	get(t, rc, e.srv.URL+"/learners?status=graduate")
	if _, n, _ := e.st.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learners.list"}); n != before+1 {
		t.Errorf("list page entries: %d, want %d", n, before+1)
	}
	region, _, _ := e.st.Auth.UserByLogin(ctx, "region")
	_, page := get(t, rc, e.srv.URL+"/audit?kind=learners.export&user="+itoa(region.ID))
	if !strings.Contains(page, "выгрузка обучающихся") || !strings.Contains(page, "status=student") || strings.Contains(page, "список обучающихся</td>") {
		t.Errorf("the audit page by kind:\n%s", page)
	}
	_, export := get(t, rc, e.srv.URL+"/audit.csv?kind=learners.export")
	if !strings.Contains(export, "выгрузка обучающихся;;status=student;"+itoa(int64(rows))) {
		t.Errorf("the audit export:\n%s", export)
	}
	if code, _ := get(t, rc, e.srv.URL+"/audit?kind=nonsense"); code != 400 {
		t.Errorf("an unknown kind: %d", code)
	}
}
