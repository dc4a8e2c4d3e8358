package api

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/history"
)

// maxBody is the largest request body read; a learner or an organisation is a
// few hundred bytes, so anything near this is a mistake or an attack.
const maxBody = 1 << 20

// decode reads the JSON object of a POST or PUT body into v, refusing a wrong
// Content-Type, a body over 1 MiB, malformed JSON, unknown fields, values of
// the wrong type and anything after the object. Every refusal names the problem.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		got := ct
		if got == "" {
			got = "не указан"
		}
		return apperr.New(apperr.Invalid, "Тело запроса должно быть в формате JSON с заголовком Content-Type: application/json (получен «%s»)", got)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return apperr.New(apperr.Invalid, "Тело запроса должно быть в кодировке UTF-8, указана «%s»", cs)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err, v)
	}
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
		return nil
	case isTooLarge(err):
		return tooLarge()
	default:
		return apperr.New(apperr.Invalid, "Тело запроса должно содержать один JSON-объект, а после него есть ещё данные")
	}
}

func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

func tooLarge() error {
	return apperr.New(apperr.Invalid, "Тело запроса больше 1 МиБ (%d байт)", maxBody)
}

// bodyError turns an error of encoding/json into a Russian message that names
// the problem and, where there is one, the field.
func bodyError(err error, v any) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case isTooLarge(err):
		return tooLarge()
	case err == io.EOF:
		return apperr.New(apperr.Invalid, "Тело запроса пустое: ожидается JSON-объект")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "Тело запроса не является корректным JSON: текст обрывается, не закончив объект")
	case errors.As(err, &syn):
		return apperr.New(apperr.Invalid, "Тело запроса не является корректным JSON: ошибка в позиции %d (%s)", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return apperr.New(apperr.Invalid, "Тело запроса должно быть JSON-объектом, а не %s", jsonValueName(typ.Value))
		}
		return &bodyFault{field: typ.Field, err: apperr.New(apperr.Invalid, "Поле «%s» должно быть %s, а получено %s",
			typ.Field, goTypeName(typ.Type), jsonValueName(typ.Value))}
	}
	// encoding/json reports an unknown field only in the text of its error.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, uerr := strconv.Unquote(name); uerr == nil {
			name = n
		}
		return &bodyFault{field: name, err: apperr.New(apperr.Invalid, "Неизвестное поле «%s»; допустимые поля: %s",
			name, strings.Join(jsonFields(v), ", "))}
	}
	return apperr.Wrap(err, apperr.Invalid, "Тело запроса не удалось прочитать")
}

// jsonValueName names a JSON value as encoding/json describes it ("string", "number 1.5").
func jsonValueName(v string) string {
	kind, rest, _ := strings.Cut(v, " ")
	name := map[string]string{"string": "строка", "number": "число", "bool": "логическое значение", "array": "массив", "object": "объект"}[kind]
	if name == "" {
		return v
	}
	if rest != "" {
		return name + " " + rest
	}
	return name
}

// goTypeName names the JSON a Go type expects, in the instrumental case.
func goTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "целым числом"
	case reflect.Float32, reflect.Float64:
		return "числом"
	case reflect.String:
		return "строкой"
	case reflect.Bool:
		return "логическим значением (true или false)"
	case reflect.Slice, reflect.Array:
		return "массивом"
	case reflect.Struct, reflect.Map:
		return "объектом"
	}
	return t.String()
}

// jsonFields lists the JSON names of the fields of the struct v points to.
func jsonFields(v any) []string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	if t.Kind() != reflect.Struct {
		return out
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// pathID reads the {id} of the path: a positive integer.
func pathID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Field("id", "идентификатор в адресе должен быть целым положительным числом, указано «%s»", s)
	}
	return id, nil
}

// pathVacancyID reads the {id} of a vacancy: its id at the source (a UUID at
// «Работа России»), up to 100 printable characters without spaces.
func pathVacancyID(r *http.Request) (string, error) {
	s := r.PathValue("id")
	if s == "" || len(s) > 100 || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0 {
		shown := []rune(strings.ToValidUTF8(s, "?"))
		if len(shown) > 60 {
			shown = append(shown[:60], '…')
		}
		return "", apperr.Field("id", "идентификатор вакансии в адресе должен быть строкой до 100 знаков без пробелов, указано «%s»", string(shown))
	}
	return s, nil
}

// query reads the parameters of a list, gathering every fault so that one
// answer names all the wrong parameters.
type query struct {
	v    url.Values
	errs apperr.List
}

func newQuery(r *http.Request) *query { return &query{v: r.URL.Query()} }

// int reads an integer within [lo, hi]; absent, it is def.
func (q *query) int(name string, lo, hi, def int) int {
	s := q.v.Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		q.errs.Add(name, "параметр должен быть целым числом от %d до %d, указано «%s»", lo, hi, s)
		return def
	}
	return n
}

// id reads an identifier; absent, it is 0.
func (q *query) id(name string) int64 {
	s := q.v.Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		q.errs.Add(name, "параметр должен быть целым положительным числом (идентификатором), указано «%s»", s)
		return 0
	}
	return n
}

// bool reads true/false (or 1/0); absent, it is false.
func (q *query) bool(name string) bool {
	s := q.v.Get(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.errs.Add(name, "параметр должен быть true или false, указано «%s»", s)
	}
	return b
}

// oneOf reads one of the allowed values; absent, it is "".
func (q *query) oneOf(name string, allowed ...string) string {
	s := q.v.Get(name)
	if s != "" && !slices.Contains(allowed, s) {
		q.errs.Add(name, "неизвестное значение «%s»; допустимы: %s", s, strings.Join(allowed, ", "))
		return ""
	}
	return s
}

// text reads free text up to max characters.
func (q *query) text(name string, max int) string {
	s := strings.TrimSpace(q.v.Get(name))
	if utf8.RuneCountInString(s) > max {
		q.errs.Add(name, "параметр длиннее %d знаков", max)
		return ""
	}
	return s
}

// specialty reads an optional ОКСО code of a list's filter.
func (q *query) specialty(name string) string {
	code := q.v.Get(name)
	if code != "" {
		q.check(classifier.CheckSpecialtyCode(name, code))
	}
	return code
}

// check adds the fault a domain validator found in a parameter.
func (q *query) check(err error) {
	var e *apperr.Error
	if errors.As(err, &e) {
		q.errs = append(q.errs, e)
	}
}

// Page sizes of lists.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// page reads limit and offset.
func (q *query) page() (limit, offset int) {
	return q.int("limit", 1, maxLimit, defaultLimit), q.int("offset", 0, math.MaxInt32, 0)
}

// err returns the gathered faults, nil when there are none.
func (q *query) err() error { return q.errs.Err() }

// list is the envelope of a page of a list.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// items is the envelope of a whole list that has no pages.
type items[T any] struct {
	Items []T `json:"items"`
}

// mapSlice converts each element, keeping an empty list as [] rather than null.
func mapSlice[S, T any](in []S, f func(S) T) []T {
	out := make([]T, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}

// writeHistory answers an object's edits as {"items": [...]}, never null.
func writeHistory(w http.ResponseWriter, h []history.Entry) {
	if h == nil {
		h = []history.Entry{}
	}
	for i := range h {
		if h[i].Changes == nil {
			h[i].Changes = []history.Change{}
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Items []history.Entry `json:"items"`
	}{h})
}
