package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"marshrut/internal/apperr"
)

// errorBody is the JSON of every error the API answers.
type errorBody struct {
	Error errorDTO `json:"error"`
}

type errorDTO struct {
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Field   string        `json:"field,omitempty"`
	Details []fieldDetail `json:"details,omitempty"`
}

// fieldDetail is one fault of a request that had several, so that a form can
// mark every field at once.
type fieldDetail struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// writeJSON writes v with the given status. Every answer may carry personal
// data, so none is cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the status is sent; a failed write means the client is gone
}

// noContent answers 204: the request did what it asked and has nothing to say.
func noContent(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// fail writes err as the JSON error: its code decides the status; an internal
// error is logged in full and shown only as the generic message.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	a.failStatus(w, r, apperr.HTTPStatus(apperr.CodeOf(err)), err)
}

// failStatus is fail with a status of its own, for the few answers HTTP has a
// status for and apperr has no code (405).
func (a *api) failStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	code := apperr.CodeOf(err)
	if code == apperr.Internal {
		if errors.Is(err, context.Canceled) {
			return // the client went away; nobody reads the answer
		}
		// The path only: the query may carry a person's name.
		a.d.Log.Error("api request failed", "request", apperr.RequestOf(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	body := errorDTO{Code: string(code), Message: apperr.Message(err)}
	var bf *bodyFault
	var e *apperr.Error
	switch {
	case errors.As(err, &bf):
		body.Field = bf.field
	case errors.As(err, &e) && code != apperr.Internal:
		body.Field = e.Field
		body.Details = details(e)
	}
	writeJSON(w, status, errorBody{body})
}

// details lists the field errors joined in e by apperr.List, when there are several.
func details(e *apperr.Error) []fieldDetail {
	joined, ok := e.Err.(interface{ Unwrap() []error })
	if !ok {
		return nil
	}
	var out []fieldDetail
	for _, err := range joined.Unwrap() {
		var fe *apperr.Error
		if errors.As(err, &fe) && fe.Field != "" {
			out = append(out, fieldDetail{Field: fe.Field, Message: fe.Message})
		}
	}
	return out
}

// bodyFault is a fault of the request body that names a field while its message
// already names it too («Неизвестное поле «foo»»), so that the message is not
// prefixed with the field a second time.
type bodyFault struct {
	field string
	err   *apperr.Error
}

func (f *bodyFault) Error() string { return f.err.Error() }
func (f *bodyFault) Unwrap() error { return f.err }
