package web_test

import (
	"fmt"
	"net/http"
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
		path := fmt.Sprintf("%s/conversations/%d", s.url, id)
		_, _, token := get(t, lena, path)
		code, body := post(t, lena, path+"/assign", url.Values{"csrf": {token}, "user": {"Annika"}})
		if code != http.StatusUnprocessableEntity {
			t.Errorf("got %d, want 422 with the page shown again", code)
		}
		if want := `Det finns ingen användare som heter &#34;Annika&#34;.`; !strings.Contains(body, want) {
			t.Errorf("the page does not say %q", want)
		}
		if want := `name="user" required autocomplete="off" value="Annika"`; !strings.Contains(body, want) {
			t.Errorf("the assign form does not hold the name lena typed: want %s", want)
		}
		if got := s.conv(t, id).AssigneeID; got != 0 {
			t.Errorf("got assignee %d, want none", got)
		}
	})
	// Assigning a conversation someone else holds without ticking take
	// over is refused with the holder named; the name stays in the form
	// beside the take-over box, to send again.
	t.Run("ErrHeldByAnother", func(t *testing.T) {
		s.addUser(t, "sara", inbox.RoleAgent, "")
		id := s.message(t, "psid_assign_held", time.Now().Add(-time.Hour))
		s.postForm(t, s.signedIn(t, "anna"), fmt.Sprintf("/conversations/%d/claim", id), url.Values{})
		path := fmt.Sprintf("%s/conversations/%d", s.url, id)
		_, _, token := get(t, lena, path)
		code, body := post(t, lena, path+"/assign", url.Values{"csrf": {token}, "user": {"sara"}})
		if code != http.StatusConflict {
			t.Errorf("got %d, want 409 with the page shown again", code)
		}
		for _, want := range []string{`name="user" required autocomplete="off" value="sara"`, `name="takeover" value="1" id="assign-takeover"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not hold %s", want)
			}
		}
		if got := s.conv(t, id).AssigneeID; got != anna.ID {
			t.Errorf("got assignee %d, want anna (%d) still", got, anna.ID)
		}
	})
}
