package apperr

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// sqlStateError stands for a driver's error that carries a SQLSTATE.
type sqlStateError string

func (e sqlStateError) Error() string    { return "server error " + string(e) }
func (e sqlStateError) SQLState() string { return string(e) }

// A lost database is «unavailable» (503, a Russian message to retry), not an
// internal error; other errors keep their codes.
func TestUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tt := range []struct {
		err  error
		want Code
	}{
		{fmt.Errorf("store: learners: %w", refused), Unavailable},
		{fmt.Errorf("query: %w", driver.ErrBadConn), Unavailable},
		{fmt.Errorf("query: %w", sqlStateError("57P01")), Unavailable},
		{fmt.Errorf("query: %w", sqlStateError("08006")), Unavailable},
		{fmt.Errorf("query: %w", sqlStateError("23505")), Internal},
		{errors.New("something else"), Internal},
		{New(NotFound, "нет"), NotFound},
		{fmt.Errorf("store: commit: %w", errors.New("database or disk is full (13)")), Unavailable},
		{fmt.Errorf("write: %w", syscall.ENOSPC), Unavailable},
	} {
		if got := CodeOf(tt.err); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.err, got, tt.want)
		}
	}
	err := fmt.Errorf("store: %w", refused)
	if HTTPStatus(CodeOf(err)) != 503 || !strings.Contains(Message(err), "База данных временно недоступна") || Text(err) != Message(err) {
		t.Errorf("unavailable: %d %q", HTTPStatus(CodeOf(err)), Message(err))
	}
	full := fmt.Errorf("store: commit: %w", errors.New("database or disk is full (13)"))
	if !strings.Contains(Message(full), "закончилось место") {
		t.Errorf("disk full: %q", Message(full))
	}
}

// A message quoting invalid UTF-8 is still valid text.
func TestMessageIsValidUTF8(t *testing.T) {
	for _, err := range []error{New(Invalid, "дата «%s»", "\xff"), Field("date", "«%s»", "a\xc3"), Wrap(nil, Invalid, "%s", "\xed\xa0\x80")} {
		if m := Message(err); !utf8.ValidString(m) || !strings.Contains(m, "\uFFFD") {
			t.Errorf("message %q", m)
		}
	}
}
