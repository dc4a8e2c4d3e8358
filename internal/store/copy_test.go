package store

import (
	"bytes"
	"testing"
	"time"

	"marshrut/internal/learner"
)

func TestCopyValue(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, `\N`},
		{"Иванова\tМария\nПетровна\\", `Иванова\tМария\nПетровна\\`},
		{"строка\r", `строка\r`},
		{42, "42"},
		{int64(-7), "-7"},
		{1.5, "1.5"},
		{true, "t"},
		{false, "f"},
		{learner.Graduate, "graduate"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("MSK", 3*3600)), "2026-01-02T00:04:05Z"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := copyValue(&buf, tt.v); err != nil || buf.String() != tt.want {
			t.Errorf("copyValue(%#v) = %q, %v; want %q", tt.v, buf.String(), err, tt.want)
		}
	}
	var buf bytes.Buffer
	if err := copyValue(&buf, []byte("x")); err == nil {
		t.Error("a value of no known type was written")
	}
}
