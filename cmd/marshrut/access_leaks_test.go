package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/auth"
	"marshrut/internal/store"
)

// leakScanner finds in an answer the people a login must not see: the full
// names and СНИЛС of the learners outside its scope, links to their cards
// and their ids in JSON.
type leakScanner struct {
	visible map[string]map[int64]bool  // login → learner ids it sees
	names   map[string]map[string]bool // login → full names it must not see
	snils   map[string]map[string]bool // login → СНИЛС (digits) it must not see
}

func newLeakScanner(f *accessFixture) *leakScanner {
	s := &leakScanner{visible: map[string]map[int64]bool{}, names: map[string]map[string]bool{}, snils: map[string]map[string]bool{}}
	type person struct {
		id          int64
		name, snils string
	}
	var all []person
	rows, err := f.db.QueryContext(f.ctx, `SELECT id, last_name, first_name, middle_name, snils FROM learner`)
	if err != nil {
		f.t.Fatal(err)
	}
	for rows.Next() {
		var p person
		var last, first, middle string
		var sn *string
		if err := rows.Scan(&p.id, &last, &first, &middle, &sn); err != nil {
			f.t.Fatal(err)
		}
		p.name = strings.TrimSpace(last + " " + first + " " + middle)
		if sn != nil {
			p.snils = *sn
		}
		all = append(all, p)
	}
	rows.Close()
	// Names that belong to someone other than a learner too (a mentor, a
	// user, a person enrolled on a measure) prove nothing when they appear.
	ambiguous := map[string]bool{}
	for _, q := range []string{`SELECT full_name FROM mentor`, `SELECT name FROM app_user`, `SELECT mentee_name FROM mentor_pair`,
		`SELECT last_name || ' ' || first_name || CASE WHEN middle_name = '' THEN '' ELSE ' ' || middle_name END FROM measure_person`} {
		for _, n := range f.column(q) {
			ambiguous[n] = true
		}
	}
	for _, login := range accessLogins {
		seen := f.sees(login)
		seenNames := map[string]bool{}
		// Beyond its scope of learners a role sees by design the people its
		// work brings to it: an employer those who apply to its offers, those
		// its mentors guide and the graduates proposed to its vacancies; a
		// provider of employment measures those it trains; an employment
		// centre those it enrolled.
		u := f.users[login]
		for _, q := range byDesign[u.Role] {
			for _, id := range f.column(q, u.OrgID) {
				seen[atoi64(id)] = true
			}
		}
		for _, p := range all {
			if seen[p.id] {
				seenNames[p.name] = true
			}
		}
		names, snils := map[string]bool{}, map[string]bool{}
		for _, p := range all {
			if seen[p.id] {
				continue
			}
			if !seenNames[p.name] && !ambiguous[p.name] {
				names[p.name] = true
			}
			if p.snils != "" {
				snils[p.snils] = true
			}
		}
		s.visible[login], s.names[login], s.snils[login] = seen, names, snils
	}
	return s
}

// sees is the test's own answer to whom a login sees, written from the
// roles' description rather than read from the store's scope, so that a
// scope gone wrong shows here as a difference.
func (f *accessFixture) sees(login string) map[int64]bool {
	u := f.users[login]
	q := map[auth.Role]string{
		auth.Admin:      `SELECT id FROM learner WHERE region_code = $1 AND $2 >= 0`,
		auth.Region:     `SELECT id FROM learner WHERE region_code = $1 AND $2 >= 0`,
		auth.CZN:        `SELECT id FROM learner WHERE region_code = $1 AND municipality_id IN (SELECT municipality_id FROM user_municipality WHERE user_id = $2)`,
		auth.School:     `SELECT id FROM learner WHERE region_code = $1 AND org_id = $2`,
		auth.College:    `SELECT id FROM learner WHERE region_code = $1 AND org_id = $2`,
		auth.University: `SELECT id FROM learner WHERE region_code = $1 AND org_id = $2`,
		auth.Employer: `SELECT id FROM learner l WHERE region_code = $1 AND (EXISTS (SELECT 1 FROM outcome o WHERE o.learner_id = l.id AND o.employer_id = $2)
			OR EXISTS (SELECT 1 FROM learner_stage s WHERE s.learner_id = l.id AND s.org_id = $2))`,
		auth.Learner:  `SELECT id FROM learner WHERE region_code = $1 AND id = $2`,
		auth.Guardian: `SELECT id FROM learner WHERE region_code = $1 AND id = $2`,
	}[u.Role]
	arg := u.OrgID
	switch u.Role {
	case auth.CZN:
		arg = u.ID
	case auth.Learner, auth.Guardian:
		arg = u.LearnerID
	}
	seen := map[int64]bool{}
	if q != "" {
		for _, id := range f.column(q, u.RegionCode, arg) {
			seen[atoi64(id)] = true
		}
	}
	return seen
}

// byDesign are the queries of the learners a role sees beyond learnerScope,
// by the login's organisation.
var byDesign = map[auth.Role][]string{
	auth.Employer: {
		`SELECT a.learner_id FROM targeted_application a JOIN targeted_offer o ON o.id = a.offer_id WHERE o.employer_id = $1`,
		`SELECT x.learner_id FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id WHERE m.employer_id = $1 AND x.learner_id IS NOT NULL`,
		`SELECT p.learner_id FROM match_proposal p JOIN vacancy v ON v.id = p.vacancy_id JOIN organisation o ON o.inn = v.employer_inn WHERE o.id = $1`,
		`SELECT learner_id FROM vacancy_response WHERE employer_id = $1`,
	},
	auth.College:    {providerTrains},
	auth.University: {providerTrains},
	auth.CZN:        {`SELECT learner_id FROM measure_enrolment WHERE czn_id = $1 AND learner_id IS NOT NULL`},
}

const providerTrains = `SELECT e.learner_id FROM measure_enrolment e JOIN measure_group g ON g.id = e.group_id
	JOIN measure_programme p ON p.id = g.programme_id WHERE p.provider_id = $1 AND e.learner_id IS NOT NULL`

var (
	reSNILS = regexp.MustCompile(`\b\d{3}-\d{3}-\d{3} \d{2}\b|\b\d{11}\b`)
	// a link to a learner's card or recommendations, not to a row of a
	// federal table named «learners»
	reLearnerLink = regexp.MustCompile(`"(?:/routing)?/learners/(\d+)`)
)

// check scans an answer of the walk for people the login must not see.
func (s *leakScanner) check(w *walker, pattern, login, kind string, o outcome) {
	text := o.body
	if strings.Contains(o.ctype, "spreadsheetml") {
		text = unzipText(o.body)
	}
	found := s.scan(login, text)
	if strings.Contains(o.ctype, "json") {
		var v any
		if json.Unmarshal(o.body, &v) == nil {
			found = append(found, s.scanJSON(login, v)...)
		}
	}
	if len(found) > 3 {
		found = append(found[:3], fmt.Sprintf("%d more", len(found)-3))
	}
	if len(found) > 0 {
		w.t.Errorf("%s as %s (%s ids): %d shows people the role must not see: %s", pattern, login, kind, o.status, strings.Join(found, "; "))
	}
}

// scan finds full names, СНИЛС and card links in a text.
func (s *leakScanner) scan(login string, text []byte) []string {
	var out []string
	names, snils, seen := s.names[login], s.snils[login], s.visible[login]
	for _, m := range reSNILS.FindAll(text, -1) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, string(m))
		if snils[digits] {
			out = append(out, "СНИЛС "+string(m))
		}
	}
	for _, m := range reLearnerLink.FindAllSubmatch(text, -1) {
		if id, _ := strconv.ParseInt(string(m[1]), 10, 64); !seen[id] && id < 999999999 {
			out = append(out, "a link to learner "+string(m[1]))
		}
	}
	// Full names: two or three capitalised Cyrillic words in a row, apart by one space.
	var words []string
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if !unicode.Is(unicode.Cyrillic, r) || !unicode.IsUpper(r) {
			if r != ' ' {
				words = words[:0]
			}
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, n := utf8.DecodeRune(text[j:])
			if !unicode.Is(unicode.Cyrillic, r) && r != '-' {
				break
			}
			j += n
		}
		words = append(words, string(text[i:j]))
		if n := len(words); n >= 2 {
			if name := words[n-2] + " " + words[n-1]; names[name] {
				out = append(out, name)
			}
			if name := strings.Join(words[max(n-3, 0):], " "); n >= 3 && names[name] {
				out = append(out, name)
			}
		}
		if j >= len(text) || text[j] != ' ' {
			words = words[:0]
		}
		i = j
	}
	return out
}

// scanJSON finds learners by their fields and ids in a JSON answer.
func (s *leakScanner) scanJSON(login string, v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		last, _ := v["last_name"].(string)
		first, _ := v["first_name"].(string)
		middle, _ := v["middle_name"].(string)
		if last != "" && first != "" {
			if name := strings.TrimSpace(last + " " + first + " " + middle); s.names[login][name] {
				out = append(out, name)
			}
		}
		for _, k := range []string{"learner_id"} {
			if id, ok := v[k].(float64); ok && id > 0 && !s.visible[login][int64(id)] {
				out = append(out, "learner_id "+strconv.FormatInt(int64(id), 10))
			}
		}
		if ids, ok := v["learner_ids"].([]any); ok {
			for _, x := range ids {
				if id, ok := x.(float64); ok && !s.visible[login][int64(id)] {
					out = append(out, "learner_ids "+strconv.FormatInt(int64(id), 10))
				}
			}
		}
		for _, x := range v {
			out = append(out, s.scanJSON(login, x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, s.scanJSON(login, x)...)
		}
	}
	return out
}

// unzipText is the text of the parts of an XLSX file.
func unzipText(b []byte) []byte {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return b
	}
	var out bytes.Buffer
	for _, f := range z.File {
		if rc, err := f.Open(); err == nil {
			io.Copy(&out, rc)
			rc.Close()
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// checksums fingerprints the tables of the fixture's database.
func (f *accessFixture) checksums() map[string]store.Checksum {
	c, err := f.st.Checksums(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}
