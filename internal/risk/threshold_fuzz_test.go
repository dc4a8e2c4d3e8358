package risk

import (
	"math"
	"testing"

	"marshrut/internal/apperr"
)

// FuzzParseThreshold feeds arbitrary text to the threshold reader: it refuses
// with an Invalid error or returns a share strictly between 0 and 1.
func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"0,3", "0.3", "30 %", "30%", "1", "0", "-0,5", "100", "NaN", "Inf", "1e-400", "0x1p-2", "", "%", "50\u00a0%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseThreshold(s)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid || apperr.Message(err) == "" {
				t.Fatalf("ParseThreshold(%q): %v is not a refusal for a person", s, err)
			}
			return
		}
		if math.IsNaN(v) || v <= 0 || v >= 1 {
			t.Fatalf("ParseThreshold(%q) = %v", s, v)
		}
	})
}
