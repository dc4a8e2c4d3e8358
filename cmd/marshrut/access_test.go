package main

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"marshrut/internal/api"
)

// TestAccessMatrix walks every route of the pages and of the API, taken from
// the routers' own tables, as every demo role and as nobody, with the ids of
// the role's own objects, of another organisation's or region's, and of none
// at all. It checks that each answer is what the route's rule says (a route
// without a rule fails), that a foreign object is answered exactly as a
// missing one, that no answer carries a person the role must not see, and
// that the walk, whose POSTs are empty forms, changed nothing in the database
// but what the rules allow. MARSHRUT_ACCESS_MATRIX=file writes every answer
// (route, login, kind of ids, status, class) to file, to write a new rule by.
func TestAccessMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("the access matrix builds a demo region")
	}
	start := time.Now()
	f := newAccessFixture(t)
	t.Logf("fixture: %s", time.Since(start).Round(time.Millisecond))
	leaks := newLeakScanner(f)
	w := &walker{f: f, leaks: leaks, words: newWordScanner(), t: t, ids: map[string]idPair{}}
	before := f.checksums()

	var web, apis []string
	for _, r := range f.srv.Routes() {
		web = append(web, r.Pattern)
		rl, ok := webRules[r.Pattern]
		if !ok {
			t.Errorf("page route %q has no rule in webRules: say who may use it", r.Pattern)
			continue
		}
		if want := accessOf(rl); want != r.Access {
			t.Errorf("page route %q: the server requires %s, the rule expects %s", r.Pattern, r.Access, want)
		}
		if rl.skip == "" {
			w.route(false, r.Pattern, rl)
		}
	}
	for _, r := range api.Routes() {
		p := r.Method + " " + r.Pattern
		apis = append(apis, p)
		rl, ok := apiRules[p]
		if !ok {
			t.Errorf("API route %q has no rule in apiRules: say who may use it", p)
			continue
		}
		if r.Public != (rl.allow == "public") {
			t.Errorf("API route %q: public %v, the rule says %q", p, r.Public, rl.allow)
		}
		w.route(true, p, rl)
	}
	for p := range webRules {
		if !slices.Contains(web, p) {
			t.Errorf("webRules has %q, which the server does not serve", p)
		}
	}
	for p := range apiRules {
		if !slices.Contains(apis, p) {
			t.Errorf("apiRules has %q, which the API does not serve", p)
		}
	}
	for _, p := range w.words.report() {
		t.Errorf("page text: %s", p)
	}
	f.waitJobs()
	after := f.checksums()
	writes := slices.Clone(changing)
	for _, rl := range webRules {
		writes = append(writes, strings.Fields(rl.writes)...)
	}
	for _, rl := range apiRules {
		writes = append(writes, strings.Fields(rl.writes)...)
	}
	for table, c := range before {
		if after[table] != c && !slices.Contains(writes, table) {
			t.Errorf("the walk changed table %s: %d rows → %d rows", table, c.Rows, after[table].Rows)
		}
	}
	if path := os.Getenv("MARSHRUT_ACCESS_MATRIX"); path != "" {
		os.WriteFile(path, []byte(strings.Join(w.matrix, "\n")+"\n"), 0o644)
	}
	t.Logf("%d page routes and %d API routes, %d requests in %s", len(web), len(apis), w.requests, time.Since(start).Round(time.Millisecond))
}

// changing are the tables a walk of reads writes to by design: every read of
// a person is audited, and the tokens note when they were last used.
var changing = []string{"audit_log", "api_token", "session"}

// accessOf is the server's access a rule implies.
func accessOf(rl rule) string {
	if rl.access != "" {
		return rl.access
	}
	if rl.allow == "public" {
		return "public"
	}
	return "session"
}

// walker sends the requests of one route and checks their answers.
type walker struct {
	t        *testing.T
	f        *accessFixture
	leaks    *leakScanner
	words    *wordScanner
	ids      map[string]idPair // kind of object/login → ids
	requests int
	matrix   []string
}

// outcome is an answer reduced to what the rules speak of.
type outcome struct {
	status   int
	class    string // ok, redirect, done, invalid, denied, missing, login, unauth, conflict, error
	location string
	body     []byte
	ctype    string
}

func classify(status int, loc string) string {
	switch {
	case status >= 500:
		return "error"
	case status == http.StatusSeeOther || status == http.StatusFound:
		switch {
		case strings.HasPrefix(loc, "/login"):
			return "login"
		case strings.Contains(loc, "error="):
			return "invalid"
		case strings.Contains(loc, "done="):
			return "done"
		}
		return "redirect"
	case status < 300:
		return "ok"
	case status == 400 || status == 422 || status == 413 || status == 415:
		return "invalid"
	case status == 401:
		return "unauth"
	case status == 403:
		return "denied"
	case status == 404:
		return "missing"
	case status == 405:
		return "method"
	case status == 409:
		return "conflict"
	}
	return fmt.Sprint(status)
}

func (w *walker) send(isAPI bool, method, path, login string) outcome {
	w.requests++
	f := w.f
	r := f.webRequest(method, path, login)
	if isAPI {
		r = f.apiRequest(method, path, login)
	}
	res := f.serve(r)
	loc := res.Header().Get("Location")
	return outcome{status: res.Code, class: classify(res.Code, loc), location: loc, body: res.Body.Bytes(), ctype: res.Header().Get("Content-Type")}
}

// params are the {name}s of a path pattern.
func params(path string) []string {
	var out []string
	for _, s := range strings.Split(path, "/") {
		if strings.HasPrefix(s, "{") && s != "{$}" {
			out = append(out, strings.Trim(s, "{}"))
		}
	}
	return out
}

// paramKinds say what object a path parameter names, by the segment before it.
var paramKinds = map[string]string{
	"learners": "learner", "participants": "learner", "organisations": "org", "vacancies": "vacancy", "users": "user",
	"jobs": "job", "events": "event", "offers": "offer", "applications": "application", "runs": "run", "proposals": "proposal",
	"responses": "response", "me/proposals": "myproposal", "trials": "event",
	"cases": "case", "mentorship/programmes": "mprogramme", "mentorship/mentors": "mentor", "measures/programmes": "measprogramme", "pairs": "pair",
	"measures/groups": "group", "balance/groups": "bgroup", "enrolments": "enrolment", "defences": "defence",
	"cluster-defences": "defence", "clusters": "cluster", "needs": "need", "scenarios": "scenario", "reports": "report",
	"tokens": "token", "users/tokens": "usertoken", "regions": "regioncode", "services": "service", "referrals": "referral", "{code}": "table", "{table}": "row",
}

func paramKind(path, param string) string {
	segs := strings.Split(strings.TrimPrefix(path, api.Prefix), "/")
	for i, s := range segs {
		if s == "{"+param+"}" && i > 1 {
			if k, ok := paramKinds[segs[1]+"/"+segs[i-1]]; ok {
				return k
			}
			return paramKinds[segs[i-1]]
		}
	}
	return ""
}

// missingID is an id of the kind that names nothing.
func missingID(kind string) string {
	switch kind {
	case "vacancy":
		return "00000000-0000-0000-0000-000000000000"
	case "regioncode":
		return "99"
	case "table":
		return "nosuch"
	case "row":
		return "999"
	case "bgroup":
		return "99.99.99-spo"
	}
	return "999999999"
}

func (w *walker) idsOf(kind, login string) idPair {
	k := kind + "/" + login
	if p, ok := w.ids[k]; ok && kind != "need" {
		// needs are picked anew: deleting one takes it
		return p
	}
	p := w.f.idsOf(kind, login)
	w.ids[k] = p
	return p
}

// route walks one route.
func (w *walker) route(isAPI bool, pattern string, rl rule) {
	t := w.t
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		t.Errorf("route %q has no method", pattern)
		return
	}
	if isAPI {
		path = api.Prefix + path
		pattern = method + " " + path
	}
	path = strings.ReplaceAll(path, "{$}", "")
	if rl.path != "" {
		path = rl.path
	}
	names := params(path)
	kinds := map[string]string{}
	for _, n := range names {
		kinds[n] = paramKind(path, n)
		if kinds[n] == "" {
			t.Errorf("%s: no kind of object for {%s}: add it to paramKinds", pattern, n)
			return
		}
	}
	fill := func(choose func(name string) string) string {
		p := path
		for _, n := range names {
			p = strings.Replace(p, "{"+n+"}", choose(n), 1)
		}
		return p
	}
	for _, n := range names {
		found := false
		for _, login := range accessLogins {
			found = found || w.idsOf(kinds[n], login).own != ""
		}
		if !found {
			t.Errorf("%s: the fixture has no object of kind %s for any login", pattern, kinds[n])
		}
	}
	allowed := expand(rl.allow)
	// Nobody: a page sends to the login form, the API answers 401.
	anon := fill(func(n string) string {
		if p := w.idsOf(kinds[n], "region"); p.own != "" {
			return p.own
		}
		return missingID(kinds[n])
	})
	o := w.send(isAPI, method, anon, "")
	w.note(pattern, "-", "own", o)
	switch {
	case rl.allow == "public":
		if o.class == "error" {
			w.fail(pattern, "nobody", "own", o, "a public route fails")
		}
	case isAPI && o.class != "unauth", !isAPI && o.class != "login":
		w.fail(pattern, "nobody", "own", o, "without a session or token")
	}
	if isAPI && rl.allow != "public" {
		// A session cookie opens nothing in the API.
		r := w.f.webRequest(method, anon, "region")
		r.Header.Set("Accept", "application/json")
		if res := w.f.serve(r); res.Code != http.StatusUnauthorized {
			t.Errorf("%s with the session of region: %d, want 401", pattern, res.Code)
		}
	}
	if rl.allow == "public" {
		return
	}
	for _, login := range accessLogins {
		if rl.fresh {
			kept := [2]string{w.f.cookie[login], w.f.csrf[login]}
			w.f.cookie[login], w.f.csrf[login] = w.f.login(login)
			defer func() { w.f.cookie[login], w.f.csrf[login] = kept[0], kept[1] }()
		}
		may := allowed[login]
		own, foreign, neighbour, missing := true, false, false, false
		for _, n := range names {
			p := w.idsOf(kinds[n], login)
			if p.own == "" {
				own = false
			}
			foreign = foreign || p.foreign != ""
			neighbour = neighbour || p.neighbour != ""
		}
		pick := func(n, kind string) string {
			p := w.idsOf(kinds[n], login)
			switch {
			case kind == "foreign" && p.foreign != "":
				return p.foreign
			case kind == "neighbour" && p.neighbour != "":
				return p.neighbour
			case kind == "missing" && (p.foreign != "" || p.own == ""):
				return missingID(kinds[n])
			case p.own != "":
				return p.own
			}
			if p.foreign != "" {
				return p.foreign
			}
			return missingID(kinds[n])
		}
		// own: the login's own object, or, when it has none, whatever there is
		// (then it must be answered as a missing one).
		o := w.send(isAPI, method, fill(func(n string) string { return pick(n, "own") }), login)
		w.note(pattern, login, "own", o)
		w.leaks.check(w, pattern, login, "own", o)
		w.words.check(pattern, login, o)
		if !own && len(names) > 0 {
			missing = true
		}
		switch {
		case !may:
			if o.class != "denied" && o.class != "missing" && !(rl.deniedInvalid && o.class == "invalid") {
				w.fail(pattern, login, "own", o, "a role the rule does not allow")
			}
		case own || len(names) == 0:
			w.expectAllowed(pattern, login, "own", method, rl, o)
		}
		if foreign {
			o := w.send(isAPI, method, fill(func(n string) string { return pick(n, "foreign") }), login)
			w.note(pattern, login, "foreign", o)
			w.leaks.check(w, pattern, login, "foreign", o)
			w.words.check(pattern, login, o)
			w.expectAsMissing(isAPI, method, fill(func(n string) string { return pick(n, "missing") }), pattern, login, "foreign", rl, o)
		}
		if missing {
			w.expectAsMissing(isAPI, method, fill(func(n string) string { return pick(n, "missing") }), pattern, login, "own", rl, o)
		}
		if neighbour && may {
			o := w.send(isAPI, method, fill(func(n string) string { return pick(n, "neighbour") }), login)
			w.note(pattern, login, "neighbour", o)
			w.leaks.check(w, pattern, login, "neighbour", o)
			w.words.check(pattern, login, o)
			if rl.neighbour != "" && !strings.Contains(" "+rl.neighbour+" ", " "+o.class+" ") {
				w.fail(pattern, login, "neighbour", o, "another organisation's object: want "+rl.neighbour)
			}
		}
	}
}

// expectAllowed checks the answer to a login the rule allows, with its own ids.
func (w *walker) expectAllowed(pattern, login, kind, method string, rl rule, o outcome) {
	want := "ok redirect"
	if method != "GET" {
		want = "invalid conflict redirect"
	}
	if rl.want != "" {
		want = rl.want
	}
	if !strings.Contains(" "+want+" ", " "+o.class+" ") {
		w.fail(pattern, login, kind, o, "want "+want)
	}
}

// expectAsMissing checks that o, the answer about an object the login must
// not reach, is byte for byte the answer about an object that does not exist.
func (w *walker) expectAsMissing(isAPI bool, method, missingPath, pattern, login, kind string, rl rule, o outcome) {
	m := w.send(isAPI, method, missingPath, login)
	w.note(pattern, login, "missing", m)
	if o.class == "ok" || o.class == "done" || o.class == "redirect" || o.class == "error" {
		w.fail(pattern, login, kind, o, "an object the role must not reach")
		return
	}
	if o.status != m.status || string(o.body) != string(m.body) {
		w.fail(pattern, login, kind, o, fmt.Sprintf("answered otherwise than a missing one (%d %.200s)", m.status, m.body))
	}
}

func (w *walker) fail(pattern, login, kind string, o outcome, why string) {
	w.t.Helper()
	body := string(o.body)
	if len(body) > 300 {
		body = body[:300]
	}
	if o.location != "" {
		body = "→ " + o.location
	}
	w.t.Errorf("%s as %s (%s ids): %d %s: %s [%s]", pattern, login, kind, o.status, o.class, why, strings.Join(strings.Fields(body), " "))
}

func (w *walker) note(pattern, login, kind string, o outcome) {
	w.matrix = append(w.matrix, fmt.Sprintf("%s\t%s\t%s\t%d\t%s\t%s", pattern, login, kind, o.status, o.class, o.location))
}
