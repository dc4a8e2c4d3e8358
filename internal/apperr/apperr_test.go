package apperr

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
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
