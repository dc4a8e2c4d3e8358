package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// formParsers are the functions that read a page's filter or form from a
// request; each returns what it read, or a refusal.
var formParsers = []struct {
	name  string
	parse func(q string) (any, error)
}{
	{"learners", func(q string) (any, error) { return learnerFilter(formRequest(q)) }},
	{"organisations", func(q string) (any, error) { return orgFilter(formRequest(q)) }},
	{"pupils", func(q string) (any, error) { return pupilFilter(formRequest(q)) }},
	{"audit", func(q string) (any, error) { f, _, err := auditFilter(formRequest(q)); return f, err }},
	{"risk", func(q string) (any, error) { return riskFilter(formRequest(q)) }},
	{"cluster", func(q string) (any, error) { return clusterFromForm(formRequest(q)) }},
	{"date", func(q string) (any, error) { return formDate(formRequest(q), "date", "дата") }},
	{"pager", func(q string) (any, error) { return newPager(formRequest(q), 1234), nil }},
}

// formRequest is a POST to a page with q both as its query and as its form.
func formRequest(q string) *http.Request {
	r := httptest.NewRequest("POST", "/x?"+url.PathEscape(q), strings.NewReader(q))
	r.URL.RawQuery = q
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ParseForm()
	return r
}

// FuzzForms feeds arbitrary queries and forms to the pages' parsers: each
// accepts them or refuses them with an Invalid error and a Russian message
// in valid UTF-8; a list's offset and limit are never negative and a page
// number stays within bounds.
func FuzzForms(f *testing.F) {
	for i := range formParsers {
		for _, q := range []string{
			"", "page=2", "page=-1", "page=9223372036854775807", "page=99999999999999999999",
			"status=graduate&year=2025&sort=name&desc=1&q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2",
			"grade=9&year=abc&unknown=6", "since=2026-01-01&until=2025-01-01&learner=12",
			"kind=college&municipality=3&q=%", "level=-0.5&threshold=2",
			"name=%D0%9A%D0%BB%D0%B0%D1%81%D1%82%D0%B5%D1%80&year=2026&members=1&members=x&equipment=%D0%A1%D1%82%D0%B0%D0%BD%D0%BE%D0%BA%3B+2%3B+1e309%3B+2026",
			"date=31.02.2026", "date=2026-02-28", "%zz&=&&==",
		} {
			f.Add(uint8(i), q)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, q string) {
		p := formParsers[int(which)%len(formParsers)]
		v, err := p.parse(q)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("%s(%q): %v is not a refusal of the input", p.name, q, err)
			}
			if msg := apperr.Message(err); msg == "" || !utf8.ValidString(msg) {
				t.Fatalf("%s(%q): message %q", p.name, q, msg)
			}
			return
		}
		if pg, ok := v.(pager); ok && (pg.Page < 1 || pg.Page > maxPage) {
			t.Fatalf("pager(%q): page %d of %d", q, pg.Page, pg.Pages)
		}
		rv := reflect.Indirect(reflect.ValueOf(v))
		if rv.Kind() != reflect.Struct {
			return
		}
		for _, name := range []string{"Offset", "Limit"} {
			if fv := rv.FieldByName(name); fv.IsValid() && fv.CanInt() && fv.Int() < 0 {
				t.Fatalf("%s(%q): %s = %d", p.name, q, name, fv.Int())
			}
		}
	})
}
