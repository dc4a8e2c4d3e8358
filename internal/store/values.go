package store

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Dates travel to both engines as ISO text ("2006-01-02"), which SQLite keeps
// as is and PostgreSQL casts to DATE; timestamps as RFC 3339 in UTC. Reads come
// back as text from SQLite and as time.Time from PostgreSQL; the scanners below
// take either.

const isoDate = "2006-01-02"

// dateArg is a date parameter: NULL for the zero time.
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(isoDate)
}

// tsArg is a timestamp parameter.
func tsArg(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// nullID is an id parameter: NULL for zero.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullText is a text parameter: NULL for the empty string.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// timeScan scans a DATE, TIMESTAMPTZ or their text form into a time.Time;
// NULL leaves the zero time.
type timeScan struct{ t *time.Time }

func (d timeScan) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.t = time.Time{}
	case time.Time:
		*d.t = x
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T into a time", v)
	}
	return nil
}

func (d timeScan) parse(s string) error {
	for _, layout := range []string{isoDate, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			*d.t = t
			return nil
		}
	}
	return fmt.Errorf("store: cannot parse time %q", s)
}

// searchKey is the form names are kept in for search: lower case, ё as е,
// one space between words. Both engines compare it byte by byte (PostgreSQL's
// column is COLLATE "C"), so a prefix becomes an indexable range.
func searchKey(parts ...string) string {
	s := strings.ToLower(strings.Join(strings.Fields(strings.Join(parts, " ")), " "))
	return strings.Map(func(r rune) rune {
		if r == 'ё' {
			return 'е'
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
}

// prefixRange returns the bounds [lo, hi) of every key that starts with prefix.
func prefixRange(prefix string) (string, string) {
	return prefix, prefix + "\U0010FFFF"
}
