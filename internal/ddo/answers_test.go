package ddo

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

func TestParseAnswers(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"latin", "abababababababababab", "abababababababababab", ""},
		{"russian", "абббааааббббааааабаб", "abbbaaaabbbbaaaaabab", ""},
		{"capitals", "AББaAbBаААААААААААБB", "abbaabbaaaaaaaaaaabb", ""},
		{"space around", "  aaaaaaaaaaaaaaaaaaab\n", "aaaaaaaaaaaaaaaaaaab", ""},
		{"empty", "", "", "answers: не отмечен ни один ответ"},
		{"blank", "   ", "", "answers: не отмечен ни один ответ"},
		{"one short", "aaaaaaaaaaaaaaaaaaa", "", "answers: не отмечен ответ в паре 20"},
		{"dash", "aaaaaa-aaaaaaaaaaaaa", "", "answers: не отмечен ответ в паре 7"},
		{"gap inside", "aaaaaa aaaaaaaaaaaaa", "", "answers: не отмечен ответ в паре 7"},
		{"several", "a?aaaaaaaaa_aaaaaa", "", "answers: не отмечены ответы в парах 2, 12, 19, 20"},
		{"latin c", "aaacaaaaaaaaaaaaaaaa", "", "answers: в паре 4 недопустимый ответ «c»"},
		{"russian в", "aaaaaaaaaaaaaaaaaaaв", "", "answers: в паре 20 недопустимый ответ «в»"},
		{"digit", "1aaaaaaaaaaaaaaaaaaa", "", "answers: в паре 1 недопустимый ответ «1»"},
		{"control", "aa\x00aaaaaaaaaaaaaaaaa", "", "answers: в паре 3 недопустимый знак"},
		{"broken utf-8", "aaaaa\xffaaaaaaaaaaaaaa", "", "answers: в паре 6 недопустимый знак"},
		{"too long", "aaaaaaaaaaaaaaaaaaaab", "", "answers: ответов больше, чем пар: 21 знаков вместо 20"},
		{"too long russian", strings.Repeat("б", 22), "", "answers: ответов больше, чем пар: 22 знаков вместо 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAnswers(tt.in)
			if tt.err != "" {
				if !apperr.Is(err, apperr.Invalid) || !strings.HasPrefix(apperr.Message(err), tt.err) {
					t.Errorf("ParseAnswers(%q) = %s, %v; want an error starting %q", tt.in, a, err, tt.err)
				}
				if a != (Answers{}) {
					t.Errorf("a refused sheet is returned filled: %s", a)
				}
				return
			}
			if err != nil || a.String() != tt.want || !a.Complete() {
				t.Errorf("ParseAnswers(%q) = %s, %v; want %s", tt.in, a, err, tt.want)
			}
		})
	}
}

func TestAnswersString(t *testing.T) {
	var a Answers
	if a.String() != strings.Repeat("-", Items) || a.Complete() {
		t.Errorf("empty sheet: %q, complete %v", a.String(), a.Complete())
	}
	a = uniform(B)
	a[2] = A
	if a.String() != "bbabbbbbbbbbbbbbbbbb" {
		t.Errorf("String() = %q", a.String())
	}
	a[4] = 0
	if a.String() != "bbab-bbbbbbbbbbbbbbb" || a.Complete() {
		t.Errorf("incomplete: %q", a.String())
	}
	if _, err := ParseAnswers(a.String()); err == nil || !strings.Contains(err.Error(), "в паре 5") {
		t.Errorf("an incomplete sheet's string is read back: %v", err)
	}
}

func TestAnswersJSON(t *testing.T) {
	in := struct{ Answers Answers }{uniform(A)}
	in.Answers[19] = B
	raw, err := json.Marshal(in)
	if err != nil || string(raw) != `{"Answers":"aaaaaaaaaaaaaaaaaaab"}` {
		t.Fatalf("Marshal = %s, %v", raw, err)
	}
	var out struct{ Answers Answers }
	if err := json.Unmarshal([]byte(`{"Answers":"aaaaaaaaaaaaaaaaaaaб"}`), &out); err != nil || out != in {
		t.Errorf("Unmarshal = %+v, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"Answers":"aaa"}`), &out); err == nil || !strings.Contains(err.Error(), "в парах 4, 5") {
		t.Errorf("short sheet unmarshalled: %v", err)
	}
	in.Answers[3] = 0
	if _, err := json.Marshal(in); err == nil || !strings.Contains(err.Error(), "не отмечен ответ в паре 4") {
		t.Errorf("incomplete sheet marshalled: %v", err)
	}
}

// FuzzParseAnswers checks that any string is either refused with an answers field error or
// read as a complete sheet that writes back to a string reading the same, and scores to 20.
func FuzzParseAnswers(f *testing.F) {
	for _, s := range []string{
		"abababababababababab", "абабабабабабабабабаб", "ABBAABBAABBAABBAABBA", "АБ",
		"", " ", "aaaaaa-aaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaaaaa\xff",
		"bbbbbbbbbbbbbbbbbbbb\n", "a b a b a b a b a b ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnswers(s)
		if err != nil {
			var e *apperr.Error
			if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &e) || e.Field != "answers" || !utf8.ValidString(e.Message) {
				t.Fatalf("ParseAnswers(%q): error %#v is not an answers field error", s, err)
			}
			return
		}
		if !a.Complete() {
			t.Fatalf("ParseAnswers(%q) = %s: incomplete sheet accepted", s, a)
		}
		out := a.String()
		if len(out) != Items || strings.Trim(out, "ab") != "" {
			t.Fatalf("ParseAnswers(%q).String() = %q", s, out)
		}
		again, err := ParseAnswers(out)
		if err != nil || again != a {
			t.Fatalf("%q does not read back: %s, %v", out, again, err)
		}
		sum := 0
		for _, n := range Score(a).Points {
			sum += n
		}
		if sum != Items {
			t.Fatalf("%s scores %d points", a, sum)
		}
	})
}
