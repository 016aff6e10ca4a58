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
)

// TestReplySpam shows that nothing is sent in a conversation marked spam,
// neither by a reply nor by a bulk reply selecting it by tag, until staff
// reopen it.
func TestReplySpam(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	svc := inbox.NewService(s.store, nil)
	// spam stores a Messenger thread the citizen wrote in a minute ago,
	// tagged kris_storm and marked spam.
	spam := func(t *testing.T) int64 {
		t.Helper()
		s.seq++
		psid := fmt.Sprintf("psid-spam-%d", s.seq)
		a, err := s.store.ApplyEvent(ctx, inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: "page-1", ThreadKey: psid, MessageExternalID: "mid-" + psid,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
			Text: "Köp billiga följare på min sida!", OccurredAt: time.Now().Add(-time.Minute).UTC(),
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Tag(ctx, s.agent, a.ConversationID, []string{"kris_storm"}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetStatus(ctx, s.agent, a.ConversationID, inbox.StatusSpam); err != nil {
			t.Fatal(err)
		}
		return a.ConversationID
	}
	outbound := func(t *testing.T, id int64) int {
		t.Helper()
		list, err := s.store.FindOutboundActions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	t.Run("ErrReply", func(t *testing.T) {
		id := spam(t)
		var body httpapi.ErrorResponse
		resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/reply", id), s.agent, `{"kind":"direct","text":"Hej!"}`, &body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body.Error.Message, "skräp") || !strings.Contains(body.Error.Message, "spam") {
			t.Fatalf("got %d %q, want 400 saying in Swedish and English that it is spam", resp.StatusCode, body.Error.Message)
		}
		if n := outbound(t, id); n != 0 {
			t.Fatalf("got %d outbound actions, want none", n)
		}
	})
	t.Run("ErrBulkReply", func(t *testing.T) {
		id := spam(t)
		var out struct {
			Results   []inbox.BulkResult `json:"results"`
			Succeeded int                `json:"succeeded"`
		}
		resp := s.post(t, "/api/v1/bulk", s.agent,
			`{"filter":{"tag":"kris_storm"},"action":"reply","reply":{"kind":"direct","text":"Läs om stormen på goteborg.se"}}`, &out)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("got status %d, want 200", resp.StatusCode)
		}
		for _, r := range out.Results {
			if r.ConversationID == id && (r.OK || r.Code != inbox.EINVALID) {
				t.Fatalf("got result %+v for the spam conversation, want it failed as invalid", r)
			}
		}
		if n := outbound(t, id); n != 0 {
			t.Fatalf("got %d outbound actions, want none", n)
		}
	})
	t.Run("OKReopened", func(t *testing.T) {
		id := spam(t)
		if _, err := svc.SetStatus(ctx, s.agent, id, inbox.StatusOpen); err != nil {
			t.Fatal(err)
		}
		resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/reply", id), s.agent, `{"kind":"direct","text":"Hej!"}`, nil)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("got status %d, want 202", resp.StatusCode)
		}
	})
}
