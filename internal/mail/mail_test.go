package mail

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is a tiny SMTP server: it refuses the first refuse letters
// with a temporary error and keeps the others.
type smtpServer struct {
	ln     net.Listener
	mu     sync.Mutex
	refuse int
	got    []string // the DATA of each kept letter
	rcpt   []string
}

func newSMTPServer(t *testing.T, refuse int) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, refuse: refuse}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 test ESMTP")
	var rcpt string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			rcpt = strings.TrimSpace(line[len("RCPT TO:"):])
			s.mu.Lock()
			refuse := s.refuse > 0
			if refuse {
				s.refuse--
			}
			s.mu.Unlock()
			if refuse {
				say("451 try again later")
				continue
			}
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.got = append(s.got, b.String())
			s.rcpt = append(s.rcpt, rcpt)
			s.mu.Unlock()
			say("250 kept")
		case cmd == "RSET", cmd == "NOOP":
			say("250 ok")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

// memOutbox is an outbox in memory.
type memOutbox struct {
	letters []Letter
	next    map[int64]time.Time
	sent    map[int64]bool
	given   map[int64]bool
}

func (m *memOutbox) DueLetters(_ context.Context, now time.Time, limit int) ([]Letter, error) {
	var out []Letter
	for _, l := range m.letters {
		if !m.sent[l.ID] && !m.given[l.ID] && !m.next[l.ID].After(now) && len(out) < limit {
			out = append(out, l)
		}
	}
	return out, nil
}

func (m *memOutbox) LetterSent(_ context.Context, id int64, _ time.Time) error {
	m.sent[id] = true
	return nil
}

func (m *memOutbox) LetterFailed(_ context.Context, id int64, attempts int, next time.Time, _ string) error {
	for i := range m.letters {
		if m.letters[i].ID == id {
			m.letters[i].Attempts = attempts
		}
	}
	if next.IsZero() {
		m.given[id] = true
	}
	m.next[id] = next
	return nil
}

func TestSenderRetries(t *testing.T) {
	srv := newSMTPServer(t, 1)
	s, err := ParseURL("smtp://" + srv.ln.Addr().String() + "?from=noreply@marshrut.example.ru")
	if err != nil {
		t.Fatal(err)
	}
	box := &memOutbox{letters: []Letter{{ID: 1, To: "graduate@example.ru", Kind: "status", Link: "/me/responses"}},
		next: map[int64]time.Time{}, sent: map[int64]bool{}, given: map[int64]bool{}}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	sender := &Sender{Outbox: box, Server: s, BaseURL: "https://marshrut.example.ru/", Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return now }}
	ctx := context.Background()
	// The server refuses the first attempt: the letter waits a minute.
	if n, err := sender.Pass(ctx); err != nil || n != 0 {
		t.Fatalf("first pass sent %d, %v", n, err)
	}
	if box.letters[0].Attempts != 1 || !box.next[1].Equal(now.Add(time.Minute)) {
		t.Fatalf("after a refusal: attempts %d, next %s", box.letters[0].Attempts, box.next[1])
	}
	if n, _ := sender.Pass(ctx); n != 0 {
		t.Fatal("a letter went before its next attempt")
	}
	now = now.Add(time.Minute)
	if n, err := sender.Pass(ctx); err != nil || n != 1 || !box.sent[1] {
		t.Fatalf("second pass sent %d, %v", n, err)
	}
	srv.mu.Lock()
	got, rcpt := srv.got, srv.rcpt
	srv.mu.Unlock()
	if len(got) != 1 || rcpt[0] != "<graduate@example.ru>" {
		t.Fatalf("server kept %d letters to %v", len(got), rcpt)
	}
	body := got[0]
	for _, want := range []string{"https://marshrut.example.ru/me/responses", "Subject: =?utf-8?q?", "charset=utf-8"} {
		if !strings.Contains(body, want) {
			t.Errorf("letter lacks %q:\n%s", want, body)
		}
	}
	// A letter refused every time is given up after the last wait.
	srv.mu.Lock()
	srv.refuse = 100
	srv.mu.Unlock()
	box.letters = append(box.letters, Letter{ID: 2, To: "x@example.ru", Kind: "response", Link: "/"})
	for i := 0; i <= len(Backoff); i++ {
		sender.Pass(ctx)
		now = now.Add(13 * time.Hour)
	}
	if !box.given[2] || box.letters[1].Attempts != len(Backoff)+1 {
		t.Fatalf("never given up: attempts %d", box.letters[1].Attempts)
	}
}

func TestParseURL(t *testing.T) {
	s, err := ParseURL("smtp://robot:secret@mail.example.ru:587?from=marshrut@example.ru")
	if err != nil || s.Addr != "mail.example.ru:587" || s.User != "robot" || s.Password != "secret" || s.From != "marshrut@example.ru" {
		t.Fatalf("%+v, %v", s, err)
	}
	if s, _ := ParseURL("smtp://mail.example.ru"); s.Addr != "mail.example.ru:25" || s.From != "noreply@mail.example.ru" {
		t.Fatalf("defaults: %+v", s)
	}
	_, err = ParseURL("http://robot:secret@mail.example.ru")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("a wrong scheme: %v", err)
	}
}
