package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestChannelsPollParts shows which part of the reconciliation poll
// fails, and that an Instagram account's linked Page is taken and shown.
func TestChannelsPollParts(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	var a inbox.Account
	resp := s.do(t, http.MethodPost, "/api/v1/accounts", s.admin,
		`{"platform":"instagram","external_id":"ig-1","name":"goteborgsstad","page_id":"104729385720000"}`, &a)
	if resp.StatusCode != http.StatusCreated || a.PageID != "104729385720000" {
		t.Fatalf("POST with page_id: got %d %+v, want 201 with the page id", resp.StatusCode, a)
	}
	var e map[string]any
	if resp := s.do(t, http.MethodPost, "/api/v1/accounts", s.admin,
		`{"platform":"facebook","external_id":"1","name":"x","page_id":"2"}`, &e); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST a Facebook account with page_id: got %d %v, want 400", resp.StatusCode, e)
	}
	at := time.Now().UTC().Truncate(time.Second)
	if err := s.store.RecordPollPart(ctx, a.ID, inbox.PollComments, at, ""); err != nil {
		t.Fatal(err)
	}
	const why = "token saknar behörighet hos Meta / the token lacks a permission at Meta (Meta: #10 Requires instagram_manage_messages)"
	if err := s.store.RecordPollPart(ctx, a.ID, inbox.PollMessages, at, why); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Channels []map[string]any `json:"channels"`
	}
	s.get(t, "/api/v1/channels", "Bearer "+s.tokens[s.sup.ID], &got)
	if len(got.Channels) != 1 {
		t.Fatalf("channels %v, want one", got.Channels)
	}
	c := got.Channels[0]
	if c["page_id"] != "104729385720000" || c["comments_polled_at"] != at.Format(time.RFC3339) || c["last_poll_at"] != at.Format(time.RFC3339) ||
		c["messages_poll_error"] != why || c["comments_poll_error"] != nil || c["messages_polled_at"] != nil {
		t.Errorf("channel %v; want comments polled, messages failing with the reason, the page id", c)
	}
	wantRequired(t, "Account", c)
}
