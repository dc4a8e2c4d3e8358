package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "marshrut/"

// layers places every package of the project. A package matches a pattern
// when it is the pattern or lies below it ("internal/engine" matches
// internal/engine/match/cmd/matchbench). A new package has to be placed here
// and named in ARCHITECTURE.md before the test passes.
var layers = map[string][]string{
	"cmd":      {"cmd"},
	"engine":   {"internal/engine"},
	"edge":     {"internal/web", "internal/api", "internal/server"},
	"store":    {"internal/store"},
	"exchange": {"internal/exchange", "internal/imports", "internal/tables"},
	"base":     {"internal/apperr", "internal/auth", "internal/config", "internal/jobs", "internal/mail", "internal/sso", "internal/history", "internal/archtest"},
	"demo":     {"internal/demo"},
	"domain": {
		"internal/analytics", "internal/balance", "internal/classifier", "internal/cluster",
		"internal/ddo", "internal/guidance", "internal/kpi", "internal/learner", "internal/measures",
		"internal/mentor", "internal/org", "internal/referral", "internal/report", "internal/risk", "internal/rollup",
		"internal/routing", "internal/targeted", "internal/vacancy", "internal/youth",
	},
}

// rule forbids the packages matching From to import those matching Deny,
// except those matching Allow (checked first). A rule binds a package's
// tests too, unless CodeOnly: then its tests may, say, run against the real
// store.
type rule struct {
	Name     string
	From     []string
	Deny     []string
	Allow    []string
	CodeOnly bool
}

var rules = []rule{
	{
		Name:  "the engine imports nothing of the project: pure algorithms on plain values",
		From:  layers["engine"],
		Deny:  []string{""},
		Allow: layers["engine"],
	},
	{
		Name: "web and api import no engine package: domains expose their own types",
		From: []string{"internal/web", "internal/api"},
		Deny: layers["engine"],
	},
	{
		Name: "domain packages import neither web, api, server, store nor exchange: they get plain values and declare the Store they need",
		From: layers["domain"],
		Deny: []string{"internal/web", "internal/api", "internal/server", "internal/store", "internal/exchange", "internal/imports", "internal/tables"},
	},
	{
		Name:     "web, api and server import no store: they take services and the interfaces the domains declare",
		From:     layers["edge"],
		Deny:     layers["store"],
		CodeOnly: true,
	},
	{
		Name: "exchange, imports and tables import no store, web, api or server: they read and write files of plain values",
		From: layers["exchange"],
		Deny: []string{"internal/store", "internal/web", "internal/api", "internal/server"},
	},
	{
		Name:  "apperr, auth, config and jobs import nothing of the project but each other: every layer above may use them",
		From:  layers["base"],
		Deny:  []string{""},
		Allow: layers["base"],
	},
	{
		Name: "store imports no web, api or server: it implements the domains' interfaces",
		From: layers["store"],
		Deny: []string{"internal/web", "internal/api", "internal/server"},
	},
	{
		Name: "only cmd puts the program together: nothing under internal imports cmd",
		From: []string{"internal"},
		Deny: []string{"cmd"},
	},
}

// under reports whether the project-relative path p is pattern or below it;
// the empty pattern matches every package of the project.
func under(p, pattern string) bool {
	return pattern == "" || p == pattern || strings.HasPrefix(p, pattern+"/")
}

func matches(p string, patterns []string) bool {
	return slices.ContainsFunc(patterns, func(pat string) bool { return under(p, pat) })
}

type pkg struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
	Imports      []string
	TestImports  []string
}

// list returns the project's packages as `go list` sees them.
func list(t *testing.T) (root string, pkgs []pkg) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root = filepath.Dir(strings.TrimSpace(string(out)))
	cmd := exec.Command("go", "list", "-json=ImportPath,Dir,GoFiles,TestGoFiles,XTestGoFiles,Imports,TestImports", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	touch(t, root, pkgs)
	return root, pkgs
}

// touch opens the folders and the Go files that go list read, so that the
// go command's test cache, which sees only what this process opens, runs the
// test again when an import or a package changes.
func touch(t *testing.T, root string, pkgs []pkg) {
	t.Helper()
	for _, top := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(string, fs.DirEntry, error) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pkgs {
		for _, files := range [][]string{p.GoFiles, p.TestGoFiles, p.XTestGoFiles} {
			for _, f := range files {
				if _, err := os.ReadFile(filepath.Join(p.Dir, f)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// rel is the project-relative path of an import path, "" outside the project.
func rel(importPath string) (string, bool) {
	if !strings.HasPrefix(importPath, module) {
		return "", false
	}
	return strings.TrimPrefix(importPath, module), true
}

func TestImportRules(t *testing.T) {
	root, pkgs := list(t)
	for _, p := range pkgs {
		from, _ := rel(p.ImportPath)
		check := func(imports, files []string, tests bool) {
			for _, imp := range imports {
				to, ok := rel(imp)
				if !ok {
					continue
				}
				for _, r := range rules {
					if (tests && r.CodeOnly) || !matches(from, r.From) || !matches(to, r.Deny) || matches(to, r.Allow) {
						continue
					}
					t.Errorf("%s imports %s, against the rule: %s (%s)", from, to, r.Name, importingFiles(root, p.Dir, files, imp))
				}
			}
		}
		// A package's tests count as the package; an external test package
		// (package x_test) is a package of its own that may drive the
		// domain against the real store, as integration tests do.
		check(p.Imports, p.GoFiles, false)
		check(p.TestImports, p.TestGoFiles, true)
	}
}

// importingFiles names the files of dir among names that import imp.
func importingFiles(root, dir string, names []string, imp string) string {
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err == nil && bytes.Contains(b, []byte(`"`+imp+`"`)) {
			r, _ := filepath.Rel(root, filepath.Join(dir, n))
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return "in " + dir
	}
	return "in " + strings.Join(out, ", ")
}

// TestEveryPackagePlaced keeps the map whole: every package sits in a layer
// of this test and is named in ARCHITECTURE.md.
func TestEveryPackagePlaced(t *testing.T) {
	root, pkgs := list(t)
	doc, err := os.ReadFile(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatalf("the map: %v", err)
	}
	for _, p := range pkgs {
		r, _ := rel(p.ImportPath)
		placed := false
		for _, patterns := range layers {
			placed = placed || matches(r, patterns)
		}
		if !placed {
			t.Errorf("%s is in no layer of the architecture test: add it to layers in internal/archtest", r)
		}
		if !named(string(doc), r) {
			t.Errorf("%s is not named in ARCHITECTURE.md: give it its line on the map", r)
		}
	}
}

// named reports whether the map names the package: its path, or for a
// package below internal its path without the prefix (as "engine/match/").
func named(doc, r string) bool {
	short := strings.TrimPrefix(r, "internal/")
	for _, s := range []string{r, short} {
		if strings.Contains(doc, s+"/") || strings.Contains(doc, "`"+s+"`") {
			return true
		}
	}
	return false
}

func TestRulesTable(t *testing.T) {
	for _, r := range rules {
		if r.Name == "" || len(r.From) == 0 || len(r.Deny) == 0 {
			t.Errorf("incomplete rule %+v", r)
		}
	}
	if !under("internal/engine/ts", "internal/engine") || under("internal/engineer", "internal/engine") || !under("cmd", "") {
		t.Error("under is wrong")
	}
}
