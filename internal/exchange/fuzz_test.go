package exchange

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"Фамилия;Имя\nИванов;Иван\n",
		"\uFEFFa,b,c\r\n1,2,3\r\n",
		"a\tb\n\"x\ny\"\t2\n",
		"Наименование;Адрес\n\"ООО \"\"Ромашка\"\"\";\"г. Курск,\nул. Ленина\"\n",
		"ООО \"Ромашка\";1\n\"a;b\n",
		"title\n\na;b;c\n1;;\n;;\n2\n",
		"\xFF\xFEa\x00\t\x00b\x00\n\x001\x00\t\x002\x00",
		"\xd4\xe0\xec\xe8\xeb\xe8\xff;\xc8\xec\xff\n\xc8\xe2\xe0\xed\xee\xe2;\xc8\xe2\xe0\xed\n",
		"",
		"\x00",
		"\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, err := Open(bytes.NewReader(data), "fuzz.csv", Options{Format: CSV})
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("Open: %v is not a message for the person", err)
			}
			return
		}
		defer tbl.Close()
		checkCells(t, tbl.HeaderLine(), tbl.Header())
		prev := tbl.HeaderLine()
		for i := 0; ; i++ {
			row, err := tbl.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if apperr.CodeOf(err) != apperr.Invalid {
					t.Fatalf("Next: %v", err)
				}
				break
			}
			if row.Line <= prev {
				t.Fatalf("line %d after %d", row.Line, prev)
			}
			prev = row.Line
			if len(row.Cells) == 0 || row.Cells[len(row.Cells)-1] == "" {
				t.Fatalf("line %d: empty row or trailing empty cell: %q", row.Line, row.Cells)
			}
			checkCells(t, row.Line, row.Cells)
		}
	})
}

func checkCells(t *testing.T, line int, cells []string) {
	t.Helper()
	for _, c := range cells {
		if !utf8.ValidString(c) {
			t.Fatalf("line %d: invalid UTF-8 %q", line, c)
		}
		if c != Clean(c) {
			t.Fatalf("line %d: untrimmed %q", line, c)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"02.01.2006", "2.1.2006", "2006-01-02", "02/01/2006", "45123", "45123.5", "45123,5",
		"02.01.2006 0:00:00", "2006-01-02T15:04:05Z", "2 января 2006 г.", "20060102", "31.02.2006",
		"", "г.", "1.1.1", "9999999999", "0.5", "01.01.0001", "t:", " т",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("ParseDate(%q): %v", s, err)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Year() < minYear || d.Year() > maxYear {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
		for _, layout := range []string{"02.01.2006", "2006-01-02"} {
			if back, err := ParseDate(d.Format(layout)); err != nil || !back.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v; its %s form reads as %v, %v", s, d, layout, back, err)
			}
		}
	})
}

func FuzzRecognise(f *testing.F) {
	for _, s := range []string{
		"№ п/п|Фамилия|Имя|Отчество|Дата рождения (дд.мм.гггг)|СНИЛС обучающегося",
		"Ф.И.О.|Дата рожд.|Форма обуч.|Год окончания|Курс обучения|Телефон",
		"ФИО|ФИО|фио|(ФИО)||",
		"Код профессии/специальности|Код спец.|Спец.|Дата",
		"((|]]|{Имя}|Ё",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		header := strings.Split(s, "|")
		// One list per input keeps an execution short, which minimising needs.
		lists := [][]Field{LearnerFields, OrganisationFields, OutcomeFields}
		for _, fields := range lists[len(s)%3 : len(s)%3+1] {
			m, unknown := Recognise(header, fields)
			seen := map[int]string{}
			for _, fl := range fields {
				c := m.Col(fl.Key)
				if c < -1 || c >= len(header) {
					t.Fatalf("%s → column %d of %d", fl.Key, c, len(header))
				}
				if c < 0 {
					continue
				}
				if other, ok := seen[c]; ok {
					t.Fatalf("column %d given to %s and %s", c, other, fl.Key)
				}
				seen[c] = fl.Key
			}
			for _, u := range unknown {
				if _, ok := seen[u.Col]; ok || header[u.Col] != u.Title {
					t.Fatalf("unknown %+v is also mapped or misnamed", u)
				}
				seen[u.Col] = "?"
			}
			if err := m.Check(); err == nil && len(m.Missing()) > 0 {
				t.Fatal("Check passes with fields missing")
			}
			var back Mapping
			back, _ = Recognise(header, fields)
			if err := back.Parse(m.String()); err != nil || back.String() != m.String() {
				t.Fatalf("mapping %q reads back as %q, %v", m, back, err)
			}
		}
		for _, h := range header {
			if n := Normalise(h); Normalise(n) != n {
				t.Fatalf("Normalise not idempotent on %q: %q", h, n)
			}
		}
	})
}
