package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// deactivate has the admin deactivate u.
func (s *staff) deactivate(t *testing.T, u *inbox.User) {
	t.Helper()
	if resp := s.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/users/%d", u.ID), s.admin, `{"active":false}`, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("deactivate %s: got status %d", u.Name, resp.StatusCode)
	}
}

// TestAssignDeactivated checks that no conversation is given to a user
// who can no longer sign in to work it, by a single or a bulk assignment.
func TestAssignDeactivated(t *testing.T) {
	s := newStaff(t)
	s.deactivate(t, s.agent2)
	t.Run("ErrSingle", func(t *testing.T) {
		id := s.conversation(t, "")
		var out httpapi.ErrorResponse
		resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/assign", id), s.sup, fmt.Sprintf(`{"assignee_id":%d}`, s.agent2.ID), &out)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, s.agent2.Name) {
			t.Errorf("got status %d %+v, want 400 naming %s", resp.StatusCode, out.Error, s.agent2.Name)
		}
	})
	t.Run("ErrBulk", func(t *testing.T) {
		id := s.conversation(t, "")
		var out httpapi.BulkOutput
		s.post(t, "/api/v1/bulk", s.sup, fmt.Sprintf(`{"ids":[%d],"action":"assign","assignee_id":%d}`, id, s.agent2.ID), &out)
		if len(out.Results) != 1 || out.Results[0].OK || out.Results[0].Code != inbox.EINVALID {
			t.Errorf("got %+v, want one result refused as invalid", out.Results)
		}
	})
}

// TestAnswerBackToDeactivated checks that a department's answer back to a
// router who has since been deactivated leaves the conversation open and
// unassigned, in the unassigned queue, instead of held by no one able to
// work it.
func TestAnswerBackToDeactivated(t *testing.T) {
	for name, action := range map[string]string{"OKAnswer": "answer", "OKReturn": "return"} {
		t.Run(name, func(t *testing.T) {
			s := newStaff(t)
			id := s.conversation(t, "idrott-och-forening") // routed by rut
			s.deactivate(t, s.router)
			body := `{"text":"Svar från förvaltningen"}`
			var c inbox.Conversation
			if resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/%s", id, action), s.spec, body, &c); resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: got status %d", action, resp.StatusCode)
			}
			if c.AssigneeID != 0 || c.Status != inbox.StatusOpen {
				t.Errorf("got assignee %d, status %s; want unassigned, open", c.AssigneeID, c.Status)
			}
			var q httpapi.QueueCounts
			s.get(t, "/api/v1/queues", "Bearer "+s.tokens[s.agent.ID], &q)
			if got := q.Counts[inbox.QueueUnassigned]; got != 1 {
				t.Errorf("unassigned queue: got %d, want 1", got)
			}
		})
	}
}
