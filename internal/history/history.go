// Package history keeps what was changed in an object after it was created:
// which fields, from what to what, by whom and when. A domain says what its
// object's fields are called and how their values read (a Change per field);
// the store writes the changes in the transaction of the edit itself, so an
// edit and its record land together or not at all.
package history

import (
	"strconv"
	"strings"
	"time"
)

// Kind names an object whose edits are kept.
type Kind string

const (
	Offer     Kind = "targeted_offer"     // an employer's offer of targeted education
	Event     Kind = "guidance_event"     // a career-guidance event or профпроба
	Service   Kind = "youth_service"      // a service of an employment centre for the young
	Programme Kind = "measures_programme" // a programme of active employment measures
	Mentor    Kind = "mentor"             // a mentor at an enterprise or among students
	Cluster   Kind = "cluster"            // a «Профессионалитет» cluster
)

// Change is one field of an edit: its name as the form calls it and its
// values before and after, as people read them («5 000 ₽», «нет»).
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Entry is one edit of an object.
type Entry struct {
	At      time.Time `json:"at"`
	UserID  int64     `json:"-"`
	Login   string    `json:"login"` // who edited; empty for the program's own work
	Changes []Change  `json:"changes"`
}

// Diff keeps the changes whose values differ: a form saved as it was shown
// leaves no entry.
func Diff(fields ...Change) []Change {
	var out []Change
	for _, f := range fields {
		if f.Old != f.New {
			out = append(out, f)
		}
	}
	return out
}

// Field is a Change from two values of one field, formatted by the caller.
func Field(name, old, new string) Change { return Change{Field: name, Old: old, New: new} }

// Int reads a number as a Russian page writes it: «5 000», thousands apart
// by a narrow no-break space.
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u202f') // a narrow no-break space keeps the number whole
		}
		b.WriteRune(r)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

// Bool reads a yes-or-no field.
func Bool(v bool) string {
	if v {
		return "да"
	}
	return "нет"
}

// Date reads a day, «—» when there is none.
func Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("02.01.2006")
}

// Text reads a field of words, «—» when it is empty.
func Text(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "—"
	}
	return s
}
