package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The API tests talk to the handler through conform, which checks every
// request and every answer against openapi.json: a handler that drifts from
// the document fails the test that reached it, not a client in a region.

// TestMain runs the tests and then says how much of the API the document
// was checked on, so that a drop in coverage is seen (go test -v).
func TestMain(m *testing.M) {
	code := m.Run()
	if n := conformed.Load(); n > 0 {
		seen, ok, all := conformedOperations()
		fmt.Printf("openapi: %d requests and answers checked against openapi.json; %d of %d operations reached, %d of them with a 2xx answer\n", n, seen, all, ok)
	}
	os.Exit(code)
}

var (
	// conformed counts the exchanges checked; conformedOps holds the
	// operations they reached ("GET /learners/{id}"), conformedOK those
	// that answered 2xx at least once.
	conformed    atomic.Int64
	conformedOps sync.Map
	conformedOK  sync.Map

	conformOnce   sync.Once
	conformDoc    *openapi3.T
	conformRouter routers.Router
	conformErr    error
)

func init() {
	// Workbooks are files to the document as to the clients: bytes whose
	// schema is a binary string, like application/octet-stream.
	openapi3filter.RegisterBodyDecoder(xlsxType, openapi3filter.FileBodyDecoder)
}

// conformance loads the document and its router once for the whole run.
func conformance(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	conformOnce.Do(func() {
		conformDoc, conformErr = openapi3.NewLoader().LoadFromData(openapiDoc)
		if conformErr == nil {
			// The examples are TestOpenAPIValid's; here they would only
			// hide the answer a test got behind an example's fault.
			conformRouter, conformErr = legacy.NewRouter(conformDoc, openapi3.DisableExamplesValidation())
		}
	})
	if conformErr != nil {
		t.Fatalf("openapi.json: %v", conformErr)
	}
	return conformDoc, conformRouter
}

func conformedOperations() (seen, ok, all int) {
	conformedOps.Range(func(any, any) bool { seen++; return true })
	conformedOK.Range(func(any, any) bool { ok++; return true })
	if conformDoc != nil {
		for _, item := range conformDoc.Paths.Map() {
			all += len(item.Operations())
		}
	}
	return seen, ok, all
}

// conform serves next and checks the exchange against the document:
//   - a request the document declares invalid must be refused with a 4xx;
//   - the status of the answer is declared for the operation;
//   - its Content-Type is one the answer declares, and an answer that
//     declares no content has no body;
//   - the body matches the schema of that content type.
//
// A path or method the document does not know must get the JSON error
// (404 or 405). The handlers check the token themselves, so the validator
// takes every caller as authenticated.
func conform(t *testing.T, next http.Handler) http.Handler {
	doc, router := conformance(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqBody, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("openapi: reading the request body: %v", err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		check := r.Clone(context.WithoutCancel(r.Context()))
		check.Body = io.NopCloser(bytes.NewReader(reqBody))

		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		w.Write(rec.Body.Bytes())

		conformed.Add(1)
		name := r.Method + " " + r.URL.Path
		fail := func(format string, args ...any) {
			t.Errorf("openapi: %s → %d: %s\nanswer: %.600s", name, res.StatusCode, fmt.Sprintf(format, args...), rec.Body.Bytes())
		}
		route, params, err := router.FindRoute(check)
		if err != nil {
			if r.Method == http.MethodHead {
				return // HEAD is GET without the body; the document has no HEAD
			}
			// A path the document has for other methods is 405, as the
			// info of the document says; any other is 404.
			want := http.StatusNotFound
			for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
				probe := check.Clone(check.Context())
				probe.Method = m
				if _, _, err := router.FindRoute(probe); err == nil {
					want = http.StatusMethodNotAllowed
				}
			}
			if res.StatusCode != want {
				fail("the document does not know this request (%v), the API answered it", err)
				return
			}
			if err := conformError(doc, res.Header, rec.Body.Bytes()); err != nil {
				fail("%v", err)
			}
			return
		}
		name = route.Method + " " + route.Path
		conformedOps.Store(name, true)
		if res.StatusCode < 300 {
			conformedOK.Store(name, true)
		}
		in := &openapi3filter.RequestValidationInput{
			Request:    check,
			PathParams: params,
			Route:      route,
			Options: &openapi3filter.Options{
				AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
				// OpenAPI 3.0 says a client SHOULD NOT send a readOnly
				// property, not that it must not: the API ignores them, so
				// that a card read with GET may be sent back with PUT.
				ExcludeReadOnlyValidations: true,
				MultiError:                 true,
			},
		}
		if err := openapi3filter.ValidateRequest(check.Context(), in); err != nil && res.StatusCode < 400 {
			fail("the document refuses the request, the API accepted it: %v", err)
		}
		resp := route.Operation.Responses.Status(res.StatusCode)
		if resp == nil || resp.Value == nil {
			fail("the status is not declared for the operation")
			return
		}
		if len(resp.Value.Content) == 0 {
			if rec.Body.Len() > 0 {
				fail("the answer declares no content, the API sent %s", res.Header.Get("Content-Type"))
			}
			return
		}
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 res.StatusCode,
			Header:                 res.Header,
			Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
			Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		if err := openapi3filter.ValidateResponse(check.Context(), out); err != nil {
			fail("%v", err)
		}
	})
}

// conformError checks an answer against the document's Error schema.
func conformError(doc *openapi3.T, h http.Header, body []byte) error {
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("an error answer of type %q, want application/json", ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return doc.Components.Schemas["Error"].Value.VisitJSON(v, openapi3.MultiErrors())
}
