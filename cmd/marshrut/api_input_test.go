package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestAPIRefusesWhatItDoesNotRead: a parameter or body the caller may not
// give is refused, not ignored — an organisation's forms for another
// organisation, a body of reading the messages that is not the empty object.
func TestAPIRefusesWhatItDoesNotRead(t *testing.T) {
	s := newMeasuresSite(t)
	ctx := context.Background()
	school, _, err := s.st.Auth.UserByLogin(ctx, "school")
	if err != nil {
		t.Fatal(err)
	}
	send := func(login, method, path, body string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+s.token[login])
		r.Header.Set("Accept", "application/json")
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, r)
		return rec
	}
	for _, path := range []string{"/api/v1/forms", "/api/v1/forms/sheet?form=proforientation", "/api/v1/forms/xlsx?form=proforientation"} {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		if rec := send("college", "GET", path+sep+"org="+strconv.FormatInt(school.OrgID, 10), ""); rec.Code != http.StatusForbidden {
			t.Errorf("a college asks %s for a school: %d %.200s", path, rec.Code, rec.Body)
		}
		if rec := send("college", "GET", path+sep+"org=zz", ""); rec.Code != http.StatusBadRequest {
			t.Errorf("%s with org=zz: %d %.200s", path, rec.Code, rec.Body)
		}
	}
	if rec := send("college", "GET", "/api/v1/forms", ""); rec.Code != http.StatusOK {
		t.Errorf("a college's own forms: %d %.200s", rec.Code, rec.Body)
	}
	for body, want := range map[string]int{"": http.StatusNoContent, "{}": http.StatusNoContent, "{не json": http.StatusBadRequest, `{"all":true}`: http.StatusBadRequest} {
		if rec := send("czn", "POST", "/api/v1/me/messages/read", body); rec.Code != want {
			t.Errorf("reading the messages with the body %q: %d, want %d %.200s", body, rec.Code, want, rec.Body)
		}
	}
}
