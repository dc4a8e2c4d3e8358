package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// A request that may write reads from the primary, and so do the same
// user's reads for OwnWritesFor after a write that succeeded; another
// user's reads, a failed write's and those after the time has passed may go
// to a replica.
func TestOwnWritesStayOnThePrimary(t *testing.T) {
	s := &Server{d: Deps{OwnWritesFor: 50 * time.Millisecond}}
	var own bool
	h := s.written(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		own = auth.OwnWrites(r.Context())
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	do := func(method, path string, user int64) bool {
		t.Helper()
		r := httptest.NewRequest(method, path, nil)
		if user != 0 {
			u := auth.User{ID: user, Role: auth.Region, RegionCode: "41"}
			r = r.WithContext(auth.WithCaller(r.Context(), u, u.Scope("")))
		}
		own = false
		h.ServeHTTP(httptest.NewRecorder(), r)
		return own
	}
	if do("GET", "/learners", 1) {
		t.Error("a read before any write went to the primary")
	}
	if !do("POST", "/fail", 1) {
		t.Error("a request that may write read from a replica")
	}
	if do("GET", "/learners", 1) {
		t.Error("a read after a failed write went to the primary")
	}
	if !do("POST", "/learners", 1) {
		t.Error("a write read from a replica")
	}
	if !do("GET", "/learners", 1) {
		t.Error("the writer's read right after the write went to a replica")
	}
	if do("GET", "/learners", 2) || do("GET", "/learners", 0) {
		t.Error("another user's read went to the primary")
	}
	time.Sleep(60 * time.Millisecond)
	if do("GET", "/learners", 1) {
		t.Error("the writer's read after OwnWritesFor went to the primary")
	}
}
