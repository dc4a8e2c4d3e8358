package api

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGeneratedClientCompiles generates a Go client from openapi.json with
// oapi-codegen at the version go.mod pins as a tool, with its default
// settings (types, client, server and the embedded document), and compiles
// it: a name that two schemas share, or a schema a generator reads another
// way than we meant, breaks a client's build, not ours, unless this test
// sees it first.
//
// The client is built as a module of its own, testdata/client: its go.mod
// and go.sum pin what the generated code imports (oapi-codegen/runtime,
// echo, kin-openapi), so the build reads the module cache and fetches from
// the module proxy only what the cache lacks. After an upgrade of
// oapi-codegen, run `go mod tidy` there on a freshly generated client.
func TestGeneratedClientCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: generating and compiling the client from openapi.json is skipped")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to generate the client with: %v", err)
	}
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join("testdata", "client", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	spec := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(spec, openapiDoc, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(dir string, env []string, args ...string) {
		t.Helper()
		start := time.Now()
		cmd := exec.Command(goBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		t.Logf("go %s: %s", args[0], time.Since(start).Round(time.Millisecond))
	}
	// The tool runs from this package, inside the repository's module, so
	// that go.mod's pin decides its version.
	run(".", nil, "tool", "oapi-codegen", "-package", "marshrut", "-o", filepath.Join(dir, "client.go"), spec)
	// The client is compiled without optimisation (-N -l): the question is
	// whether it compiles, and its 47 000 lines then take half the time.
	run(dir, []string{"GOFLAGS=-mod=mod", "GOWORK=off"}, "build", "-gcflags=marshrutclient=-N -l", "./...")
}
