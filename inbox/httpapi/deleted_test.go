package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestDeletedMessageHidden checks that a message its author unsent keeps
// its place in the thread without its text.
func TestDeletedMessageHidden(t *testing.T) {
	f := newFixture(t)
	f.seed(t, 1)
	_, err := f.store.ApplyEvent(context.Background(), inbox.Event{
		Kind: inbox.EventMessageDeleted, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", MessageExternalID: "mid-0", Author: inbox.Actor{ExternalID: "psid-0"},
		OccurredAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	var list httpapi.ConversationList
	f.get(t, "/api/v1/conversations", "Bearer "+f.token, &list)
	if len(list.Conversations) != 1 {
		t.Fatalf("got %d conversations, want 1", len(list.Conversations))
	}
	var detail httpapi.ConversationDetail
	resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d", list.Conversations[0].ID), "Bearer "+f.token, &detail)
	if resp.StatusCode != http.StatusOK || len(detail.Messages) != 1 {
		t.Fatalf("got status %d with %d messages, want 200 with 1", resp.StatusCode, len(detail.Messages))
	}
	if m := detail.Messages[0]; m.Text != "" || m.DeletedAt == nil {
		t.Errorf("got text %q, deleted_at %v; want no text and the deletion time", m.Text, m.DeletedAt)
	}
	if p := detail.Conversation.Preview; p != "[Borttaget meddelande]" {
		t.Errorf("preview: got %q, want the deleted text hidden", p)
	}
}
