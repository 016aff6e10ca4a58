package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestAssignByNameIgnoresCase: the assign forms find the user whatever
// the case the name is typed in (names are unique ignoring case), as a
// note's @mention does, instead of saying there is no such user.
func TestAssignByNameIgnoresCase(t *testing.T) {
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	s.addUser(t, "lena", inbox.RoleSupervisor, "")
	lena := s.signedIn(t, "lena")
	t.Run("OKConversation", func(t *testing.T) {
		id := s.message(t, "psid_assign_case", time.Now().Add(-time.Hour))
		body := s.postForm(t, lena, fmt.Sprintf("/conversations/%d/assign", id), url.Values{"user": {"Anna"}})
		if got := s.conv(t, id).AssigneeID; got != anna.ID {
			t.Errorf("got assignee %d, want anna (%d); the page says %.200q", got, anna.ID, body[max(strings.Index(body, "flash"), 0):])
		}
	})
	t.Run("OKBulk", func(t *testing.T) {
		id := s.message(t, "psid_bulk_assign_case", time.Now().Add(-time.Hour))
		s.postForm(t, lena, "/bulk", url.Values{"queue": {""}, "scope": {"selected"}, "action": {"assign"},
			"user": {"ANNA"}, "id": {fmt.Sprint(id)}})
		if got := s.conv(t, id).AssigneeID; got != anna.ID {
			t.Errorf("got assignee %d, want anna (%d)", got, anna.ID)
		}
	})
	t.Run("ErrNoSuchUser", func(t *testing.T) {
		id := s.message(t, "psid_assign_nobody", time.Now().Add(-time.Hour))
		body := s.postForm(t, lena, fmt.Sprintf("/conversations/%d/assign", id), url.Values{"user": {"Annika"}})
		if want := `Det finns ingen användare som heter "Annika".`; !strings.Contains(body, want) {
			t.Errorf("the page does not say %q", want)
		}
		if got := s.conv(t, id).AssigneeID; got != 0 {
			t.Errorf("got assignee %d, want none", got)
		}
	})
}
