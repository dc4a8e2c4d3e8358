package exchange

import (
	"math"
	"strconv"
	"testing"

	"marshrut/internal/apperr"
)

// FuzzParseValue feeds arbitrary cells to the number, integer and yes-or-no
// readers: each refuses with an Invalid error or returns a finite value that
// reads back the same from its plain form.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{
		"1 234,5", "1\u00a0234,5", "1234.5", "1,234.5", "1.234,5", "1,234", "-0", "+5", "1e5", "2,0", "2.0",
		"0x10", "Inf", "NaN", "1_000", "", " ", "да", "нет", "+", "-", "Истина", "ложь", "х", "v", "1e309", "9223372036854775808",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refused := func(what string, err error) {
			if apperr.CodeOf(err) != apperr.Invalid || apperr.Message(err) == "" {
				t.Fatalf("%s(%q): %v is not a refusal for a person", what, s, err)
			}
		}
		if v, err := ParseNumber(s); err != nil {
			refused("ParseNumber", err)
		} else {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("ParseNumber(%q) = %v", s, v)
			}
			if back, err := ParseNumber(strconv.FormatFloat(v, 'g', -1, 64)); err != nil || back != v {
				t.Fatalf("ParseNumber(%q) = %v, which reads back as %v, %v", s, v, back, err)
			}
		}
		if n, err := ParseInt(s); err != nil {
			refused("ParseInt", err)
		} else if back, err := ParseInt(strconv.Itoa(n)); err != nil || back != n {
			t.Fatalf("ParseInt(%q) = %d, which reads back as %d, %v", s, n, back, err)
		}
		if _, err := ParseBool(s); err != nil {
			refused("ParseBool", err)
		}
	})
}
