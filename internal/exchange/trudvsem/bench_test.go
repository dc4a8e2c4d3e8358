package trudvsem

import (
	"bytes"
	"fmt"
	"testing"

	"marshrut/internal/vacancy"
)

// apiEnvelope makes a response of /api/v1/vacancies with n vacancies shaped
// like real ones (about 1.3 KB each, with the fields Marshrut skips).
func apiEnvelope(n int) []byte {
	titles := []string{"Электрогазосварщик 5 разряда", "Медицинская сестра палатная", "Водитель автомобиля", "Программист 1С", "Повар"}
	regions := []string{"4100000000000", "7700000000000", "1600000000000", "6600000000000", "2500000000000"}
	var b bytes.Buffer
	b.Grow(n * 1400)
	fmt.Fprintf(&b, `{"status":"200","request":{"api":"v1"},"meta":{"total":%d,"limit":%d},"results":{"vacancies":[`, n, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"vacancy":{"id":"%08x-0000-11ee-8000-%012x","source":"Работодатель","region":{"region_code":"%s","name":"регион"},`+
			`"company":{"companycode":"1024101023099","hr-agency":false,"inn":"4101011782","kpp":"410101001","ogrn":"1024101023099","name":"ООО «Предприятие %d»","email":"hr@example.ru","phone":"+7(000)000-00-00","url":"https://trudvsem.ru/company/1024101023099","site":""},`+
			`"salary":"от %d","salary_min":%d,"salary_max":"%d","currency":"«руб.»","job-name":"%s","vac_url":"https://trudvsem.ru/vacancy/card/1024101023099/%08x",`+
			`"employment":"Полная занятость","schedule":"Полный рабочий день","duty":"<p>Выполнение работ по профессии согласно должностной инструкции;</p><ul><li>соблюдение техники безопасности</li><li>ведение отчётности</li></ul>",`+
			`"category":{"specialisation":"Рабочие специальности, производство"},"requirement":{"education":"Среднее профессиональное","qualification":"Опыт работы приветствуется","experience":%d},`+
			`"addresses":{"address":[{"location":"г Петропавловск-Камчатский, ул Ленинская, д. %d","lat":"53.0245","lng":"158.6433"}]},"social_protected":"Инвалиды",`+
			`"contact_list":[{"contact_type":"Телефон","contact_value":"+7 000 000-00-00"},{"contact_type":"Эл. почта","contact_value":"hr@example.ru"}],"contact_person":"Отдел кадров",`+
			`"work_places":%d,"code_profession":"19906","skills":["ответственность","пунктуальность"],"shift":[],"conditions":"Социальный пакет","creation-date":"2024-05-02","date_modify":"2024-06-01T09:30:00+0300"}}`,
			i, i, regions[i%len(regions)], i, 30000+i%50000, 30000+i%50000, 60000+i%50000, titles[i%len(titles)], i, i%5, i%100+1, i%3+1)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

// BenchmarkReadAPI parses a generated response of 100 000 vacancies:
// go test -run '^$' -bench ReadAPI -benchmem ./internal/exchange/trudvsem/
func BenchmarkReadAPI(b *testing.B) {
	const n = 100_000
	data := apiEnvelope(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		err := ReadAPI(bytes.NewReader(data), func(_ int, _ vacancy.Vacancy, err error) error {
			count++
			return err
		})
		if err != nil || count != n {
			b.Fatalf("%d vacancies, %v", count, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "vacancies/s")
}
