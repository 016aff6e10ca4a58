package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestPathIDs: an id in a path is a plain positive decimal integer. Another
// spelling of an existing id (a sign, leading zeros, spaces) is refused
// with 400 as a word is, not taken as that id.
func TestPathIDs(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	t.Run("OK", func(t *testing.T) {
		var out inbox.Conversation
		if resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/claim", id), s.admin, "", &out); resp.StatusCode != http.StatusOK {
			t.Fatalf("claim %d: got %d, want 200", id, resp.StatusCode)
		}
	})
	for _, spelled := range []string{"+%d", "0%d", "00%d", "%%20%d", "%d%%20", "-%d", "%d.0", "x"} {
		raw := spelled
		if strings.Contains(spelled, "%d") {
			raw = fmt.Sprintf(spelled, id)
		}
		for _, ep := range []struct{ method, path, body string }{
			{http.MethodGet, "/api/v1/conversations/%s", ""},
			{http.MethodPost, "/api/v1/conversations/%s/claim", ""},
			{http.MethodPost, "/api/v1/conversations/%s/tags", `{"add":["x"]}`},
			{http.MethodGet, "/api/v1/conversations/%s/outbound", ""},
			{http.MethodPost, "/api/v1/messages/%s/hide", `{}`},
			{http.MethodPost, "/api/v1/outbound/%s/retry", ""},
			{http.MethodGet, "/api/v1/rules/%s", ""},
			{http.MethodGet, "/api/v1/users/%s", ""},
			{http.MethodDelete, "/api/v1/tokens/%s", ""},
			{http.MethodPatch, "/api/v1/users/%s", `{}`},
			{http.MethodPost, "/api/v1/moderation/%s", `{}`},
			{http.MethodPost, "/api/v1/subjects/%s/remove", `{}`},
		} {
			path := fmt.Sprintf(ep.path, raw)
			t.Run("Err"+ep.method+path, func(t *testing.T) {
				// The document lists the 400 too.
				wantDocumentedAs(t, ep.method, strings.Replace(strings.TrimPrefix(ep.path, "/api/v1"), "%s", "{id}", 1), http.StatusBadRequest)
				var out httpapi.ErrorResponse
				resp := s.do(t, ep.method, path, s.admin, ep.body, &out)
				if resp.StatusCode != http.StatusBadRequest || out.Error.Code != inbox.EINVALID || !strings.Contains(out.Error.Message, " id ska vara ett positivt heltal skrivet med bara siffror") ||
					!strings.Contains(out.Error.Message, " / ") || !strings.Contains(out.Error.Message, "id must be a positive integer") {
					t.Errorf("got %d %+v, want 400 saying in Swedish and English the id must be a positive integer", resp.StatusCode, out.Error)
				}
			})
		}
	}
	c, err := s.store.FindConversationByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Tags; len(got) != 0 {
		t.Errorf("got tags %v, want none: a misspelled id changed the conversation", got)
	}
}
