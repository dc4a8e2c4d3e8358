package trudvsem

import (
	"strings"
	"testing"
	"time"

	"marshrut/internal/vacancy"
)

// TestReadDatasetSample reads the one real record of the open-data dataset.
func TestReadDatasetSample(t *testing.T) {
	f := openShared(t, "opendata_dataset_vacancy_sample.json")
	g, err := collect(t, func(h Handler) error { return ReadDataset(f, h) })
	if err != nil {
		t.Fatal(err)
	}
	if len(g.ok) != 1 || len(g.errs) != 0 {
		t.Fatalf("%d good, %d bad records, want 1 and 0: %v", len(g.ok), len(g.errs), g.errs)
	}
	v := g.ok[0]
	msk := time.FixedZone("", 3*3600)
	for _, c := range []struct {
		field     string
		got, want any
	}{
		{"id", v.ID, "66ee0782-a01e-11ea-94f4-bf2cfe8c828d"},
		{"region", v.RegionCode, "71"},
		{"kladr", v.KladrCode, "7100000000000"},
		{"employer", v.EmployerName, `ООО "ЗЕРНОПРОДУКТ"`},
		{"inn", v.EmployerINN, "7113067263"},
		{"ogrn", v.EmployerOGRN, "1077142000650"},
		{"title", v.Title, "Аппаратчик 5 разряда"},
		{"sphere", v.Specialisation, "Производство"},
		{"salary", [2]int{v.SalaryMin, v.SalaryMax}, [2]int{23000, 0}},
		{"currency", v.Currency, "RUB"},
		{"schedule", v.Schedule, "Полный рабочий день"},
		{"employment", v.Employment, "Полная занятость"},
		{"education", v.Education, vacancy.EduSPO},
		{"experience", v.Experience, "1"},
		{"duty", v.Duty, "Выполнение отдельных технологических операций процесса брожения и перегонки."},
		{"address", v.Address, "301840, г Ефремов, р-н Ефремовский, ул Московская Застава, д. 1"},
		{"location", [2]float64{v.Lat, v.Lon}, [2]float64{54.221637, 37.689833}},
		{"work places", v.WorkPlaces, 2},
		{"created", v.CreatedAt.Equal(time.Date(2022, 2, 20, 4, 40, 38, 0, msk)), true},
		{"modified", v.ModifiedAt.Equal(time.Date(2024, 3, 6, 10, 16, 2, 0, msk)), true},
		{"closed", v.Closed, false},
		{"url", v.URL, "https://trudvsem.ru/vacancy/card/1077142000650/66ee0782-a01e-11ea-94f4-bf2cfe8c828d"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}
	// <br/> of additional_requirements becomes a line break.
	if !strings.Contains(v.Requirements, "Технология бродильных производств.\n\nКвотируемое рабочее место\nдля трудоустройства инвалидов") {
		t.Errorf("requirements %q", v.Requirements)
	}
}

// The dataset is found as {"vacancies":[…]}, as a bare array, and as JSON
// Lines; all three read alike.
func TestReadDatasetForms(t *testing.T) {
	forms := map[string]string{
		"object":     `{"meta":{"date":"2024-05-01"},"vacancies":[` + datasetRecord + `,` + badDatasetRecord + `]}`,
		"array":      "\ufeff [\n" + datasetRecord + ",\n" + badDatasetRecord + "\n]\n",
		"JSON Lines": strings.ReplaceAll(datasetRecord, "\n", "") + "\n" + badDatasetRecord + "\n",
	}
	for name, in := range forms {
		t.Run(name, func(t *testing.T) {
			g, err := collect(t, func(h Handler) error { return ReadDataset(strings.NewReader(in), h) })
			if err != nil {
				t.Fatal(err)
			}
			if len(g.ok) != 1 || len(g.errs) != 1 {
				t.Fatalf("%d good, %d bad", len(g.ok), len(g.errs))
			}
			v := g.ok[0]
			if v.RegionCode != "41" || v.KladrCode != "4100000100000" || v.Title != "Водитель автомобиля" ||
				v.SalaryMin != 55000 || v.SalaryMax != 0 || v.Education != vacancy.EduGeneral || v.WorkPlaces != 3 ||
				v.Specialisation != "Транспорт, автобизнес, логистика, склад, ВЭД" || v.Address != "г Петропавловск-Камчатский, ул Вольского, д. 10" ||
				!v.ModifiedAt.Equal(time.Date(2024, 4, 30, 20, 0, 0, 0, time.UTC)) {
				t.Errorf("%+v", v)
			}
			e := g.errs[2].Error()
			for _, p := range []string{"запись 2 (вакансия b0000000-0000-11ee-8000-000000000002)", "regionName: регион «Атлантида» не найден", "title: не указано название вакансии"} {
				if !strings.Contains(e, p) {
					t.Errorf("%q lacks %q", e, p)
				}
			}
		})
	}
}

func TestReadDatasetOddRecords(t *testing.T) {
	in := `[5, {"id":"x1","vacancy_name":"Повар","state_region_code":"7700000000000","company":{"name":"Кафе"},"vacancy_address_latitude":"north"},
	{"id":"x2","vacancy_name":"Повар","regionName":"г Москва","company":{"name":"Кафе"},"work_places":1.5,"date_modify":"вчера","deleted":true}]`
	g, err := collect(t, func(h Handler) error { return ReadDataset(strings.NewReader(in), h) })
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{
		1: "запись 1: запись должна быть объектом JSON, а в файле число",
		2: "vacancy_address_latitude: «north» не является числом",
		3: "work_places: число рабочих мест «1.5» должно быть целым",
	} {
		if e := g.errs[n]; e == nil || !strings.Contains(e.Error(), want) {
			t.Errorf("record %d: %v, want %q", n, e, want)
		}
	}
	if e := g.errs[3]; e == nil || !strings.Contains(e.Error(), "date_modify: дата «вчера»") {
		t.Errorf("record 3: %v", e)
	}
}

func TestReadDatasetBroken(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", " \n ", "файл пуст"},
		{"csv", "name,company,region\n", "ожидается JSON"},
		{"vacancies not array", `{"vacancies":{"id":1}}`, "поле vacancies должно быть массивом"},
		{"truncated array", "[" + datasetRecord, "где ожидается конец массива вакансий: вероятно, он загружен не полностью"},
		{"truncated lines", datasetRecord[:100], "файл обрывается на байте"},
		{"garbage after", "[]]", "ошибка синтаксиса JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadDataset(strings.NewReader(tt.in), func(int, vacancy.Vacancy, error) error { return nil })
			wantFatal(t, err, "файл не является набором открытых данных «Работы России» о вакансиях: ", tt.want)
		})
	}
}
