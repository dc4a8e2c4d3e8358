package trudvsem

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/vacancy"
)

func TestReadAPI(t *testing.T) {
	g, err := collect(t, func(h Handler) error { return ReadAPI(strings.NewReader(apiFixture), h) })
	if err != nil {
		t.Fatal(err)
	}
	if len(g.ns) != 4 || len(g.ok) != 2 || len(g.errs) != 2 {
		t.Fatalf("%d records, %d good, %d bad; want 4, 2, 2", len(g.ns), len(g.ok), len(g.errs))
	}
	v := g.ok[0]
	want := vacancy.Vacancy{
		ID: "a1b2c3d4-0000-11ee-8000-000000000001", Source: vacancy.Trudvsem, RegionCode: "41", KladrCode: "4100000000000",
		EmployerName: "ООО «Камчатская верфь»", EmployerINN: "4101011782", EmployerOGRN: "1024101023099",
		Title: "Электрогазосварщик 5 разряда", Specialisation: "Рабочие специальности, производство",
		SalaryMin: 60000, SalaryMax: 90000, Currency: "RUB", Schedule: "Сменный график", Employment: "Полная занятость",
		Education: vacancy.EduSPO, Experience: "3",
		Duty:         "Сварка трубопроводов и металлоконструкций;\nручная дуговая сварка\nрезка",
		Requirements: "Удостоверение сварщика НАКС",
		// The first address with coordinates, so that the two agree.
		Address: "ул Ленинская, д. 2", Lat: 53.0245, Lon: 158.6433,
		WorkPlaces: 2, CreatedAt: time.Date(2024, 5, 1, 21, 0, 0, 0, time.UTC), ModifiedAt: time.Date(2024, 6, 1, 6, 30, 0, 0, time.UTC),
		URL: "https://trudvsem.ru/vacancy/card/1024101023099/a1b2c3d4-0000-11ee-8000-000000000001",
	}
	if v != want {
		t.Errorf("vacancy 1:\n got %+v\nwant %+v", v, want)
	}
	// Numbers given as a number, null and "": INN as a number, salary unset.
	if v := g.ok[1]; v.RegionCode != "16" || v.EmployerINN != "1654002946" || v.SalaryMin != 0 || v.SalaryMax != 0 || v.Experience != "0" {
		t.Errorf("vacancy 4: %+v", v)
	}
	for n, parts := range map[int][]string{
		2: {"запись 2 (вакансия a1b2c3d4-0000-11ee-8000-000000000002)", "region.region_code: не указан регион", "salary_max: зарплата «до» 25000 меньше зарплаты «от» 30000"},
		3: {"запись 3 (вакансия a1b2c3d4-0000-11ee-8000-000000000003)", "company: ожидается объект, а в файле строка"},
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

func TestReadAPIEmpty(t *testing.T) {
	for _, in := range []string{
		`{"status":"200","meta":{"total":0},"results":{}}`,
		`{"status":"200","results":null}`,
		`{"results":{"vacancies":[]}}`,
		`{"results":{"vacancies":null}}`,
		"\n{\"status\":200,\"results\":{\"vacancies\":[]}}\n\n",
	} {
		g, err := collect(t, func(h Handler) error { return ReadAPI(strings.NewReader(in), h) })
		if err != nil || len(g.ns) != 0 {
			t.Errorf("%s: %d records, %v", in, len(g.ns), err)
		}
	}
}

func TestReadAPIBroken(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", ``, "файл пуст"},
		{"not json", `name,company`, "ошибка синтаксиса JSON на байте"},
		{"array", `[{"vacancy":{}}]`, "ожидается объект JSON «{», а в файле начало массива «[»"},
		{"no results", `{"status":"200","meta":{}}`, "в объекте нет поля results"},
		{"status", `{"status":"400","results":{}}`, "сервис вернул статус «400»"},
		{"results not object", `{"results":[1]}`, "поле results должно быть объектом"},
		{"vacancies not array", `{"results":{"vacancies":{"vacancy":{}}}}`, "поле results.vacancies должно быть массивом"},
		{"truncated", apiFixture[:len(apiFixture)/2], "файл обрывается на байте"},
		{"syntax in a record", `{"results":{"vacancies":[{"vacancy":{"id":"x",}}]}}`, "ошибка синтаксиса JSON"},
		{"trailing data", `{"results":{}} {"results":{}}`, "после данных на байте"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadAPI(strings.NewReader(tt.in), func(int, vacancy.Vacancy, error) error { return nil })
			wantFatal(t, err, "файл не является ответом API «Работы России»: ", tt.want)
		})
	}
}

func TestReadAPIStops(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := ReadAPI(strings.NewReader(apiFixture), func(int, vacancy.Vacancy, error) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("got %v after %d calls, want the handler's error after 1", err, calls)
	}
}

type failingReader struct{ r io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p[:min(len(p), 100)])
	if err == io.EOF {
		return n, errors.New("connection reset")
	}
	return n, err
}

// A failure of the reader is not a fault of the file: it comes back wrapped,
// as an internal error.
func TestReadAPIReaderFails(t *testing.T) {
	err := ReadAPI(failingReader{strings.NewReader(apiFixture[:300])}, func(int, vacancy.Vacancy, error) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "connection reset") || apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("got %v", err)
	}
}
