package vacancy

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/russian"
)

// word is a word of a title or of a specialty name with its Snowball stem and
// its root: the stem less a derivational suffix, so that «сварщик» and
// «сварочное» (stems «сварщик», «сварочн») meet in «свар».
type word struct {
	text string // as written, lower case
	stem string
	root string
}

// stopStems are stems that say nothing about the occupation: function words,
// ranks and parts of an organisation in titles, and the «(по отраслям)» tails of
// specialty names. They are written as words and stemmed at start-up.
var stopStems = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		и в во на по для с со из к ко от до за при без или а также об о под над через
		его ее их это как так что который которые
		ведущий главный старший младший стажер стажёр помощник заместитель начальник руководитель
		заведующий специалист сотрудник работник работа разряд разряда категории категория отдела отдел
		группы группа сектора сектор участка цеха смены вахта вахтовым методом обязанности
		junior middle senior lead head chief
		отраслям отрасли видам видов виду вид профилям профиля направлениям направление
		квалификации квалификаций присвоением числе том`) {
		m[russian.Stem(fold(w), true)] = true
	}
	return m
}()

// genericStems are job nouns that say little without their complement
// («инженер», «оператор», «мастер»): a title whose head is one of them links to
// a specialty by its words only when another, specific word of it matches too.
var genericStems = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		инженер техник механик мастер оператор менеджер администратор аналитик
		аппаратчик рабочий наладчик контролер диспетчер лаборант инспектор эксперт
		консультант агент представитель экспедитор технолог разработчик исполнитель
		ассистент служащий координатор`) {
		m[russian.Stem(fold(w), true)] = true
	}
	return m
}()

// adjectiveEndings are the endings of Russian adjectives and participles in
// any case; the head of a title is its first word without one.
var adjectiveEndings = []string{
	"ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его",
	"ому", "ему", "ую", "юю", "ым", "им", "ыми", "ими",
}

// head returns the index of the head noun of a title among its words: the
// first word that does not look like an adjective, or the first word.
func head(ws []word) int {
	for i, w := range ws {
		adj := false
		for _, e := range adjectiveEndings {
			if strings.HasSuffix(w.text, e) {
				adj = true
				break
			}
		}
		if !adj {
			return i
		}
	}
	return 0
}

// derivSuffixes are endings of Snowball stems that derive one word from
// another with the same root, longest first: the worker (-щик, -ист, -тель), the
// adjective (-ическ, -ск, -очн, -н), the process (-ирован, -ени, -ств).
var derivSuffixes = func() []string {
	s := []string{
		"ирован", "тельств", "ическ", "ельн", "ировк", "инск", "ческ", "ност",
		"атор", "щик", "чик", "ист", "тел", "ник", "очн", "ств", "ован", "иров", "ени",
		"ск", "ик", "ин", "ен", "ан", "ов", "ц", "н", "к",
	}
	sort.SliceStable(s, func(i, j int) bool { return utf8.RuneCountInString(s[i]) > utf8.RuneCountInString(s[j]) })
	return s
}()

// minRoot is the fewest letters a root may keep: shorter roots meet too many
// unrelated words («вод» of «водитель» and «водоснабжение»).
const minRoot = 4

func rootOf(stem string) string {
	n := utf8.RuneCountInString(stem)
	for _, s := range derivSuffixes {
		if strings.HasSuffix(stem, s) && n-utf8.RuneCountInString(s) >= minRoot {
			return stem[:len(stem)-len(s)]
		}
	}
	return stem
}

// fold lowers a word and writes ё as е.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ё", "е")
}

// words splits text into the words that can carry meaning: letters only,
// at least three of them, no stop words, each stem once.
func words(text string) []word {
	var out []word
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(f) < 3 || strings.IndexFunc(f, unicode.IsDigit) >= 0 {
			continue
		}
		w := fold(f)
		stem := w
		if isCyrillic(w) {
			stem = russian.Stem(w, true)
		}
		if stopStems[stem] || seen[stem] || utf8.RuneCountInString(stem) < 3 {
			continue
		}
		seen[stem] = true
		out = append(out, word{text: w, stem: stem, root: rootOf(stem)})
	}
	return out
}

func isCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// similarity of two words: 1 for the same stem, 0.8 for the same root, else 0.
func similarity(a, b word) float64 {
	switch {
	case a.stem == b.stem:
		return 1
	case a.root == b.root && utf8.RuneCountInString(a.root) >= minRoot:
		return 0.8
	}
	return 0
}
