package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestConversationPagePost shows the post a comment thread hangs under at
// the top of the thread, escaped, with its link, and links a reply to the
// comment it answers.
func TestConversationPagePost(t *testing.T) {
	s := newSite(t)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	top := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: "c1", PostExternalID: "page-1_100", MessageExternalID: "c1",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-1"}, Author: inbox.Actor{ExternalID: "psid-1", Name: "Åsa"},
		Text: "Stänger badet hela december?", OccurredAt: at}
	a, err := s.store.ApplyEvent(t.Context(), top)
	if err != nil {
		t.Fatal(err)
	}
	reply := top
	reply.MessageExternalID, reply.ParentExternalID, reply.Text, reply.OccurredAt = "c2", "c1", "Ja!", at.Add(time.Minute)
	if _, err := s.store.ApplyEvent(t.Context(), reply); err != nil {
		t.Fatal(err)
	}
	c := s.client(t)
	if code, _ := s.login(t, c, "anna", password); code != http.StatusSeeOther {
		t.Fatalf("login: got %d", code)
	}
	page := fmt.Sprintf("%s/conversations/%d", s.url, a.ConversationID)

	_, body, _ := get(t, c, page)
	if !strings.Contains(body, "Inläggets text har inte hämtats från Meta ännu.") {
		t.Errorf("post not fetched yet: the page does not say so")
	}
	if err := s.store.SavePost(t.Context(), &inbox.Post{Platform: inbox.PlatformFacebook, ExternalID: "page-1_100",
		Text: "Valhallabadet <stänger> i december.", Permalink: "https://www.facebook.com/goteborgsstad/posts/100"}); err != nil {
		t.Fatal(err)
	}
	code, body, _ := get(t, c, page)
	if code != http.StatusOK {
		t.Fatalf("got status %d", code)
	}
	postAt, threadAt := strings.Index(body, "Valhallabadet &lt;stänger&gt; i december."), strings.Index(body, `<ol class="thread">`)
	if postAt < 0 || threadAt < 0 || postAt > threadAt {
		t.Errorf("post text: at %d, thread at %d; want the escaped post above the thread", postAt, threadAt)
	}
	if !strings.Contains(body, `href="https://www.facebook.com/goteborgsstad/posts/100"`) {
		t.Error("the post's permalink is not linked")
	}
	msgs, err := s.store.FindMessages(t.Context(), a.ConversationID)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("got %d messages, %v", len(msgs), err)
	}
	if !strings.Contains(body, fmt.Sprintf(`href="#m%d"`, msgs[0].ID)) {
		t.Error("the reply does not link to the comment it answers")
	}
}
