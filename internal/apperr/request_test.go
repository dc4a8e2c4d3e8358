package apperr

import (
	"context"
	"testing"
)

func TestRequestNumbers(t *testing.T) {
	a, b := NewRequestID(), NewRequestID()
	if len(a) != 16 || a == b {
		t.Fatalf("request numbers %q and %q: want 16 hex digits, different", a, b)
	}
	if got := RequestOf(WithRequest(context.Background(), a)); got != a {
		t.Errorf("RequestOf = %q, want %q", got, a)
	}
	if got := RequestOf(context.Background()); got != "" {
		t.Errorf("outside a request: %q", got)
	}
}
