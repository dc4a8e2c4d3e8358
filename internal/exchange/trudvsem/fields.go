package trudvsem

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/org"
	"marshrut/internal/vacancy"
)

// text is a JSON value read as text: a string, a number or a boolean as
// written, null as empty. «Работа России» writes some fields now as strings and
// now as numbers (inn, salary, lat), so the readers take either; an object or
// an array where text is due is kept as bad and reported by the field's name.
type text struct {
	s   string
	bad bool
}

func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = text{}
	case b[0] == '"':
		if len(b) >= 2 && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && utf8.Valid(b[1:len(b)-1]) {
			// Most strings have no escapes: take them as they are, which
			// spares a json.Unmarshal per field.
			*t = text{s: strings.TrimSpace(string(b[1 : len(b)-1]))}
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			*t = text{bad: true}
			return nil
		}
		*t = text{s: strings.TrimSpace(s)}
	case b[0] == '{' || b[0] == '[':
		*t = text{bad: true}
	default: // number, true, false
		*t = text{s: string(b)}
	}
	return nil
}

// record gathers a vacancy and the faults found while reading its fields.
type record struct {
	v    vacancy.Vacancy
	errs []string // "field: reason"
	// covered are fields of the vacancy whose fault is already told by a
	// fault of the source field they come from (region_code by region).
	covered map[string]bool
}

func (r *record) fail(field, format string, args ...any) {
	r.errs = append(r.errs, field+": "+fmt.Sprintf(format, args...))
}

// str returns the text of a field, noting a field that is not text.
func (r *record) str(field string, t text) string {
	if t.bad {
		r.fail(field, "ожидается строка или число, а в файле объект или массив")
	}
	return t.s
}

var reThinSpaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "")

// num reads a number written as a JSON number or as text («23000», «23 000»,
// «23000,50»); empty is 0.
func (r *record) num(field string, t text) (float64, bool) {
	s := reThinSpaces.Replace(r.str(field, t))
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.fail(field, "«%s» не является числом", clip(s))
		return 0, false
	}
	return f, true
}

// money reads an amount of roubles, rounded to whole roubles.
func (r *record) money(field string, t text) int {
	f, ok := r.num(field, t)
	if !ok {
		return 0
	}
	if f < 0 || f > 1e9 {
		r.fail(field, "сумма %s вне допустимых пределов 0–1 000 000 000", clip(t.s))
		return 0
	}
	return int(math.Round(f))
}

// count reads a whole number of positions.
func (r *record) count(field string, t text) int {
	f, ok := r.num(field, t)
	if !ok {
		return 0
	}
	if f != math.Trunc(f) || f < 0 || f > 1e6 {
		r.fail(field, "число рабочих мест «%s» должно быть целым от 0 до 1 000 000", clip(t.s))
		return 0
	}
	return int(f)
}

// coord reads a latitude or longitude.
func (r *record) coord(field string, t text, limit float64) float64 {
	f, ok := r.num(field, t)
	if !ok {
		return 0
	}
	if f < -limit || f > limit {
		r.fail(field, "координата %s вне пределов ±%g", clip(t.s), limit)
		return 0
	}
	return f
}

var msk = time.FixedZone("MSK", 3*3600)

var dateLayouts = []string{
	"2006-01-02T15:04:05-0700", "2006-01-02T15:04:05.000-0700", time.RFC3339Nano,
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", "02.01.2006",
}

// date reads a date or a moment as «Работа России» writes them; a moment
// without a zone is Moscow time.
func (r *record) date(field string, t text) time.Time {
	s := r.str(field, t)
	if s == "" {
		return time.Time{}
	}
	layouts := dateLayouts
	if len(s) == len("2006-01-02") {
		layouts = dateLayouts[len(dateLayouts)-2:] // spare the failing tries of longer layouts
	}
	for _, l := range layouts {
		if d, err := time.ParseInLocation(l, s, msk); err == nil {
			if d.Year() < 1990 || d.Year() > 2100 {
				break
			}
			return d
		}
	}
	// Milliseconds since 1970, as some exports write it.
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 631152000000 && ms < 4102444800000 {
		return time.UnixMilli(ms).In(msk)
	}
	r.fail(field, "дата «%s» не в формате ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTчч:мм:сс+зона", clip(s))
	return time.Time{}
}

// region sets the region from a 13-digit «Работа России» code or, when there
// is none, from the region's name.
func (r *record) region(codeField string, code text, nameField string, name text) {
	c, n := r.str(codeField, code), r.str(nameField, name)
	if c != "" {
		rc, err := RegionCode(c)
		if err != nil {
			r.fail(codeField, "%s", reason(err))
			r.cover("region_code")
			return
		}
		r.v.RegionCode = rc
		return
	}
	if n == "" {
		r.fail(codeField, "не указан регион: нет ни кода региона, ни его названия")
		r.cover("region_code")
		return
	}
	rc, err := RegionCode(n)
	if err != nil {
		r.fail(nameField, "%s", reason(err))
		r.cover("region_code")
		return
	}
	r.v.RegionCode = rc
}

// education reads the education requirement.
func (r *record) education(field string, t text) {
	s := r.str(field, t)
	e, ok := vacancy.ParseEducation(s)
	if !ok {
		r.fail(field, "неизвестное требование к образованию «%s»", clip(s))
	}
	r.v.Education = e
}

func (r *record) cover(field string) {
	if r.covered == nil {
		r.covered = map[string]bool{}
	}
	r.covered[field] = true
}

// finish validates the vacancy and returns it with the faults of the record,
// if any, as an *apperr.Error, or with a *Note when it is kept with a remark.
// «Работа России» is the source that rules on its employers: an ИНН it gives
// that fails the check digits is dropped (the vacancy stays, unlinked from any
// employer of the region) and noted, rather than the vacancy refused.
func (r *record) finish() (vacancy.Vacancy, error) {
	var note *Note
	if inn := strings.TrimSpace(r.v.EmployerINN); inn != "" && r.v.Source == vacancy.Trudvsem {
		if err := org.CheckINN(inn); err != nil {
			note = &Note{Field: "employer_inn", Reason: fmt.Sprintf("ИНН работодателя «%s» не проходит проверку: %s; вакансия принята без связи с работодателем",
				clip(printable(inn)), reason(err))}
			r.v.EmployerINN = ""
		}
	}
	if err := r.v.Validate(); err != nil {
		for _, e := range apperr.Fields(err) {
			if !r.covered[e.Field] {
				r.errs = append(r.errs, message(e))
			}
		}
	}
	if len(r.errs) == 0 {
		if note != nil {
			return r.v, note
		}
		return r.v, nil
	}
	return r.v, r.err()
}

// printable is s with invalid UTF-8 and control characters replaced by «?».
func printable(s string) string {
	return strings.Map(func(c rune) rune {
		if c == utf8.RuneError || c < ' ' || c == 0x7f {
			return '?'
		}
		return c
	}, strings.ToValidUTF8(s, "?"))
}

// err is the faults noted so far as one error.
func (r *record) err() error {
	return apperr.New(apperr.Invalid, "%s", strings.Join(r.errs, "; "))
}

var reOGRN = regexp.MustCompile(`^(\d{13}|\d{15})$`)

// ogrnOf returns a company code of «Работа России» when it is an ОГРН or
// ОГРНИП; other companies (foreign ones, for one) have a UUID there.
func ogrnOf(code string) string {
	if reOGRN.MatchString(code) {
		return code
	}
	return ""
}

// message is the Russian text of an error without the name of a cause.
func message(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return err.Error()
}

// reason is the Russian message of an error without the field it names.
func reason(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:59]) + "…"
}

// joinText joins the non-empty parts of a text, each once, by blank lines.
func joinText(parts ...string) string {
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		dup := false
		for _, o := range out {
			if o == p {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// plainText turns the HTML of «Работа России» descriptions («<p>…</p>»,
// «<br/>», «&laquo;») into plain text with a line break where a block or a
// line ended. A «<» that does not open a tag («a < b») is kept.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '<' {
			b.WriteByte(s[i])
			i++
			continue
		}
		name, end, ok := tagAt(s, i)
		if !ok {
			b.WriteByte('<')
			i++
			continue
		}
		if breakTags[name] && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		i = end
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

// breakTags end a line: «br», the ends of blocks and the start of a list item.
var breakTags = map[string]bool{
	"br": true, "/p": true, "/li": true, "li": true, "/div": true, "/tr": true, "/ul": true, "/ol": true,
	"/h1": true, "/h2": true, "/h3": true, "/h4": true, "/h5": true, "/h6": true,
}

// tagAt reads a tag or a comment at s[i] == '<': its lower-case name, with a
// leading «/» for a closing tag, and the index after its «>».
func tagAt(s string, i int) (name string, end int, ok bool) {
	if strings.HasPrefix(s[i:], "<!--") {
		if j := strings.Index(s[i+4:], "-->"); j >= 0 {
			return "!--", i + 4 + j + 3, true
		}
		return "", 0, false
	}
	j := i + 1
	closing := j < len(s) && s[j] == '/'
	if closing {
		j++
	}
	k := j
	for k < len(s) && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || k > j && s[k] >= '0' && s[k] <= '9') {
		k++
	}
	if k == j || k == len(s) {
		return "", 0, false // not a tag: «a < b», «<5 лет»
	}
	if c := s[k]; c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\n' && c != '\r' {
		return "", 0, false // «<abc-def>» is no tag
	}
	e := strings.IndexAny(s[k:], "<>")
	if e < 0 || s[k+e] == '<' {
		return "", 0, false
	}
	name = strings.ToLower(s[j:k])
	if closing {
		name = "/" + name
	}
	return name, k + e + 1, true
}

// describeJSON turns an error of encoding/json about a record into Russian.
func describeJSON(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			return fmt.Sprintf("запись должна быть объектом JSON, а в файле %s", jsonKind(te.Value))
		}
		return fmt.Sprintf("%s: ожидается %s, а в файле %s", field, goKind(te.Type.Kind().String()), jsonKind(te.Value))
	}
	return err.Error()
}

func jsonKind(v string) string {
	switch {
	case v == "string":
		return "строка"
	case v == "object":
		return "объект"
	case v == "array":
		return "массив"
	case v == "bool":
		return "логическое значение"
	case strings.HasPrefix(v, "number"):
		return "число"
	}
	return v
}

func goKind(k string) string {
	switch k {
	case "struct", "map":
		return "объект"
	case "slice", "array":
		return "массив"
	case "string":
		return "строка"
	}
	return k
}
