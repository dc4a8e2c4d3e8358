package api

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

// openapiDoc is the OpenAPI 3.0 document of the API, written by hand beside the
// routes; a test fails when the two disagree.
//
//go:embed openapi.json
var openapiDoc []byte

func init() {
	// A broken document fails the start (and every test), not a client's request.
	if !json.Valid(openapiDoc) {
		panic("api: openapi.json is not valid JSON")
	}
}

func (a *api) openapi(w http.ResponseWriter, r *http.Request, _ caller) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(openapiDoc)
	return nil
}
