package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox/httpapi"
)

// TestActionBodyProblems: an action's body that is a JSON object but not
// the right one is refused with 400 saying what is wrong with it: the
// field that is not a time, not of its type, or unknown, that the body
// is not JSON at all, that it has more after its JSON object, or that it
// is too large to read (a note of 100 kB).
func TestActionBodyProblems(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	for _, tc := range []struct {
		name, action, body string
		// sv and en are what the Swedish and the English half say.
		sv, en []string
	}{
		{"ErrNotATime", "snooze", `{"until":"garbage"}`,
			[]string{`"garbage" är ingen tidpunkt`, "RFC 3339"}, []string{`"garbage" is not a time`, "RFC 3339"}},
		{"ErrTimeWithoutZone", "snooze", `{"until":"2026-12-06T08:00:00"}`,
			[]string{`"2026-12-06T08:00:00" är ingen tidpunkt`, "med tidszon"}, []string{`"2026-12-06T08:00:00" is not a time`, "with its zone"}},
		{"ErrUnknownField", "snooze", `{"untill":"2026-12-06T08:00:00Z"}`,
			[]string{`inget fält "untill"`}, []string{`no field "untill"`}},
		{"ErrWrongType", "claim", `{"takeover":"yes"}`,
			[]string{`"takeover" ska vara true eller false, inte en sträng`}, []string{`"takeover" must be true or false, not string`}},
		{"ErrNotJSON", "notes", `{"text":`,
			[]string{"JSON-objekt med text", "inte giltig JSON"}, []string{"with text", "not valid JSON"}},
		{"ErrTrailingData", "notes", `{"text":"Hej"} xyz`,
			[]string{"med text", "mer efter JSON-objektet"}, []string{"with text", "more after the JSON object"}},
		{"ErrTwoObjects", "notes", `{"text":"Hej"}{"text":"igen"}`,
			[]string{"med text", "mer efter JSON-objektet"}, []string{"with text", "more after the JSON object"}},
		{"ErrTrailingAfterOptional", "claim", `{"takeover":false} {"takeover":true}`,
			[]string{"tomt eller ett JSON-objekt", "mer efter JSON-objektet"}, []string{"empty or a JSON object", "more after the JSON object"}},
		{"ErrTrailingBrace", "tags", `{"add":["a"]}}`,
			[]string{"med add och remove", "mer efter JSON-objektet"}, []string{"with add and remove", "more after the JSON object"}},
		{"ErrTooLarge", "notes", `{"text":"` + strings.Repeat("a", 100_000) + `"}`,
			[]string{"med text", "större än 65536 byte", "högst 5000 byte"}, []string{"with text", "larger than 65536 bytes", "at most 5000 bytes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out httpapi.ErrorResponse
			resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/%s", id, tc.action), s.agent, tc.body, &out)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("got %d %+v, want 400", resp.StatusCode, out.Error)
			}
			sv, en, ok := strings.Cut(out.Error.Message, " / ")
			if !ok {
				t.Fatalf("message %q is not \"Swedish / English\"", out.Error.Message)
			}
			for _, w := range tc.sv {
				if !strings.Contains(sv, w) {
					t.Errorf("Swedish half %q does not say %q", sv, w)
				}
			}
			for _, w := range tc.en {
				if !strings.Contains(en, w) {
					t.Errorf("English half %q does not say %q", en, w)
				}
			}
		})
	}
}

// TestBodyTrailingSpace: white space after a body's JSON object (a final
// newline) is not more data; the action is done.
func TestBodyTrailingSpace(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	if resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/notes", id), s.agent, "{\"text\":\"Hej\"}\n \r\n\t", nil); resp.StatusCode != http.StatusCreated {
		t.Errorf("note with a final newline: got %d, want 201", resp.StatusCode)
	}
	if resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/claim", id), s.agent, " \n", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("claim with a body of white space: got %d, want 200", resp.StatusCode)
	}
}

// TestAccountBodyTrailingData: adding an account refuses a body with more
// after its JSON object, as the actions do, and adds nothing.
func TestAccountBodyTrailingData(t *testing.T) {
	s := newStaff(t)
	const hub = `{"platform":"facebook","external_id":"104729385720000","name":"Göteborgs Stad"}`
	for _, body := range []string{hub + " xyz", hub + hub} {
		var out httpapi.ErrorResponse
		resp := s.post(t, "/api/v1/accounts", s.admin, body, &out)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, "mer efter JSON-objektet; skicka ett objekt") ||
			!strings.Contains(out.Error.Message, "more after the JSON object") {
			t.Errorf("body %q: got %d %+v, want 400 saying there is more after the JSON object", body, resp.StatusCode, out.Error)
		}
	}
	accounts, err := s.store.FindAccounts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 0 {
		t.Errorf("got %d accounts, want none", len(accounts))
	}
}
