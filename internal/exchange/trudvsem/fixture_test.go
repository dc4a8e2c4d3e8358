package trudvsem

import (
	"errors"
	"os"
	"strings"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/vacancy"
)

const sharedDir = "/work/shared/data/trudvsem/"

// openShared opens a sample of the shared folder, skipping the test without it.
func openShared(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(sharedDir + name)
	if err != nil {
		t.Skipf("no shared sample %s (%v): the hand-written fixtures still run", name, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// apiFixture is a hand-written response of /api/v1/vacancies in the shape of
// public fixtures: numbers as strings, HTML in duty, two addresses, one
// vacancy without a region and one whose company is not an object.
const apiFixture = `{"status":"200","request":{"api":"v1"},"meta":{"total":4,"limit":100},
"results":{"vacancies":[
 {"vacancy":{"id":"a1b2c3d4-0000-11ee-8000-000000000001","source":"Работодатель","region":{"region_code":"4100000000000","name":"Камчатский край"},
  "company":{"companycode":"1024101023099","hr-agency":false,"inn":"4101011782","kpp":"410101001","ogrn":"1024101023099","name":"ООО «Камчатская верфь»","email":"hr@example.ru"},
  "salary":"от 60000 до 90000","salary_min":"60000","salary_max":90000.0,"currency":"«руб.»","job-name":"Электрогазосварщик 5 разряда",
  "vac_url":"https://trudvsem.ru/vacancy/card/1024101023099/a1b2c3d4-0000-11ee-8000-000000000001",
  "employment":"Полная занятость","schedule":"Сменный график","duty":"<p>Сварка трубопроводов&nbsp;и металлоконструкций;</p><ul><li>ручная дуговая сварка</li><li>резка</li></ul>",
  "category":{"specialisation":"Рабочие специальности, производство"},
  "requirement":{"education":"Среднее профессиональное","qualification":"Удостоверение сварщика НАКС","experience":3},
  "addresses":{"address":[{"location":"Камчатский край, г Петропавловск-Камчатский, ул Свердлова, д. 1","lat":"","lng":""},{"location":"ул Ленинская, д. 2","lat":"53.0245","lng":"158.6433"}]},
  "social_protected":"","contact_list":[{"contact_type":"Телефон","contact_value":"+7 000"}],"work_places":"2",
  "creation-date":"2024-05-02","date_modify":"2024-06-01T09:30:00+0300","skills":["сварка"],"shift":[]}},
 {"vacancy":{"id":"a1b2c3d4-0000-11ee-8000-000000000002","region":{},"company":{"name":"ИП Петров"},"job-name":"Продавец",
  "salary_min":30000,"salary_max":25000,"creation-date":"2024-05-03"}},
 {"vacancy":{"id":"a1b2c3d4-0000-11ee-8000-000000000003","company":"ООО Ромашка","job-name":"Повар"}},
 {"vacancy":{"id":"a1b2c3d4-0000-11ee-8000-000000000004","region":{"region_code":"1600000000000"},"company":{"name":"ГАУЗ «РКБ»","inn":1654002946},
  "job-name":"Медицинская сестра палатная","salary_min":null,"salary_max":"","category":{"specialisation":"Здравоохранение и социальное обеспечение"},
  "requirement":{"education":"Среднее профессиональное","experience":"0"},"creation-date":"2024-05-04","date_modify":"2024-05-04"}}
]}}`

// datasetRecord is a hand-written record of the open-data dataset.
const datasetRecord = `{"id":"b0000000-0000-11ee-8000-000000000001","vacancy_name":"Водитель автомобиля","state_region_code":"4100000000000",
"regionName":"Камчатский край","company":{"name":"МУП «Автобусный парк»","inn":"4101011782","ogrn":"1024101023099"},"company_code":"1024101023099",
"salary_min":55000,"salary_max":0,"busy_type":"Полная занятость","schedule_type":"Сменный график","education":"Среднее","required_experience":2,
"professionalSphereName":"Транспорт, автобизнес, логистика, склад, ВЭД","code_professional_sphere":"Transport",
"position_responsibilities":"Перевозка пассажиров по городским маршрутам.","position_requirements":"Категория D","additional_requirements":"",
"vacancy_address":"Камчатский край","vacancy_address_additional_info":"г Петропавловск-Камчатский, ул Вольского, д. 10","vacancy_address_code":"4100000100000",
"vacancy_address_latitude":53.05,"vacancy_address_longitude":158.65,"work_places":3,"date_create":"2024-04-01T08:00:00+1200",
"date_modify":"2024-05-01T08:00:00+1200","deleted":false,"vac_url":"https://trudvsem.ru/vacancy/card/1024101023099/b0000000-0000-11ee-8000-000000000001"}`

// badDatasetRecord has no title and an unknown region name.
const badDatasetRecord = `{"id":"b0000000-0000-11ee-8000-000000000002","regionName":"Атлантида","company":{"name":"ООО Тест"}}`

// csvFixture has the header of the shared sample in another order, a
// semicolon, a BOM and CRLF, and rows that are good and bad in known ways.
const csvFixture = "\ufeffname;url;company;region;salary_min;salary_max;currency;date;requirement;duty\r\n" +
	"Сварщик;https://trudvsem.ru/vacancy/card/1024101023099/c0000000-0000-11ee-8000-000000000001;\"ООО \"\"Верфь\"\"\";Камчатский край;50000;0;«руб.»;2024-05-02;Опыт от года;\"Сварка\r\nи резка\"\r\n" +
	"Повар;https://trudvsem.ru/vacancy/card/7226c750-02f1-11eb-8600-bfd13399602c/c0000000-0000-11ee-8000-000000000002;Кафе;Город Москва;;;;;;\r\n" +
	"Продавец;https://trudvsem.ru/vacancy/card/1024101023099/c0000000-0000-11ee-8000-000000000003;Магазин;Атлантида;40000;30000;«руб.»;;;\r\n" +
	"Лишний;столбец\r\n" +
	"Кассир;https://trudvsem.ru/vacancy/card/1024101023099/c0000000-0000-11ee-8000-000000000005;Магазин;Республика Татарстан (Татарстан);сорок;;;;;\r\n" +
	"Бухгалтер;https://trudvsem.ru/vacancy/card/1024101023099/c0000000-0000-11ee-8000-000000000006;Магазин;Удмуртская Республика;45000;45000;;;;\r\n"

// got is what a reader passed to its handler.
type got struct {
	ok    []vacancy.Vacancy
	errs  map[int]*RecordError
	ns    []int
	notes []*Note
}

func collect(t testing.TB, read func(Handler) error) (got, error) {
	t.Helper()
	g := got{errs: map[int]*RecordError{}}
	err := read(func(n int, v vacancy.Vacancy, err error) error {
		g.ns = append(g.ns, n)
		var note *Note
		if errors.As(err, &note) {
			g.notes = append(g.notes, note)
			err = nil
		}
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) || re.N != n || !apperr.Is(err, apperr.Invalid) {
				t.Errorf("record %d: error %T %v is not an Invalid *RecordError of that record", n, err, err)
			}
			g.errs[n] = re
			return nil
		}
		if err := v.Validate(); err != nil {
			t.Errorf("record %d was passed as valid but: %v", n, err)
		}
		g.ok = append(g.ok, v)
		return nil
	})
	for i, n := range g.ns {
		if n != i+1 {
			t.Errorf("record numbers %v do not count from 1", g.ns)
			break
		}
	}
	return g, err
}

func wantFatal(t *testing.T, err error, parts ...string) {
	t.Helper()
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("got %v, want an Invalid error", err)
	}
	for _, p := range parts {
		if !strings.Contains(apperr.Message(err), p) {
			t.Errorf("message %q lacks %q", apperr.Message(err), p)
		}
	}
}
