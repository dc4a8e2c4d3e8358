package api

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
)

// cp1251 encodes a CSV the way Excel on Windows saves it.
func cp1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// group is a college's list as colleges send it: a title above the header,
// a row-number column, abbreviated titles, one row with a date that does not exist.
const group = `Список группы ТМ-21;;;;;;
№ п/п;Ф.И.О.;Дата рожд.;СНИЛС обучающегося;Код специальности;Курс;Форма обуч.
1;Орлов Игорь Сергеевич;03.04.2009;145-678-901 05;15.02.08;1;очная
2;Лебедева Ольга Петровна;11.12.2008;156-789-012 11;15.02.08 Технология машиностроения;2;очная
3;Соколов Пётр Олегович;31.02.2008;;15.02.08;1;очная
`

func (e *env) importFile(t *testing.T, as, query, contentType string, body []byte) response {
	t.Helper()
	return e.do(t, req{as: as, method: "POST", path: Prefix + "/imports/learners" + query, body: body,
		header: map[string]string{"Content-Type": contentType}})
}

func TestImportLearners(t *testing.T) {
	e := newEnv(t)
	for _, s := range []string{"145-678-901 05", "156-789-012 11"} {
		if _, err := learner.NormaliseSNILS(s); err != nil {
			t.Fatal(err)
		}
	}
	data := cp1251(t, group)
	before := e.counts(t)

	// A dry run reports what the import would do and writes nothing.
	res := e.importFile(t, "kpt", "?dry_run=1", "text/csv; charset=windows-1251", data)
	if res.status != http.StatusOK {
		t.Fatalf("dry run: %d %s", res.status, res.body)
	}
	dry := decodeJSON[importReportDTO](t, res)
	if !dry.DryRun || dry.Rows != 3 || dry.Created != 2 || dry.Rejected != 1 {
		t.Errorf("dry run %+v", dry)
	}
	if after := e.counts(t); after != before {
		t.Errorf("a dry run wrote: %+v → %+v", before, after)
	}

	res = e.importFile(t, "kpt", "", "text/csv", data)
	if res.status != http.StatusOK {
		t.Fatalf("import: %d %s", res.status, res.body)
	}
	rep := decodeJSON[importReportDTO](t, res)
	want := importReportDTO{Rows: 3, Created: 2, Rejected: 1,
		Issues: []importIssueDTO{{Line: 5, Column: "Дата рожд.", Reason: "даты «31.02.2008» не существует"}},
		Mapping: map[string]string{"full_name": "Ф.И.О.", "birth_date": "Дата рожд.", "snils": "СНИЛС обучающегося",
			"specialty_code": "Код специальности", "course": "Курс", "form": "Форма обуч."},
		UnknownColumns: []string{}}
	if len(rep.Issues) == 1 && strings.Contains(rep.Issues[0].Reason, want.Issues[0].Reason) {
		rep.Issues[0].Reason = want.Issues[0].Reason // the message may say more around it
	}
	if !equalReports(rep, want) {
		t.Errorf("report\n got %+v\nwant %+v", rep, want)
	}
	if !strings.Contains(string(res.body), `"dry_run":false`) || !strings.Contains(string(res.body), `"unknown_columns":[]`) {
		t.Errorf("the report must name every field: %s", res.body)
	}
	if after := e.counts(t); after.learners != before.learners+2 {
		t.Errorf("%d learners after the import, want %d", after.learners, before.learners+2)
	}
	// The new learners are the college's, visible to it and read as the file says.
	page := decodeJSON[list[learnerDTO]](t, e.get(t, "kpt", Prefix+"/learners?q=Лебедева"))
	if len(page.Items) != 1 {
		t.Fatalf("imported learner not found: %+v", page)
	}
	l := page.Items[0]
	if l.OrgID != e.f.college.ID || l.MunicipalityID != e.f.college.MunicipalityID || l.FirstName != "Ольга" || l.MiddleName != "Петровна" ||
		l.Sex != "ж" || l.BirthDate != "2008-12-11" || l.SNILS != "15678901211" || l.SpecialtyCode != "15.02.08" || l.Course != 2 ||
		l.Status != "student" || l.Form != "full_time" || l.GraduationYear == 0 {
		t.Errorf("imported as %+v", l)
	}

	// The same file again changes nothing.
	res = e.importFile(t, "kpt", "", "application/octet-stream", data)
	again := decodeJSON[importReportDTO](t, res)
	if res.status != http.StatusOK || again.Created != 0 || again.Updated != 0 || again.Unchanged != 2 || again.Rejected != 1 {
		t.Errorf("second run: %d %+v", res.status, again)
	}
	if after := e.counts(t); after.learners != before.learners+2 {
		t.Errorf("the second run wrote: %d learners", after.learners)
	}
}

// equalReports compares reports field by field (the DTO holds slices and a map).
func equalReports(a, b importReportDTO) bool {
	if len(a.Mapping) != len(b.Mapping) {
		return false
	}
	for k, v := range a.Mapping {
		if b.Mapping[k] != v {
			return false
		}
	}
	return a.DryRun == b.DryRun && a.Rows == b.Rows && a.Created == b.Created && a.Updated == b.Updated && a.Unchanged == b.Unchanged &&
		a.Rejected == b.Rejected && a.Truncated == b.Truncated && slices.Equal(a.Issues, b.Issues) && slices.Equal(a.UnknownColumns, b.UnknownColumns)
}

// TestImportScope checks that a college loads only its own learners, and the
// region anyone's.
func TestImportScope(t *testing.T) {
	e := newEnv(t)
	csv := "Фамилия,Имя,Отчество,Дата рождения,СНИЛС,Образовательная организация,Код специальности,Курс,Примечание\n" +
		"Орлова,Мария,Ивановна,2008-01-02,167-890-123 07,Камчатский медицинский колледж,34.02.01,2,переведена\n" +
		"Орлов,Пётр,Иванович,2008-01-02,178-901-234 94,Камчатский политехнический техникум,15.02.08,2\n"
	res := e.importFile(t, "kpt", "", "text/csv", []byte(csv))
	rep := decodeJSON[importReportDTO](t, res)
	if res.status != http.StatusOK || rep.Created != 1 || rep.Rejected != 1 || len(rep.Issues) != 1 {
		t.Fatalf("college importing another's student: %d %s", res.status, res.body)
	}
	if is := rep.Issues[0]; is.Line != 2 || is.Column != "Образовательная организация" || !strings.Contains(is.Reason, "только обучающихся своей организации") {
		t.Errorf("issue %+v", is)
	}
	if !slices.Equal(rep.UnknownColumns, []string{"Примечание"}) {
		t.Errorf("unknown columns %v", rep.UnknownColumns)
	}
	if page := decodeJSON[list[learnerDTO]](t, e.get(t, "minobr", Prefix+"/learners?q=Орлова")); page.Total != 0 {
		t.Errorf("the rejected row was written: %+v", page.Items)
	}
	// The region imports both; the other college's student lands there.
	rep = decodeJSON[importReportDTO](t, e.importFile(t, "minobr", "", "text/csv", []byte(csv)))
	if rep.Created != 1 || rep.Unchanged != 1 || rep.Rejected != 0 {
		t.Errorf("region import %+v", rep)
	}
	page := decodeJSON[list[learnerDTO]](t, e.get(t, "minobr", Prefix+"/learners?q=Орлова"))
	if len(page.Items) != 1 || page.Items[0].OrgID != e.f.college2.ID {
		t.Errorf("region import landed as %+v", page.Items)
	}
}

// TestImportForms checks the other ways to send a file: a multipart form, an
// XLSX book, a mapping given by hand.
func TestImportForms(t *testing.T) {
	e := newEnv(t)
	var book bytes.Buffer
	xw, err := exchange.NewXLSX(&book, "Студенты", []exchange.Column{{Title: "Фамилия"}, {Title: "Имя"}, {Title: "Отчество"}, {Title: "Дата рождения", Kind: exchange.Date},
		{Title: "СНИЛС"}, {Title: "Код специальности"}, {Title: "Курс", Kind: exchange.Int}})
	if err != nil {
		t.Fatal(err)
	}
	if err := xw.Write([]any{"Зайцева", "Дарья", "Олеговна", date(2008, 9, 1), "189-012-345 70", "15.02.08", 2}); err != nil {
		t.Fatal(err)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}

	t.Run("multipart XLSX", func(t *testing.T) {
		body, ct := form(t, map[string]string{"comment": "список"}, "file", "Группа ТМ-22.xlsx", book.Bytes())
		res := e.importFile(t, "kpt", "?dry_run=true&sheet=студенты", ct, body)
		rep := decodeJSON[importReportDTO](t, res)
		if res.status != http.StatusOK || !rep.DryRun || rep.Created != 1 || rep.Rejected != 0 || rep.Mapping["birth_date"] != "Дата рождения" {
			t.Errorf("%d %s", res.status, res.body)
		}
	})
	t.Run("raw XLSX", func(t *testing.T) {
		res := e.importFile(t, "kpt", "?dry_run=1&format=xlsx", xlsxType, book.Bytes())
		if rep := decodeJSON[importReportDTO](t, res); res.status != http.StatusOK || rep.Created != 1 {
			t.Errorf("%d %s", res.status, res.body)
		}
	})
	t.Run("no such sheet", func(t *testing.T) {
		res := e.importFile(t, "kpt", "?sheet=Лист9", "application/octet-stream", book.Bytes())
		if res.status != http.StatusBadRequest || !strings.Contains(res.err().Message, "Листа «Лист9» в книге нет; есть листы: «Студенты»") {
			t.Errorf("%d %s", res.status, res.body)
		}
	})
	t.Run("mapping by hand", func(t *testing.T) {
		csv := "A;B;C;D;E\nЗайцева Дарья Олеговна;01.09.2008;189-012-345 70;15.02.08;2\n"
		res := e.importFile(t, "kpt", "?dry_run=1&map=full_name=0,birth_date=1,snils=2,course=4", "text/csv", []byte(csv))
		rep := decodeJSON[importReportDTO](t, res)
		// Without the specialty the student is refused, and column D is reported as not read.
		if res.status != http.StatusOK || rep.Rejected != 1 || rep.Mapping["full_name"] != "A" || rep.Mapping["course"] != "E" ||
			!slices.Equal(rep.UnknownColumns, []string{"D"}) {
			t.Errorf("%d %s", res.status, res.body)
		}
		res = e.importFile(t, "kpt", "?dry_run=1&map=full_name=0,birth_date=1,snils=2,specialty_code=3,course=4", "text/csv", []byte(csv))
		if rep := decodeJSON[importReportDTO](t, res); res.status != http.StatusOK || rep.Created != 1 || len(rep.UnknownColumns) != 0 {
			t.Errorf("%d %s", res.status, res.body)
		}
	})
	if n := e.counts(t).learners; n != 7 {
		t.Errorf("dry runs wrote: %d learners", n)
	}
}

// form builds a multipart body with the fields and one file.
func form(t *testing.T, fields map[string]string, field, name string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// TestImportRefused checks the files and requests that are refused whole:
// each answers why, and nothing is written.
func TestImportRefused(t *testing.T) {
	e := newEnv(t)
	data := cp1251(t, group)
	noFile, noFileCT := form(t, map[string]string{"comment": "забыли файл"}, "attachment", "a.csv", data)
	for _, c := range []struct {
		name, as, query, ct string
		body                []byte
		status              int
		field, msg          string
	}{
		{"empty body", "kpt", "", "text/csv", nil, 400, "", "Файл пуст"},
		{"only a header", "kpt", "", "text/csv", []byte("Фамилия;Имя;Дата рождения\n"), 400, "", "только заголовок"},
		{"required column missing", "kpt", "", "text/csv", []byte("Фамилия;Имя;СНИЛС\nОрлов;Игорь;145-678-901 05\n"), 400, "",
			"не найден обязательный столбец «Дата рождения»"},
		{"XLSX that is not", "kpt", "", xlsxType, data, 400, "", "Файл не похож на XLSX"},
		{"CSV that is a book", "kpt", "?format=csv", "application/octet-stream", []byte("PK\x03\x04 not really a book"), 400, "", "Файл не похож на CSV"},
		{"binary", "kpt", "", "text/csv", []byte("\x00\x01\x02\x03 not text at all"), 400, "", "двоичные данные"},
		{"JSON instead of a file", "kpt", "", "application/json", []byte(`{"file": "x"}`), 400, "", "Content-Type: text/csv"},
		{"no Content-Type", "kpt", "", "", data, 400, "", "получен Content-Type «не указан»"},
		{"form without the file", "kpt", "", noFileCT, noFile, 400, "file", "нет поля «file»"},
		{"format against Content-Type", "kpt", "?format=xlsx", "text/csv", data, 400, "format", "противоречит заголовку Content-Type"},
		{"unknown format", "kpt", "?format=xls", "application/octet-stream", data, 400, "format", "допустимы: csv, xlsx"},
		{"bad dry_run", "kpt", "?dry_run=да", "text/csv", data, 400, "dry_run", "true или false"},
		{"bad mapping", "kpt", "?map=salary=2", "text/csv", data, 400, "map", "Неизвестное поле «salary»"},
		{"mapping past the columns", "kpt", "?map=snils=40", "text/csv", data, 400, "map", "в файле столбцов 7"},
		{"employer may not", "rybprom", "", "text/csv", data, 403, "", "недостаточно прав для загрузки обучающихся"},
		{"employment centre may not", "czn-elizovo", "", "text/csv", data, 403, "", "недостаточно прав"},
		{"federal may not", "federal", "", "text/csv", data, 403, "", "недостаточно прав"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts(t)
			res := e.importFile(t, c.as, c.query, c.ct, c.body)
			er := res.err()
			if res.status != c.status || er.Field != c.field || !strings.Contains(er.Message, c.msg) {
				t.Errorf("got %d %s\nwant %d field %q message with %q", res.status, res.body, c.status, c.field, c.msg)
			}
			if after := e.counts(t); after != before {
				t.Errorf("a refused import wrote: %+v → %+v", before, after)
			}
		})
	}
}

// TestImportTooLarge calls the handler directly, as the server will once it
// lets this route's body past its 1 MiB.
func TestImportTooLarge(t *testing.T) {
	e := newEnv(t)
	u := e.f.users["minobr"]
	h := New(e.deps)
	call := func(r *http.Request) *httptest.ResponseRecorder {
		r = r.WithContext(auth.WithCaller(r.Context(), u, u.Scope("192.0.2.1")))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	const want = "Файл больше 50 МиБ: разбейте его на части или загрузите через marshrut import"
	rows := func(n int64) io.Reader { return io.LimitReader(repeat("Орлов;Игорь;03.04.2009\n"), n) }
	for _, c := range []struct {
		name string
		r    func() *http.Request
	}{
		{"declared length", func() *http.Request {
			// Refused before anything is read.
			r := httptest.NewRequest("POST", Prefix+"/imports/learners", strings.NewReader("a;b\n"))
			r.ContentLength = 60 << 20
			r.Header.Set("Content-Type", "text/csv")
			return r
		}},
		{"raw body of unknown length", func() *http.Request {
			r := httptest.NewRequest("POST", Prefix+"/imports/learners", rows(maxImport+1))
			r.ContentLength = -1
			r.Header.Set("Content-Type", "application/octet-stream")
			return r
		}},
		{"file of a form", func() *http.Request {
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				fw, _ := mw.CreateFormFile("file", "big.csv")
				io.Copy(fw, rows(maxImport+10))
				mw.Close()
				pw.Close()
			}()
			r := httptest.NewRequest("POST", Prefix+"/imports/learners", pr)
			r.ContentLength = -1
			r.Header.Set("Content-Type", mw.FormDataContentType())
			return r
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts(t)
			w := call(c.r())
			if er := decodeJSON[errorBody](t, response{body: w.Body.Bytes()}).Error; w.Code != http.StatusRequestEntityTooLarge || er.Message != want {
				t.Errorf("got %d %s", w.Code, w.Body)
			}
			if after := e.counts(t); after != before {
				t.Errorf("wrote: %+v → %+v", before, after)
			}
		})
	}
	// A file of exactly 50 MiB is read: here one row, then lines of spaces.
	head := "Фамилия;Имя;Дата рождения\nОрлов;Игорь;03.04.2009\n"
	body := append([]byte(head), bytes.Repeat([]byte(strings.Repeat(" ", 1023)+"\n"), maxImport/1024)...)
	body = body[:maxImport]
	r := httptest.NewRequest("POST", Prefix+"/imports/learners?dry_run=1", bytes.NewReader(body))
	r.Header.Set("Content-Type", "text/csv")
	w := call(r)
	if rep := decodeJSON[importReportDTO](t, response{body: w.Body.Bytes()}); w.Code != http.StatusOK || rep.Rows != 1 {
		t.Errorf("a file of 50 MiB: %d %.300s", w.Code, w.Body)
	}
}

// repeat is an endless reader of s.
func repeat(s string) io.Reader { return &repeater{s: s} }

type repeater struct {
	s string
	i int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.i:])
		n += c
		r.i = (r.i + c) % len(r.s)
	}
	return n, nil
}

// Organisations and outcomes load through their own routes with the same report.
func TestImportOtherTables(t *testing.T) {
	e := newEnv(t)
	orgs := "Наименование;Вид;ИНН;Муниципальное образование\nООО «Ромашка»;работодатель;7707083893;" + e.f.muni1.Name + "\n"
	post := func(as, path string, body []byte) response {
		return e.do(t, req{as: as, method: "POST", path: Prefix + path, body: body, header: map[string]string{"Content-Type": "text/csv"}})
	}
	if res := post("kpt", "/imports/orgs", []byte(orgs)); res.status != http.StatusForbidden || !strings.Contains(string(res.body), "может только регион") {
		t.Errorf("a college loading organisations: %d %s", res.status, res.body)
	}
	res := post("minobr", "/imports/orgs", []byte(orgs))
	if res.status != http.StatusOK {
		t.Fatalf("region loading organisations: %d %s", res.status, res.body)
	}
	if rep := decodeJSON[importReportDTO](t, res); rep.Created != 1 || rep.Rejected != 0 {
		t.Errorf("organisations report %+v", rep)
	}
	outcomes := "СНИЛС;Статус занятости;Дата начала\n000-000-000 00;трудоустроен;01.09.2025\n"
	res = post("minobr", "/imports/outcomes", []byte(outcomes))
	if res.status != http.StatusOK {
		t.Fatalf("outcomes: %d %s", res.status, res.body)
	}
	if rep := decodeJSON[importReportDTO](t, res); rep.Rejected != 1 || len(rep.Issues) != 1 {
		t.Errorf("an unknown СНИЛС: %+v", rep)
	}
}
