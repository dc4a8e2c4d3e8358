package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"marshrut/internal/auth"
	"marshrut/internal/server"
	"marshrut/internal/web"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Every answer carries its request's number, and the log line of a failure
// names the same number: a person's report finds its line.
func TestRequestNumbers(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	w, err := web.New(web.Deps{Region: "41", SessionTTL: time.Hour, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	boom := func(context.Context) error { panic("boom") }
	h := server.New(server.Deps{Web: w, API: http.NotFoundHandler(), Auth: auth.NewService(nil, time.Hour, time.Now), Ping: boom, Log: log, Registry: prometheus.NewRegistry()})
	srv := httptest.NewServer(h)
	defer srv.Close()
	seen := map[string]bool{}
	for range 2 {
		resp, err := http.Get(srv.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		id := resp.Header.Get("X-Request-Id")
		if len(id) != 16 || seen[id] {
			t.Fatalf("request number %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
	// A failure's page names the number the log names.
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusInternalServerError || id == "" {
		t.Fatalf("a panic answered %d with number %q", resp.StatusCode, id)
	}
	if !strings.Contains(string(page), "номер запроса: <span translate=\"no\">"+id+"</span>") {
		t.Errorf("the error page does not give the number %s:\n%s", id, page)
	}
	if !strings.Contains(logs.String(), "request="+id) {
		t.Errorf("the log does not name request %s:\n%s", id, logs.String())
	}
}
