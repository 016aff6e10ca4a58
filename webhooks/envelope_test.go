package webhooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"inkorg/inbox"
)

// envelopeCases are bodies on both sides of the receiver's check.
var envelopeCases = []string{
	`{"object":"page","entry":[]}`,
	` {"entry":[{"id":"1","messaging":[{"message":{"text":"}]\"{["}}]}],"object":"instagram"} `,
	`{"Object":"page"}`,
	`{"OBJECT":"page","entry":null}`,
	`{"\u006fbject":"page"}`,
	`{"object":"p\u00e5ge"}`,
	`{"object":"page","object":"instagram"}`,
	`{"object":"page","object":null}`,
	`{"object":null}`,
	`{"object":"  "}`,
	`{"object":""}`,
	`{"object":1}`,
	`{"object":{"x":"y"}}`,
	`{"object":["page"]}`,
	`{"object":true}`,
	`{"objects":"page"}`,
	`{"entry":[]}`,
	`{}`,
	`[]`,
	`"page"`,
	`null`,
	``,
	`hello`,
	`{"object":"page"`,
	`{"object":"page"}}`,
	`{"object":"page"} x`,
	`{"object":"page","entry":[1,,2]}`,
	`{"object":"page",}`,
	`{"object" "page"}`,
	"{\"object\":\"pa\xffge\"}",
	"{\"obj\xffect\":\"page\"}",
	`{"a":{"object":"page"},"b":[{"object":"x"}]}`,
	`{"a":"\\","object":"page"}`,
	`{"a":-1.5e3,"b":false,"c":null,"object":"page"}`,
	`[{"object":"page","entry":[]}]`,
	` [ 1 , "x" , {"OBJECT":"instagram"} , {"object":"page"} ] `,
	`[{"object":""},{"object":"  "},null,{"object":1}]`,
	`[[{"object":"page"}]]`,
	`[{"entry":[]},{"object":"p\u00e5ge","entry":[{"id":"]"}]}]`,
	`[ ]`,
	`[{"object":"page"}`,
	`[{"object":"page"},]`,
	`[{"object":"page"}] x`,
}

// TestDeliveryObjectMatchesDecodeEnvelope checks that the receiver's cheap
// check accepts and refuses what the ingest worker's full decode does, with
// the same message and object, for single deliveries and arrays of them.
func TestDeliveryObjectMatchesDecodeEnvelope(t *testing.T) {
	bodies := envelopeCases
	fixtures, err := filepath.Glob("testdata/*.json")
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("fixtures: %v, %d found", err, len(fixtures))
	}
	for _, name := range fixtures {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(raw))
	}
	accepted := 0
	for _, body := range bodies {
		if sameEnvelopeVerdict(t, []byte(body)) {
			accepted++
		}
	}
	// Most fixtures are deliveries; a check that refused everything would
	// agree with nothing but the refusals.
	if accepted < len(fixtures)/2 {
		t.Errorf("accepted %d of %d bodies, want most fixtures accepted", accepted, len(bodies))
	}
}

// sameEnvelopeVerdict fails t unless deliveryObject and decodeBatch
// agree on body, and reports whether they accepted it.
func sameEnvelopeVerdict(t *testing.T, body []byte) bool {
	t.Helper()
	got, gotErr := deliveryObject(body)
	b, wantErr := decodeBatch(body)
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Errorf("%q: deliveryObject error %v, decodeEnvelope error %v", body, gotErr, wantErr)
	case gotErr != nil:
		if inbox.ErrorCode(gotErr) != inbox.EINVALID || inbox.ErrorMessage(gotErr) != inbox.ErrorMessage(wantErr) {
			t.Errorf("%q: error %q (%s), want %q", body, inbox.ErrorMessage(gotErr), inbox.ErrorCode(gotErr), inbox.ErrorMessage(wantErr))
		}
	case got != b.object():
		t.Errorf("%q: object %q, want %q", body, got, b.object())
	}
	return gotErr == nil && wantErr == nil
}

func FuzzDeliveryObject(f *testing.F) {
	for _, body := range envelopeCases {
		f.Add([]byte(body))
	}
	fixtures, _ := filepath.Glob("testdata/*.json")
	for _, name := range fixtures {
		if raw, err := os.ReadFile(name); err == nil && !strings.Contains(name, "graph_error") {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sameEnvelopeVerdict(t, body)
	})
}
