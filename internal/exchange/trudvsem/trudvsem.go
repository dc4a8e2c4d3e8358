// Package trudvsem reads vacancies of «Работа России» (trudvsem.ru) in the
// three forms they come in: the JSON of its open API /api/v1/vacancies, the
// records of its bulk open-data dataset, and the flattened CSV that public
// scripts make of the API. Readers stream: a file of any size is read one
// record at a time; a bad record is reported with its number and a Russian
// reason and the stream goes on, while a file that is not of the format stops
// the reading with a Russian message.
package trudvsem

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/vacancy"
)

// Format is one of the forms of vacancies of «Работа России».
type Format string

const (
	API     Format = "api"     // {"status":"200","meta":{…},"results":{"vacancies":[{"vacancy":{…}}]}}
	Dataset Format = "dataset" // {"vacancies":[{…}]}, a JSON array of records, or one record a line
	CSV     Format = "csv"     // name,company,region,salary_min,salary_max,currency,date,url,requirement,duty
)

// Name is the Russian name of the format, as messages use it.
func (f Format) Name() string {
	switch f {
	case API:
		return "ответ API «Работы России»"
	case Dataset:
		return "набор открытых данных «Работы России» о вакансиях"
	case CSV:
		return "выгрузка вакансий «Работы России» в CSV"
	}
	return string(f)
}

// Handler receives each record of a file in order: n counts records from 1;
// v is the vacancy, valid when err is nil or a *Note (the record is kept with a
// remark for the report); otherwise err, a *RecordError, says why the record
// was refused (v then holds what could be read). A non-nil return stops
// the reading and is returned by the reader as is.
type Handler func(n int, v vacancy.Vacancy, err error) error

// RecordError is why one record was refused. The reading goes on after it.
type RecordError struct {
	N    int    // number of the record, from 1
	Line int    // line of the file where the record starts (CSV), 0 when not known
	ID   string // id of the vacancy, when it could be read
	Err  error  // the reason, an *apperr.Error with a Russian message
}

func (e *RecordError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "строка %d", e.Line)
	} else {
		fmt.Fprintf(&b, "запись %d", e.N)
	}
	if e.ID != "" {
		fmt.Fprintf(&b, " (вакансия %s)", e.ID)
	}
	b.WriteString(": ")
	b.WriteString(apperr.Message(e.Err))
	return b.String()
}

func (e *RecordError) Unwrap() error { return e.Err }

// Note is a remark on a record that is kept: the vacancy passed with it is
// valid, and the remark belongs in the import's report (an employer's ИНН
// that fails its check digits, dropped).
type Note struct {
	N      int    // number of the record, from 1
	ID     string // id of the vacancy
	Field  string // the field remarked on, e.g. employer_inn
	Reason string // in Russian
}

func (n *Note) Error() string { return fmt.Sprintf("запись %d: %s", n.N, n.Reason) }

// wrap makes the error of record n a *RecordError, or numbers its *Note.
func wrap(n, line int, id string, err error) error {
	if nt, ok := err.(*Note); ok {
		nt.N, nt.ID = n, id
		return nt
	}
	return &RecordError{N: n, Line: line, ID: id, Err: err}
}

// Read reads a file of the given format.
func Read(r io.Reader, f Format, fn Handler) error {
	switch f {
	case API:
		return ReadAPI(r, fn)
	case Dataset:
		return ReadDataset(r, fn)
	case CSV:
		return ReadCSV(r, fn)
	}
	return apperr.New(apperr.Invalid, "неизвестный формат файла вакансий «%s»", f)
}

// DetectSize is how many first bytes of a file Detect wants to see.
const DetectSize = 4096

var utf8BOM = []byte("\xef\xbb\xbf")

// Detect tells the format of a file from its first bytes (DetectSize is
// enough) and, when they leave a doubt, from its name.
func Detect(prefix []byte, name string) (Format, error) {
	p := bytes.TrimLeft(bytes.TrimPrefix(prefix, utf8BOM), " \t\r\n")
	ext := strings.ToLower(filepath.Ext(name))
	file := "файла"
	if name != "" {
		file = "файла «" + filepath.Base(name) + "»"
	}
	unknown := func(why string) (Format, error) {
		return "", apperr.New(apperr.Invalid, "не удалось определить формат %s: %s; ожидается ответ API «Работы России» (JSON), "+
			"набор открытых данных «Работы России» (JSON) или CSV со столбцами name, company, region, salary_min, salary_max, currency, date, url, requirement, duty",
			file, why)
	}
	if len(p) == 0 {
		return unknown("файл пуст")
	}
	switch p[0] {
	case '[':
		return Dataset, nil
	case '{':
		keys := topKeys(p)
		switch {
		case hasKey(keys, "results") || hasKey(keys, "status") || hasKey(keys, "request"):
			return API, nil
		case hasKey(keys, "vacancies"):
			return Dataset, nil
		case len(keys) > 0 && (len(keys) > 1 || keys[0] != "meta"):
			return Dataset, nil // a record of JSON Lines
		case ext == ".jsonl" || ext == ".ndjson":
			return Dataset, nil
		}
		return unknown("объект JSON без узнаваемых полей")
	}
	line := p
	if i := bytes.IndexAny(p, "\r\n"); i >= 0 {
		line = p[:i]
	}
	if _, err := csvColumns(splitHeader(string(line))); err == nil {
		return CSV, nil
	}
	if ext == ".csv" {
		return unknown("в первой строке нет заголовков столбцов name, company, region и url")
	}
	return unknown("файл не похож ни на JSON, ни на CSV")
}

// topKeys returns the keys of the outermost JSON object that p begins with,
// as far as p goes.
func topKeys(p []byte) []string {
	var keys []string
	depth, start, inStr, esc := 0, 0, false, false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if depth == 1 {
					if rest := bytes.TrimLeft(p[i+1:], " \t\r\n"); len(rest) > 0 && rest[0] == ':' {
						keys = append(keys, string(p[start:i]))
					}
				}
			}
			continue
		}
		switch c {
		case '"':
			inStr, start = true, i+1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth <= 0 {
				return keys
			}
		}
	}
	return keys
}

func hasKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// notFormat is the error that stops the reading of a file that is not of the format.
func notFormat(f Format, cause error, format string, args ...any) error {
	return apperr.Wrap(cause, apperr.Invalid, "файл не является %s: %s", nameInstr(f), fmt.Sprintf(format, args...))
}

// nameInstr is the name of the format after «не является».
func nameInstr(f Format) string {
	switch f {
	case API:
		return "ответом API «Работы России»"
	case Dataset:
		return "набором открытых данных «Работы России» о вакансиях"
	case CSV:
		return "выгрузкой вакансий «Работы России» в CSV"
	}
	return string(f)
}
