package trudvsem

import (
	"strings"
	"testing"

	"marshrut/internal/vacancy"
)

// TestReadCSVSample reads the 88 real vacancies of the shared sample.
func TestReadCSVSample(t *testing.T) {
	f := openShared(t, "trudvsem_vacancies_sample.csv")
	g, err := collect(t, func(h Handler) error { return ReadCSV(f, h) })
	if err != nil {
		t.Fatal(err)
	}
	if len(g.ok) != 88 || len(g.errs) != 0 {
		t.Fatalf("%d good, %d bad records, want 88 and 0: %v", len(g.ok), len(g.errs), g.errs)
	}
	regions := map[string]bool{}
	for _, v := range g.ok {
		regions[v.RegionCode] = true
		if v.SalaryMax != 0 && v.SalaryMax < v.SalaryMin {
			t.Errorf("%s: salary %d–%d", v.ID, v.SalaryMin, v.SalaryMax)
		}
	}
	if len(regions) != 32 {
		t.Errorf("%d regions, the sample has 32", len(regions))
	}
	tests := []struct {
		n                int
		id, ogrn, region string
		min, max         int
		title            string
	}{
		{1, "511c3618-698b-11f1-b58e-dd53c9fce633", "1217700010440", "50", 75000, 200000, "Аналитик данных"},
		{4, "9b99c384-ab8d-11f1-b16a-e32211fe5c46", "5147746474134", "63", 121350, 0, "Аналитик данных"},      // salary_max 0: no upper bound
		{3, "1173adb8-9bac-11f1-a6b4-b9457f95c409", "1247800130082", "78", 110000, 120000, "Аналитик данных"}, // «Город Санкт-Петербург»
	}
	for _, tt := range tests {
		v := g.ok[tt.n-1]
		if v.ID != tt.id || v.EmployerOGRN != tt.ogrn || v.RegionCode != tt.region || v.SalaryMin != tt.min || v.SalaryMax != tt.max || v.Title != tt.title || v.Currency != "RUB" {
			t.Errorf("row %d: %+v", tt.n, v)
		}
	}
	byRegion := map[string]int{}
	for _, v := range g.ok {
		byRegion[v.RegionCode]++
	}
	if byRegion["77"] != 17 || byRegion["16"] != 2 || byRegion["18"] != 3 {
		t.Errorf("Москва %d (17), Татарстан %d (2), Удмуртия %d (3)", byRegion["77"], byRegion["16"], byRegion["18"])
	}
}

func TestReadCSV(t *testing.T) {
	g, err := collect(t, func(h Handler) error { return ReadCSV(strings.NewReader(csvFixture), h) })
	if err != nil {
		t.Fatal(err)
	}
	// Line numbers count the line break inside the quoted duty of row 1.
	if len(g.ns) != 6 || len(g.ok) != 3 {
		t.Fatalf("%d records, %d good: %v", len(g.ns), len(g.ok), g.errs)
	}
	v := g.ok[0]
	if v.ID != "c0000000-0000-11ee-8000-000000000001" || v.EmployerOGRN != "1024101023099" || v.EmployerName != `ООО "Верфь"` ||
		v.RegionCode != "41" || v.SalaryMin != 50000 || v.SalaryMax != 0 || v.Duty != "Сварка\nи резка" || v.Requirements != "Опыт от года" ||
		v.CreatedAt.IsZero() || !v.ModifiedAt.IsZero() {
		t.Errorf("row 1: %+v", v)
	}
	// A company code that is not an ОГРН (a UUID) is not taken for one.
	if v := g.ok[1]; v.EmployerOGRN != "" || v.RegionCode != "77" {
		t.Errorf("row 2: %+v", v)
	}
	for n, parts := range map[int][]string{
		3: {"строка 5 (вакансия c0000000-0000-11ee-8000-000000000003)", "region: регион «Атлантида» не найден в справочнике субъектов РФ; salary_max: зарплата «до» 30000 меньше"},
		4: {"строка 6: в строке 2 полей, а в заголовке 10"},
		5: {"строка 7", "salary_min: «сорок» не является числом"},
	} {
		e := g.errs[n]
		if e == nil {
			t.Errorf("record %d not refused", n)
			continue
		}
		for _, p := range parts {
			if !strings.Contains(e.Error(), p) {
				t.Errorf("record %d: %q lacks %q", n, e.Error(), p)
			}
		}
	}
}

func TestReadCSVQuotes(t *testing.T) {
	in := "name,company,region,url\n" +
		"Сварщик,ООО \"Верфь,Камчатский край,https://trudvsem.ru/vacancy/card/1024101023099/d1\n" +
		"Повар,Кафе,Камчатский край,https://trudvsem.ru/vacancy/card/1024101023099/d2\n" +
		"Кассир,\"Магазин,Камчатский край,https://trudvsem.ru/vacancy/card/1024101023099/d3\n"
	g, err := collect(t, func(h Handler) error { return ReadCSV(strings.NewReader(in), h) })
	if err != nil {
		t.Fatal(err)
	}
	if len(g.ok) != 1 || g.ok[0].ID != "d2" {
		t.Fatalf("good records %+v", g.ok)
	}
	if e := g.errs[1]; e == nil || !strings.Contains(e.Error(), "строка 2: кавычка внутри поля 2") {
		t.Errorf("record 1: %v", e)
	}
	if e := g.errs[3]; e == nil || !strings.Contains(e.Error(), "незакрытая кавычка") {
		t.Errorf("record 3: %v", e)
	}
}

func TestReadCSVBroken(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "файл пуст"},
		{"no columns", "title,employer,place\nСварщик,Верфь,Камчатка\n", "в заголовке нет столбцов name, company, region, url"},
		{"json", `{"results":{}}`, "в заголовке нет столбцов"},
		{"some columns", "name,company,salary_min\n", "в заголовке нет столбцов region, url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadCSV(strings.NewReader(tt.in), func(int, vacancy.Vacancy, error) error { return nil })
			wantFatal(t, err, "файл не является выгрузкой вакансий «Работы России» в CSV: ", tt.want)
		})
	}
}
