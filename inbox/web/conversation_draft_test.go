package web_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
	"inkorg/inbox"
	"inkorg/inbox/web"
)

// TestSuggestionDraftLanguageFallback: the conversation page offers the
// Swedish draft when the conversation's language has no template, "und"
// (undetermined) included, and the draft in the conversation's language
// when there is one, in a reply box that writes right to left for it. The
// page names the language in words.
func TestSuggestionDraftLanguageFallback(t *testing.T) {
	idx, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Index(t.Context(), answerstest.Articles()...); err != nil {
		t.Fatal(err)
	}
	drafts := regexp.MustCompile(`class="js-insert" data-url="[^"]*" data-draft="([^"]*)"`)
	for _, tc := range []struct{ name, lang, want, named string }{{"OKUndetermined", "und", "Hej!", "Obestämt (und)"},
		{"OKNoTemplate", "so", "Hej!", "Somaliska (so)"}, {"OKNone", "", "Hej!", ""}, {"OKArabic", "ar", "مرحباً،", "Arabiska (ar)"}} {
		lang := tc.lang
		t.Run(tc.name, func(t *testing.T) {
			s := newSiteWith(t, web.Config{Answers: idx})
			a, err := s.store.ApplyEvent(t.Context(), inbox.Event{
				Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
				AccountExternalID: "page-1", ThreadKey: "psid-lang", MessageExternalID: "mid-lang",
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-lang"}, Author: inbox.Actor{ExternalID: "psid-lang"},
				Text: "Bibliotekskort?", OccurredAt: time.Now().Add(-time.Hour).UTC(),
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.store.SaveTriage(t.Context(), a.ConversationID, &inbox.Triage{MessageID: a.MessageID, Administration: "kultur", Language: lang,
				Priority: inbox.PriorityNormal, TriagedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			_, body, _ := get(t, s.signedIn(t, "anna"), fmt.Sprintf("%s/conversations/%d", s.url, a.ConversationID))
			// The language is named, with its code for the filter.
			if want := "<dd>" + tc.named + "</dd>"; !strings.Contains(body, want) {
				t.Errorf("language %q: the page does not show %s", lang, want)
			}
			m := drafts.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("the page has no suggestions")
			}
			if d := html.UnescapeString(m[1]); !strings.HasPrefix(d, tc.want) {
				t.Fatalf("language %q: got draft %q, want one starting %q", lang, d, tc.want)
			}
			// A draft right to left is edited right to left.
			if !regexp.MustCompile(`<textarea id="reply-text"[^>]* dir="auto"`).MatchString(body) {
				t.Error("the reply box does not take the direction of its text")
			}
		})
	}
}
