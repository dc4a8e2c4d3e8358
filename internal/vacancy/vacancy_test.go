package vacancy

import (
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// valid is a vacancy of the open-data sample, as the importer makes it.
func valid() Vacancy {
	return Vacancy{
		ID: "66ee0782-a01e-11ea-94f4-bf2cfe8c828d", Source: Trudvsem, RegionCode: "71", KladrCode: "7100000000000",
		EmployerName: `ООО "ЗЕРНОПРОДУКТ"`, EmployerINN: "7113067263", EmployerOGRN: "1077142000650",
		Title: "Аппаратчик 5 разряда", Specialisation: "Производство", SalaryMin: 23000, Currency: "«руб.»",
		Schedule: "Полный рабочий день", Employment: "Полная занятость", Education: EduSPO, Experience: "1",
		Duty: "  Выполнение отдельных технологических операций процесса  брожения и перегонки. ",
		Lat:  54.221637, Lon: 37.689833, WorkPlaces: 2,
		CreatedAt: day(2022, 2, 20), ModifiedAt: day(2024, 3, 6),
		URL: "https://trudvsem.ru/vacancy/card/1077142000650/66ee0782-a01e-11ea-94f4-bf2cfe8c828d",
	}
}

func TestValidate(t *testing.T) {
	v := valid()
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if v.Currency != "RUB" || v.Duty != "Выполнение отдельных технологических операций процесса брожения и перегонки." {
		t.Errorf("not normalised: currency %q, duty %q", v.Currency, v.Duty)
	}
	tests := []struct {
		name   string
		change func(*Vacancy)
		want   string
	}{
		{"no id", func(v *Vacancy) { v.ID = " " }, "id: не указан идентификатор вакансии"},
		{"space in id", func(v *Vacancy) { v.ID = "a b" }, "содержит пробелы"},
		{"source", func(v *Vacancy) { v.Source = "hh" }, "source: источник вакансии должен быть trudvsem или manual"},
		{"region", func(v *Vacancy) { v.RegionCode = "7" }, "region_code: код региона «7»"},
		{"kladr shape", func(v *Vacancy) { v.KladrCode = "71000" }, "kladr_code: код КЛАДР «71000» должен состоять из 13, 17 или 19 цифр"},
		{"kladr region", func(v *Vacancy) { v.KladrCode = "4100000000000" }, "относится к региону 41, а вакансия — к региону 71"},
		{"employer", func(v *Vacancy) { v.EmployerName = "" }, "employer_name: не указан работодатель"},
		{"inn", func(v *Vacancy) { v.EmployerINN = "7113067264" }, "employer_inn: ИНН «7113067264» не проходит проверку"},
		{"ogrn", func(v *Vacancy) { v.EmployerOGRN = "12345" }, "employer_ogrn: ОГРН «12345» должен состоять из 13 цифр"},
		{"title", func(v *Vacancy) { v.Title = "\t" }, "title: не указано название вакансии"},
		{"negative salary", func(v *Vacancy) { v.SalaryMin = -1 }, "salary_min: зарплата «от» -1 вне допустимых пределов"},
		{"max below min", func(v *Vacancy) { v.SalaryMax = 20000 }, "salary_max: зарплата «до» 20000 меньше зарплаты «от» 23000"},
		{"currency", func(v *Vacancy) { v.Currency = "рупии" }, "currency: валюта «РУПИИ»"},
		{"education", func(v *Vacancy) { v.Education = "phd" }, "education: требование к образованию «phd» не из списка"},
		{"coordinates", func(v *Vacancy) { v.Lat = 91 }, "coordinates: координаты вне допустимых пределов"},
		{"work places", func(v *Vacancy) { v.WorkPlaces = -3 }, "work_places: число рабочих мест -3"},
		{"url", func(v *Vacancy) { v.URL = "trudvsem.ru/vacancy" }, "url: адрес вакансии «trudvsem.ru/vacancy» должен быть ссылкой http или https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := valid()
			tt.change(&v)
			err := v.Validate()
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("got %v, want a message with %q", err, tt.want)
			}
		})
	}
	// Every fault at once.
	v = Vacancy{}
	err := v.Validate()
	for _, f := range []string{"id:", "source:", "region_code:", "employer_name:", "title:"} {
		if !strings.Contains(apperr.Message(err), f) {
			t.Errorf("empty vacancy: %q lacks %s", apperr.Message(err), f)
		}
	}
	if v.WorkPlaces != 1 || v.Education != EduNone || v.Currency != "RUB" {
		t.Errorf("defaults not set: %+v", v)
	}
}

func TestValidateCutsLongText(t *testing.T) {
	v := valid()
	v.Duty = strings.Repeat("сварка металла ", 2000)
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(v.Duty)); n > maxText || !strings.HasSuffix(v.Duty, "…") {
		t.Errorf("duty of %d runes, ends %q", n, v.Duty[len(v.Duty)-10:])
	}
}

func TestParseEducation(t *testing.T) {
	for in, want := range map[string]Education{
		"Среднее профессиональное": EduSPO, "Начальное профессиональное": EduSPO, "СПО": EduSPO,
		"Высшее": EduHigher, "высшее (бакалавриат)": EduHigher, "Незаконченное высшее": EduIncompleteHigher,
		"Среднее": EduGeneral, "Среднее общее": EduGeneral, "Основное общее": EduGeneral,
		"Не указано": EduNone, "": EduNone, "Неважно": EduNone, "spo": EduSPO,
	} {
		if got, ok := ParseEducation(in); !ok || got != want {
			t.Errorf("ParseEducation(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseEducation("курсы кройки"); ok {
		t.Error("unknown education accepted")
	}
}

func TestNormaliseCurrency(t *testing.T) {
	for in, want := range map[string]string{"«руб.»": "RUB", "руб.": "RUB", "": "RUB", "RUR": "RUB", "usd": "USD", "€": "EUR", "kzt": "KZT"} {
		if got := NormaliseCurrency(in); got != want {
			t.Errorf("NormaliseCurrency(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	in := "  Обязанности:\r\n\r\n\r\n  - сварка   металла\x00;\n\t- зачистка швов \n\n"
	want := "Обязанности:\n\n- сварка металла;\n- зачистка швов"
	if got := CleanText(in); got != want {
		t.Errorf("CleanText = %q, want %q", got, want)
	}
}

func TestExperienceYears(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "3": 3, " 1 ": 1} {
		if n, ok := (Vacancy{Experience: in}).ExperienceYears(); !ok || n != want {
			t.Errorf("ExperienceYears(%q) = %d, %v", in, n, ok)
		}
	}
	if _, ok := (Vacancy{Experience: "без опыта"}).ExperienceYears(); ok {
		t.Error("text read as years")
	}
}

func TestMerge(t *testing.T) {
	old := valid()
	newer := old
	newer.ModifiedAt = old.ModifiedAt.Add(time.Hour)
	newer.SalaryMin = 30000
	undated := old
	undated.ModifiedAt, undated.CreatedAt = time.Time{}, time.Time{}
	undated.SalaryMin = 1
	other := newer
	other.ID = "another"
	sameInstant := old
	sameInstant.ModifiedAt = old.ModifiedAt.In(time.FixedZone("MSK", 3*3600))

	tests := []struct {
		name        string
		old, in     Vacancy
		wantChanged bool
		wantSalary  int
	}{
		{"newer replaces", old, newer, true, 30000},
		{"older stays", newer, old, false, 30000},
		{"same date stays", old, func() Vacancy { v := old; v.SalaryMin = 5; return v }(), false, 23000},
		{"same record, other zone", old, sameInstant, false, 23000},
		{"undated never replaces dated", old, undated, false, 23000},
		{"dated replaces undated", undated, old, true, 23000},
		{"undated replaces undated", func() Vacancy { v := undated; v.SalaryMin = 7; return v }(), undated, true, 1},
		{"undated, equal content", undated, undated, false, 1},
		{"other id ignored", old, other, false, 23000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := Merge(tt.old, tt.in)
			if changed != tt.wantChanged || got.SalaryMin != tt.wantSalary {
				t.Errorf("Merge = salary %d, changed %v; want %d, %v", got.SalaryMin, changed, tt.wantSalary, tt.wantChanged)
			}
		})
	}
	// A creation date the newer version lacks is kept.
	in := newer
	in.CreatedAt = time.Time{}
	if got, _ := Merge(old, in); !got.CreatedAt.Equal(old.CreatedAt) {
		t.Errorf("created %v, want %v", got.CreatedAt, old.CreatedAt)
	}
}

func TestLinkValidate(t *testing.T) {
	ok := Link{VacancyID: "v1", SpecialtyCode: "22.02.06", GroupCode: "22.00.00", Kind: ByTitle, Score: 0.7, Reason: "совпадает основа слова"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	group := Link{VacancyID: "v1", GroupCode: "23.00.00", Kind: BySphere, Score: 0.6, Reason: "сфера"}
	if err := group.Validate(); err != nil || group.Code() != "23.00.00" {
		t.Fatal(err, group.Code())
	}
	for name, tt := range map[string]struct {
		change func(*Link)
		want   string
	}{
		"no vacancy":    {func(l *Link) { l.VacancyID = "" }, "vacancy_id: не указана вакансия"},
		"group shape":   {func(l *Link) { l.GroupCode = "22.02.06" }, "group_code: код УГС «22.02.06»"},
		"foreign group": {func(l *Link) { l.GroupCode = "23.00.00" }, "специальность 22.02.06 не входит в УГС 23.00.00"},
		"specialty":     {func(l *Link) { l.SpecialtyCode = "22.2.6" }, "specialty_code: код специальности «22.2.6»"},
		"kind":          {func(l *Link) { l.Kind = "magic" }, "kind: основание связи"},
		"score":         {func(l *Link) { l.Score = 1.5 }, "score: оценка связи 1.5 должна быть от 0 до 1"},
		"reason":        {func(l *Link) { l.Reason = " " }, "reason: не указано обоснование связи"},
	} {
		l := ok
		tt.change(&l)
		if err := l.Validate(); !strings.Contains(apperr.Message(err), tt.want) {
			t.Errorf("%s: got %v, want %q", name, err, tt.want)
		}
	}
}
