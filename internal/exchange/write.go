package exchange

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Kind is what a column holds; it decides how a value is written.
type Kind int

const (
	Text    Kind = iota // string; a bool is written «да»/«нет», a date as 02.01.2006
	Int                 // any integer type, or a float with no fraction
	Float               // any number
	Percent             // a fraction: 0.853 is written 85,3%
	Date                // time.Time, the day in its own location; the zero time is an empty cell
)

// Column describes one column of an export.
type Column struct {
	Title string
	Kind  Kind
	Width float64 // in characters, XLSX only; zero picks one by kind and title
}

// Writer is an export being written row by row.
type Writer interface {
	// Write adds a row; values go with the columns in order. nil and nil
	// pointers are empty cells; pointers are followed.
	Write(values []any) error
	// Close finishes the file; a second Close does nothing. Nothing may be
	// written after it.
	Close() error
}

// NewWriter starts an export in the format; sheet names the XLSX worksheet.
func NewWriter(format Format, w io.Writer, sheet string, cols []Column) (Writer, error) {
	switch format {
	case CSV:
		return NewCSV(w, cols), nil
	case XLSX:
		return NewXLSX(w, sheet, cols)
	}
	return nil, fmt.Errorf("exchange: unknown format %q", format)
}

// CSVWriter writes what Excel in a Russian locale opens with a double click:
// UTF-8 with a byte-order mark, «;» between values, CRLF line ends, dates
// 02.01.2006 and numbers with a decimal comma.
type CSVWriter struct {
	w    *csv.Writer
	cols []Column
	rec  []string
	err  error
}

// NewCSV starts a CSV export and writes its header. Errors of the
// underlying writer surface from Write and Close.
func NewCSV(w io.Writer, cols []Column) *CSVWriter {
	c := &CSVWriter{cols: cols, rec: make([]string, len(cols))}
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		c.err = err
	}
	c.w = csv.NewWriter(w)
	c.w.Comma, c.w.UseCRLF = ';', true
	for i, col := range cols {
		c.rec[i] = EscapeFormula(col.Title)
	}
	if c.err == nil {
		c.err = c.w.Write(c.rec)
	}
	return c
}

// Write adds a row.
func (c *CSVWriter) Write(values []any) error {
	if c.err != nil {
		return c.err
	}
	if len(values) != len(c.cols) {
		return fmt.Errorf("exchange: %d values for %d columns", len(values), len(c.cols))
	}
	for i, v := range values {
		v, err := convert(c.cols[i], v)
		if err != nil {
			return err
		}
		c.rec[i] = csvText(c.cols[i].Kind, v)
	}
	c.err = c.w.Write(c.rec)
	return c.err
}

// Close flushes the rows still buffered.
func (c *CSVWriter) Close() error {
	if c.err == errClosed {
		return nil
	}
	if c.err != nil {
		return c.err
	}
	c.w.Flush()
	c.err = c.w.Error()
	if c.err == nil {
		c.err = errClosed
		return nil
	}
	return c.err
}

var errClosed = errors.New("exchange: writer closed")

func csvText(k Kind, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return EscapeFormula(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		if k == Percent {
			return decimal(math.Round(v*1e4)/100) + "%"
		}
		return decimal(v)
	case time.Time:
		return v.Format("02.01.2006")
	}
	panic(fmt.Sprintf("exchange: unexpected %T", v))
}

// decimal writes a number with a decimal comma and no exponent.
func decimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

// EscapeFormula makes text that a spreadsheet would take for a formula
// («=», «+», «-», «@», or a tab or carriage return first) inert by putting an
// apostrophe before it. It is how CSV exports defend their readers against
// formula injection; XLSX exports write such text as a string cell instead.
func EscapeFormula(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// convert reduces a value to nil, string, int64, float64 or time.Time as the
// column's kind asks, refusing what does not fit: that is a bug in the
// exporter, not in data.
func convert(col Column, v any) (any, error) {
	v = deref(v)
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, nil
	}
	switch col.Kind {
	case Text:
		switch x := v.(type) {
		case string:
			return x, nil
		case bool:
			if x {
				return "да", nil
			}
			return "нет", nil
		case time.Time:
			if x.IsZero() {
				return nil, nil
			}
			return x.Format("02.01.2006"), nil
		case fmt.Stringer:
			return x.String(), nil
		}
		if n, ok := toInt(v); ok {
			return strconv.FormatInt(n, 10), nil
		}
		if f, ok := toFloat(v); ok {
			return decimal(f), nil
		}
		switch rv := reflect.ValueOf(v); rv.Kind() {
		case reflect.String:
			if rv.String() == "" {
				return nil, nil
			}
			return rv.String(), nil
		case reflect.Bool:
			return convert(col, rv.Bool())
		}
	case Int:
		if n, ok := toInt(v); ok {
			return n, nil
		}
		if f, ok := toFloat(v); ok {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, nil
			}
			if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				return int64(f), nil
			}
		}
	case Float, Percent:
		if n, ok := toInt(v); ok {
			return float64(n), nil
		}
		if f, ok := toFloat(v); ok {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, nil
			}
			return f, nil
		}
	case Date:
		if t, ok := v.(time.Time); ok {
			if t.IsZero() {
				return nil, nil
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return nil, fmt.Errorf("exchange: column %q: %T does not fit kind %d", col.Title, v, col.Kind)
}

func deref(v any) any {
	for v != nil {
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer {
			return v
		}
		if rv.IsNil() {
			return nil
		}
		v = rv.Elem().Interface()
	}
	return v
}

// toInt reads any integer type, named ones included.
func toInt(v any) (int64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		return int64(u), u <= math.MaxInt64
	}
	return 0, false
}

// toFloat reads any floating-point type, named ones included.
func toFloat(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	if k := rv.Kind(); k == reflect.Float32 || k == reflect.Float64 {
		return rv.Float(), true
	}
	return 0, false
}
