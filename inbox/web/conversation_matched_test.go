package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
	"inkorg/inbox"
	"inkorg/inbox/web"
)

// TestSuggestionMatchedWords: each suggested article says which of the
// citizen's words it matched, so the agent sees why it is offered.
func TestSuggestionMatchedWords(t *testing.T) {
	idx, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Index(t.Context(), answerstest.Articles()...); err != nil {
		t.Fatal(err)
	}
	s := newSiteWith(t, web.Config{Answers: idx})
	a, err := s.store.ApplyEvent(t.Context(), inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: "psid-matched", MessageExternalID: "mid-matched",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-matched"}, Author: inbox.Actor{ExternalID: "psid-matched"},
		Text: "Hur skaffar jag ett bibliotekskort?", OccurredAt: time.Now().Add(-time.Hour).UTC(),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := get(t, s.signedIn(t, "anna"), fmt.Sprintf("%s/conversations/%d", s.url, a.ConversationID))
	if want := `<p class="hint">Matchade ord: <bdi>skaffar</bdi>, <bdi>bibliotekskort</bdi></p>`; !strings.Contains(body, want) {
		i := strings.Index(body, `class="suggestions"`)
		t.Errorf("want %s in the suggestions; got %s", want, body[i:min(len(body), i+800)])
	}
}
