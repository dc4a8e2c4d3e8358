package exchange

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// Field is a column an importer understands.
type Field struct {
	Key      string   // what the importer calls it: "birth_date"
	Title    string   // what a person calls it: «Дата рождения»
	Aliases  []string // other titles met in real files: «Дата рожд.», «ДР»
	Required bool
	// Or is the Key of a field that satisfies Required in this one's stead:
	// «ФИО» in one column stands for «Фамилия» and «Имя».
	Or string
}

// Mapping says which column of a file holds which field.
type Mapping struct {
	header []string
	fields []Field
	cols   map[string]int
}

// Unknown is a column that no field took.
type Unknown struct {
	Col   int
	Title string
	// Dup is the field an earlier column already gave; its Key is empty when
	// the column was not recognised at all.
	Dup Field
}

// String tells the person what becomes of the column.
func (u Unknown) String() string {
	if u.Dup.Key != "" {
		return fmt.Sprintf("Столбец %s «%s» повторяет поле «%s» и будет пропущен", ColumnName(u.Col), clip(u.Title, 60), u.Dup.Title)
	}
	return fmt.Sprintf("Столбец %s «%s» не распознан и будет пропущен", ColumnName(u.Col), clip(u.Title, 60))
}

// ignored are the normalised titles of row-number columns («№ п/п»), which
// carry nothing to import and are not worth a warning.
var ignored = map[string]bool{
	"": true, "п п": true, "пп": true, "нпп": true, "n": true, "no": true, "nn": true,
	"n п п": true, "no п п": true, "номер": true, "номер п п": true, "п н": true,
	"номер по порядку": true, "порядковый номер": true, "по порядку": true,
}

// qualifiers are trailing words that say whose the value is and change
// nothing: «Фамилия обучающегося», «СНИЛС (при наличии)».
var qualifiers = map[string]bool{
	"обучающегося": true, "обучающейся": true, "студента": true, "учащегося": true,
	"ученика": true, "выпускника": true, "воспитанника": true, "слушателя": true,
	"гражданина": true, "при": true, "наличии": true, "полностью": true,
}

// Recognise matches each title of header to a field by normalised text:
// case, «ё», punctuation, brackets and trailing qualifiers do not matter, and
// an abbreviated title («Дата рожд.», «Форма обуч.») matches when only one
// field fits it. The first column wins when two give the same field; the
// other is returned among the unknown. Row-number and untitled columns are
// ignored without a word.
func Recognise(header []string, fields []Field) (Mapping, []Unknown) {
	m := Mapping{header: header, fields: fields, cols: make(map[string]int, len(fields))}
	exact := map[string]int{}
	type name struct {
		field int
		words []string
	}
	var names []name
	for i, f := range fields {
		for _, t := range append([]string{f.Title, f.Key}, f.Aliases...) {
			n := normalise(t, false)
			if _, dup := exact[n]; !dup && n != "" {
				exact[n] = i
				names = append(names, name{i, strings.Fields(n)})
			}
		}
	}
	var unknown []Unknown
	for col, title := range header {
		full, bare := normalise(title, true), normalise(title, false)
		if ignored[bare] || ignored[full] {
			continue
		}
		fi, ok := -1, false
		for _, n := range []string{full, bare, dropQualifiers(full), dropQualifiers(bare)} {
			if fi, ok = exact[n]; ok {
				break
			}
		}
		if !ok {
			// An abbreviation: every word a prefix of the field's word, one field only.
			fi = -1
			hw := strings.Fields(dropQualifiers(bare))
			for _, n := range names {
				if len(n.words) != len(hw) || n.field == fi {
					continue
				}
				match := true
				for j, w := range hw {
					if w != n.words[j] && (utf8.RuneCountInString(w) < 3 || !strings.HasPrefix(n.words[j], w)) {
						match = false
						break
					}
				}
				if !match {
					continue
				}
				if fi >= 0 {
					fi = -2 // more than one field fits: leave it to the person
					break
				}
				fi = n.field
			}
			ok = fi >= 0
		}
		if !ok {
			unknown = append(unknown, Unknown{Col: col, Title: title})
			continue
		}
		f := fields[fi]
		if _, taken := m.cols[f.Key]; taken {
			unknown = append(unknown, Unknown{Col: col, Title: title, Dup: f})
			continue
		}
		m.cols[f.Key] = col
	}
	return m, unknown
}

// Normalise reduces a title to what matters for matching: lower case, «ё» as
// «е», text in brackets dropped (unless nothing else is left), every run of
// punctuation, symbols and spaces turned into one space.
func Normalise(s string) string { return normalise(s, false) }

func normalise(s string, keepBrackets bool) string {
	if !keepBrackets && strings.ContainsAny(s, "([{") {
		if n := normalise(stripBrackets(s), true); n != "" {
			return n
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for _, r := range s {
		r = unicode.ToLower(r)
		if r == 'ё' {
			r = 'е'
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
	}
	return b.String()
}

// stripBrackets drops text in (), [] and {}.
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
			continue
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
			b.WriteByte(' ')
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func dropQualifiers(n string) string {
	w := strings.Fields(n)
	for len(w) > 1 && qualifiers[w[len(w)-1]] {
		w = w[:len(w)-1]
	}
	return strings.Join(w, " ")
}

// Col is the column of the field, or -1.
func (m Mapping) Col(key string) int {
	if c, ok := m.cols[key]; ok {
		return c
	}
	return -1
}

// Has reports whether the field has a column.
func (m Mapping) Has(key string) bool { return m.Col(key) >= 0 }

// Get returns the field's value in the row, "" when it has no column.
func (m Mapping) Get(r Row, key string) string { return r.Cell(m.Col(key)) }

// Header is the header the mapping was made for.
func (m Mapping) Header() []string { return m.header }

// Fields are the fields the mapping was made for.
func (m Mapping) Fields() []Field { return m.fields }

// Set gives the field a column; col -1 takes its column away. It is how a
// person's correction of the recognised mapping is applied.
func (m *Mapping) Set(key string, col int) error {
	f, ok := m.field(key)
	if !ok {
		return apperr.New(apperr.Invalid, "Неизвестное поле «%s»", clip(key, 40))
	}
	if col < -1 || col >= len(m.header) {
		return apperr.New(apperr.Invalid, "Для поля «%s» выбран столбец %d, а в файле столбцов %d", f.Title, col+1, len(m.header))
	}
	if m.cols == nil {
		m.cols = map[string]int{}
	}
	if col < 0 {
		delete(m.cols, key)
	} else {
		m.cols[key] = col
	}
	return nil
}

func (m Mapping) field(key string) (Field, bool) {
	for _, f := range m.fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Missing lists the required fields without a column (and without the
// column of the field that may stand in for them).
func (m Mapping) Missing() []Field {
	var out []Field
	for _, f := range m.fields {
		if f.Required && !m.Has(f.Key) && (f.Or == "" || !m.Has(f.Or)) {
			out = append(out, f)
		}
	}
	return out
}

// Check reports in Russian the required fields that have no column and the
// columns chosen for two fields at once; nil when the mapping can be used.
func (m Mapping) Check() error {
	var msgs []string
	if miss := m.Missing(); len(miss) > 0 {
		names := make([]string, len(miss))
		for i, f := range miss {
			names[i] = "«" + f.Title + "»"
			if alt, ok := m.field(f.Or); ok {
				names[i] += " (или «" + alt.Title + "»)"
			}
		}
		if len(miss) == 1 {
			msgs = append(msgs, fmt.Sprintf("В файле не найден обязательный столбец %s: добавьте его в файл или укажите, в каком столбце он находится", names[0]))
		} else {
			msgs = append(msgs, fmt.Sprintf("В файле не найдены обязательные столбцы %s: добавьте их в файл или укажите, в каких столбцах они находятся", strings.Join(names, ", ")))
		}
	}
	byCol := map[int]Field{}
	for _, f := range m.fields {
		c := m.Col(f.Key)
		if c < 0 {
			continue
		}
		if prev, ok := byCol[c]; ok {
			msgs = append(msgs, fmt.Sprintf("Столбец %s выбран сразу для полей «%s» и «%s»", ColumnName(c), prev.Title, f.Title))
			continue
		}
		byCol[c] = f
	}
	if len(msgs) == 0 {
		return nil
	}
	return apperr.New(apperr.Invalid, "%s", strings.Join(msgs, ". "))
}

// String writes the mapping as «key=col,…» with columns counted from zero,
// for a hidden form field; Parse reads it back.
func (m Mapping) String() string {
	var b strings.Builder
	for _, f := range m.fields {
		if c := m.Col(f.Key); c >= 0 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.Key)
			b.WriteByte('=')
			b.WriteString(strconv.Itoa(c))
		}
	}
	return b.String()
}

// Parse replaces the mapping with the one String wrote.
func (m *Mapping) Parse(s string) error {
	cols := m.cols
	m.cols = map[string]int{}
	for _, pair := range strings.Split(s, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		key, v, _ := strings.Cut(pair, "=")
		if err := m.setText(key, v); err != nil {
			m.cols = cols
			return err
		}
	}
	return nil
}

// ParseForm applies the choices of a form whose selects are named
// prefix+Key and hold a column counted from zero, or "" or "-1" for none.
// Fields the form does not mention keep their columns.
func (m *Mapping) ParseForm(form url.Values, prefix string) error {
	for _, f := range m.fields {
		if v, ok := form[prefix+f.Key]; ok && len(v) > 0 {
			if err := m.setText(f.Key, v[0]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *Mapping) setText(key, v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		v = "-1"
	}
	col, err := strconv.Atoi(v)
	if err != nil {
		return apperr.New(apperr.Invalid, "Для поля «%s» столбец указан неверно: «%s»", clip(key, 40), clip(v, 20))
	}
	return m.Set(key, col)
}
