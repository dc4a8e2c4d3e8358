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
