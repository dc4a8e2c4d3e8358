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

// engineFault stands for the engine's bad input, which cannot import this package.
type engineFault struct {
	field, msg string
	missing    bool
}

func (f *engineFault) Error() string { return f.field + ": " + f.msg + ": cause" }
func (f *engineFault) InputError() (string, string, bool) {
	return f.field, f.msg, f.missing
}

func TestInputError(t *testing.T) {
	bad := fmt.Errorf("wrapped: %w", &engineFault{field: "mode", msg: "неизвестный режим"})
	if CodeOf(bad) != Invalid || Message(bad) != "mode: неизвестный режим" {
		t.Errorf("bad input: %s, %q", CodeOf(bad), Message(bad))
	}
	missing := &engineFault{msg: "не найден файл", missing: true}
	if CodeOf(missing) != NotFound || Message(missing) != "не найден файл" {
		t.Errorf("missing input: %s, %q", CodeOf(missing), Message(missing))
	}
	var e *Error
	if err := Input(bad); !errors.As(err, &e) || e.Code != Invalid || e.Field != "mode" || e.Message != "неизвестный режим" {
		t.Errorf("Input(bad) = %#v", err)
	}
	if err := Input(missing); CodeOf(err) != NotFound {
		t.Errorf("Input(missing) code %s", CodeOf(err))
	}
	plain := errors.New("plain")
	if Input(plain) != plain || Input(nil) != nil {
		t.Error("Input changed an error that is not bad input")
	}
	if Message(Wrap(bad, Internal, "x")) == "mode: неизвестный режим" {
		t.Error("an internal error shows the message of its cause")
	}
}
