package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marshrut/internal/config"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func TestCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cmd.db")
	tests := []struct {
		name      string
		stdin     string
		args      []string
		code      int
		out, errs string
	}{
		{"help", "", []string{"help"}, 0, "serve", ""},
		{"no command", "", nil, 0, "Использование: marshrut <команда>", ""},
		{"unknown", "", []string{"fly"}, 2, "", "неизвестная команда «fly»"},
		{"version", "", []string{"version"}, 0, "marshrut ", ""},
		{"migrate", "", []string{"migrate", "--db", db}, 0, "в версии 3", ""},
		{"bad region", "", []string{"migrate", "--db", db, "--region", "4x"}, 1, "", "код региона «4x»"},
		{"user without stdin flag", "", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region"}, 1, "", "--password-stdin"},
		{"user short password", "short\n", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region", "--password-stdin"}, 1, "", "не короче 10"},
		{"user needs org", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "kolledzh", "--role", "college", "--password-stdin"}, 1, "", "укажите организацию"},
		{"user bad role", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "x-user", "--role", "boss", "--password-stdin"}, 1, "", "неизвестная роль «boss»"},
		{"user ok", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region", "--password-stdin"}, 0, "Пользователь ivanova", ""},
		{"user twice", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region", "--password-stdin"}, 1, "", "логин «ivanova» уже занят"},
		{"demo negative", "", []string{"demo", "--db", db, "--learners", "-5", "--generate-only"}, 1, "", "не может быть отрицательным"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.errs) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
}

// serve answers health checks and stops cleanly when its context ends.
func TestServeShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config.Default()
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "serve.db")
	cfg.Addr = "127.0.0.1:0"
	cfg.LogLevel = 8
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, &env{stdout: io.Discard, stderr: io.Discard}, &cfg, st, func(addr string) { ready <- addr })
	}()
	addr := <-ready
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}
