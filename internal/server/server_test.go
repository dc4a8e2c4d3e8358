package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/guidance"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/risk"
	"marshrut/internal/server"
	"marshrut/internal/store"
	"marshrut/internal/web"
)

const password = "correct-horse-battery"

type env struct {
	st      *store.Store
	srv     *httptest.Server
	college org.Organisation
	other   org.Organisation // another college
	mine    learner.Learner  // a student of college
	foreign learner.Learner  // a student of other
	auth    *auth.Service
	log     *slog.Logger
}

func setup(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), log)
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
	err = st.Load(ctx, func(l *store.Loader) error {
		_, err := demo.Generate(ctx, l, demo.Options{Seed: 3, Learners: 3000, Region: "41", Now: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{st: st}
	colleges, _, err := st.Orgs.Organisations(ctx, org.Filter{Kind: org.College, Limit: 2})
	if err != nil || len(colleges) < 2 {
		t.Fatalf("colleges: %v", err)
	}
	e.college, e.other = colleges[0], colleges[1]
	sys := auth.SystemScope("41")
	for _, p := range []struct {
		o    org.Organisation
		into *learner.Learner
	}{{e.college, &e.mine}, {e.other, &e.foreign}} {
		list, _, err := st.Learners.Learners(ctx, sys, learner.Filter{OrgID: p.o.ID, Status: learner.Student, Limit: 1})
		if err != nil || len(list) == 0 {
			t.Fatalf("students of %s: %v", p.o.Name, err)
		}
		*p.into = list[0]
	}
	authSvc := auth.NewService(st.Auth, time.Hour, time.Now)
	for _, u := range []auth.User{
		{Login: "region", Role: auth.Region, RegionCode: "41"},
		{Login: "college", Role: auth.College, RegionCode: "41", OrgID: e.college.ID},
		{Login: "federal", Role: auth.Federal, RegionCode: "41"},
	} {
		if err := authSvc.AddUser(ctx, &u, password); err != nil {
			t.Fatal(err)
		}
	}
	e.auth, e.log = authSvc, log
	e.srv = e.server(t, st.Learners, authSvc, log)
	return e
}

// server serves the pages over the store, the learners read from learners.
func (e *env) server(t *testing.T, learners learner.Store, authSvc *auth.Service, log *slog.Logger) *httptest.Server {
	t.Helper()
	st := e.st
	w, err := web.New(web.Deps{Learners: learner.NewService(learners, st.Auth, time.Now), Guidance: guidance.NewService(st.Guidance, time.Now),
		Orgs: org.NewService(st.Orgs), Analytics: analytics.NewService(st.Analytics, time.Now), Risk: risk.NewService(st.Risks, nil, time.Now),
		KPI: kpi.NewService(analytics.NewMonitor(st.Analytics, time.Now), st.Targets, time.Now, time.UTC), Auth: authSvc, Users: st.Auth, Municipalities: st.Classifier, Region: "41", SessionTTL: time.Hour, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Deps{Web: w, API: http.NotFoundHandler(), Auth: authSvc, Ping: st.Ping, Log: log, Registry: prometheus.NewRegistry(),
		MetricsToken: metricsToken})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// client is a browser: it keeps cookies and does not follow redirects.
func (e *env) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var reCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *env) login(t *testing.T, login, pw string) (*http.Client, int, string) {
	t.Helper()
	c := e.client(t)
	_, page := get(t, c, e.srv.URL+"/login")
	m := reCSRF.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no csrf token in the login form")
	}
	code, body := post(t, c, e.srv.URL+"/login", url.Values{"login": {login}, "password": {pw}, "csrf": {m[1]}})
	return c, code, body
}

func TestLoginAndScope(t *testing.T) {
	e := setup(t)
	// Wrong password and unknown login get the same answer.
	_, code1, body1 := e.login(t, "college", "wrong-password!")
	_, code2, body2 := e.login(t, "nobody", "wrong-password!")
	if code1 != 401 || code2 != 401 || !strings.Contains(body1, "Неверный логин или пароль") || !strings.Contains(body2, "Неверный логин или пароль") {
		t.Fatalf("bad credentials: %d, %d", code1, code2)
	}
	// Unauthenticated pages redirect to the login form.
	code, _ := get(t, e.client(t), e.srv.URL+"/learners")
	if code != http.StatusSeeOther {
		t.Errorf("anonymous /learners: %d", code)
	}

	c, code, _ := e.login(t, "college", password)
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	code, page := get(t, c, e.srv.URL+"/")
	if code != 200 || !strings.Contains(page, e.college.Name) || !strings.Contains(page, "Занятость выпускников через 6 месяцев") {
		t.Fatalf("dashboard: %d", code)
	}
	code, page = get(t, c, e.srv.URL+"/learners?q="+url.QueryEscape(e.mine.LastName))
	if code != 200 || !strings.Contains(page, e.mine.FullName()) {
		t.Errorf("own student not found by surname: %d", code)
	}
	if strings.Contains(page, e.foreign.FullName()) && e.foreign.LastName != e.mine.LastName {
		t.Errorf("a foreign student shows in the list")
	}
	code, page = get(t, c, e.srv.URL+"/learners/"+itoa(e.mine.ID))
	if code != 200 || !strings.Contains(page, e.mine.FullName()) {
		t.Errorf("own card: %d", code)
	}
	codeForeign, pageForeign := get(t, c, e.srv.URL+"/learners/"+itoa(e.foreign.ID))
	codeMissing, pageMissing := get(t, c, e.srv.URL+"/learners/99999999")
	if codeForeign != 404 || codeMissing != 404 || strings.Contains(pageForeign, e.foreign.LastName) {
		t.Errorf("foreign card: %d, missing: %d", codeForeign, codeMissing)
	}
	if pageForeign != pageMissing {
		t.Error("a foreign learner's page differs from a missing one's")
	}
	// The read of the own card is in the audit log; the refused one is not.
	log, _, err := e.st.Auth.AuditLog(context.Background(), auth.AuditFilter{Action: "learner.read"})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].LearnerID != e.mine.ID || log[0].UserLogin != "college" || log[0].From != "127.0.0.1" {
		t.Errorf("audit log %+v", log)
	}
	// The college may not read the audit log.
	if code, _ := get(t, c, e.srv.URL+"/audit"); code != 403 {
		t.Errorf("college /audit: %d", code)
	}
	// The region can, and exports it.
	rc, _, _ := e.login(t, "region", password)
	code, page = get(t, rc, e.srv.URL+"/audit.csv")
	if code != 200 || !strings.Contains(page, "college") || !strings.HasPrefix(page, "\ufeffКогда;") {
		t.Errorf("audit csv: %d %q", code, page[:min(len(page), 80)])
	}
	// A federal operator sees figures but never a person.
	fc, _, _ := e.login(t, "federal", password)
	if code, _ := get(t, fc, e.srv.URL+"/"); code != 200 {
		t.Errorf("federal dashboard: %d", code)
	}
	if code, _ := get(t, fc, e.srv.URL+"/learners/"+itoa(e.mine.ID)); code != 403 {
		t.Errorf("federal card: %d", code)
	}
}

func TestCSRFAndLogout(t *testing.T) {
	e := setup(t)
	c, _, _ := e.login(t, "college", password)
	_, page := get(t, c, e.srv.URL+"/tokens")
	token := reCSRF.FindStringSubmatch(page)[1]
	for name, form := range map[string]url.Values{
		"missing": {"name": {"x"}},
		"forged":  {"name": {"x"}, "csrf": {"forged"}},
	} {
		code, body := post(t, c, e.srv.URL+"/tokens", form)
		if code != 403 || !strings.Contains(body, "Форма устарела или подделана") {
			t.Errorf("%s CSRF token: %d", name, code)
		}
	}
	u, _, _ := e.st.Auth.UserByLogin(context.Background(), "college")
	if list, _ := e.st.Auth.Tokens(context.Background(), u.ID); len(list) != 0 {
		t.Fatalf("a refused request created %d tokens", len(list))
	}
	// A cross-site POST is refused before anything else.
	req, _ := http.NewRequest("POST", e.srv.URL+"/tokens", strings.NewReader(url.Values{"name": {"x"}, "csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-site POST: %d", resp.StatusCode)
	}
	code, body := post(t, c, e.srv.URL+"/tokens", url.Values{"name": {"Выгрузка"}, "csrf": {token}})
	if code != 201 || !strings.Contains(body, auth.TokenPrefix) {
		t.Errorf("token with a good CSRF token: %d", code)
	}
	if code, _ := post(t, c, e.srv.URL+"/logout", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
		t.Errorf("logout: %d", code)
	}
	if code, _ := get(t, c, e.srv.URL+"/"); code != http.StatusSeeOther {
		t.Errorf("after logout: %d", code)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := setup(t)
	var code int
	for i := 0; i < 6; i++ {
		_, code, _ = e.login(t, "college", "wrong-password!")
	}
	if code != 429 {
		t.Errorf("sixth wrong password: %d, want 429", code)
	}
	// Even the right password waits now.
	if _, code, body := e.login(t, "college", password); code != 429 || !strings.Contains(body, "Слишком много неудачных попыток") {
		t.Errorf("right password while blocked: %d", code)
	}
}

func TestBadRequests(t *testing.T) {
	e := setup(t)
	c, _, _ := e.login(t, "region", password)
	code, body := get(t, c, e.srv.URL+"/learners?grade=abc&specialty=1502")
	if code != 400 || !strings.Contains(body, "класс: «abc» не является целым положительным числом") || !strings.Contains(body, "код специальности «1502»") {
		t.Errorf("bad filters: %d", code)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/tokens", strings.NewReader(strings.Repeat("a", 2<<20)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 && resp.StatusCode != 400 {
		t.Errorf("oversized body: %d", resp.StatusCode)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, _ := get(t, c, e.srv.URL+path); code != 200 {
			t.Errorf("%s: %d", path, code)
		}
	}
	code, metrics := getMetrics(t, e.srv.URL, metricsToken)
	if code != 200 {
		t.Errorf("/metrics with its token: %d", code)
	}
	if !strings.Contains(metrics, `marshrut_http_requests_total{code="400",method="GET",route="GET /learners"}`) {
		t.Error("metrics lack the learner list's requests")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestExports(t *testing.T) {
	e := setup(t)
	rc, _, _ := e.login(t, "region", password)
	resp, err := rc.Get(e.srv.URL + "/learners/export?format=csv&q=" + url.QueryEscape(e.foreign.LastName+" "+e.foreign.FirstName))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "\ufeffФамилия;Имя;Отчество;Дата рождения") || !strings.Contains(string(body), e.foreign.LastName) {
		t.Errorf("region CSV: %d %q", resp.StatusCode, string(body[:min(len(body), 120)]))
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("no attachment header: %q", resp.Header.Get("Content-Disposition"))
	}
	code, body2 := get(t, rc, e.srv.URL+"/organisations/export?format=xlsx&kind=college")
	if code != 200 || !strings.HasPrefix(body2, "PK") {
		t.Errorf("organisations XLSX: %d", code)
	}
	if code, _ := get(t, rc, e.srv.URL+"/learners/export?format=pdf"); code != 400 {
		t.Errorf("unknown format: %d", code)
	}
	// A college's export holds its own students and never another college's.
	cc, _, _ := e.login(t, "college", password)
	code, csv := get(t, cc, e.srv.URL+"/learners/export?format=csv&status=student")
	if code != 200 || !strings.Contains(csv, e.mine.LastName+";"+e.mine.FirstName) {
		t.Errorf("college CSV: %d", code)
	}
	if strings.Contains(csv, e.foreign.OrgName) {
		t.Errorf("a college's export holds another college's students")
	}
	if code, body := get(t, cc, e.srv.URL+"/cohorts/export?format=csv"); code != 200 || !strings.Contains(body, "Год выпуска;Выпускники") {
		t.Errorf("cohorts CSV: %d", code)
	}
}
