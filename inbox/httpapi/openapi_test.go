package httpapi_test

import (
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"
)

var (
	specOnce sync.Once
	spec     struct {
		Paths map[string]map[string]struct {
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	specErr error
)

// wantDocumented fails unless the OpenAPI document lists status for the
// POST operation at path.
func wantDocumented(t *testing.T, path string, status int) {
	t.Helper()
	loadSpec(t)
	op, ok := spec.Paths[path]["post"]
	if !ok {
		t.Fatalf("openapi.json has no POST %s", path)
	}
	if _, ok := op.Responses[strconv.Itoa(status)]; !ok {
		t.Errorf("openapi.json does not document status %d for POST %s", status, path)
	}
}

// wantRequired fails unless body has every property the OpenAPI schema
// requires.
func wantRequired(t *testing.T, schema string, body map[string]any) {
	t.Helper()
	loadSpec(t)
	s, ok := spec.Components.Schemas[schema]
	if !ok {
		t.Fatalf("openapi.json has no schema %s", schema)
	}
	for _, key := range s.Required {
		if _, ok := body[key]; !ok {
			t.Errorf("got no %q in %v, want every property schema %s requires", key, body, schema)
		}
	}
}

func loadSpec(t *testing.T) {
	t.Helper()
	specOnce.Do(func() {
		raw, err := os.ReadFile("openapi.json")
		if err == nil {
			err = json.Unmarshal(raw, &spec)
		}
		specErr = err
	})
	if specErr != nil {
		t.Fatalf("read openapi.json: %v", specErr)
	}
}
