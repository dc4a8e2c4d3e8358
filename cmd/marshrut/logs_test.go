package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// syncBuffer is a log destination that the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// No personal field of a learner ever reaches the log: the log of a whole
// served session at the debug level, with searches by name, cards, exports,
// the API, refused forms and imports with faulty rows, and a login typed
// with a learner's name and SNILS, names none of the region's learners.
func TestLogsHoldNoPersonalData(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo region")
	}
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "logs.db")
	demoRegion(t, db, 400)
	var logs syncBuffer
	cfg := testConfig()
	cfg.DatabaseURL, cfg.LogLevel, cfg.LogTo = db, slog.LevelDebug, &logs
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, _, err := st.Learners.Learners(ctx, auth.SystemScope(cfg.Region), learner.Filter{Limit: 1000})
	if err != nil || len(all) < 100 {
		t.Fatalf("learners: %d, %v", len(all), err)
	}
	h, err := handler(&cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	someone, other := all[0], all[1]
	for _, l := range all {
		if l.SNILS != "" {
			someone = l
			break
		}
	}
	name := url.QueryEscape(someone.LastName + " " + someone.FirstName)
	browse := func(login string, paths ...string) *http.Client {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		page := body(t, c, "GET", srv.URL+"/login", "", nil)
		m := reCSRF.FindStringSubmatch(page)
		body(t, c, "POST", srv.URL+"/login", "application/x-www-form-urlencoded",
			strings.NewReader(url.Values{"login": {login}, "password": {DemoPassword}, "csrf": {m[1]}}.Encode()))
		for _, p := range paths {
			body(t, c, "GET", srv.URL+p, "", nil)
		}
		return c
	}
	// A login typed with a learner's name and SNILS, as happens.
	jar, _ := cookiejar.New(nil)
	anon := &http.Client{Jar: jar}
	m := reCSRF.FindStringSubmatch(body(t, anon, "GET", srv.URL+"/login", "", nil))
	body(t, anon, "POST", srv.URL+"/login", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"login": {someone.FullName()}, "password": {someone.SNILS}, "csrf": {m[1]}}.Encode()))

	region := browse("region", "/", "/learners", "/learners?q="+name, fmt.Sprintf("/learners/%d", someone.ID),
		fmt.Sprintf("/learners/%d", other.ID), "/learners/export?format=csv&q="+name, "/risk", "/employment",
		"/no-such-page?q="+name, "/learners/999999999", "/audit")
	browse("college", "/", "/learners?q="+name, fmt.Sprintf("/learners/%d", someone.ID), "/guidance/pupils")
	browse("school", "/", "/guidance/pupils?q="+name, "/ddo")
	browse("learner", "/", "/routing", "/ddo")
	// The session is real: the search by name finds the learner.
	if page := body(t, region, "GET", srv.URL+"/learners?q="+name, "", nil); !strings.Contains(page, someone.FullName()) {
		t.Fatal("the region's search by name did not find the learner: the session did not run")
	}
	// A refused form: an outcome with nonsense in every field.
	page := body(t, region, "GET", srv.URL+fmt.Sprintf("/learners/%d", other.ID), "", nil)
	if m := reCSRF.FindStringSubmatch(page); m != nil {
		body(t, region, "POST", srv.URL+fmt.Sprintf("/learners/%d/outcomes", other.ID), "application/x-www-form-urlencoded",
			strings.NewReader(url.Values{"csrf": {m[1]}, "status": {someone.LastName}, "employer_name": {someone.FullName()}, "date": {someone.SNILS}}.Encode()))
	}

	// The API: a list searched by name, a card, a refused learner, broken JSON, a faulty import.
	u, _, err := st.Auth.UserByLogin(ctx, "region")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.NewService(st.Auth, cfg.SessionTTL, testClock).CreateToken(ctx, u, "logs")
	if err != nil {
		t.Fatal(err)
	}
	api := func(method, path, ctype, payload string) {
		req, _ := http.NewRequest(method, srv.URL+"/api/v1"+path, strings.NewReader(payload))
		req.Header.Set("Authorization", "Bearer "+secret)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	api("GET", "/learners?q="+name, "", "")
	api("GET", fmt.Sprintf("/learners/%d", someone.ID), "", "")
	api("POST", "/learners", "application/json", fmt.Sprintf(`{"last_name":%q,"first_name":%q,"snils":"%s-0","birth_date":"31.02.2020"}`,
		someone.LastName, someone.FirstName, someone.SNILS))
	api("POST", "/learners", "application/json", fmt.Sprintf(`{"last_name":%q,"first_name":`, someone.LastName))
	api("PUT", fmt.Sprintf("/learners/%d", someone.ID), "application/json", fmt.Sprintf(`{"last_name":%q,"snils":"123"}`, other.LastName))
	api("POST", "/imports/learners", "text/csv", "Фамилия;Имя;Отчество;Дата рождения;СНИЛС\n"+
		fmt.Sprintf("%s;%s;%s;31.02.2008;%s9\n", someone.LastName, someone.FirstName, someone.MiddleName, someone.SNILS)+
		fmt.Sprintf("%s;%s;;;%s\n", other.LastName, other.FirstName, someone.SNILS))

	log := logs.String()
	if !strings.Contains(log, `msg="api import"`) {
		t.Fatalf("the import through the API left no line in the log: %q", log)
	}
	t.Logf("%d log lines scanned", strings.Count(log, "\n"))
	leaks := 0
	for _, l := range all {
		fields := []string{l.LastName + " " + l.FirstName, l.FirstName + " " + l.LastName, l.BirthDate.Format("02.01.2006")}
		if l.SNILS != "" {
			fields = append(fields, l.SNILS, strings.NewReplacer("-", "", " ", "").Replace(l.SNILS))
		}
		for _, f := range fields {
			for _, form := range []string{f, url.QueryEscape(f), strings.ReplaceAll(url.QueryEscape(f), "+", "%20")} {
				if i := strings.Index(log, form); i >= 0 && leaks < 10 {
					leaks++
					line := log[strings.LastIndex(log[:i], "\n")+1:]
					line, _, _ = strings.Cut(line, "\n")
					t.Errorf("learner %d's %q is in the log: %s", l.ID, f, line)
				}
			}
		}
	}
	for _, f := range []string{someone.LastName, url.QueryEscape(someone.LastName)} {
		if strings.Contains(log, f) {
			t.Errorf("the surname searched for, %q, is in the log", f)
		}
	}
}

// body makes a request and returns the answer's body.
func body(t *testing.T, c *http.Client, method, u, ctype string, r io.Reader) string {
	t.Helper()
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
