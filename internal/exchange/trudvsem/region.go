package trudvsem

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
)

// regionIndex finds the two-digit code of a federal subject by any of the
// spellings «Работа России» and people use: «Город Москва» and «г Москва»,
// «Республика Татарстан (Татарстан)» and «Татарстан республика»,
// «Кемеровская область - Кузбасс» and «Кемеровская область».
type regionIndex struct {
	codes  map[string]bool     // two-digit codes of the classifier
	byKey  map[string]string   // sorted distinctive words → code
	byWord map[string][]string // one distinctive word → codes of the regions having it
	words  map[string][]string // code → its distinctive words
}

var regions = sync.OnceValues(func() (*regionIndex, error) {
	b, err := classifier.LoadBuiltin()
	if err != nil {
		return nil, err
	}
	ix := &regionIndex{codes: map[string]bool{}, byKey: map[string]string{}, byWord: map[string][]string{}, words: map[string][]string{}}
	for _, r := range b.Regions {
		ix.codes[r.Code] = true
		ws := regionWords(r.Name)
		if len(ws) == 0 {
			return nil, fmt.Errorf("trudvsem: region %s «%s» has no distinctive word", r.Code, r.Name)
		}
		ix.words[r.Code] = ws
		ix.byKey[strings.Join(ws, " ")] = r.Code
		for _, w := range ws {
			ix.byWord[w] = append(ix.byWord[w], r.Code)
		}
	}
	return ix, nil
})

// regionTypeWords name the kind of a subject, not the subject.
var regionTypeWords = map[string]bool{
	"республика": true, "респ": true, "область": true, "обл": true, "край": true,
	"автономный": true, "автономная": true, "округ": true, "ао": true, "город": true, "г": true,
	"федерального": true, "значения": true, "народная": true,
}

// regionWords are the distinctive words of a region's name, lower case,
// sorted, each once: «Республика Татарстан (Татарстан)» → [татарстан].
func regionWords(name string) []string {
	f := strings.FieldsFunc(strings.ReplaceAll(strings.ToLower(name), "ё", "е"), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var out []string
	for _, w := range f {
		if regionTypeWords[w] {
			continue
		}
		out = append(out, w)
	}
	sort.Strings(out)
	j := 0
	for i, w := range out {
		if i == 0 || w != out[j-1] {
			out[j] = w
			j++
		}
	}
	return out[:j]
}

var (
	reKladr13  = regexp.MustCompile(`^\d{13}$`)
	reCode2    = regexp.MustCompile(`^\d{2}$`)
	reBrackets = regexp.MustCompile(`\([^()]*\)|/[^/]*/`)
)

// RegionCode turns a region as «Работа России» gives it — a 13-digit code,
// a two-digit code or a name — into the two-digit code of the classifier.
func RegionCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	ix, err := regions()
	if err != nil {
		return "", err
	}
	code := ""
	switch {
	case reKladr13.MatchString(s):
		if code, err = classifier.RegionFromKladr(s); err != nil {
			return "", err
		}
	case reCode2.MatchString(s):
		code = s
	case strings.IndexFunc(s, unicode.IsLetter) >= 0:
		c, ok := ix.byName(s)
		if !ok {
			// «Республика Тыва (Тува)»: the name without what is in brackets.
			c, ok = ix.byName(reBrackets.ReplaceAllString(s, " "))
		}
		if !ok {
			return "", apperr.Field("region", "регион «%s» не найден в справочнике субъектов РФ", clip(s))
		}
		return c, nil
	default:
		return "", apperr.Field("region_code", "код региона «%s» должен состоять из 13 цифр (код «Работы России») или из двух", clip(s))
	}
	if !ix.codes[code] {
		return "", apperr.Field("region_code", "региона с кодом %s (из «%s») нет в справочнике субъектов РФ", code, clip(s))
	}
	return code, nil
}

// byName finds a region by its words: all of them, or, failing that, a set of
// words that only one region's name contains («Кемеровская область» of
// «Кемеровская область - Кузбасс»).
func (ix *regionIndex) byName(name string) (string, bool) {
	ws := regionWords(name)
	if len(ws) == 0 {
		return "", false
	}
	if c, ok := ix.byKey[strings.Join(ws, " ")]; ok {
		return c, true
	}
	found := ""
	for _, c := range ix.byWord[ws[0]] {
		all := true
		for _, w := range ws[1:] {
			if !contains(ix.words[c], w) {
				all = false
				break
			}
		}
		if all {
			if found != "" {
				return "", false
			}
			found = c
		}
	}
	return found, found != ""
}

func contains(s []string, w string) bool {
	for _, x := range s {
		if x == w {
			return true
		}
	}
	return false
}
