package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestBulk checks per-item results: each selected conversation is acted on
// (and audited) alone, and one that fails does not stop the others.
func TestBulk(t *testing.T) {
	s := newStaff(t)
	t.Run("OKPerItem", func(t *testing.T) {
		own, foreign := s.conversation(t, "idrott-och-forening"), s.conversation(t, "kretslopp-och-vatten")
		var out httpapi.BulkOutput
		body := fmt.Sprintf(`{"ids":[%d,%d,987654],"action":"tag","tags":["kris_storm"]}`, own, foreign)
		if resp := s.post(t, "/api/v1/bulk", s.spec, body, &out); resp.StatusCode != http.StatusOK {
			t.Fatalf("got status %d, want 200", resp.StatusCode)
		}
		want := []inbox.BulkResult{
			{ConversationID: own, OK: true},
			{ConversationID: foreign, Code: inbox.EFORBIDDEN},
			{ConversationID: 987654, Code: inbox.ENOTFOUND},
		}
		if len(out.Results) != 3 || out.Succeeded != 1 || out.Failed != 2 {
			t.Fatalf("got %+v, want 1 of 3 done", out)
		}
		for i, r := range out.Results {
			if r.ConversationID != want[i].ConversationID || r.OK != want[i].OK || r.Code != want[i].Code || (!r.OK && r.Message == "") {
				t.Errorf("result %d: got %+v, want %+v with a message when failed", i, r, want[i])
			}
		}
		if got := s.audit(t, own); got[len(got)-1].Action != inbox.ActionTags || got[len(got)-1].ActorID != s.spec.ID {
			t.Errorf("got audit %+v, want the tag by sara last", got[len(got)-1])
		}
		if got := len(s.audit(t, foreign)); got != 1 {
			t.Errorf("foreign: got %d audit entries, want only the routing", got)
		}
	})
	t.Run("OKFilter", func(t *testing.T) {
		svc := inbox.NewService(s.store, nil)
		var tagged []int64
		for range 3 {
			id := s.conversation(t, "")
			if _, err := svc.Tag(context.Background(), s.agent, id, []string{"vattenläcka"}, nil); err != nil {
				t.Fatal(err)
			}
			tagged = append(tagged, id)
		}
		s.conversation(t, "") // not tagged: left alone
		var out httpapi.BulkOutput
		resp := s.post(t, "/api/v1/bulk", s.sup, `{"filter":{"tag":"vattenläcka"},"action":"resolve"}`, &out)
		if resp.StatusCode != http.StatusOK || out.Succeeded != 3 || out.Failed != 0 {
			t.Fatalf("got status %d, %+v; want 3 resolved", resp.StatusCode, out)
		}
		for _, id := range tagged {
			c, err := s.store.FindConversationByID(context.Background(), id)
			if err != nil || c.Status != inbox.StatusResolved {
				t.Errorf("conversation %d: got %v, %v; want resolved", id, c.Status, err)
			}
			if got := s.audit(t, id); got[len(got)-1].Action != inbox.ActionStatus {
				t.Errorf("conversation %d: got last audit %s, want %s", id, got[len(got)-1].Action, inbox.ActionStatus)
			}
		}
	})
	t.Run("OKAssignNeedsSupervisor", func(t *testing.T) {
		id := s.conversation(t, "")
		body := fmt.Sprintf(`{"ids":[%d],"action":"assign","assignee_id":%d}`, id, s.agent2.ID)
		var out httpapi.BulkOutput
		s.post(t, "/api/v1/bulk", s.agent, body, &out)
		if len(out.Results) != 1 || out.Results[0].Code != inbox.EFORBIDDEN {
			t.Errorf("agent: got %+v, want forbidden", out.Results)
		}
		s.post(t, "/api/v1/bulk", s.sup, body, &out)
		if len(out.Results) != 1 || !out.Results[0].OK {
			t.Errorf("supervisor: got %+v, want done", out.Results)
		}
	})
	for name, body := range map[string]string{
		"ErrNoSelection":   `{"action":"resolve"}`,
		"ErrBoth":          `{"ids":[1],"filter":{"tag":"x"},"action":"resolve"}`,
		"ErrUnknownAction": `{"ids":[1],"action":"delete"}`,
		"ErrNoTags":        `{"ids":[1],"action":"tag"}`,
		"ErrCursor":        `{"filter":{"cursor":"abc"},"action":"resolve"}`,
		"ErrNoMatch":       `{"filter":{"tag":"finns-inte"},"action":"resolve"}`,
		"ErrReplyText":     `{"ids":[1],"action":"reply","reply":{"kind":"message"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var body2 map[string]any
			resp := s.post(t, "/api/v1/bulk", s.sup, body, &body2)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("got status %d %v, want 400", resp.StatusCode, body2)
			}
			wantDocumented(t, "/bulk", resp.StatusCode)
		})
	}
}

// TestBulkFieldOfAnotherAction: a field of another action than the one
// asked for is refused naming it, and nothing is done, rather than doing
// the action without the tags or the reply the caller sent.
func TestBulkFieldOfAnotherAction(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	for _, tc := range []struct{ name, body, field string }{
		{"TagsWithResolve", `{"ids":[%d],"action":"resolve","tags":["kris_storm"]}`, `"tags"`},
		{"ReplyWithResolve", `{"ids":[%d],"action":"resolve","reply":{"kind":"direct","text":"Tack!"}}`, `"reply"`},
		{"AssigneeWithTag", `{"ids":[%d],"action":"tag","tags":["a"],"assignee_id":%d}`, `"assignee_id"`},
		// Given empty is given: never done as if it were not there.
		{"EmptyTagsWithResolve", `{"ids":[%d],"action":"resolve","tags":[]}`, `"tags"`},
		{"EmptyTagsWithAssign", `{"ids":[%d],"action":"assign","assignee_id":%d,"tags":[]}`, `"tags"`},
		{"ZeroAssigneeWithResolve", `{"ids":[%d],"action":"resolve","assignee_id":0}`, `"assignee_id"`},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			body := fmt.Sprintf(tc.body, id, s.agent.ID)
			if strings.Count(tc.body, "%d") == 1 {
				body = fmt.Sprintf(tc.body, id)
			}
			var out httpapi.ErrorResponse
			resp := s.post(t, "/api/v1/bulk", s.sup, body, &out)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(out.Error.Message, tc.field) {
				t.Errorf("got %d %+v, want 400 naming %s", resp.StatusCode, out.Error, tc.field)
			}
		})
	}
	if got := len(s.audit(t, id)); got != 0 {
		t.Errorf("got %d audit entries, want none: a refused bulk request does nothing", got)
	}
}
