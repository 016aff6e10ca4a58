package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestListDatesInSwedishTime: a date in since and until is a day in
// Swedish time, as in the reports, so a question sent at half past
// midnight in Göteborg on 1 December is on that day, not on 30 November.
func TestListDatesInSwedishTime(t *testing.T) {
	f := newFixture(t)
	for i, at := range []time.Time{
		time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), // 1 December 00:30 in Göteborg
		time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC),  // 2 December 00:30
	} {
		psid := []string{"psid-a", "psid-b"}[i]
		_, err := f.store.ApplyEvent(context.Background(), inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: "page-1", ThreadKey: psid, MessageExternalID: "mid-" + psid,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
			Text: "När töms soptunnan?", OccurredAt: at,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for query, want := range map[string][]string{
		"?since=2026-12-01&until=2026-12-01": {"psid-a"},
		"?until=2026-11-30":                  nil,
		"?since=2026-12-02":                  {"psid-b"},
	} {
		var page struct {
			Conversations []inbox.Conversation `json:"conversations"`
		}
		if resp := f.get(t, "/api/v1/conversations"+query, "Bearer "+f.token, &page); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: got %d", query, resp.StatusCode)
		}
		var got []string
		for _, c := range page.Conversations {
			got = append(got, c.ThreadKey)
		}
		if len(got) != len(want) || len(want) == 1 && got[0] != want[0] {
			t.Errorf("%s: got %v, want %v", query, got, want)
		}
	}
}
