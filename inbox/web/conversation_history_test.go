package web_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestConversationHistoryStatusChanges lists, in time order with the
// staff's actions, the status changes the citizen's writing made: the
// conversation starting, and reopening after it was resolved.
func TestConversationHistoryStatusChanges(t *testing.T) {
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	id := s.message(t, "psid_hist", time.Now().Add(-3*time.Hour))
	conv, err := inbox.NewService(s.store, nil).SetStatus(t.Context(), anna, id, inbox.StatusResolved)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ApplyEvent(t.Context(), storetest.Event("psid_hist", "m2_psid_hist", conv.ResolvedAt.Add(time.Second))); err != nil {
		t.Fatal(err)
	}
	if got := s.conv(t, id).Status; got != inbox.StatusOpen {
		t.Fatalf("after the citizen wrote again: status %s, want open", got)
	}
	_, body, _ := get(t, s.signedIn(t, "anna"), fmt.Sprintf("%s/conversations/%d", s.url, id))
	hist := html.UnescapeString(regexp.MustCompile(`(?s)<ol class="history"[^>]*>.*?</ol>`).FindString(body))
	items := regexp.MustCompile(`(?s)<li>.*?</li>`).FindAllString(hist, -1)
	want := []string{"Medborgaren skrev — ny", "anna: ", "Medborgaren skrev igen — öppnad igen"}
	if len(items) != len(want) {
		t.Fatalf("got history %q, want %d entries: %q", items, len(want), want)
	}
	for i, w := range want {
		if !strings.Contains(items[i], w) {
			t.Errorf("history entry %d: got %q, want %q", i, items[i], w)
		}
	}
}
