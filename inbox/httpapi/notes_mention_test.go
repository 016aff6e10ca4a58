package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestNoteMentionRefused checks that a note may only mention users who can
// act on it: one who may not see the conversation (a specialist of another
// administration) or a deactivated user is refused with 400 naming them,
// and no note is stored.
func TestNoteMentionRefused(t *testing.T) {
	s := newStaff(t)
	s.user(t, "eva", inbox.RoleSpecialist, "kretslopp-och-vatten")
	s.deactivate(t, s.agent2)
	id := s.conversation(t, "idrott-och-forening")
	for name, tc := range map[string]struct{ text, who string }{
		"ErrOutsider":    {"@eva kan du kolla?", "@eva"},
		"ErrDeactivated": {"@sara och @bo, se detta", "@bo"},
	} {
		t.Run(name, func(t *testing.T) {
			var out httpapi.ErrorResponse
			resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/notes", id), s.agent, fmt.Sprintf(`{"text":%q}`, tc.text), &out)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, tc.who) {
				t.Errorf("got status %d %+v, want 400 naming %s", resp.StatusCode, out.Error, tc.who)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		var note inbox.Note
		resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/notes", id), s.agent, `{"text":"@sara och @sune, se detta"}`, &note)
		if resp.StatusCode != http.StatusCreated || len(note.Mentions) != 2 {
			t.Errorf("got status %d, mentions %+v; want 201 mentioning sara and sune", resp.StatusCode, note.Mentions)
		}
	})
	notes, err := s.store.FindNotes(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(notes); got != 2 {
		t.Errorf("got %d notes, want the routing question and the one accepted note", got)
	}
}
