// Package apperr defines the one error type the application shows to people:
// a code that maps to an HTTP status and a Russian message that names what is wrong.
package apperr

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Code classifies an error for the caller; it decides the HTTP status.
type Code string

const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Forbidden    Code = "forbidden"
	Unauthorized Code = "unauthorized"
	TooMany      Code = "too_many_requests"
	Unavailable  Code = "unavailable" // the database does not answer: try again shortly
	Internal     Code = "internal"
)

// Error is an error meant to be shown: Message is Russian and safe to display.
// Field names the input at fault when there is one; Err keeps the cause for logs.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a formatted Russian message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: text(format, args...)}
}

// text formats a message. Messages quote what a person sent, which may be
// any bytes: invalid UTF-8 becomes U+FFFD, so that a message is always text
// fit for a page, a JSON answer, a report file or a log line.
func text(format string, args ...any) string {
	return strings.ToValidUTF8(fmt.Sprintf(format, args...), "\uFFFD")
}

// Field returns an Invalid error that names the field at fault.
func Field(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: text(format, args...)}
}

// Wrap keeps err as the cause of a displayable error.
func Wrap(err error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: text(format, args...), Err: err}
}

// inputError is bad input said by a package that cannot import this one (the
// engine): a Russian message fit to show, and whether the input is missing
// rather than wrong. It is shown as Invalid, or NotFound when missing.
type inputError interface {
	error
	InputError() (field, message string, missing bool)
}

// Input translates the engine's bad input in err's chain into an *Error with
// the same field and message, so that a domain calling the engine returns the
// application's one error; any other error is returned as it is.
func Input(err error) error {
	var e *Error
	var in inputError
	if err == nil || errors.As(err, &e) || !errors.As(err, &in) {
		return err
	}
	field, msg, missing := in.InputError()
	code := Invalid
	if missing {
		code = NotFound
	}
	return &Error{Code: code, Field: field, Message: msg, Err: err}
}

// CodeOf returns the code of the first *Error in err's chain; Invalid or
// NotFound for the engine's bad input; Unavailable for a lost connection to
// the database; Internal otherwise.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var in inputError
	if errors.As(err, &in) {
		if _, _, missing := in.InputError(); missing {
			return NotFound
		}
		return Invalid
	}
	if lostConnection(err) || diskFull(err) {
		return Unavailable
	}
	return Internal
}

// diskFullMessage is what a person reads when the database cannot grow.
const diskFullMessage = "На сервере закончилось место для базы данных: изменения не сохранены, прежние данные целы. Сообщите администратору."

// diskFull reports a write refused for want of space: SQLite's SQLITE_FULL
// ("database or disk is full"), ENOSPC, or PostgreSQL's disk_full (53100).
func diskFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "database or disk is full") {
		return true
	}
	var st interface{ SQLState() string }
	return errors.As(err, &st) && st.SQLState() == "53100"
}

// unavailableMessage is what a person reads while the database is down.
const unavailableMessage = "База данных временно недоступна. Повторите попытку через минуту; если ошибка не пройдёт, сообщите администратору."

// lostConnection reports an error that means the database cannot be reached
// rather than that the request is wrong: a refused or broken connection (a
// connection cut mid-answer reads as an unexpected EOF; uploads cut short are
// reported by their parsers as bad input before they get here), or
// PostgreSQL's connection errors (class 08) and shutdown errors (57P01–57P03),
// recognised by their SQLSTATE so that this package needs no driver.
func lostConnection(err error) bool {
	if err == nil {
		return false
	}
	var op *net.OpError
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &op) {
		return true
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		c := st.SQLState()
		return strings.HasPrefix(c, "08") || c == "57P01" || c == "57P02" || c == "57P03"
	}
	return false
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Message returns the text to show a person: the Russian message of an *Error,
// or a generic one for anything else, whose details belong in the log only.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		if e.Field != "" {
			return fmt.Sprintf("%s: %s", e.Field, e.Message)
		}
		return e.Message
	}
	var in inputError
	if e == nil && errors.As(err, &in) {
		field, msg, _ := in.InputError()
		if field != "" {
			return field + ": " + msg
		}
		return msg
	}
	if diskFull(err) {
		return diskFullMessage
	}
	if lostConnection(err) {
		return unavailableMessage
	}
	return "Внутренняя ошибка сервера. Попробуйте позже; если ошибка повторится, сообщите администратору."
}

// List gathers several field errors so that a form or an import row reports all of them at once.
type List []*Error

// Add appends a field error.
func (l *List) Add(field, format string, args ...any) {
	*l = append(*l, Field(field, format, args...))
}

// Text checks that a required text field holds from lo to hi characters,
// saying so in Russian with the field's label.
func (l *List) Text(field, label, v string, lo, hi int) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		l.Add(field, "укажите: %s", label)
	case n < lo:
		l.Add(field, "%s — не короче %d знаков", label, lo)
	case n > hi:
		l.Add(field, "%s — не длиннее %d знаков, указано %d", label, hi, n)
	}
}

// Err returns nil when the list is empty, the single error when there is one,
// and otherwise an Invalid error whose message joins all of them.
func (l List) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	msg := ""
	for i, e := range l {
		if i > 0 {
			msg += "; "
		}
		msg += e.Field + ": " + e.Message
	}
	return &Error{Code: Invalid, Message: msg, Err: errors.Join(l.errs()...)}
}

func (l List) errs() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// HTTPStatus maps a code to its HTTP status.
func HTTPStatus(c Code) int {
	switch c {
	case Invalid:
		return 400
	case Unauthorized:
		return 401
	case Forbidden:
		return 403
	case NotFound:
		return 404
	case Conflict:
		return 409
	case TooMany:
		return 429
	case Unavailable:
		return 503
	}
	return 500
}

// Fields splits an error into the errors of its fields: the parts of a
// List's joined error, or the error itself; an error from outside this
// package becomes one Invalid error with its text.
func Fields(err error) []*Error {
	var e *Error
	if !errors.As(err, &e) {
		return []*Error{Wrap(err, Invalid, "%s", err.Error())}
	}
	if j, ok := e.Err.(interface{ Unwrap() []error }); ok && e.Field == "" {
		var out []*Error
		for _, x := range j.Unwrap() {
			out = append(out, Fields(x)...)
		}
		return out
	}
	return []*Error{e}
}

// Text is the message for a page: like Message, without the fields' keys,
// since a page names what is wrong in words.
func Text(err error) string {
	var e *Error
	if !errors.As(err, &e) || e.Code == Internal {
		return Message(err)
	}
	if j, ok := e.Err.(interface{ Unwrap() []error }); ok && e.Field == "" {
		var parts []string
		for _, x := range j.Unwrap() {
			parts = append(parts, Text(x))
		}
		return strings.Join(parts, "; ")
	}
	return e.Message
}
