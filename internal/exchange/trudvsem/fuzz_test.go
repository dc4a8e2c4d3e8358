package trudvsem

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/vacancy"
)

// fuzzRead checks what must hold for any input: no panic; records numbered
// from 1 in order; a refused record comes as a *RecordError, an accepted one
// is valid and stays the same when validated again; the reading ends with nil
// or an Invalid error with a Russian message.
func fuzzRead(t *testing.T, data []byte, read func(*bytes.Reader, Handler) error) {
	next := 1
	err := read(bytes.NewReader(data), func(n int, v vacancy.Vacancy, err error) error {
		if n != next {
			t.Fatalf("record %d after %d", n, next-1)
		}
		next++
		var note *Note
		if errors.As(err, &note) {
			if note.N != n || note.Reason == "" || v.EmployerINN != "" {
				t.Fatalf("record %d: note %+v on %+v", n, note, v)
			}
			err = nil
		}
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) || !apperr.Is(err, apperr.Invalid) || re.Error() == "" {
				t.Fatalf("record %d: %T %v", n, err, err)
			}
			return nil
		}
		if f := badText(v); f != "" {
			t.Fatalf("record %d accepted with %s not clean UTF-8 text: %+v", n, f, v)
		}
		again := v
		if err := again.Validate(); err != nil {
			t.Fatalf("record %d accepted but invalid: %v", n, err)
		}
		if again != v {
			t.Fatalf("record %d changes when validated again:\n%+v\n%+v", n, v, again)
		}
		return nil
	})
	if err != nil && (!apperr.Is(err, apperr.Invalid) || apperr.Message(err) == "") {
		t.Fatalf("reading ended with %T %v", err, err)
	}
}

// badText names a text field of v that a database would refuse or a page
// would show badly: invalid UTF-8, NUL or other control characters.
func badText(v vacancy.Vacancy) string {
	for name, s := range map[string]string{
		"id": v.ID, "region_code": v.RegionCode, "kladr_code": v.KladrCode, "employer_name": v.EmployerName,
		"employer_inn": v.EmployerINN, "employer_ogrn": v.EmployerOGRN, "title": v.Title, "specialisation": v.Specialisation,
		"currency": v.Currency, "schedule": v.Schedule, "employment": v.Employment, "education": string(v.Education),
		"experience": v.Experience, "duty": v.Duty, "requirements": v.Requirements, "address": v.Address, "url": v.URL,
	} {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
			return name
		}
	}
	return ""
}

func addShared(f *testing.F, name string) {
	if b, err := os.ReadFile(sharedDir + name); err == nil {
		f.Add(b)
	}
}

func FuzzReadAPI(f *testing.F) {
	f.Add([]byte(apiFixture))
	f.Add([]byte(`{"status":"200","results":{"vacancies":[{"vacancy":{"id":"1","region":{"region_code":"4100000000000"},"company":{"name":"A"},"job-name":"B","salary_min":"1e3","salary_max":"-5"}}]}}`))
	f.Add([]byte(`{"results":{"vacancies":[{"vacancy":{"id":"x","duty":"<p>a</p><br><li>b&amp;c</li>","addresses":{"address":[{"lat":"91","lng":"x"}]}}}]}}`))
	f.Add([]byte(`{"results":{"vacancies":[1,"a",null,[],{}]}}`))
	f.Add([]byte(`{"results":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, func(r *bytes.Reader, h Handler) error { return ReadAPI(r, h) })
	})
}

func FuzzReadDataset(f *testing.F) {
	f.Add([]byte(`{"vacancies":[` + datasetRecord + `,` + badDatasetRecord + `]}`))
	f.Add([]byte("[" + datasetRecord + "]"))
	f.Add([]byte(badDatasetRecord + "\n" + datasetRecord + "\n"))
	f.Add([]byte(`{"meta":1,"vacancies":null}`))
	addShared(f, "opendata_dataset_vacancy_sample.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, func(r *bytes.Reader, h Handler) error { return ReadDataset(r, h) })
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(csvFixture))
	f.Add([]byte("name,company,region,url\nA,B,Камчатский край,https://trudvsem.ru/vacancy/card/1/2\n\"x\"y,\"\n"))
	f.Add([]byte("name;company;region;url;date\nA;B;41;http://a/vacancy/card/1024101023099/z;31.12.2023\n"))
	addShared(f, "trudvsem_vacancies_sample.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, func(r *bytes.Reader, h Handler) error { return ReadCSV(r, h) })
	})
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte(apiFixture[:200]), "a.json")
	f.Add([]byte(csvFixture[:100]), "a.csv")
	f.Add([]byte(`{"a":"\"}`), "")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		if _, err := Detect(data, name); err != nil && !apperr.Is(err, apperr.Invalid) {
			t.Fatal(err)
		}
	})
}
