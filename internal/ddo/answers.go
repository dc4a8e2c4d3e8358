package ddo

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// Choice is the option picked in one pair: A, B, or zero when the pair is unanswered.
type Choice byte

const (
	A Choice = 'a'
	B Choice = 'b'
)

// Answers is a filled-in sheet: element i is the choice in pair i+1. It is stored as the
// 20-letter string of String, e.g. "abbaabab…", and read back with ParseAnswers.
type Answers [Items]Choice

// Complete reports whether every pair is answered with A or B.
func (a Answers) Complete() bool {
	for _, c := range a {
		if c != A && c != B {
			return false
		}
	}
	return true
}

// String writes the sheet as 20 Latin letters 'a'/'b'; an unanswered pair is written '-',
// which ParseAnswers refuses.
func (a Answers) String() string {
	var sb strings.Builder
	sb.Grow(Items)
	for _, c := range a {
		switch c {
		case A, B:
			sb.WriteByte(byte(c))
		default:
			sb.WriteByte('-')
		}
	}
	return sb.String()
}

// MarshalText writes the sheet as String does; an incomplete sheet is an error, so that
// nothing is written that cannot be read back.
func (a Answers) MarshalText() ([]byte, error) {
	if !a.Complete() {
		return nil, apperr.Field("answers", "%s", missingMessage(a.missing()))
	}
	return []byte(a.String()), nil
}

// UnmarshalText reads the sheet with ParseAnswers.
func (a *Answers) UnmarshalText(b []byte) error {
	v, err := ParseAnswers(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// ParseAnswers reads a sheet written as one letter per pair, pair 1 first: 'a' or 'b',
// also the Russian «а» and «б» and capitals of both. Space around the string is ignored.
// A pair left blank (a space, '-', '_', '.', '?') or missing at the end of a short string
// makes the sheet incomplete; it is refused, since a partial sheet would score wrong.
// Errors are apperr.Field("answers", …) with a Russian message naming the pair.
func ParseAnswers(s string) (Answers, error) {
	var a Answers
	s = strings.TrimSpace(s)
	if s == "" {
		return a, apperr.Field("answers", "не отмечен ни один ответ: в каждой из %d пар выберите «а» или «б»", Items)
	}
	if n := utf8.RuneCountInString(s); n > Items {
		return a, apperr.Field("answers", "ответов больше, чем пар: %d знаков вместо %d", n, Items)
	}
	i := 0
	for _, r := range s {
		switch r {
		case 'a', 'A', 'а', 'А':
			a[i] = A
		case 'b', 'B', 'б', 'Б':
			a[i] = B
		case ' ', '-', '_', '.', '?':
			// left blank; reported below with the other blanks
		default:
			if r == utf8.RuneError || !unicode.IsPrint(r) {
				return Answers{}, apperr.Field("answers", "в паре %d недопустимый знак: отметьте «а» или «б»", i+1)
			}
			return Answers{}, apperr.Field("answers", "в паре %d недопустимый ответ «%c»: отметьте «а» или «б»", i+1, r)
		}
		i++
	}
	if m := a.missing(); len(m) > 0 {
		return Answers{}, apperr.Field("answers", "%s", missingMessage(m))
	}
	return a, nil
}

// missing lists the numbers of the unanswered pairs.
func (a Answers) missing() []int {
	var m []int
	for i, c := range a {
		if c != A && c != B {
			m = append(m, i+1)
		}
	}
	return m
}

func missingMessage(pairs []int) string {
	if len(pairs) == 1 {
		return "не отмечен ответ в паре " + strconv.Itoa(pairs[0])
	}
	nums := make([]string, len(pairs))
	for i, n := range pairs {
		nums[i] = strconv.Itoa(n)
	}
	return "не отмечены ответы в парах " + strings.Join(nums, ", ")
}
