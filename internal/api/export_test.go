package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/tables"
)

// readCSV checks that a download is the CSV Excel opens with a double click
// (a byte-order mark, «;») and returns its records.
func readCSV(t *testing.T, res response) [][]string {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	body, ok := bytes.CutPrefix(res.body, []byte("\uFEFF"))
	if !ok {
		t.Errorf("no UTF-8 byte-order mark: %q", res.body[:min(len(res.body), 20)])
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not a CSV with «;»: %v\n%s", err, body)
	}
	return recs
}

func titles(cols []exchange.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

// surnames lists the first cell of each row after the header.
func surnames(recs [][]string) []string {
	var out []string
	for _, rec := range recs[1:] {
		out = append(out, rec[0])
	}
	return out
}

func TestExportLearnersCSV(t *testing.T) {
	e := newEnv(t)
	f := e.f
	// Pages of two, so that the seven learners take four reads.
	defer func(n int) { exportLearnerPage = n }(exportLearnerPage)
	exportLearnerPage = 2

	for _, c := range []struct {
		name, as, query string
		want            []string // surnames in order
	}{
		{"college sees only its own", "kpt", "", []string{"Антонов", "Борисов", "Васильев", "Ёлкин", "Смирнов"}},
		{"limit and offset are ignored", "kpt", "&limit=1&offset=3", []string{"Антонов", "Борисов", "Васильев", "Ёлкин", "Смирнов"}},
		{"filters apply", "kpt", "&status=graduate", []string{"Ёлкин"}},
		{"a college cannot filter its way out", "kpt", "&org_id=" + itoa(f.college2.ID), nil},
		{"sort applies", "minobr", "&sort=birth_date&desc=1", []string{"Иванова", "Смирнов", "Васильев", "Борисов", "Антонов", "Кузнецова", "Ёлкин"}},
		{"employment centre sees its municipalities", "czn-elizovo", "", []string{"Ёлкин", "Кузнецова"}},
		{"employer sees nobody yet", "rybprom", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.get(t, c.as, Prefix+"/learners?format=csv"+c.query)
			recs := readCSV(t, res)
			if !slices.Equal(recs[0], titles(tables.LearnerColumns)) {
				t.Errorf("header %v", recs[0])
			}
			if got := surnames(recs); !slices.Equal(got, c.want) {
				t.Errorf("rows %v, want %v", got, c.want)
			}
		})
	}

	res := e.get(t, "minobr", Prefix+"/learners?format=csv")
	file := "obuchayushchiesya-" + time.Now().Format("2006-01-02") + ".csv"
	if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`+file+`"`) {
		t.Errorf("Content-Disposition %q, want an attachment %s", cd, file)
	}
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", res.header.Get("Cache-Control"))
	}
	rows := map[string][]string{}
	for _, rec := range readCSV(t, res)[1:] {
		rows[rec[0]] = rec
	}
	want := map[string][]string{
		"Смирнов": {"Смирнов", "Артём", "", "06.05.2008", "", learner.Student.Name(), f.college.Name, f.muni1.Name, "",
			"15.02.08", "Технология машиностроения", "2", "", learner.FullTime.Name(), "2028", "", "", "", ""},
		"Иванова": {"Иванова", "Мария", "Петровна", "04.03.2011", "112-233-445 95", learner.Pupil.Name(), f.school.Name, f.muni1.Name, "9",
			"", "", "", "", "", "", "", "", "", ""},
	}
	for name, w := range want {
		if !slices.Equal(rows[name], w) {
			t.Errorf("row of %s\n got %q\nwant %q", name, rows[name], w)
		}
	}
	// The export is the JSON list in other clothes: the same rows as LearnerRow of each item.
	page := decodeJSON[list[learnerDTO]](t, e.get(t, "minobr", Prefix+"/learners"))
	if len(page.Items) != len(rows) {
		t.Errorf("%d rows in the file, %d in the list", len(rows), len(page.Items))
	}
}

func TestExportLearnersXLSX(t *testing.T) {
	e := newEnv(t)
	res := e.get(t, "kpt", Prefix+"/learners?format=xlsx&sort=birth_date")
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if !bytes.HasPrefix(res.body, []byte("PK")) {
		t.Fatalf("not a zip: %q", res.body[:min(len(res.body), 20)])
	}
	if ct := res.header.Get("Content-Type"); ct != xlsxType {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.Contains(cd, ".xlsx") || !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	book, err := excelize.OpenReader(bytes.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	sheet := book.GetSheetList()[0]
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || !slices.Equal(rows[0], titles(tables.LearnerColumns)) {
		t.Fatalf("rows %q", rows)
	}
	if rows[1][0] != "Ёлкин" || rows[5][0] != "Смирнов" {
		t.Errorf("order %q", rows)
	}
	// Typed cells: the birth date is an Excel date (a serial number), the course a number.
	raw, _ := book.GetCellValue(sheet, "D2", excelize.Options{RawCellValue: true})
	if raw != "37988" { // 02.01.2004
		t.Errorf("birth date cell holds %q, want the serial 37988", raw)
	}
	shown, _ := book.GetCellValue(sheet, "D2")
	if shown != "02.01.2004" {
		t.Errorf("birth date shown as %q", shown)
	}
	if typ, _ := book.GetCellType(sheet, "L6"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("course is written as text")
	}
}

func TestExportOrganisations(t *testing.T) {
	e := newEnv(t)
	defer func(n int) { exportOrganisationPage = n }(exportOrganisationPage)
	exportOrganisationPage = 2
	recs := readCSV(t, e.get(t, "rybprom", Prefix+"/organisations?format=csv&limit=1"))
	if !slices.Equal(recs[0], titles(tables.OrgColumns)) {
		t.Errorf("header %v", recs[0])
	}
	if len(recs) != 6 {
		t.Fatalf("%d organisations, want 5: %q", len(recs)-1, recs)
	}
	rows := map[string][]string{}
	for _, rec := range recs[1:] {
		rows[rec[0]] = rec
	}
	if got := rows[e.f.college.Name]; got[1] != e.f.college.Kind.Name() || got[2] != e.f.muni1.Name || got[7] != "5" {
		t.Errorf("college row %q", got)
	}
	if got := rows[e.f.empl.Name]; got[4] != "4101000011" || got[7] != "" {
		t.Errorf("employer row %q: an employer has no learners column", got)
	}
	recs = readCSV(t, e.get(t, "minobr", Prefix+"/organisations?format=csv&kind=college"))
	if got := surnames(recs); !slices.Equal(got, []string{e.f.college2.Name, e.f.college.Name}) {
		t.Errorf("colleges %v", got)
	}
	res := e.get(t, "minobr", Prefix+"/organisations?format=xlsx")
	if res.status != http.StatusOK || !bytes.HasPrefix(res.body, []byte("PK")) ||
		!strings.Contains(res.header.Get("Content-Disposition"), "organizacii-") {
		t.Errorf("xlsx: %d %v", res.status, res.header)
	}
}

func TestExportRefused(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/learners?format=pdf", "/organisations?format=XLS", "/learners?format=csv&status=alien"} {
		res := e.get(t, "minobr", Prefix+path)
		er := res.err()
		if res.status != http.StatusBadRequest || res.header.Get("Content-Disposition") != "" || er.Code != "invalid" {
			t.Errorf("%s: %d %s", path, res.status, res.body)
		}
		if strings.Contains(path, "format=csv") {
			if er.Field != "status" {
				t.Errorf("%s: field %q", path, er.Field)
			}
		} else if er.Field != "format" || !strings.Contains(er.Message, "допустимы: csv, xlsx") {
			t.Errorf("%s: %s", path, res.body)
		}
	}
	// Without format the answer is the JSON page, as before.
	if res := e.get(t, "kpt", Prefix+"/learners?limit=2"); res.status != http.StatusOK ||
		!strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || decodeJSON[list[learnerDTO]](t, res).Total != 5 {
		t.Errorf("JSON list: %d %s", res.status, res.body)
	}
	// A failure before the first byte is sent is the JSON error, not a broken download.
	e.store.Close()
	res := e.get(t, "minobr", Prefix+"/learners?format=xlsx")
	if res.status != http.StatusInternalServerError || res.err().Code != "internal" || res.header.Get("Content-Disposition") != "" {
		t.Errorf("database down: %d %v %s", res.status, res.header, res.body)
	}
}

// TestExportColumnsShared checks that the exported columns and rows agree.
func TestExportColumnsShared(t *testing.T) {
	e := newEnv(t)
	if len(LearnerRow(e.f.student)) != len(LearnerColumns()) || len(OrganisationRow(e.f.college)) != len(OrganisationColumns()) {
		t.Fatal("a row does not fill its columns")
	}
	cols := LearnerColumns()
	cols[0].Title = "changed"
	if tables.LearnerColumns[0].Title != "Фамилия" {
		t.Error("LearnerColumns hands out the package's own slice")
	}
}

// TestExportCutShort checks a failure in the middle of an export: once bytes
// are sent, the download is cut rather than ended as if whole; before that
// (an XLSX book is sent only at its end) the answer is still the JSON error.
func TestExportCutShort(t *testing.T) {
	logs := &syncBuffer{}
	a := &api{d: Deps{Log: slog.New(slog.NewTextHandler(logs, nil))}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls := 0
		page := func(ctx context.Context, offset, limit int) ([]int, error) {
			if calls++; calls == 3 {
				return nil, errors.New("disk on fire")
			}
			return []int{offset, offset + 1}, nil
		}
		err := export(a, w, r, caller{}, exchange.Format(r.URL.Query().Get("format")), "t",
			[]exchange.Column{{Title: "n", Kind: exchange.Int}}, 2, page, func(n int) []any { return []any{n} })
		if err != nil {
			a.fail(w, r, err)
		}
	}))
	defer srv.Close()

	res, err := srv.Client().Get(srv.URL + "?format=csv")
	if err == nil {
		body, rerr := io.ReadAll(res.Body)
		res.Body.Close()
		if rerr == nil {
			t.Errorf("a CSV cut short reads as whole: %d %q", res.StatusCode, body)
		}
	}
	if !strings.Contains(logs.String(), "api export failed") || !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("the failure is not logged: %s", logs)
	}

	res, err = srv.Client().Get(srv.URL + "?format=xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusInternalServerError || res.Header.Get("Content-Disposition") != "" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !bytes.Contains(body, []byte(`"internal"`)) {
		t.Errorf("xlsx failing before it is sent: %d %v %s", res.StatusCode, res.Header, body)
	}
}
