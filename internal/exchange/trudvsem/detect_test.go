package trudvsem

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		prefix, name string
		want         Format
	}{
		{apiFixture, "vacancies.json", API},
		{`{"meta":{"total":1},"results":`, "x", API},
		{`  {"results":{"vacancies":[`, "", API},
		{`{"vacancies":[{"id":"1"`, "opendata.json", Dataset},
		{"[\n {\"id\":", "data.json", Dataset},
		{datasetRecord[:200], "vacancy.jsonl", Dataset},
		{`{"id":"1","vacancy_name":"Повар"}` + "\n", "x.txt", Dataset},
		{csvFixture, "export.csv", CSV},
		{"name,company,region,salary_min,salary_max,currency,date,url,requirement,duty\r\nАналитик", "sample", CSV},
		{"\ufeffname;company;region;url\n", "", CSV},
	}
	for _, tt := range tests {
		got, err := Detect([]byte(tt.prefix), tt.name)
		if err != nil || got != tt.want {
			t.Errorf("Detect(%.40q, %q) = %q, %v; want %q", tt.prefix, tt.name, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ prefix, name, want string }{
		{"", "empty.json", "файл пуст"},
		{"title;employer\n", "x.csv", "в первой строке нет заголовков"},
		{"PK\x03\x04", "book.xlsx", "не похож ни на JSON, ни на CSV"},
		{`{"`, "x.json", "объект JSON без узнаваемых полей"},
	} {
		_, err := Detect([]byte(tt.prefix), tt.name)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "не удалось определить формат файла") {
			t.Errorf("Detect(%q, %q): %v, want %q", tt.prefix, tt.name, err, tt.want)
		}
	}
}
