// Package fault is the engine's one error: what an engine was given is wrong
// (a file, a series, a setting), said in Russian fit to show a person. The
// engine imports nothing else of the project; package apperr recognises these
// errors by their InputError method and shows them as bad input.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

// Error is bad input: Message is Russian and safe to display; Field names the
// input at fault when there is one; Err keeps the cause for logs. Missing
// marks input that does not exist at all, such as a file not found.
type Error struct {
	Field   string
	Message string
	Missing bool
	Err     error
}

// Error is the field, the message and the cause, those there are, joined by
// colons: the text for logs.
func (e *Error) Error() string {
	parts := []string{e.Message}
	if e.Field != "" {
		parts = []string{e.Field, e.Message}
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	return strings.Join(parts, ": ")
}

func (e *Error) Unwrap() error { return e.Err }

// InputError tells what is wrong without the cause: the field, the message
// and whether the input is missing rather than wrong.
func (e *Error) InputError() (field, message string, missing bool) {
	return e.Field, e.Message, e.Missing
}

// text formats a message; the input quoted may be any bytes, so invalid UTF-8
// becomes U+FFFD and the message is always text.
func text(format string, args ...any) string {
	return strings.ToValidUTF8(fmt.Sprintf(format, args...), "\uFFFD")
}

// New returns bad input with a formatted Russian message.
func New(format string, args ...any) *Error {
	return &Error{Message: text(format, args...)}
}

// Field returns bad input that names the field at fault.
func Field(field, format string, args ...any) *Error {
	return &Error{Field: field, Message: text(format, args...)}
}

// Wrap keeps err as the cause of bad input.
func Wrap(err error, format string, args ...any) *Error {
	return &Error{Message: text(format, args...), Err: err}
}

// NotFound keeps err as the cause of input that does not exist.
func NotFound(err error, format string, args ...any) *Error {
	return &Error{Message: text(format, args...), Err: err, Missing: true}
}

// Is reports whether err is bad input (not missing input).
func Is(err error) bool {
	var e *Error
	return errors.As(err, &e) && !e.Missing
}

// Message returns the text to show a person: the field and message of an
// *Error without its cause, or err's own text for anything else.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
