package web_test

import (
	"fmt"
	"html"
	"net/url"
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
	checkHistory(t, body, "Medborgaren skrev — ny", "anna: ", "Medborgaren skrev igen — öppnad igen")
}

// checkHistory checks that the history on the conversation page body has
// one entry for each of want, in order, each holding it.
func checkHistory(t *testing.T, body string, want ...string) {
	t.Helper()
	hist := html.UnescapeString(regexp.MustCompile(`(?s)<ol class="history"[^>]*>.*?</ol>`).FindString(body))
	items := regexp.MustCompile(`(?s)<li>.*?</li>`).FindAllString(hist, -1)
	if len(items) != len(want) {
		t.Fatalf("got history %q, want %d entries: %q", items, len(want), want)
	}
	for i, w := range want {
		if !strings.Contains(items[i], w) {
			t.Errorf("history entry %d: got %q, want %q", i, items[i], w)
		}
	}
}

// TestConversationHistoryWake names ending a snooze ("Väck nu") as waking
// the conversation, not as snoozing it again: the service audits both as
// a snooze.
func TestConversationHistoryWake(t *testing.T) {
	s := newSite(t)
	anna := s.signedIn(t, "anna")
	id := s.message(t, "psid_hist_wake", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("/conversations/%d", id)
	s.postForm(t, anna, path+"/snooze", url.Values{"until": {time.Now().Add(48 * time.Hour).Format("2006-01-02 15:04")}})
	s.postForm(t, anna, path+"/snooze", url.Values{"wake": {"1"}})
	_, body, _ := get(t, anna, s.url+path)
	checkHistory(t, body, "Medborgaren skrev — ny", "anna: pausade", "anna: väckte ärendet")
}
