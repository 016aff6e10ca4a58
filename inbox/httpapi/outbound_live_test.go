package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// TestReplyToLiveComment: a comment on an Instagram live broadcast
// (webhook field live_comments) is shown as live, and a public reply to
// it, which Meta would refuse later, is refused up front with a message
// asking for a private reply; nothing is queued. A private reply is still
// queued.
func TestReplyToLiveComment(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	const account = "17841400000000001"
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: account, Name: "goteborgsstad"}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Minute).Unix()
	body := fmt.Sprintf(`{"object":"instagram","entry":[{"id":%q,"time":%d,"changes":[{"field":"live_comments",
	 "value":{"id":"17800000000000002","text":"Hur anmäler man sig till simskolan?","from":{"id":"5502","username":"bo"},
	 "media":{"id":"17900000000000002","media_product_type":"FEED"}}}]}]}`, account, at)
	events, err := webhooks.Parse([]byte(body))
	if err != nil || len(events) != 1 {
		t.Fatalf("Parse: %d events, %v; want the live comment", len(events), err)
	}
	a, err := s.store.ApplyEvent(ctx, events[0])
	if err != nil {
		t.Fatal(err)
	}
	conv := a.ConversationID

	var detail struct {
		Messages []map[string]any `json:"messages"`
	}
	if resp := s.get(t, fmt.Sprintf("/api/v1/conversations/%d", conv), "Bearer "+s.tokens[s.agent.ID], &detail); resp.StatusCode != http.StatusOK {
		t.Fatalf("get conversation: status %d", resp.StatusCode)
	}
	if len(detail.Messages) != 1 || detail.Messages[0]["live"] != true {
		t.Errorf("messages %v, want the comment with live true", detail.Messages)
	}

	var refused struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	path := fmt.Sprintf("/api/v1/conversations/%d/reply", conv)
	resp := s.post(t, path, s.agent, `{"kind":"public","text":"Anmäl dig på goteborg.se."}`, &refused)
	msg := refused.Error.Message
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(msg, "privat svar") ||
		!strings.Contains(msg, "private reply") || strings.Index(msg, "privat svar") > strings.Index(msg, "private reply") {
		t.Fatalf("public reply: got %d %q, want 400 asking for a private reply in Swedish, then English", resp.StatusCode, msg)
	}
	if list, err := s.store.FindOutboundActions(ctx, conv); err != nil || len(list) != 0 {
		t.Fatalf("outbound actions after the refusal: %d, %v; want none", len(list), err)
	}

	var queued map[string]any
	resp = s.post(t, path, s.agent, `{"kind":"private","text":"Anmäl dig på goteborg.se."}`, &queued)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("private reply: got %d %v, want 202", resp.StatusCode, queued)
	}
	list, err := s.store.FindOutboundActions(ctx, conv)
	if err != nil || len(list) != 1 || list[0].Kind != inbox.OutboundPrivateReply || list[0].TargetExternalID != "17800000000000002" {
		t.Fatalf("outbound actions %+v, %v; want one private reply to the comment", list, err)
	}
}
