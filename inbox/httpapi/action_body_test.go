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
// is not JSON at all, or that it is too large to read (a note of 100 kB).
func TestActionBodyProblems(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	for _, tc := range []struct {
		name, action, body string
		want               []string
	}{
		{"ErrNotATime", "snooze", `{"until":"garbage"}`, []string{`"garbage" is not a time`, "RFC 3339"}},
		{"ErrTimeWithoutZone", "snooze", `{"until":"2026-12-06T08:00:00"}`, []string{`"2026-12-06T08:00:00" is not a time`, "with its zone"}},
		{"ErrUnknownField", "snooze", `{"untill":"2026-12-06T08:00:00Z"}`, []string{`no field "untill"`}},
		{"ErrWrongType", "claim", `{"takeover":"yes"}`, []string{`"takeover" must be true or false, not string`}},
		{"ErrNotJSON", "notes", `{"text":`, []string{"with text", "not valid JSON"}},
		{"ErrTooLarge", "notes", `{"text":"` + strings.Repeat("a", 100_000) + `"}`, []string{"with text", "larger than 65536 bytes", "at most 5000 bytes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out httpapi.ErrorResponse
			resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/%s", id, tc.action), s.agent, tc.body, &out)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("got %d %+v, want 400", resp.StatusCode, out.Error)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.Error.Message, w) {
					t.Errorf("message %q does not say %q", out.Error.Message, w)
				}
			}
		})
	}
}
