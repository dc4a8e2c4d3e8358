package vacancy

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"marshrut/internal/classifier"
)

// Matcher links vacancies to the specialties it was built from, on three kinds
// of evidence: the sphere of the vacancy through the crosswalk to УГС, a known
// occupation named in the title, and the words the title shares with the name
// of a specialty. It is safe for concurrent use once built.
type Matcher struct {
	// Threshold is the least score of a title match; MaxTitle the most title
	// matches kept for one vacancy.
	Threshold float64
	MaxTitle  int

	cw         *Crosswalk
	specs      []spec
	byCode     map[string]int
	groupName  map[string]string
	candidates map[string][]int   // stem or root → specs having a word with it
	weights    map[string]float64 // root → weight of a word with that root
}

type spec struct {
	classifier.Specialty
	words []word
	total float64 // sum of the words' weights
}

// Defaults of a new Matcher, chosen on the sample of «Работа России» vacancies
// and the hand-written cases of the tests.
const (
	DefaultThreshold = 0.5
	DefaultMaxTitle  = 3
	// unknownWeight is the weight of a title word that no specialty name has:
	// such words («PostgreSQL», the name of a department) cannot match, and
	// they count against a match like a common word.
	unknownWeight = 1.0
)

// NewMatcher builds a matcher on the given specialties (usually all of
// classifier.LoadBuiltin) and the embedded crosswalk. Links go only to
// specialties and groups of the list.
func NewMatcher(specialties []classifier.Specialty) (*Matcher, error) {
	cw, err := LoadCrosswalk()
	if err != nil {
		return nil, err
	}
	m := &Matcher{
		Threshold:  DefaultThreshold,
		MaxTitle:   DefaultMaxTitle,
		cw:         cw,
		byCode:     make(map[string]int, len(specialties)),
		groupName:  map[string]string{},
		candidates: map[string][]int{},
		weights:    map[string]float64{},
	}
	df := map[string]int{}
	for _, s := range specialties {
		if _, dup := m.byCode[s.Code]; dup || s.Code == "" {
			continue
		}
		if s.GroupCode != "" && m.groupName[s.GroupCode] == "" {
			m.groupName[s.GroupCode] = s.GroupName
		}
		ws := words(nameForMatching(s.Name))
		i := len(m.specs)
		m.specs = append(m.specs, spec{Specialty: s, words: ws})
		m.byCode[s.Code] = i
		roots := map[string]bool{}
		for _, w := range ws {
			m.candidates[w.stem] = appendOnce(m.candidates[w.stem], i)
			if w.root != w.stem {
				m.candidates[w.root] = appendOnce(m.candidates[w.root], i)
			}
			if !roots[w.root] {
				roots[w.root] = true
				df[w.root]++
			}
		}
	}
	// A rare word tells more than a common one, but only a little more: the
	// weight runs from 1 (a word of every name) to 2 (a word of one name).
	n := float64(len(m.specs))
	for r, d := range df {
		m.weights[r] = 1 + math.Log(n/float64(d))/math.Log(n+1)
	}
	for i := range m.specs {
		for _, w := range m.specs[i].words {
			m.specs[i].total += m.weight(w)
		}
	}
	return m, nil
}

// nameForMatching drops the parts of a specialty name that name no
// occupation: the qualifications it confers («…с присвоением квалификаций
// хормейстер, преподаватель») and the note on whom it is for («(для обучения
// лиц с ограниченными возможностями здоровья по зрению)»).
func nameForMatching(name string) string {
	if i := strings.Index(name, " с присвоением"); i > 0 {
		name = name[:i]
	}
	if i := strings.Index(name, "(для обучения"); i > 0 {
		name = name[:i]
	}
	return name
}

func appendOnce(s []int, i int) []int {
	if len(s) > 0 && s[len(s)-1] == i {
		return s
	}
	return append(s, i)
}

func (m *Matcher) weight(w word) float64 {
	if x, ok := m.weights[w.root]; ok {
		return x
	}
	return unknownWeight
}

// Links returns the links of a vacancy: the УГС of its sphere, the specialties
// of the occupations its title names, and the specialties whose names its title
// resembles best. A specialty or group reached by several kinds of evidence
// appears once, with the scores combined and the reasons joined. The order is
// by score, then by code.
func (m *Matcher) Links(v Vacancy) []Link {
	var links []Link
	links = append(links, m.sphereLinks(v)...)
	tw := words(v.Title)
	links = append(links, m.occupationLinks(v, tw)...)
	links = append(links, m.titleLinks(v, tw)...)
	return combine(links)
}

func (m *Matcher) sphereLinks(v Vacancy) []Link {
	if v.Specialisation == "" {
		return nil
	}
	s, ok := m.cw.Sphere(v.Specialisation)
	if !ok {
		return nil
	}
	var out []Link
	for _, g := range s.Groups {
		name, ok := m.groupName[g.GroupCode]
		if !ok {
			continue
		}
		out = append(out, Link{
			VacancyID: v.ID, GroupCode: g.GroupCode, Kind: BySphere, Score: g.Weight,
			Reason: fmt.Sprintf("сфера «%s» соответствует УГС %s %s", v.Specialisation, g.GroupCode, name),
		})
	}
	return out
}

func (m *Matcher) occupationLinks(v Vacancy, tw []word) []Link {
	stems := make(map[string]bool, len(tw))
	for _, w := range tw {
		stems[w.stem] = true
	}
	var found []*Occupation
	for i := range m.cw.Occupations {
		o := &m.cw.Occupations[i]
		all := true
		for _, w := range o.words {
			if !stems[w.stem] {
				all = false
				break
			}
		}
		if all {
			found = append(found, o)
		}
	}
	var out []Link
	for _, o := range found {
		if narrower(o, found) {
			continue
		}
		l := Link{VacancyID: v.ID, Kind: ByOccupation, Score: o.Weight}
		target := ""
		if strings.HasSuffix(o.Code, ".00.00") {
			name, ok := m.groupName[o.Code]
			if !ok {
				continue
			}
			l.GroupCode = o.Code
			target = "УГС " + o.Code + " " + name
		} else {
			i, ok := m.byCode[o.Code]
			if !ok {
				continue
			}
			s := m.specs[i].Specialty
			l.SpecialtyCode, l.GroupCode = s.Code, s.GroupCode
			target = levelNoun(s.Level, false) + " " + s.Code + " " + s.Name
		}
		l.Reason = fmt.Sprintf("в названии вакансии «%s» названа профессия «%s», к которой готовит %s", v.Title, o.Name, target)
		out = append(out, l)
	}
	return out
}

// narrower reports whether another found occupation has all the words of o and
// more («слесарь по ремонту автомобилей» over «слесарь»): the fuller name decides.
func narrower(o *Occupation, found []*Occupation) bool {
	for _, p := range found {
		if p == o || len(p.words) <= len(o.words) {
			continue
		}
		all := true
		for _, w := range o.words {
			has := false
			for _, x := range p.words {
				if x.stem == w.stem {
					has = true
					break
				}
			}
			if !has {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

type titleMatch struct {
	spec  int
	score float64
	pairs [][2]word // title word, specialty word
}

func (m *Matcher) titleLinks(v Vacancy, tw []word) []Link {
	if len(tw) == 0 {
		return nil
	}
	var titleTotal float64
	cand := map[int]bool{}
	for _, w := range tw {
		titleTotal += m.weight(w)
		for _, i := range m.candidates[w.stem] {
			cand[i] = true
		}
		for _, i := range m.candidates[w.root] {
			cand[i] = true
		}
	}
	h := head(tw)
	generic := genericStems[tw[h].stem]
	var matches []titleMatch
	for i := range cand {
		s := &m.specs[i]
		var inTitle, inSpec float64
		var pairs [][2]word
		// The head of the title must match («Сварщик» of «Сварщик ручной
		// сварки»), or, when it is a generic noun («Инженер-программист»),
		// some specific word of the title must.
		anchored := false
		for j, t := range tw {
			best, bw := 0.0, word{}
			for _, w := range s.words {
				if x := similarity(t, w); x > best {
					best, bw = x, w
				}
			}
			if best > 0 {
				inTitle += best * m.weight(t)
				pairs = append(pairs, [2]word{t, bw})
				if (generic && !genericStems[t.stem]) || (!generic && j == h) {
					anchored = true
				}
			}
		}
		if !anchored {
			continue
		}
		for _, w := range s.words {
			best := 0.0
			for _, t := range tw {
				best = max(best, similarity(t, w))
			}
			inSpec += best * m.weight(w)
		}
		if inTitle == 0 || s.total == 0 {
			continue
		}
		// F2 of the two coverages: explaining the whole title counts four
		// times as much as using the whole name of the specialty, since a
		// title is short and names are long («Сварщик» against «Сварочное
		// производство»).
		rt, rs := inTitle/titleTotal, inSpec/s.total
		score := 5 * rt * rs / (4*rs + rt)
		if score >= m.Threshold {
			matches = append(matches, titleMatch{spec: i, score: score, pairs: pairs})
		}
	}
	sort.Slice(matches, func(a, b int) bool {
		x, y := matches[a], matches[b]
		if x.score != y.score {
			return x.score > y.score
		}
		if lx, ly := levelRank(m.specs[x.spec].Level), levelRank(m.specs[y.spec].Level); lx != ly {
			return lx < ly
		}
		return m.specs[x.spec].Code < m.specs[y.spec].Code
	})
	out := make([]Link, 0, m.MaxTitle)
	names := map[string]bool{}
	for _, t := range matches {
		if len(out) == m.MaxTitle {
			break
		}
		s := m.specs[t.spec].Specialty
		// The same name at several levels (Экономика 38.03.01 and 38.04.01)
		// is one match: the first level in order of education is kept.
		if names[s.Name] {
			continue
		}
		names[s.Name] = true
		out = append(out, Link{
			VacancyID: v.ID, SpecialtyCode: s.Code, GroupCode: s.GroupCode, Kind: ByTitle, Score: t.score,
			Reason: fmt.Sprintf("в названии вакансии «%s» %s %s %s %s", v.Title, describePairs(t.pairs), levelNoun(s.Level, true), s.Code, s.Name),
		})
	}
	return out
}

// describePairs says which words met: «совпадает слово «системный»»,
// «совпадает основа слова «сварщик»/«сварочное»», or several of them.
func describePairs(pairs [][2]word) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		if p[0].stem == p[1].stem {
			parts[i] = "слово «" + p[0].text + "»"
			if p[0].text != p[1].text {
				parts[i] = "слово «" + p[0].text + "»/«" + p[1].text + "»"
			}
		} else {
			parts[i] = "основа слова «" + p[0].text + "»/«" + p[1].text + "»"
		}
	}
	if len(parts) == 1 {
		return "совпадает " + parts[0]
	}
	return "совпадают " + strings.Join(parts, ", ")
}

// levelRank orders levels from the first a young person reaches.
func levelRank(level string) int {
	switch level {
	case classifier.LevelProfession:
		return 0
	case classifier.LevelSpecialty:
		return 1
	case classifier.LevelBachelor:
		return 2
	case classifier.LevelSpecialist:
		return 3
	}
	return 4
}

// levelNoun names the kind of a code, with «с» in the instrumental case when
// instr («со специальностью») and in the accusative otherwise («готовит специальность»).
func levelNoun(level string, instr bool) string {
	switch level {
	case classifier.LevelProfession:
		if instr {
			return "с профессией"
		}
		return "профессия"
	case classifier.LevelBachelor, classifier.LevelMaster:
		if instr {
			return "с направлением подготовки"
		}
		return "направление подготовки"
	}
	if instr {
		return "со специальностью"
	}
	return "специальность"
}

// combine merges links to the same code: the scores as independent evidence
// (1 − ∏(1 − s)), the reasons joined, the kind of the strongest. Scores are
// rounded to three decimals so that stored and recomputed links compare equal.
func combine(links []Link) []Link {
	idx := map[string]int{}
	var out []Link
	for _, l := range links {
		i, ok := idx[l.Code()]
		if !ok {
			idx[l.Code()] = len(out)
			out = append(out, l)
			continue
		}
		o := &out[i]
		if l.Score > o.Score {
			o.Kind = l.Kind
			o.Reason = l.Reason + "; " + o.Reason
		} else {
			o.Reason += "; " + l.Reason
		}
		o.Score = 1 - (1-o.Score)*(1-l.Score)
	}
	for i := range out {
		out[i].Score = math.Round(out[i].Score*1000) / 1000
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].Code() < out[b].Code()
	})
	return out
}
