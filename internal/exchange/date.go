package exchange

import (
	"math"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
)

// Years outside this range are typing errors or «no date» markers such as
// 1C's 01.01.0001, not dates a person meant.
const minYear, maxYear = 1900, 2999

// Excel serial numbers from 10000 (18.05.1927) are taken as dates; a smaller
// number is more likely a year or a count typed into a date column.
const minSerial, maxSerial = 10000, 401768 // 31.12.2999

// ParseDate reads a date as people type it into spreadsheets and as programs
// export it: 02.01.2006, 2.1.2006, 02/01/2006, 02-01-2006 (day first),
// 2006-01-02, 02012006 and 20060102, «2 января 2006», each optionally with
// «г.» and a time of day after it (which is dropped), and Excel serial numbers
// in the 1900 system («45123», «45123,5»). The result is midnight UTC.
func ParseDate(s string) (time.Time, error) {
	in := Clean(s)
	if in == "" {
		return time.Time{}, apperr.New(apperr.Invalid, "дата не указана: ожидается ДД.ММ.ГГГГ")
	}
	v := strings.ToLower(in)
	v = strings.TrimSuffix(v, "года")
	v = strings.TrimSuffix(v, "г.")
	v = strings.TrimSuffix(strings.TrimRight(v, " "), "г")
	v = strings.TrimSpace(v)
	if y, m, d, ok := parseWordDate(v); ok {
		return makeDate(in, y, m, d)
	}
	if i := strings.IndexAny(v, " t"); i > 0 {
		if !isTime(strings.TrimSpace(v[i+1:])) {
			return time.Time{}, unrecognised(in)
		}
		v = v[:i]
	}
	if isSerial(v) {
		return fromSerial(in, v)
	}
	if len(v) == 8 && allDigits(v) {
		// 02012006 or 20060102: whichever gives a date.
		d, m, y := atoi(v[:2]), atoi(v[2:4]), atoi(v[4:])
		if y >= minYear && validDay(y, m, d) {
			return makeDate(in, y, m, d)
		}
		return makeDate(in, atoi(v[:4]), atoi(v[4:6]), atoi(v[6:]))
	}
	sep := strings.IndexAny(v, "./-")
	if sep < 0 {
		return time.Time{}, unrecognised(in)
	}
	parts := strings.Split(v, v[sep:sep+1])
	if len(parts) != 3 {
		return time.Time{}, unrecognised(in)
	}
	for _, p := range parts {
		if p == "" || len(p) > 4 || !allDigits(p) {
			return time.Time{}, unrecognised(in)
		}
	}
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		return makeDate(in, atoi(parts[0]), atoi(parts[1]), atoi(parts[2]))
	case len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4:
		return makeDate(in, atoi(parts[2]), atoi(parts[1]), atoi(parts[0]))
	}
	// Two-digit years are refused: 02.01.06 could be 1906 or 2006.
	return time.Time{}, unrecognised(in)
}

func unrecognised(s string) error {
	return apperr.New(apperr.Invalid, "дата «%s» не распознана: ожидается ДД.ММ.ГГГГ", clip(s, 40))
}

func makeDate(in string, y, m, d int) (time.Time, error) {
	if y < minYear || y > maxYear {
		return time.Time{}, apperr.New(apperr.Invalid, "дата «%s»: год %d вне диапазона %d–%d", clip(in, 40), y, minYear, maxYear)
	}
	if !validDay(y, m, d) {
		return time.Time{}, apperr.New(apperr.Invalid, "даты «%s» не существует: ожидается ДД.ММ.ГГГГ", clip(in, 40))
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func validDay(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}

// fromSerial turns an Excel serial of the 1900 system into a date. Excel
// counts 29.02.1900, a day that never was, so serials after it are one ahead.
func fromSerial(in, v string) (time.Time, error) {
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) {
		return time.Time{}, unrecognised(in)
	}
	n := math.Floor(f)
	if n < minSerial || n > maxSerial {
		return time.Time{}, unrecognised(in)
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)), nil
}

// isSerial reports digits with at most one decimal point or comma after them.
func isSerial(v string) bool {
	whole, frac, found := strings.Cut(v, ".")
	if !found {
		whole, frac, found = strings.Cut(v, ",")
	}
	if whole == "" || len(whole) > 7 || !allDigits(whole) {
		return false
	}
	return !found || (frac != "" && allDigits(frac))
}

// isTime reports a time of day such as 0:00, 12:30:00 or 12:30:00.000z.
func isTime(v string) bool {
	v = strings.TrimSuffix(v, "z")
	if v == "" {
		return false
	}
	hasColon := false
	for _, r := range v {
		switch {
		case r == ':':
			hasColon = true
		case r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9'):
		default:
			return false
		}
	}
	return hasColon
}

var months = map[string]int{
	"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
	"июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
	"январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6,
	"июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
	"янв": 1, "фев": 2, "мар": 3, "апр": 4, "июн": 6,
	"июл": 7, "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
}

// parseWordDate reads «2 января 2006» and «02 янв. 2006».
func parseWordDate(v string) (y, m, d int, ok bool) {
	f := strings.Fields(v)
	if len(f) != 3 || len(f[0]) > 2 || !allDigits(f[0]) || len(f[2]) != 4 || !allDigits(f[2]) {
		return 0, 0, 0, false
	}
	m, ok = months[strings.TrimSuffix(f[1], ".")]
	if !ok {
		return 0, 0, 0, false
	}
	return atoi(f[2]), m, atoi(f[0]), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads at most a few digits already checked by allDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
