package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"inkorg/inbox"
)

// commentThread stores a top-level comment on post and a citizen's reply
// to it, and returns the conversation.
func (s *staff) commentThread(t *testing.T, post string) int64 {
	t.Helper()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	top := inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: post + "-c1", PostExternalID: post, MessageExternalID: post + "-c1",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-c1"}, Author: inbox.Actor{ExternalID: "psid-c1"},
		Text: "Stänger badet verkligen hela december?", OccurredAt: at,
	}
	a, err := s.store.ApplyEvent(context.Background(), top)
	if err != nil {
		t.Fatal(err)
	}
	reply := top
	reply.MessageExternalID, reply.ParentExternalID, reply.Text, reply.OccurredAt = post+"-c2", post+"-c1", "Ja, tyvärr!", at.Add(time.Minute)
	reply.Contact, reply.Author = inbox.Actor{ExternalID: "psid-c2"}, inbox.Actor{ExternalID: "psid-c2"}
	if _, err := s.store.ApplyEvent(context.Background(), reply); err != nil {
		t.Fatal(err)
	}
	return a.ConversationID
}

// TestConversationDetailPost shows the post a comment thread hangs under,
// fetched or not yet, marks the comment a reply answers, and matches the
// OpenAPI document.
func TestConversationDetailPost(t *testing.T) {
	doc := loadDocument(t)
	s := newStaff(t)
	fetched := s.commentThread(t, "page-1_100")
	pending := s.commentThread(t, "page-1_200")
	private := s.conversation(t, "")
	posted := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	if err := s.store.SavePost(context.Background(), &inbox.Post{Platform: inbox.PlatformFacebook, ExternalID: "page-1_100",
		AccountExternalID: "page-1", Text: "Valhallabadet stänger för renovering 1–31 december.",
		Permalink: "https://www.facebook.com/goteborgsstad/posts/100", PostedAt: &posted}); err != nil {
		t.Fatal(err)
	}
	detail := func(id int64) struct {
		Post     *inbox.Post      `json:"post"`
		Messages []*inbox.Message `json:"messages"`
	} {
		t.Helper()
		var d struct {
			Post     *inbox.Post      `json:"post"`
			Messages []*inbox.Message `json:"messages"`
		}
		if resp := s.do(t, http.MethodGet, fmt.Sprintf("/api/v1/conversations/%d", id), s.agent, "", &d); resp.StatusCode != http.StatusOK {
			t.Fatalf("detail %d: status %d", id, resp.StatusCode)
		}
		return d
	}

	d := detail(fetched)
	if d.Post == nil || !d.Post.Fetched || d.Post.Text != "Valhallabadet stänger för renovering 1–31 december." ||
		d.Post.Permalink != "https://www.facebook.com/goteborgsstad/posts/100" || !d.Post.PostedAt.Equal(posted) {
		t.Errorf("fetched post: got %+v", d.Post)
	}
	if len(d.Messages) != 2 || !d.Messages[0].IsParent || d.Messages[1].ParentID != d.Messages[0].ID || d.Messages[0].ParentID != 0 {
		t.Errorf("thread: got %+v; want the reply pointing at the top comment, which is marked", d.Messages)
	}
	if d := detail(pending); d.Post == nil || d.Post.Fetched || d.Post.ExternalID != "page-1_200" || d.Post.Text != "" {
		t.Errorf("post not fetched yet: got %+v; want its id, fetched false", d.Post)
	}
	if d := detail(private); d.Post != nil {
		t.Errorf("private thread: got post %+v, want none", d.Post)
	}

	for _, id := range []int64{fetched, pending, private} {
		req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/conversations/%d", s.srv.URL, id), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+s.tokens[s.agent.ID])
		if got := checkResponse(t, doc, "/conversations/{id}", req, map[string]string{"id": fmt.Sprint(id)}); got != http.StatusOK {
			t.Errorf("detail %d: got status %d", id, got)
		}
	}
}
