package main

import "strings"

// rule is what a route promises about access.
type rule struct {
	// allow is who may use the route: "public", or logins and groups
	// (@all, @persons, @staff, @whole, @orgs, @experts, @learners, @own), a
	// "-login" taking one away.
	allow string
	// access is the server's access level when it is not the one allow
	// implies (session for any login): persons, auditor, token.
	access string
	// want is the classes of answer an allowed login gets with its own ids
	// (ok, redirect, done, invalid, conflict); by default ok or redirect for
	// a GET and invalid, conflict or redirect for an empty POST.
	want string
	// neighbour is the classes of answer about another organisation's object
	// of the home region, for objects every organisation sees.
	neighbour string
	// deniedInvalid: the empty form is refused before the role is asked
	// about, so a role the rule does not allow may get «invalid» too.
	deniedInvalid bool
	// fresh: the route ends the session it is sent in, so each login sends
	// it in a session of its own.
	fresh bool
	// writes names the tables an allowed login's empty request changes by
	// design (a delete needs no form, a training needs none); every other
	// table must come out of the walk as it went in.
	writes string
	// path is the path requested for a pattern that is a subtree.
	path string
	// skip says why the route is not walked here.
	skip string
}

var accessGroups = map[string]string{
	"@all":      "admin region czn school college university employer expert expert2 expert3 learner pupil parent federal",
	"@persons":  "admin region czn school college university employer learner pupil parent",
	"@staff":    "admin region czn school college university employer",
	"@whole":    "admin region",
	"@orgs":     "czn school college university employer",
	"@experts":  "expert expert2 expert3",
	"@learners": "learner pupil",
	"@own":      "learner pupil parent",
}

// expand turns an allow string into the set of logins.
func expand(allow string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(allow) {
		minus := strings.HasPrefix(w, "-")
		w = strings.TrimPrefix(w, "-")
		names := []string{w}
		if g, ok := accessGroups[w]; ok {
			names = strings.Fields(g)
		}
		for _, n := range names {
			if minus {
				delete(out, n)
			} else {
				out[n] = true
			}
		}
	}
	return out
}
