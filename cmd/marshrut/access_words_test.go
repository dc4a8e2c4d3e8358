package main

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
)

// wordScanner reads every page of the walk as a person would and notes what
// no page should say: a word of code (a raw key, a method's name), a word
// said twice, a sentence glued from empty parts, a number in English form.
type wordScanner struct {
	found map[string][]string // problem → the routes and logins that show it
}

func newWordScanner() *wordScanner { return &wordScanner{found: map[string][]string{}} }

var (
	reMain = regexp.MustCompile(`(?s)<main.*</main>`)
	// Code, and the expert's words kept one click away in <details>, are not read.
	reCodeLike = regexp.MustCompile(`(?s)<(script|style|code|pre|kbd|samp|details)\b[^>]*>.*?</(script|style|code|pre|kbd|samp|details)>|<[^>]+\btranslate="no"[^>]*>[^<]*`)
	reTag      = regexp.MustCompile(`<[^>]+>`)
	reAddress  = regexp.MustCompile(`\S+@\S+|https?://\S+|(?:^|\s)/\S*|\b\d{1,3}(?:\.\d{1,3}){3}\b|\.(?:csv|xlsx|json|pem)\b`)
	reLatin    = regexp.MustCompile(`\b[A-Za-z][A-Za-z_]+\b`)
	reTwice    = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(\p{Cyrillic}{3,})\s+(\p{Cyrillic}{3,})(?:[^\p{L}]|$)`)
	reGlued    = regexp.MustCompile(`\s;|;\s*;|\+1 год|\d\.\d{3}\b|\b0\.\d+\b|\(\s*\)|«\s*»`)
)

// words are the Latin words a page may say: formats, standards, names.
var words = map[string]bool{"XLSX": true, "CSV": true, "API": true, "JSON": true, "PDF": true, "OpenAPI": true, "HTTPS": true,
	"HTTP": true, "SMTP": true, "TLS": true, "UTF": true, "Windows": true, "Excel": true, "LibreOffice": true, "ROC": true,
	"AUC": true, "PR": true, "WorldSkills": true, "Python": true, "Java": true, "SQL": true, "Bearer": true, "Ctrl": true, "IT": true,
	"ID": true, "QR": true, "ed": true, "Prometheus": true, "Mac": true, "csv": true, "xlsx": true, "json": true}

// check reads an HTML answer's main part.
func (s *wordScanner) check(pattern, login string, o outcome) {
	if o.status != 200 || !strings.Contains(o.ctype, "text/html") {
		return
	}
	main := reMain.Find(o.body)
	if main == nil {
		return
	}
	main = reCodeLike.ReplaceAll(main, nil)
	where := pattern + " as " + login
	// Each text between tags is read on its own: a table's cells are not a sentence.
	for _, node := range reTag.Split(string(main), -1) {
		text := strings.TrimSpace(html.UnescapeString(node))
		if text == "" {
			continue
		}
		text = reAddress.ReplaceAllString(text, " ")
		for _, w := range reLatin.FindAllString(text, -1) {
			if !words[w] {
				s.note("латинское слово «"+w+"»", where)
			}
		}
		for _, m := range reTwice.FindAllStringSubmatch(text, -1) {
			if strings.EqualFold(m[1], m[2]) {
				s.note("слово дважды: «"+m[1]+" "+m[2]+"»", where)
			}
		}
		for _, g := range reGlued.FindAllString(text, -1) {
			s.note("склейка или число не по-русски: «"+g+"»", where)
		}
	}
}

func (s *wordScanner) note(problem, where string) {
	if !slices.Contains(s.found[problem], where) {
		s.found[problem] = append(s.found[problem], where)
	}
}

// report lists every problem with up to three places that show it.
func (s *wordScanner) report() []string {
	var out []string
	for p, where := range s.found {
		more := ""
		if len(where) > 3 {
			more = fmt.Sprintf(" и ещё %d", len(where)-3)
			where = where[:3]
		}
		out = append(out, p+": "+strings.Join(where, ", ")+more)
	}
	slices.Sort(out)
	return out
}
