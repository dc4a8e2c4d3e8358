package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestBodyRefused checks the refusals of a request body shared by every POST
// and PUT: each names the problem in Russian and writes nothing.
func TestBodyRefused(t *testing.T) {
	e := newEnv(t)
	valid := `{"last_name": "Петров", "first_name": "Олег", "sex": "м", "birth_date": "2009-02-03", "status": "student",
		"org_id": ` + itoa(e.f.college.ID) + `, "municipality_id": ` + itoa(e.f.muni1.ID) + `,
		"specialty_code": "15.02.08", "course": 1, "form": "full_time", "graduation_year": 2030`
	huge := valid + `, "middle_name": "` + strings.Repeat("я", 600_000) + `"}` // 1.2 MB of otherwise valid JSON
	ctJSON := map[string]string{"Content-Type": "application/json"}
	cases := []struct {
		name   string
		path   string
		method string
		body   string
		header map[string]string
		field  string
		msg    string
	}{
		{"malformed JSON", "/learners", "POST", `{"last_name": "Петров",, }`, ctJSON, "", "Тело запроса не является корректным JSON: ошибка в позиции"},
		{"cut short", "/learners", "POST", `{"last_name": "Петров"`, ctJSON, "", "Тело запроса не является корректным JSON: текст обрывается"},
		{"not an object", "/learners", "POST", `["Петров"]`, ctJSON, "", "Тело запроса должно быть JSON-объектом, а не массив"},
		{"empty", "/learners", "POST", ``, ctJSON, "", "Тело запроса пустое"},
		{"unknown field", "/learners", "POST", `{"foo": 1}`, ctJSON, "foo", "Неизвестное поле «foo»; допустимые поля: id, last_name"},
		{"unknown field on an organisation", "/organisations", "POST", `{"name": "X", "director": "Y"}`, ctJSON, "director", "Неизвестное поле «director»"},
		{"string for a number", "/learners", "POST", valid + `, "grade": "девятый"}`, ctJSON, "grade", "Поле «grade» должно быть целым числом, а получено строка"},
		{"fraction for an id", "/learners", "POST", valid + `, "org_id": 1.5}`, ctJSON, "org_id", "Поле «org_id» должно быть целым числом, а получено число 1.5"},
		{"number for a string", "/organisations", "POST", `{"inn": 4101000011}`, ctJSON, "inn", "Поле «inn» должно быть строкой, а получено число"},
		{"string for a bool", "/learners", "POST", valid + `, "disability": "да"}`, ctJSON, "disability", "логическим значением"},
		{"two objects", "/learners", "POST", valid + `} {}`, ctJSON, "", "после него есть ещё данные"},
		{"oversized", "/learners", "POST", huge, ctJSON, "", "Тело запроса больше 1 МиБ"},
		{"oversized after the object", "/learners", "POST", valid + `}` + strings.Repeat(" ", 1<<20), ctJSON, "", "больше 1 МиБ"},
		{"oversized update", "/learners/" + itoa(e.f.student.ID), "PUT", huge, ctJSON, "", "больше 1 МиБ"},
		{"form instead of JSON", "/learners", "POST", "last_name=Петров", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "", "Content-Type: application/json"},
		{"no content type", "/learners", "POST", valid + "}", map[string]string{"Content-Type": ""}, "", "получен «не указан»"},
		{"not UTF-8", "/organisations/" + itoa(e.f.school.ID), "PUT", `{"name": "X"}`, map[string]string{"Content-Type": "application/json; charset=windows-1251"}, "", "UTF-8"},
		{"stage with unknown field", "/learners/" + itoa(e.f.student.ID) + "/stages", "POST", `{"kind": "work", "start": "2026-01-01", "salary": 1}`, ctJSON, "salary", "Неизвестное поле «salary»"},
		{"outcome malformed", "/learners/" + itoa(e.f.graduate.ID) + "/outcomes", "POST", `{"status": employed}`, ctJSON, "", "не является корректным JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts(t)
			res := e.do(t, req{as: "minobr", method: c.method, path: Prefix + c.path, body: c.body, header: c.header})
			er := res.err()
			if res.status != http.StatusBadRequest || er.Code != "invalid" || er.Field != c.field || !strings.Contains(er.Message, c.msg) {
				t.Errorf("got %d %.300s\nwant 400 field %q message with %q", res.status, res.body, c.field, c.msg)
			}
			if after := e.counts(t); after != before {
				t.Errorf("a refused body wrote: %+v → %+v", before, after)
			}
		})
	}
	// The same valid body is accepted, so the refusals above are for their stated reasons.
	if res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/learners", body: valid + "}"}); res.status != http.StatusCreated {
		t.Errorf("valid body: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "minobr", method: "POST", path: Prefix + "/learners", body: valid + `, "last_name": "Иванов"}`,
		header: map[string]string{"Content-Type": "application/json; charset=UTF-8"}}); res.status != http.StatusCreated {
		t.Errorf("valid body with charset: %d %s", res.status, res.body)
	}
}
