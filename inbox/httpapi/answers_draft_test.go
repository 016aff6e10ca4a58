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
	"inkorg/routing"
)

// TestSuggestionDraftLanguageFallback: a conversation whose language has
// no template gets the Swedish draft, one in a language with a default
// template its own. Triage stores "und" for many short
// Swedish questions such as "Bibliotekskort?".
func TestSuggestionDraftLanguageFallback(t *testing.T) {
	const text = "Bibliotekskort?"
	for _, tc := range []struct{ name, lang, want string }{
		{"OKUndetermined", routing.DetectLanguage(text).Code, "Hej!"},
		{"OKNoTemplate", "so", "Hej!"},
		{"OKEnglish", "en", "Hello,"},
		{"OKArabic", "ar", "مرحباً،"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newAnswersFixture(t)
			ctx := context.Background()
			a, err := f.store.ApplyEvent(ctx, inbox.Event{
				Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
				AccountExternalID: "page-1", ThreadKey: "psid-lang", MessageExternalID: "mid-lang",
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-lang"}, Author: inbox.Actor{ExternalID: "psid-lang"},
				Text: text, OccurredAt: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC),
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.store.SaveTriage(ctx, a.ConversationID, &inbox.Triage{MessageID: a.MessageID, Administration: "kultur", Language: tc.lang,
				Priority: inbox.PriorityNormal, TriagedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			var got httpapi.SuggestionList
			resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d/suggestions", a.ConversationID), "Bearer "+f.token, &got)
			if resp.StatusCode != http.StatusOK || len(got.Suggestions) == 0 {
				t.Fatalf("got %d %+v, want suggestions", resp.StatusCode, got)
			}
			if s := got.Suggestions[0]; !strings.HasPrefix(s.Draft, tc.want) || !strings.Contains(s.Draft, s.URL) {
				t.Fatalf("language %q: got draft %q, want one starting %q", tc.lang, s.Draft, tc.want)
			}
		})
	}
}
