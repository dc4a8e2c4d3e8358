package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// An uploaded file is run only by its own organisation: another
// organisation's user who learns its token finds nothing.
func TestUploadBoundToOrganisation(t *testing.T) {
	srv, _, _ := demoServer(t)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	type browser struct{ c *http.Client }
	var last string // the address of the last page, after redirects
	page := func(resp *http.Response, err error) (int, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		last = resp.Request.URL.String()
		return resp.StatusCode, string(body)
	}
	login := func(name string) *browser {
		jar, _ := cookiejar.New(nil)
		b := &browser{c: &http.Client{Jar: jar}}
		_, form := page(b.c.Get(srv.URL + "/login"))
		page(b.c.PostForm(srv.URL+"/login", url.Values{"login": {name}, "password": {DemoPassword}, "csrf": {csrf.FindStringSubmatch(form)[1]}}))
		return b
	}
	college := login("college")
	_, form := page(college.c.Get(srv.URL + "/imports/learners"))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf.FindStringSubmatch(form)[1])
	fw, _ := mw.CreateFormFile("file", "группа.csv")
	fw.Write([]byte("ФИО;Дата рождения;СНИЛС;Код специальности;Курс\nГусева Алина Романовна;14.03.2008;112-233-445 95;15.02.08;2\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/imports/learners", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	page(college.c.Do(req))
	report := waitJob(t, college.c, last)
	apply := regexp.MustCompile(`(?s)<form method="post" action="/imports/learners/run">(.*?)</form>`).FindStringSubmatch(report)
	if apply == nil {
		t.Fatalf("no apply form: %s", report)
	}
	vals := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(apply[1], -1) {
		vals.Set(m[1], m[2])
	}
	if vals.Get("token") == "" {
		t.Fatal("no token in the apply form")
	}
	// The university's user, with the college's token and its own form token.
	uni := login("university")
	_, uform := page(uni.c.Get(srv.URL + "/imports/learners"))
	theft := url.Values{}
	for k := range vals {
		theft.Set(k, vals.Get(k))
	}
	theft.Set("csrf", csrf.FindStringSubmatch(uform)[1])
	code, answer := page(uni.c.PostForm(srv.URL+"/imports/learners/run", theft))
	if code != http.StatusNotFound || !strings.Contains(answer, "загруженный файл не найден") {
		t.Errorf("another organisation ran the upload: %d %s", code, last)
	}
	// The college itself still can.
	code, _ = page(college.c.PostForm(srv.URL+"/imports/learners/run", vals))
	if code != http.StatusOK || !strings.Contains(last, "/jobs/") {
		t.Errorf("the owner's run: %d %s", code, last)
	}
}
