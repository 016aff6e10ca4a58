package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestBulkFilterRefused checks that a bulk filter that would filter
// nothing (an unknown key, an empty value, no key or only the order) is
// refused instead of acting on every conversation the user sees.
func TestBulkFilterRefused(t *testing.T) {
	for name, tc := range map[string]struct{ body, key string }{
		"ErrUnknownKey": {`{"filter":{"tags":"vattenläcka"},"action":"resolve"}`, "tags"},
		"ErrEmptyValue": {`{"filter":{"tag":""},"action":"resolve"}`, "tag"},
		"ErrBlankValue": {`{"filter":{"status":" , "},"action":"resolve"}`, "status"},
		"ErrCursor":     {`{"filter":{"cursor":"x"},"action":"resolve"}`, "cursor"},
		"ErrNoKey":      {`{"filter":{},"action":"resolve"}`, "condition"},
		"ErrOnlySort":   {`{"filter":{"sort":"newest"},"action":"resolve"}`, "condition"},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStaff(t)
			tagged := s.conversation(t, "")
			if _, err := inbox.NewService(s.store, nil).Tag(context.Background(), s.agent, tagged, []string{"vattenläcka"}, nil); err != nil {
				t.Fatal(err)
			}
			others := []int64{s.conversation(t, ""), s.conversation(t, "")}
			var out httpapi.ErrorResponse
			resp := s.post(t, "/api/v1/bulk", s.sup, tc.body, &out)
			want := `"` + tc.key + `"`
			if tc.key == "condition" {
				want = "no condition"
			}
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, want) {
				t.Errorf("got status %d %+v, want 400 naming %q", resp.StatusCode, out.Error, tc.key)
			}
			for _, id := range append(others, tagged) {
				c, err := s.store.FindConversationByID(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				if c.Status == inbox.StatusResolved {
					t.Errorf("conversation %d: got resolved, want untouched", id)
				}
			}
		})
	}
}
