package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// The upload page checks a file as a job, shows the report, and imports on request.
func TestImportPage(t *testing.T) {
	srv, st, cfg := demoServer(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	var last string // the address of the last page, after redirects
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		last = resp.Request.URL.String()
		return string(b)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	login := page(c.Get(srv.URL + "/login"))
	page(c.PostForm(srv.URL+"/login", url.Values{"login": {"college"}, "password": {DemoPassword}, "csrf": {csrf.FindStringSubmatch(login)[1]}}))
	form := page(c.Get(srv.URL + "/imports/learners"))
	token := csrf.FindStringSubmatch(form)[1]

	college, _, _ := st.Auth.UserByLogin(context.Background(), "college")
	o, _ := st.Orgs.Organisation(context.Background(), college.OrgID)
	roster := "ФИО;Дата рождения;СНИЛС;Код специальности;Курс\n" +
		"Гусева Алина Романовна;14.03.2008;112-233-445 95;15.02.08;2\n" +
		"Гусев Роман Ильич;14.03.2008;123-456-789 00;15.02.08;2\n"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", token)
	fw, _ := mw.CreateFormFile("file", "группа.csv")
	fw.Write([]byte(roster))
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/imports/learners", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	page(c.Do(req))
	report := waitJob(t, c, last)
	if !strings.Contains(report, "Проверка закончена, в базе ничего не изменено") || !strings.Contains(report, "123-456-789 00") {
		t.Fatalf("dry-run report: %s", report)
	}
	sys := auth.SystemScope(cfg.Region)
	if list, _, _ := st.Learners.Learners(context.Background(), sys, learner.Filter{Query: "гусева алина", Limit: 5}); len(list) != 0 {
		t.Fatal("the check wrote a learner")
	}
	// Apply: the form on the report carries the token and the mapping.
	apply := regexp.MustCompile(`(?s)<form method="post" action="/imports/learners/run">(.*?)</form>`).FindStringSubmatch(report)
	if apply == nil {
		t.Fatal("no apply form")
	}
	vals := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(apply[1], -1) {
		vals.Set(m[1], m[2])
	}
	page(c.PostForm(srv.URL+"/imports/learners/run", vals))
	done := waitJob(t, c, last)
	if !strings.Contains(done, "Загрузка закончена") {
		t.Fatalf("apply report: %s", done)
	}
	list, _, err := st.Learners.Learners(context.Background(), sys, learner.Filter{Query: "гусева алина", Limit: 5})
	if err != nil || len(list) != 1 || list[0].OrgID != o.ID || list[0].Course != 2 {
		t.Fatalf("imported learner: %v %+v", err, list)
	}
}

// waitJob reads a job's page until it stops refreshing itself.
func waitJob(t *testing.T, c *http.Client, addr string) string {
	t.Helper()
	if !strings.Contains(addr, "/jobs/") {
		t.Fatalf("not sent to a job's page but to %s", addr)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := c.Get(addr)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `http-equiv="refresh"`) {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatal("the job did not end")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
