package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/webhooks"
)

var replyKindRE = regexp.MustCompile(`name="kind" value="([a-z]+)"`)

// TestConversationLiveComment: a comment on an Instagram live broadcast is
// tagged as such in the thread, and the reply form offers only a private
// reply, which is all Meta takes for it; an ordinary comment is not
// tagged and may be answered publicly.
func TestConversationLiveComment(t *testing.T) {
	s := newSite(t)
	browser := s.signedIn(t, "anna")
	for _, tc := range []struct {
		field, id string
		live      bool
		kinds     string
	}{
		{"live_comments", "17800000000000002", true, "[private]"},
		{"comments", "17800000000000001", false, "[public private]"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			body := fmt.Sprintf(`{"object":"instagram","entry":[{"id":"17841400000000001","time":%d,"changes":[{"field":%q,
			 "value":{"id":%q,"text":"Hur anmäler man sig?","from":{"id":"5502","username":"bo"},
			 "media":{"id":"17900000000000002","media_product_type":"FEED"}}}]}]}`, time.Now().Add(-time.Minute).Unix(), tc.field, tc.id)
			events, err := webhooks.Parse([]byte(body))
			if err != nil || len(events) != 1 {
				t.Fatalf("Parse: %d events, %v", len(events), err)
			}
			a, err := s.store.ApplyEvent(t.Context(), events[0])
			if err != nil {
				t.Fatal(err)
			}
			_, page, _ := get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, a.ConversationID))
			var kinds []string
			for _, m := range replyKindRE.FindAllStringSubmatch(page, -1) {
				kinds = append(kinds, m[1])
			}
			if fmt.Sprint(kinds) != tc.kinds {
				t.Errorf("reply kinds %v, want %s", kinds, tc.kinds)
			}
			tagged := strings.Contains(page, `<span class="tag">Livesändning</span>`)
			hint := strings.Contains(page, "Skicka ett privat svar medan sändningen pågår.")
			if tagged != tc.live || hint != tc.live {
				t.Errorf("live tag shown %v, private-reply hint shown %v; want %v", tagged, hint, tc.live)
			}
		})
	}
}
