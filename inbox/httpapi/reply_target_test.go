package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/webhooks"
)

// TestReplyDefaultTargetIsCitizen: in a comment thread where another
// commenter replied last, a reply that names no comment answers the
// citizen's own latest comment, never the bystander's: a private reply
// to the bystander would send what was written for the citizen to a
// stranger. With the citizen's comment removed there is nothing to answer
// by default; the bystander's comment can still be named.
func TestReplyDefaultTargetIsCitizen(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	const page = "104937265871234"
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: page, Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	comment := func(verb, id, parent, from, name, text string, at time.Time) int64 {
		t.Helper()
		body := fmt.Sprintf(`{"object":"page","entry":[{"id":%q,"time":%d,"changes":[{"field":"feed","value":{"item":"comment","verb":%q,
		 "comment_id":%q,"post_id":"%s_9002","parent_id":%q,"from":{"id":%q,"name":%q},"created_time":%d,"message":%q}}]}]}`,
			page, at.Unix(), verb, id, page, parent, from, name, at.Unix(), text)
		events, err := webhooks.Parse([]byte(body))
		if err != nil || len(events) != 1 {
			t.Fatalf("Parse: %d events, %v", len(events), err)
		}
		a, err := s.store.ApplyEvent(ctx, events[0])
		if err != nil {
			t.Fatal(err)
		}
		return a.ConversationID
	}
	conv := comment("add", "9002_c1", page+"_9002", "7101", "Cia Medborgare", "Mitt bygglovsärende har fastnat, vad händer?", now.Add(-3*time.Minute))
	comment("add", "9002_c2", "9002_c1", "7102", "Bo Förbipasserande", "Samma för mig", now.Add(-time.Minute))
	path := fmt.Sprintf("/api/v1/conversations/%d/reply", conv)

	replied := func(t *testing.T, body string) *inbox.OutboundAction {
		t.Helper()
		var queued map[string]any
		if resp := s.post(t, path, s.agent, body, &queued); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("%s: got %d %v, want 202", body, resp.StatusCode, queued)
		}
		list, err := s.store.FindOutboundActions(ctx, conv)
		if err != nil || len(list) == 0 {
			t.Fatalf("outbound actions: %d, %v", len(list), err)
		}
		last := list[0]
		for _, a := range list {
			if a.ID > last.ID {
				last = a
			}
		}
		return last
	}
	t.Run("OKPrivate", func(t *testing.T) {
		a := replied(t, `{"kind":"private","text":"Hej! Skicka ditt ärendenummer så kollar vi."}`)
		if a.TargetExternalID != "9002_c1" {
			t.Errorf("private reply to %s, want the citizen's comment 9002_c1", a.TargetExternalID)
		}
		// Still queued: not one to send again, said in both languages.
		var refused httpapi.ErrorResponse
		resp := s.post(t, fmt.Sprintf("/api/v1/outbound/%d/retry", a.ID), s.agent, "", &refused)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(refused.Error.Message, "(den här är i kö). / ") ||
			!strings.Contains(refused.Error.Message, "(this one is queued)") {
			t.Errorf("retry of a queued reply: got %d %q, want 409 naming its state in Swedish and English", resp.StatusCode, refused.Error.Message)
		}
	})
	t.Run("OKPublic", func(t *testing.T) {
		if a := replied(t, `{"kind":"public","text":"Vi svarar dig privat."}`); a.TargetExternalID != "9002_c1" {
			t.Errorf("public reply to %s, want the citizen's comment 9002_c1", a.TargetExternalID)
		}
	})
	t.Run("ErrCitizenCommentRemoved", func(t *testing.T) {
		comment("remove", "9002_c1", page+"_9002", "7101", "Cia Medborgare", "", now)
		var refused struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		resp := s.post(t, path, s.agent, `{"kind":"public","text":"Hej!"}`, &refused)
		if resp.StatusCode != http.StatusBadRequest || refused.Error.Message == "" {
			t.Errorf("reply with the citizen's comment removed: got %d %q, want 400 saying there is nothing to answer", resp.StatusCode, refused.Error.Message)
		}
		msgs, err := s.store.FindMessages(ctx, conv)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.ExternalID == "9002_c2" {
				body := fmt.Sprintf(`{"kind":"public","text":"Hej Bo!","reply_to_message_id":%d}`, m.ID)
				if a := replied(t, body); a.TargetExternalID != "9002_c2" {
					t.Errorf("reply naming the bystander's comment went to %s", a.TargetExternalID)
				}
			}
		}
	})
}
