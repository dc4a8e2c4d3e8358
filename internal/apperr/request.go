package apperr

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

type requestKey struct{}

// NewRequestID makes the number of a request: 16 hexadecimal digits, which
// the response carries in X-Request-Id, every log line about the request
// names, and an error page shows, so that a person's report of a failure
// finds its line in the log.
func NewRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// WithRequest returns a context that carries the request's number.
func WithRequest(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestKey{}, id)
}

// RequestOf is the number of the request ctx belongs to; empty outside one.
func RequestOf(ctx context.Context) string {
	id, _ := ctx.Value(requestKey{}).(string)
	return id
}
