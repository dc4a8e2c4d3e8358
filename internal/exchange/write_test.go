package exchange

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

type status string

type code int

type named struct{}

func (named) String() string { return "именованный" }

var exportCols = []Column{
	{Title: "ФИО", Kind: Text},
	{Title: "Курс", Kind: Int},
	{Title: "Балл", Kind: Float},
	{Title: "Доля", Kind: Percent},
	{Title: "Дата рождения", Kind: Date, Width: 15},
}

func exportRows() [][]any {
	d := time.Date(2008, 2, 3, 23, 30, 0, 0, time.FixedZone("MSK", 3*3600))
	course := 2
	return [][]any{
		{"Иванов Иван", 2, 4.5, 0.853, d},
		{"=HYPERLINK(\"http://evil\")", int64(-3), float32(0.25), 1, &d},
		{"+7 900 000-00-00", &course, math.NaN(), nil, time.Time{}},
		{"-1", uint8(1), 1e21, 0.5, (*time.Time)(nil)},
		{"@SUM(A1)", code(4), 3, 0.0, nil},
		{"\tтаб", nil, nil, nil, nil},
		{status("студент"), 3.0, nil, nil, nil},
		{named{}, nil, nil, nil, nil},
		{true, nil, nil, nil, nil},
		{"текст; с \"кавычками\"\nи строкой", nil, nil, nil, nil},
	}
}

func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSV(&buf, exportCols)
	for _, r := range exportRows() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFФИО;Курс;Балл;Доля;Дата рождения\r\n" +
		"Иванов Иван;2;4,5;85,3%;03.02.2008\r\n" +
		"\"'=HYPERLINK(\"\"http://evil\"\")\";-3;0,25;100%;03.02.2008\r\n" +
		"'+7 900 000-00-00;2;;;\r\n" +
		"'-1;1;1000000000000000000000;50%;\r\n" +
		"'@SUM(A1);4;3;0%;\r\n" +
		"'\tтаб;;;;\r\n" +
		"студент;3;;;\r\n" +
		"именованный;;;;\r\n" +
		"да;;;;\r\n" +
		"\"текст; с \"\"кавычками\"\"\r\nи строкой\";;;;\r\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if err := w.Write(exportRows()[0]); err == nil {
		t.Error("Write after Close")
	}

	// What we write, we read back.
	tbl, header, rows := readAll(t, buf.Bytes(), "export.csv", Options{})
	if tbl.Comma() != ';' || header[4] != "Дата рождения" || len(rows) != 10 || rows[1].Cell(0) != "'=HYPERLINK(\"http://evil\")" || rows[9].Line != 11 {
		t.Errorf("read back: %q %+v", header, rows)
	}
	if d, err := ParseDate(rows[0].Cell(4)); err != nil || d.Day() != 3 {
		t.Errorf("date read back: %v %v", d, err)
	}
}

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		col Column
		v   any
	}{
		{Column{Title: "Курс", Kind: Int}, 2.5},
		{Column{Title: "Курс", Kind: Int}, "2"},
		{Column{Title: "Дата", Kind: Date}, "02.01.2006"},
		{Column{Title: "Доля", Kind: Percent}, "50%"},
		{Column{Title: "Текст", Kind: Text}, []int{1}},
		{Column{Title: "Курс", Kind: Int}, uint64(math.MaxUint64)},
	}
	for _, tt := range tests {
		for _, format := range []Format{CSV, XLSX} {
			var buf bytes.Buffer
			w, err := NewWriter(format, &buf, "", []Column{tt.col})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write([]any{tt.v}); err == nil {
				t.Errorf("%s: %T %v accepted for %q", format, tt.v, tt.v, tt.col.Title)
			}
			if err := w.Write([]any{nil, nil}); err == nil {
				t.Errorf("%s: two values for one column accepted", format)
			}
			if err := w.Close(); err != nil {
				t.Errorf("%s: Close: %v", format, err)
			}
		}
	}
	if _, err := NewWriter("ods", nil, "", nil); err == nil {
		t.Error("ods accepted")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterFailingOutput(t *testing.T) {
	w := NewCSV(failWriter{}, exportCols)
	if err := w.Write(exportRows()[0]); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("CSV Write: %v", err)
	}
	x, err := NewXLSX(failWriter{}, "Лист", exportCols)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Write(exportRows()[0]); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("XLSX Close: %v", err)
	}
}

func TestXLSXWriter(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewXLSX(&buf, "Выпускники: 2026/27 [итог]", exportCols)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range exportRows() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.Write(exportRows()[0]); err == nil {
		t.Error("Write after Close")
	}

	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if sheet != "Выпускники_ 2026_27 _итог_" {
		t.Errorf("sheet %q", sheet)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v", panes, err)
	}
	if wd, _ := f.GetColWidth(sheet, "E"); wd != 15 {
		t.Errorf("width of E = %v", wd)
	}
	if wd, _ := f.GetColWidth(sheet, "A"); wd != 14 {
		t.Errorf("width of A = %v", wd)
	}
	styleID, _ := f.GetCellStyle(sheet, "A1")
	if st, err := f.GetStyle(styleID); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold: %+v %v", st, err)
	}

	type cell struct {
		ref, value string
		typ        excelize.CellType
	}
	for _, c := range []cell{
		{"A2", "Иванов Иван", excelize.CellTypeInlineString},
		{"B2", "2", excelize.CellTypeUnset}, // a number
		{"C2", "4.5", excelize.CellTypeUnset},
		{"D2", "85.3%", excelize.CellTypeUnset},
		{"E2", "03.02.2008", excelize.CellTypeUnset},
		{"A3", "=HYPERLINK(\"http://evil\")", excelize.CellTypeInlineString},
		{"A4", "+7 900 000-00-00", excelize.CellTypeInlineString},
		{"A6", "@SUM(A1)", excelize.CellTypeInlineString},
		{"A8", "студент", excelize.CellTypeInlineString},
		{"B8", "3", excelize.CellTypeUnset},
	} {
		v, _ := f.GetCellValue(sheet, c.ref)
		typ, _ := f.GetCellType(sheet, c.ref)
		formula, _ := f.GetCellFormula(sheet, c.ref)
		if v != c.value || typ != c.typ || formula != "" {
			t.Errorf("%s = %q (type %v, formula %q); want %q (type %v)", c.ref, v, typ, formula, c.value, c.typ)
		}
	}
	if raw, _ := f.GetCellValue(sheet, "E2", excelize.Options{RawCellValue: true}); raw != "39481" {
		t.Errorf("date stored as %q; want serial 39481", raw)
	}
	for _, ref := range []string{"C4", "D4", "E4", "B7"} {
		if v, _ := f.GetCellValue(sheet, ref); v != "" {
			t.Errorf("%s = %q; want empty", ref, v)
		}
	}

	// And Open reads it back.
	tbl, header, rows := readAll(t, buf.Bytes(), "export.xlsx", Options{})
	if tbl.Format() != XLSX || len(header) != 5 || len(rows) != 10 || rows[0].Line != 2 || rows[0].Cell(4) != "03.02.2008" {
		t.Errorf("read back: %q %+v", header, rows[0])
	}
}

func TestEscapeFormula(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@A1": "'@A1", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "Иванов": "Иванов", "1=1": "1=1", "'=x": "'=x",
	} {
		if got := EscapeFormula(in); got != want {
			t.Errorf("EscapeFormula(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "Лист1",
		"Студенты":              "Студенты",
		"a/b\\c?d*e:f[g]":       "a_b_c_d_e_f_g_",
		"'цитата'":              "цитата",
		strings.Repeat("я", 40): strings.Repeat("я", 31),
		" Sheet1 ":              "Sheet1",
	} {
		if got := sheetName(in); got != want {
			t.Errorf("sheetName(%q) = %q; want %q", in, got, want)
		}
	}
}
