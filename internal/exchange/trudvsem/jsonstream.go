package trudvsem

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"marshrut/internal/apperr"
	"marshrut/internal/vacancy"
)

// item is a record of a JSON format: it knows its vacancy id, when it has one,
// and how to become a vacancy.
type item interface {
	id() string
	convert() (vacancy.Vacancy, error)
}

// readItems decodes the elements of a JSON array whose «[» the decoder has
// just read, or, with top, the values of a stream of JSON Lines, passing each
// to fn. A record of the wrong shape is reported and skipped; broken JSON stops
// the reading.
func readItems[T any, P interface {
	*T
	item
}](dec *json.Decoder, f Format, n *int, top bool, fn Handler) error {
	for dec.More() {
		*n++
		var it T
		if err := dec.Decode(&it); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return broken(f, dec, err)
			}
			id := P(&it).id()
			rerr := &RecordError{N: *n, ID: id, Err: apperr.New(apperr.Invalid, "%s", describeJSON(err))}
			if err := fn(*n, vacancy.Vacancy{ID: id, Source: vacancy.Trudvsem}, rerr); err != nil {
				return err
			}
			continue
		}
		v, err := P(&it).convert()
		if err != nil {
			err = wrap(*n, 0, v.ID, err)
		}
		if err := fn(*n, v, err); err != nil {
			return err
		}
	}
	if top {
		return nil
	}
	return expect(dec, f, ']', "конец массива вакансий")
}

// expect reads the next token and checks that it is the delimiter d.
func expect(dec *json.Decoder, f Format, d json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			if dec.InputOffset() == 0 {
				return notFormat(f, nil, "файл пуст")
			}
			return notFormat(f, nil, "файл обрывается на байте %d, где ожидается %s: вероятно, он загружен не полностью", dec.InputOffset(), what)
		}
		return broken(f, dec, err)
	}
	if tok != d {
		return notFormat(f, nil, "ожидается %s, а в файле %s", what, describeToken(tok))
	}
	return nil
}

// key reads the next key of an object.
func key(dec *json.Decoder, f Format) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", broken(f, dec, err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", notFormat(f, nil, "ожидается имя поля, а в файле %s", describeToken(tok))
	}
	return k, nil
}

// skipValue reads a value of no interest.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

func skip(dec *json.Decoder, f Format) error {
	if err := dec.Decode(&skipValue{}); err != nil {
		return broken(f, dec, err)
	}
	return nil
}

// end checks that nothing but white space follows the top-level value.
func end(dec *json.Decoder, f Format) error {
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return broken(f, dec, err)
		}
		return notFormat(f, nil, "после данных на байте %d в файле есть ещё что-то", dec.InputOffset())
	}
	return nil
}

// broken is the error of JSON that cannot be read on: a syntax error or a
// file cut short stop the reading with a Russian message; a failure of the
// reader itself is returned wrapped, as an internal error.
func broken(f Format, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return notFormat(f, err, "ошибка синтаксиса JSON на байте %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return notFormat(f, err, "файл обрывается на байте %d: вероятно, он загружен не полностью", dec.InputOffset())
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return notFormat(f, err, "%s", describeJSON(err))
	}
	return fmt.Errorf("trudvsem: reading %s: %w", f, err)
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return "начало объекта «{»"
		case '[':
			return "начало массива «[»"
		}
		return "«" + t.String() + "»"
	case string:
		return "строка «" + clip(t) + "»"
	case nil:
		return "null"
	case bool:
		return "логическое значение"
	}
	return "число"
}
