package web

import (
	"marshrut/internal/history"
	"math"
	"strconv"
	"strings"
	"time"
)

// Number writes an integer the Russian way, thousands apart by a narrow
// no-break space: 36 000.
func Number(n int) string { return history.Int(n) }

// Percent writes a share as «84,6 %».
func Percent(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	v := math.Round(x*1000) / 10
	switch {
	case x < 1 && v >= 100:
		// Not everyone: 18 351 of 18 352 is not «100 %».
		v = math.Floor(x*1000) / 10
	case x > 0 && v == 0:
		return "менее 0,1\u00a0%"
	}
	s := strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
	return strings.Replace(s, ".", ",", 1) + "\u00a0%"
}

// Date writes a date as 02.01.2006, or a dash for the zero time.
func Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("02.01.2006")
}

// DateTime writes a moment as 02.01.2006 15:04 in the machine's zone.
func DateTime(t time.Time) string { return DateTimeIn(t, time.Local) }

// DateTimeIn writes a moment as 02.01.2006 15:04 in the zone loc (the
// region's); the machine's zone when loc is nil.
func DateTimeIn(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("02.01.2006 15:04")
}

// Plural picks the Russian form for n: one (1, 21), few (2–4, 22–24), many (5–20, 25…).
func Plural(n int, one, few, many string) string {
	n = abs(n)
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return many
	case n%10 == 1:
		return one
	case n%10 >= 2 && n%10 <= 4:
		return few
	}
	return many
}

// Count writes «36 000 школьников».
func Count(n int, one, few, many string) string {
	return Number(n) + "\u00a0" + Plural(n, one, few, many)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

var monthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// Month writes a month as «сентябрь 2026».
func Month(t time.Time) string { return monthNames[t.Month()-1] + " " + strconv.Itoa(t.Year()) }

// Period writes a bundle's period «2026-12» as «декабрь 2026»; anything else
// as it is.
func Period(p string) string {
	t, err := time.Parse("2006-01", p)
	if err != nil {
		return p
	}
	return Month(t)
}

// PercentPoints writes a difference of shares in percentage points, with its
// sign: «+3,2 п. п.», «−0,5 п. п.», «0 п. п.».
func PercentPoints(d float64) string {
	v := math.Round(d*1000) / 10
	s := strings.TrimSuffix(strconv.FormatFloat(math.Abs(v), 'f', 1, 64), ".0")
	s = strings.Replace(s, ".", ",", 1) + "\u00a0п.\u00a0п."
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + s
	}
	return s
}
