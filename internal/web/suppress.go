package web

import (
	"html/template"
	"marshrut/internal/targeted"
	"reflect"
	"strconv"
	"strings"

	"marshrut/internal/exchange"
	"marshrut/internal/rollup"
)

// Small counts are hidden from the roles that may not see persons (the
// federal operator, experts) by the rule of the federal rollup: a count of
// fewer than rollup.Threshold persons is blanked, and a row whose base (its
// first count) is under the threshold is blanked whole; shares of a row
// with a blanked count are blanked too, since a share of a known base gives
// the count back.

// notCount are words of the titles of integer columns that are not counts of
// persons: years, courses, grades, months, codes, numbers.
var notCount = []string{"год", "курс", "класс", "месяц", "код", "№", "номер", "часов по уровню"}

func isCount(c exchange.Column) bool {
	if c.Kind != exchange.Int {
		return false
	}
	t := strings.ToLower(c.Title)
	for _, w := range notCount {
		if strings.Contains(t, w) {
			return false
		}
	}
	return true
}

// suppressSmall wraps the writer of an export.
func suppressSmall(cols []exchange.Column, write func([]any) error) func([]any) error {
	counts := make([]bool, len(cols))
	some := false
	for i, c := range cols {
		counts[i] = isCount(c)
		some = some || counts[i]
	}
	if !some {
		return write
	}
	return func(row []any) error {
		return write(SuppressRow(cols, counts, row))
	}
}

// SuppressRow blanks the small counts of one row (see suppressSmall); counts
// says which columns are counts.
func SuppressRow(cols []exchange.Column, counts []bool, row []any) []any {
	out := append([]any(nil), row...)
	base, blanked := true, false
	for i, v := range out {
		if i >= len(counts) || !counts[i] {
			continue
		}
		n, ok := intOf(v)
		if !ok {
			continue
		}
		if base {
			base = false
			if n < rollup.Threshold {
				return blankRow(cols, counts, out)
			}
		}
		if n > 0 && n < rollup.Threshold {
			out[i], blanked = nil, true
		}
	}
	if blanked {
		for i := range out {
			if i < len(cols) && cols[i].Kind == exchange.Percent {
				out[i] = nil
			}
		}
	}
	return out
}

func blankRow(cols []exchange.Column, counts []bool, row []any) []any {
	for i := range row {
		if i < len(cols) && (counts[i] || cols[i].Kind == exchange.Percent || cols[i].Kind == exchange.Float) {
			row[i] = nil
		}
	}
	return row
}

// intOf reads an integer of any integer type.
func intOf(v any) (int64, bool) {
	if v == nil {
		return 0, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint()), true
	}
	return 0, false
}

// maskedFuncs replace the number functions of the pages for the roles that
// may not see persons: a count under the threshold reads «менее 5», and a
// share of a small count or of a small base is not shown.
var maskedFuncs = template.FuncMap{
	"number": maskedNumber,
	"figureRows": func(rows []targeted.Row, names map[string]string) template.HTML {
		return figureRows(rows, names, maskedNumber)
	},
	"number64": func(n int64) string { return maskedNumber(int(n)) },
	"count": func(n int, one, few, many string) string {
		if small(n) {
			return "менее\u00a0" + strconv.Itoa(rollup.Threshold) + "\u00a0" + many
		}
		return Count(n, one, few, many)
	},
	"share": func(a, b int) string {
		if b == 0 {
			return "—"
		}
		if b < rollup.Threshold || small(a) {
			return "скрыто"
		}
		return Percent(float64(a) / float64(b))
	},
}

func small(n int) bool { return n > 0 && n < rollup.Threshold }

func maskedNumber(n int) string {
	if small(n) {
		return "менее\u00a0" + strconv.Itoa(rollup.Threshold)
	}
	return Number(n)
}
