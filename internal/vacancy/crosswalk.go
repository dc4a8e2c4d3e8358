package vacancy

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// The tables are curated here; data/README.md says how.
//
//go:embed data/*.csv
var dataFS embed.FS

// Sphere is a sphere of activity of «Работа России» (category.specialisation in
// the API, professionalSphereName and code_professional_sphere in the open-data
// dataset) with the enlarged groups of specialties (УГС) that prepare for it.
type Sphere struct {
	Code   string // the code of the dataset, e.g. Transport
	Name   string // the name of the API, e.g. «Транспорт, автобизнес, логистика, склад, ВЭД»
	Groups []GroupWeight
}

// GroupWeight is an УГС of a sphere and how surely a vacancy of the sphere
// suits its graduates (0..1).
type GroupWeight struct {
	GroupCode string
	Weight    float64
}

// Occupation is a job name of the curated table that names no specialty by its
// words («водитель», «бухгалтер») with the specialty or УГС that prepares for it.
type Occupation struct {
	Name   string // as written in the table, e.g. «медицинская сестра»
	Code   string // a specialty XX.YY.ZZ or a group XX.00.00
	Weight float64
	words  []word
}

// Crosswalk holds the curated tables that tie vacancies to ОКСО: the spheres
// of «Работа России» to УГС, and the occupations to specialties.
type Crosswalk struct {
	Spheres     []Sphere
	Occupations []Occupation
	byKey       map[string]int // normalised name, alias or code → index in Spheres
}

var reOKSO = regexp.MustCompile(`^\d{2}\.\d{2}\.\d{2}$`)

// LoadCrosswalk parses the embedded tables.
func LoadCrosswalk() (*Crosswalk, error) {
	c := &Crosswalk{byKey: map[string]int{}}
	err := readData("data/spheres.csv", 4, func(r []string) error {
		code, name, group := r[0], r[1], r[2]
		if code == "" || name == "" {
			return fmt.Errorf("empty sphere code or name")
		}
		i, ok := c.byKey[sphereKey(code)]
		if !ok {
			i = len(c.Spheres)
			c.Spheres = append(c.Spheres, Sphere{Code: code, Name: name})
			c.byKey[sphereKey(code)] = i
			c.byKey[sphereKey(name)] = i
		} else if c.Spheres[i].Name != name {
			return fmt.Errorf("sphere %s has two names: %q and %q", code, c.Spheres[i].Name, name)
		}
		if group == "" { // a sphere that needs no vocational education
			return nil
		}
		w, err := weight(r[3])
		if err != nil {
			return err
		}
		if !reGroup.MatchString(group) {
			return fmt.Errorf("group code %q is not XX.00.00", group)
		}
		c.Spheres[i].Groups = append(c.Spheres[i].Groups, GroupWeight{GroupCode: group, Weight: w})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readData("data/sphere_aliases.csv", 2, func(r []string) error {
		i, ok := c.byKey[sphereKey(r[1])]
		if !ok {
			return fmt.Errorf("alias %q names unknown sphere %q", r[0], r[1])
		}
		if j, dup := c.byKey[sphereKey(r[0])]; dup && j != i {
			return fmt.Errorf("alias %q already names sphere %s", r[0], c.Spheres[j].Code)
		}
		c.byKey[sphereKey(r[0])] = i
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readData("data/occupations.csv", 3, func(r []string) error {
		w, err := weight(r[2])
		if err != nil {
			return err
		}
		if !reOKSO.MatchString(r[1]) {
			return fmt.Errorf("code %q is not XX.YY.ZZ", r[1])
		}
		ws := words(r[0])
		if len(ws) == 0 {
			return fmt.Errorf("occupation %q has no meaningful word", r[0])
		}
		c.Occupations = append(c.Occupations, Occupation{Name: r[0], Code: r[1], Weight: w, words: ws})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range c.Spheres {
		g := c.Spheres[i].Groups
		sort.SliceStable(g, func(a, b int) bool { return g[a].Weight > g[b].Weight })
	}
	return c, nil
}

// Sphere finds a sphere by its name as the API writes it, by a known older or
// shorter name, or by the dataset's code; case, «ё» and punctuation do not
// matter. A name whose comma-separated parts all belong to one sphere's name
// («Транспорт, автобизнес» of «Транспорт, автобизнес, логистика, склад, ВЭД»)
// finds that sphere when no other sphere has them all.
func (c *Crosswalk) Sphere(name string) (Sphere, bool) {
	k := sphereKey(name)
	if k == "" {
		return Sphere{}, false
	}
	if i, ok := c.byKey[k]; ok {
		return c.Spheres[i], true
	}
	parts := sphereParts(name)
	found := -1
	for i, s := range c.Spheres {
		all := sphereParts(s.Name)
		if containsAll(all, parts) {
			if found >= 0 {
				return Sphere{}, false
			}
			found = i
		}
	}
	if found < 0 {
		return Sphere{}, false
	}
	return c.Spheres[found], true
}

func sphereKey(s string) string {
	return strings.Join(strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

func sphereParts(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if k := sphereKey(p); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func containsAll(set, parts []string) bool {
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		found := false
		for _, s := range set {
			if s == p {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func weight(s string) (float64, error) {
	w, err := strconv.ParseFloat(s, 64)
	if err != nil || w <= 0 || w > 1 {
		return 0, fmt.Errorf("weight %q is not a number in (0, 1]", s)
	}
	return w, nil
}

func readData(name string, fields int, row func([]string) error) error {
	f, err := dataFS.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = fields
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("vacancy %s: %w", name, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("vacancy %s: %w", name, err)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if err := row(rec); err != nil {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("vacancy %s line %d: %w", name, line, err)
		}
	}
}
