package exchange

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/apperr"
)

// book builds an XLSX in memory: each sheet is a map of cell → value, styled
// by numFmt when the value is a styled{}.
type styled struct {
	v      any
	numFmt int
	custom string
}

func book(t *testing.T, sheets []string, cells map[string]map[string]any, hidden ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s); err != nil {
			t.Fatal(err)
		}
		for ref, v := range cells[s] {
			st, ok := v.(styled)
			if ok {
				v = st.v
			}
			if err := f.SetCellValue(s, ref, v); err != nil {
				t.Fatal(err)
			}
			if ok {
				style := &excelize.Style{NumFmt: st.numFmt}
				if st.custom != "" {
					style.CustomNumFmt = &st.custom
				}
				id, err := f.NewStyle(style)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellStyle(s, ref, ref, id); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if len(hidden) > 0 {
		// The active sheet cannot be hidden: activate the last one.
		f.SetActiveSheet(len(sheets) - 1)
	}
	for _, s := range hidden {
		if err := f.SetSheetVisible(s, false); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOpenXLSX(t *testing.T) {
	d := time.Date(2008, 2, 3, 0, 0, 0, 0, time.UTC)
	data := book(t, []string{"Справка", "Студенты"}, map[string]map[string]any{
		"Справка": {"A1": "Поле", "B1": "Как заполнять", "A2": "ФИО", "B2": "полностью"},
		"Студенты": {
			"A1": "Список студентов ГБПОУ «Курский техникум»",
			"A3": "№ п/п", "B3": "ФИО", "C3": "Дата рождения", "D3": "Курс", "E3": "СНИЛС",
			"A4": 1, "B4": "Иванов Иван Иванович", "C4": styled{v: d, numFmt: 14}, "D4": 2, "E4": "112-233-445 95",
			"A6": 2, "B6": " Петрова\u00a0Анна ", "C6": styled{v: d, custom: "dd.mm.yyyy"}, "D6": 1, "E6": 11223344595,
			"A7": 3, "B7": "Сидоров Сидор", "C7": "05.06.2007", "D7": 1.5, "E7": "=1+2",
			"A8": 4, "C8": 39481, "D8": styled{v: d, custom: "yyyy-mm-dd"},
		},
	}, "Справка")
	tbl, header, rows := readAll(t, data, "students.xlsx", Options{})
	if tbl.Format() != XLSX || tbl.Sheet() != "Студенты" || tbl.HeaderLine() != 3 {
		t.Errorf("format %s, sheet %q, header line %d", tbl.Format(), tbl.Sheet(), tbl.HeaderLine())
	}
	if want := []string{"№ п/п", "ФИО", "Дата рождения", "Курс", "СНИЛС"}; !reflect.DeepEqual(header, want) {
		t.Errorf("header %q", header)
	}
	want := []Row{
		{4, []string{"1", "Иванов Иван Иванович", "03.02.2008", "2", "112-233-445 95"}},
		{6, []string{"2", "Петрова\u00a0Анна", "03.02.2008", "1", "11223344595"}},
		{7, []string{"3", "Сидоров Сидор", "05.06.2007", "1.5", "=1+2"}},
		{8, []string{"4", "", "39481", "2008-02-03"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", rows, want)
	}
	for _, r := range rows {
		if d, err := ParseDate(r.Cell(2)); err != nil || d.Year() < 2007 {
			t.Errorf("line %d: date %q → %v, %v", r.Line, r.Cell(2), d, err)
		}
	}

	t.Run("sheet by name", func(t *testing.T) {
		tbl, header, rows := readAll(t, data, "students.xlsx", Options{Sheet: " справка", Format: XLSX})
		if tbl.Sheet() != "Справка" || header[0] != "Поле" || len(rows) != 1 || rows[0].Line != 2 {
			t.Errorf("sheet %q header %q rows %d", tbl.Sheet(), header, len(rows))
		}
	})
}

func TestOpenXLSXErrors(t *testing.T) {
	data := book(t, []string{"Данные", "Пустой", "Заголовок"}, map[string]map[string]any{
		"Данные":    {"A1": "Фамилия", "B1": "Имя", "A2": "Иванов"},
		"Заголовок": {"A1": "Фамилия", "B1": "Имя"},
	})
	tests := []struct {
		sheet, want string
	}{
		{"Нет такого", "Листа «Нет такого» в книге нет; есть листы: «Данные», «Пустой», «Заголовок»"},
		{"Пустой", "Лист «Пустой» пуст"},
		{"Заголовок", "В файле только заголовок, строк с данными нет"},
	}
	for _, tt := range tests {
		tbl, err := Open(bytes.NewReader(data), "book.xlsx", Options{Sheet: tt.sheet})
		if err == nil {
			tbl.Close()
			t.Errorf("%s: no error", tt.sheet)
			continue
		}
		if apperr.Message(err) != tt.want {
			t.Errorf("%s: %q; want %q", tt.sheet, apperr.Message(err), tt.want)
		}
	}
	if _, err := Open(bytes.NewReader(data), "book.xlsx", Options{MaxUnpacked: 100}); err == nil || !strings.Contains(apperr.Message(err), "в распакованном виде больше") {
		t.Errorf("zip bomb guard: %v", err)
	}
}

// Open leaves no spooled upload behind, and Close removes excelize's files.
func TestOpenXLSXTempFiles(t *testing.T) {
	dir := t.TempDir()
	data := book(t, []string{"Л"}, map[string]map[string]any{"Л": {"A1": "a", "B1": "b", "A2": "1"}})
	tbl, err := Open(bytes.NewReader(data), "", Options{TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := tbl.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if _, err := Open(bytes.NewReader([]byte("PK\x03\x04junk")), "", Options{TempDir: dir}); err == nil {
		t.Fatal("junk accepted")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("left behind after a failure: %v", left)
	}
	_ = os.Remove(dir)
}
