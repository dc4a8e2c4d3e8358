package api

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIValid validates the document as OpenAPI 3.0.3 with kin-openapi:
// what generators and validators of clients read must hold no error.
func TestOpenAPIValid(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableMultiError(), openapi3.EnableExamplesValidation()); err != nil {
		var me openapi3.MultiError
		if errors.As(err, &me) {
			var lines []string
			for _, e := range me {
				lines = append(lines, e.Error())
			}
			sort.Strings(lines)
			t.Fatalf("openapi.json is not valid OpenAPI 3.0 (%d errors):\n%s", len(lines), strings.Join(lines, "\n"))
		}
		t.Fatalf("openapi.json is not valid OpenAPI 3.0: %v", err)
	}
	// Linters and catalogues of APIs want to know whom to ask and on what terms.
	if c := doc.Info.Contact; c == nil || c.Name == "" {
		t.Error("info has no contact")
	}
	if l := doc.Info.License; l == nil || l.Name == "" {
		t.Error("info has no license")
	}
}

// TestOpenAPIErrorAnswers keeps the refusals a client must handle in the
// document: every operation behind the token declares 401 and 500, one that
// takes a parameter or a body declares 400, one with a record in its path
// declares 404, and every refusal is the JSON Error.
func TestOpenAPIErrorAnswers(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openapiDoc)
	if err != nil {
		t.Fatal(err)
	}
	errSchema := doc.Components.Schemas["Error"]
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			public := op.Security != nil && len(*op.Security) == 0
			var want []int
			if !public {
				want = append(want, 401, 500)
			}
			if !public && (len(item.Parameters)+len(op.Parameters) > 0 || op.RequestBody != nil) {
				want = append(want, 400)
			}
			if strings.Contains(path, "{") {
				want = append(want, 404)
			}
			for _, code := range want {
				if op.Responses.Status(code) == nil {
					t.Errorf("%s does not declare %d", key, code)
				}
			}
			for code, res := range op.Responses.Map() {
				if code < "4" || code == "default" {
					continue
				}
				mt := res.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Value != errSchema.Value || len(res.Value.Content) != 1 {
					t.Errorf("%s: the %s answer is not the JSON Error", key, code)
				}
			}
		}
	}
}
