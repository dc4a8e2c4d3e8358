package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The region uploads the national file of «Работа России»: the report tells
// the other regions' records as skipped, one line a region, not as faults;
// the forms open as a page with the catalogue's numbers and as XLSX.
func TestFeedsPages(t *testing.T) {
	srv, _, _ := demoServer(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	var last string
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
	page(c.PostForm(srv.URL+"/login", url.Values{"login": {"region"}, "password": {DemoPassword}, "csrf": {csrf.FindStringSubmatch(login)[1]}}))
	form := page(c.Get(srv.URL + "/imports/learners"))
	if !strings.Contains(form, "Ответ СФР") || !strings.Contains(form, "ФИС ФРДО") {
		t.Errorf("the upload page does not offer the new files")
	}
	data, err := os.ReadFile("../../internal/imports/testdata/trudvsem_vacancies_sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf.FindStringSubmatch(form)[1])
	mw.WriteField("kind", "vacancies")
	fw, _ := mw.CreateFormFile("file", "vacancies.csv")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/imports/learners", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	page(c.Do(req))
	report := waitJob(t, c, last)
	if !strings.Contains(report, "отклонено — 0") || !strings.Contains(report, "пропущено как записи других регионов — 88") ||
		!strings.Contains(report, "г Москва (77): 17 записей") {
		t.Errorf("report of the national file: %s", report)
	}

	if mon := page(c.Get(srv.URL + "/monitoring")); !strings.Contains(mon, `href="/monitoring/forms/view?form=employment"`) ||
		!strings.Contains(mon, `href="/monitoring/forms/xlsx?form=rating"`) {
		t.Errorf("the monitoring page does not link the forms")
	}
	view := page(c.Get(srv.URL + "/monitoring/forms/view?form=employment"))
	if !strings.Contains(view, "Мониторинг трудоустройства выпускников по специальностям") || !strings.Contains(view, "Итого") ||
		!strings.Contains(view, "знаменатель показателя") {
		t.Errorf("the form's page: %.2000s", view)
	}
	resp, err := c.Get(srv.URL + "/monitoring/forms/xlsx?form=rating")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("the form's XLSX: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
	}
}
