package exchange

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitFullName splits «Фамилия Имя Отчество» written in one column. Commas
// and extra spaces are forgiven, glued initials («Иванов И.И.») come apart,
// and words past the third stay with the patronymic («Мамедов Руслан Али
// оглы»). Letter case is kept: judging names is the importer's business.
func SplitFullName(s string) (last, first, middle string) {
	var words []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || isBlank(r) }) {
		words = append(words, splitInitials(w)...)
	}
	switch len(words) {
	case 0:
		return "", "", ""
	case 1:
		return words[0], "", ""
	case 2:
		return words[0], words[1], ""
	}
	return words[0], words[1], strings.Join(words[2:], " ")
}

// splitInitials turns «И.И.» into «И.» and «И.»; anything else stays whole.
func splitInitials(w string) []string {
	if !strings.HasSuffix(w, ".") || utf8.RuneCountInString(w) < 4 {
		return []string{w}
	}
	var out []string
	for rest := w; rest != ""; {
		r, n := utf8.DecodeRuneInString(rest)
		if !unicode.IsLetter(r) || len(rest) <= n || rest[n] != '.' {
			return []string{w}
		}
		out = append(out, rest[:n+1])
		rest = rest[n+1:]
	}
	return out
}
