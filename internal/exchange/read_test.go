package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"marshrut/internal/apperr"
)

// readAll opens data and returns the header and the rows as «line: cells».
func readAll(t *testing.T, data []byte, name string, opt Options) (*Table, []string, []Row) {
	t.Helper()
	tbl, err := Open(bytes.NewReader(data), name, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer tbl.Close()
	var rows []Row
	for row, err := range tbl.All() {
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
	}
	return tbl, tbl.Header(), rows
}

func cp1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16le(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenCSV(t *testing.T) {
	type row struct {
		line  int
		cells []string
	}
	tests := []struct {
		name       string
		data       []byte
		opt        Options
		encoding   string
		comma      rune
		header     []string
		headerLine int
		rows       []row
	}{
		{
			name:     "utf-8, semicolon",
			data:     []byte("Фамилия;Имя;Дата рождения\nИванов;Иван;03.02.2008\nПетрова;Анна;11.12.2007\n"),
			encoding: "UTF-8", comma: ';',
			header: []string{"Фамилия", "Имя", "Дата рождения"}, headerLine: 1,
			rows: []row{{2, []string{"Иванов", "Иван", "03.02.2008"}}, {3, []string{"Петрова", "Анна", "11.12.2007"}}},
		},
		{
			name:     "utf-8 with BOM, comma, CRLF",
			data:     []byte("\uFEFFФамилия,Имя\r\nИванов,Иван\r\n"),
			encoding: "UTF-8", comma: ',',
			header: []string{"Фамилия", "Имя"}, headerLine: 1,
			rows: []row{{2, []string{"Иванов", "Иван"}}},
		},
		{
			name:     "windows-1251",
			data:     cp1251(t, "Фамилия;Имя;Отчество\r\nЁлкин;Пётр;Семёнович\r\n"),
			encoding: "Windows-1251", comma: ';',
			header: []string{"Фамилия", "Имя", "Отчество"}, headerLine: 1,
			rows: []row{{2, []string{"Ёлкин", "Пётр", "Семёнович"}}},
		},
		{
			name:     "tab",
			data:     []byte("Фамилия\tИмя\tКурс\nИванов\tИван\t2\n"),
			encoding: "UTF-8", comma: '\t',
			header: []string{"Фамилия", "Имя", "Курс"}, headerLine: 1,
			rows: []row{{2, []string{"Иванов", "Иван", "2"}}},
		},
		{
			name:     "utf-16 from Excel's «Текст Юникод»",
			data:     utf16le(t, "Фамилия\tИмя\r\nИванов\tИван\r\n"),
			encoding: "UTF-16", comma: '\t',
			header: []string{"Фамилия", "Имя"}, headerLine: 1,
			rows: []row{{2, []string{"Иванов", "Иван"}}},
		},
		{
			name:     "quoted newline and doubled quotes keep line numbers",
			data:     []byte("Наименование;Адрес\n\"ООО \"\"Ромашка\"\"\";\"г. Курск,\nул. Ленина, 1\"\nАО Вектор;Орёл\n"),
			encoding: "UTF-8", comma: ';',
			header: []string{"Наименование", "Адрес"}, headerLine: 1,
			rows: []row{{2, []string{`ООО "Ромашка"`, "г. Курск,\nул. Ленина, 1"}}, {4, []string{"АО Вектор", "Орёл"}}},
		},
		{
			name:     "bare quotes as 1C writes them",
			data:     []byte("Наименование;ИНН\nООО \"Ромашка\";4600000000\n"),
			encoding: "UTF-8", comma: ';',
			header: []string{"Наименование", "ИНН"}, headerLine: 1,
			rows: []row{{2, []string{`ООО "Ромашка"`, "4600000000"}}},
		},
		{
			name:     "commas inside values of a semicolon file",
			data:     []byte("ФИО;Адрес\nИванов, Иван;г. Курск, ул. Мира, 5\nПетров, Пётр;г. Орёл, ул. Ленина, 7\n"),
			encoding: "UTF-8", comma: ';',
			header: []string{"ФИО", "Адрес"}, headerLine: 1,
			rows: []row{{2, []string{"Иванов, Иван", "г. Курск, ул. Мира, 5"}}, {3, []string{"Петров, Пётр", "г. Орёл, ул. Ленина, 7"}}},
		},
		{
			name:     "title above the header, blank and padded rows",
			data:     []byte("Список студентов группы ИС-21;;\n;;\n Фамилия ;\u00a0Имя\u00a0;Курс;;\n\n  Иванов;Иван\u00a0; 2 ;;\n;;;;\nПетров;Пётр\n"),
			encoding: "UTF-8", comma: ';',
			header: []string{"Фамилия", "Имя", "Курс"}, headerLine: 3,
			rows: []row{{5, []string{"Иванов", "Иван", "2"}}, {7, []string{"Петров", "Пётр"}}},
		},
		{
			name:     "title of two cells above a wide header",
			data:     []byte("Список группы ИС-21;;;на 01.09.2026\nФамилия;Имя;Отчество;Курс\nИванов;Иван;Иванович;2;примечание без столбца\n"),
			encoding: "UTF-8", comma: ';',
			header: []string{"Фамилия", "Имя", "Отчество", "Курс"}, headerLine: 2,
			rows: []row{{3, []string{"Иванов", "Иван", "Иванович", "2", "примечание без столбца"}}},
		},
		{
			name:     "header row given",
			data:     []byte("Отчёт;за;2026\nФамилия;Имя\nИванов;Иван\n"),
			opt:      Options{HeaderRow: 2},
			encoding: "UTF-8", comma: ';',
			header: []string{"Фамилия", "Имя"}, headerLine: 2,
			rows: []row{{3, []string{"Иванов", "Иван"}}},
		},
		{
			name:     "one column",
			data:     []byte("ФИО\nИванов Иван\n"),
			encoding: "UTF-8", comma: ';',
			header: []string{"ФИО"}, headerLine: 1,
			rows: []row{{2, []string{"Иванов Иван"}}},
		},
		{
			name:     "forced comma",
			data:     []byte("a;b,c\n1;2,3\n"),
			opt:      Options{Comma: ','},
			encoding: "UTF-8", comma: ',',
			header: []string{"a;b", "c"}, headerLine: 1,
			rows: []row{{2, []string{"1;2", "3"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, header, rows := readAll(t, tt.data, "test.csv", tt.opt)
			if tbl.Format() != CSV || tbl.Encoding() != tt.encoding || tbl.Comma() != tt.comma {
				t.Errorf("format %s, encoding %q, comma %q; want csv, %q, %q", tbl.Format(), tbl.Encoding(), tbl.Comma(), tt.encoding, tt.comma)
			}
			if !reflect.DeepEqual(header, tt.header) || tbl.HeaderLine() != tt.headerLine {
				t.Errorf("header %q at %d; want %q at %d", header, tbl.HeaderLine(), tt.header, tt.headerLine)
			}
			var got []row
			for _, r := range rows {
				got = append(got, row{r.Line, r.Cells})
			}
			if !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows\n got %+v\nwant %+v", got, tt.rows)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	unclosed := "Фамилия;Имя\nИванов;\"Иван\n" + strings.Repeat("очень длинная строка без кавычки\n", 40000)
	tests := []struct {
		name string
		data []byte
		opt  Options
		want string
	}{
		{"0 bytes", nil, Options{}, "Файл «f» пуст"},
		{"only blank lines", []byte("\r\n;;\n \n"), Options{}, "Файл «f» пуст"},
		{"BOM only", []byte("\uFEFF"), Options{}, "пуст"},
		{"header only", []byte("Фамилия;Имя\n"), Options{}, "В файле только заголовок, строк с данными нет"},
		{"header and blank rows", []byte("Фамилия;Имя\n;\n\n"), Options{}, "В файле только заголовок"},
		{"binary", []byte("\x00\x01\x02binary\x00garbage"), Options{}, "двоичные данные"},
		{"control bytes", bytes.Repeat([]byte("a\x01\x02\x03"), 100), Options{}, "двоичные данные"},
		{"old xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), Options{}, "Excel 97–2003"},
		{"csv claimed xlsx", []byte("a;b\n1;2\n"), Options{Format: XLSX}, "Файл не похож на XLSX: «f»"},
		{"zip claimed csv", []byte("PK\x03\x04rest"), Options{Format: CSV}, "Файл не похож на CSV"},
		{"ods", []byte("PK\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK"), Options{}, "OpenDocument"},
		{"broken zip", []byte("PK\x03\x04 this is not a workbook"), Options{}, "Файл не похож на XLSX"},
		{"header row past the end", []byte("a;b\n1;2\n"), Options{HeaderRow: 9}, "строки 9"},
		{"header row blank", []byte("a;b\n\n1;2\n"), Options{HeaderRow: 2}, "строка 2, указанная как заголовок, пуста"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := Open(bytes.NewReader(tt.data), "f", tt.opt)
			if err == nil {
				tbl.Close()
				t.Fatalf("no error; want %q", tt.want)
			}
			if !strings.Contains(apperr.Message(err), tt.want) || apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("error %q (%s); want Invalid with %q", apperr.Message(err), apperr.CodeOf(err), tt.want)
			}
		})
	}
	t.Run("unclosed quote", func(t *testing.T) {
		tbl, err := Open(strings.NewReader(unclosed), "f", Options{})
		if err == nil {
			defer tbl.Close()
			_, err = tbl.Next()
		}
		if err == nil || !strings.Contains(apperr.Message(err), "не закрыта кавычка") {
			t.Fatalf("error %v; want one about an unclosed quote", err)
		}
		if tbl != nil {
			if _, again := tbl.Next(); again == nil || again.Error() != err.Error() {
				t.Errorf("error not sticky: %v", again)
			}
		}
		t.Log(apperr.Message(err))
	})
}

func TestRowWidth(t *testing.T) {
	_, header, rows := readAll(t, []byte("Фамилия;Имя\nИванов\nПетров;Пётр;лишнее\nСидоров;Сидор;;\n"), "f", Options{})
	if err := rows[0].CheckWidth(len(header)); err != nil {
		t.Errorf("short row: %v", err)
	}
	if err := rows[1].CheckWidth(len(header)); err == nil || !strings.Contains(err.Error(), "строка 3: 3 значений") || !strings.Contains(err.Error(), "столбце C") {
		t.Errorf("long row: %v", err)
	}
	if err := rows[2].CheckWidth(len(header)); err != nil {
		t.Errorf("trailing empty cells: %v", err)
	}
	if rows[0].Cell(1) != "" || rows[0].Cell(-1) != "" || rows[1].Cell(2) != "лишнее" {
		t.Error("Cell")
	}
}

func TestNextAfterEOF(t *testing.T) {
	tbl, err := Open(strings.NewReader("a;b\n1;2\n"), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tbl.Next(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := tbl.Next(); err != io.EOF {
			t.Fatalf("got %v; want io.EOF", err)
		}
	}
	if err := tbl.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := tbl.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after Close: %v", err)
	}
}

// The vacancies sample of «Работа России» is an ordinary comma-separated UTF-8 file.
func TestReadSampleCSV(t *testing.T) {
	const path = "/work/shared/data/trudvsem/trudvsem_vacancies_sample.csv"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("sample not available: %v", err)
	}
	want, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tbl, header, rows := readAll(t, data, "trudvsem_vacancies_sample.csv", Options{})
	if tbl.Comma() != ',' || tbl.Encoding() != "UTF-8" {
		t.Errorf("comma %q, encoding %s", tbl.Comma(), tbl.Encoding())
	}
	if !reflect.DeepEqual(header, want[0]) {
		t.Errorf("header %q; want %q", header, want[0])
	}
	if len(rows) != len(want)-1 {
		t.Fatalf("%d rows; want %d", len(rows), len(want)-1)
	}
	prev := 1
	for i, r := range rows {
		if r.Line <= prev {
			t.Fatalf("row %d: line %d after %d", i, r.Line, prev)
		}
		prev = r.Line
		if r.Cell(0) != strings.TrimSpace(want[i+1][0]) {
			t.Fatalf("row %d: %q; want %q", i, r.Cell(0), want[i+1][0])
		}
	}
	m, _ := Recognise(header, []Field{{Key: "name", Title: "name"}, {Key: "salary_min", Title: "salary min"}})
	if m.Col("name") != 0 || m.Col("salary_min") != 3 {
		t.Errorf("mapping %s", m)
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA", -1: "?"} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %s; want %s", i, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": "", "CSV": CSV, ".xlsx": XLSX, "txt": CSV} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xls"); err == nil {
		t.Error("xls accepted")
	}
}

// A file whose first 64 KiB are ASCII is judged where its first Cyrillic letter is.
func TestLateEncoding(t *testing.T) {
	ascii := "id;inn;name\n" + strings.Repeat("1;4600000000;Ivanov\n", 4000)
	for _, tt := range []struct {
		data     []byte
		encoding string
	}{
		{append([]byte(ascii), cp1251(t, "2;4600000001;Ёлкин Пётр\n")...), "Windows-1251"},
		{[]byte(ascii + "2;4600000001;Ёлкин Пётр\n"), "UTF-8"},
	} {
		tbl, _, rows := readAll(t, tt.data, "f", Options{})
		last := rows[len(rows)-1]
		if len(rows) != 4001 || last.Cell(2) != "Ёлкин Пётр" || last.Line != 4002 || tbl.Encoding() != tt.encoding {
			t.Errorf("%d rows, last %+v, encoding %s; want %s", len(rows), last, tbl.Encoding(), tt.encoding)
		}
	}
}
