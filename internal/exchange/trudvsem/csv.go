package trudvsem

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/vacancy"
)

// csvRequired are the columns a flattened CSV of «Работа России» vacancies
// must have; csvOptional those it may have. Other columns are ignored.
var (
	csvRequired = []string{"name", "company", "region", "url"}
	csvOptional = []string{"salary_min", "salary_max", "currency", "date", "requirement", "duty"}
)

// splitHeader splits the header line by the separator it uses (comma, or
// semicolon as spreadsheets in Russian write it).
func splitHeader(line string) []string {
	sep := ","
	if strings.Count(line, ";") > strings.Count(line, ",") {
		sep = ";"
	}
	f := strings.Split(line, sep)
	for i := range f {
		f[i] = strings.ToLower(strings.Trim(strings.TrimSpace(f[i]), `"`))
	}
	return f
}

// csvColumns maps each known column to its index in the header.
func csvColumns(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[h]; !dup {
			cols[h] = i
		}
	}
	var missing []string
	for _, c := range csvRequired {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("в заголовке нет столбцов %s (ожидаются %s, %s)",
			strings.Join(missing, ", "), strings.Join(csvRequired, ", "), strings.Join(csvOptional, ", "))
	}
	return cols, nil
}

// ReadCSV reads the flattened CSV that public scripts make of the API of
// «Работа России», with the header
// name,company,region,salary_min,salary_max,currency,date,url,requirement,duty
// (the columns may come in any order; comma or semicolon). The vacancy id and
// the employer's ОГРН are taken from url, …/vacancy/card/<ОГРН>/<id>; the region
// is a name («Город Москва», «Республика Татарстан (Татарстан)») or a code.
// Errors of a record name its line in the file.
func ReadCSV(r io.Reader, fn Handler) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	first, err := br.Peek(DetectSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fmt.Errorf("trudvsem: reading %s: %w", CSV, err)
	}
	if i := bytes.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	if len(bytes.TrimSpace(first)) == 0 {
		return notFormat(CSV, nil, "файл пуст")
	}
	if _, err := csvColumns(splitHeader(string(first))); err != nil {
		return notFormat(CSV, nil, "%s", err.Error())
	}
	cr := csv.NewReader(br)
	if strings.Count(string(first), ";") > strings.Count(string(first), ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return notFormat(CSV, nil, "файл пуст")
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return notFormat(CSV, err, "строка заголовков: %s", describeCSV(pe))
		}
		return fmt.Errorf("trudvsem: reading %s: %w", CSV, err)
	}
	width := len(header)
	cols, err := csvColumns(header)
	if err != nil {
		return notFormat(CSV, nil, "%s", err.Error())
	}
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("trudvsem: reading %s: %w", CSV, err)
			}
			rerr := &RecordError{N: n, Line: pe.StartLine, Err: apperr.New(apperr.Invalid, "%s", describeCSV(pe))}
			if err := fn(n, vacancy.Vacancy{Source: vacancy.Trudvsem}, rerr); err != nil {
				return err
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		var v vacancy.Vacancy
		if len(rec) != width {
			v, err = vacancy.Vacancy{Source: vacancy.Trudvsem}, apperr.New(apperr.Invalid, "в строке %d полей, а в заголовке %d", len(rec), width)
		} else {
			v, err = csvVacancy(rec, cols)
		}
		if err != nil {
			err = wrap(n, line, v.ID, err)
		}
		if err := fn(n, v, err); err != nil {
			return err
		}
	}
}

var reCardURL = regexp.MustCompile(`/vacancy/card/([^/?#]+)/([^/?#]+)/?(?:[?#].*)?$`)

func csvVacancy(rec []string, cols map[string]int) (vacancy.Vacancy, error) {
	get := func(c string) text {
		if i, ok := cols[c]; ok {
			return text{s: strings.TrimSpace(rec[i])}
		}
		return text{}
	}
	r := &record{v: vacancy.Vacancy{Source: vacancy.Trudvsem}}
	v := &r.v
	v.URL = get("url").s
	switch m := reCardURL.FindStringSubmatch(v.URL); {
	case v.URL == "":
		r.fail("url", "нет ссылки на вакансию, а идентификатор вакансии берётся из неё")
	case m == nil:
		r.fail("url", "ссылка «%s» не вида https://trudvsem.ru/vacancy/card/<ОГРН>/<id>", clip(v.URL))
	default:
		v.ID, v.EmployerOGRN = m[2], ogrnOf(m[1])
	}
	v.Title = get("name").s
	v.EmployerName = get("company").s
	r.region("region", text{}, "region", get("region"))
	v.SalaryMin = r.money("salary_min", get("salary_min"))
	v.SalaryMax = r.money("salary_max", get("salary_max"))
	v.Currency = get("currency").s
	v.CreatedAt = r.date("date", get("date"))
	v.Requirements = plainText(get("requirement").s)
	v.Duty = plainText(get("duty").s)
	return r.finish()
}

func describeCSV(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("кавычка внутри поля %d, которое не заключено в кавычки (строка %d)", pe.Column, pe.Line)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("лишняя или незакрытая кавычка в поле %d (строка %d)", pe.Column, pe.Line)
	}
	return fmt.Sprintf("ошибка CSV в строке %d: %v", pe.Line, pe.Err)
}
