package webhooks_test

import (
	"testing"
	"time"

	"inkorg/webhooks"
)

// TestParseTimeInOtherUnit: a time is read in the unit its size says, not
// only the one its place in the payload should have, so a Messenger
// timestamp in seconds is not dated January 1970 (and first in every
// queue), and a feed or Instagram time in milliseconds is not refused as
// past the year 9999, losing the comment.
func TestParseTimeInOtherUnit(t *testing.T) {
	at := time.Date(2026, 11, 30, 8, 15, 0, 0, time.UTC)
	sec, ms := "1796026500", "1796026500000"
	if got := time.Unix(1796026500, 0).UTC(); !got.Equal(at) {
		t.Fatalf("test times disagree: %s", got)
	}
	tests := []struct{ name, body string }{
		{"MessengerInSeconds", `{"object":"page","entry":[{"id":"111","time":` + sec + `,"messaging":[{"sender":{"id":"880040"},"recipient":{"id":"111"},"timestamp":` + sec + `,"message":{"mid":"m.1","text":"Hej"}}]}]}`},
		{"FeedInMilliseconds", `{"object":"page","entry":[{"id":"111","time":` + ms + `,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2","post_id":"111_1","parent_id":"111_1","from":{"id":"7","name":"Anna"},"created_time":` + ms + `,"message":"Hej"}}]}]}`},
		{"InstagramEntryInMilliseconds", `{"object":"instagram","entry":[{"id":"17841400000000000","time":` + ms + `,"changes":[{"field":"comments","value":{"id":"1790300","text":"Hej","from":{"id":"1234536447","username":"testuser"},"media":{"id":"1","media_product_type":"FEED"}}}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := webhooks.Parse([]byte(tt.body))
			if err != nil || len(events) != 1 {
				t.Fatalf("got %d events, %v; want 1", len(events), err)
			}
			if got := events[0].OccurredAt; !got.Equal(at) {
				t.Errorf("OccurredAt: got %s, want %s", got, at)
			}
		})
	}
}

// TestIngestTimeFromDelivery: an Instagram comment whose delivery gives no
// time at all (comments carry none of their own) takes the time the
// delivery arrived rather than being dropped.
func TestIngestTimeFromDelivery(t *testing.T) {
	received := time.Date(2026, 11, 30, 8, 15, 0, 123000000, time.UTC)
	body := `{"object":"instagram","entry":[{"id":"17841400000000000","changes":[{"field":"comments","value":{"id":"1790301","text":"Hej, när öppnar biblioteket?","from":{"id":"1234536447","username":"testuser"},"media":{"id":"1","media_product_type":"FEED"}}}]}]}`
	store := &memStore{}
	ing := webhooks.NewIngester(store, nil, nil)
	d := delivery("a", []byte(body))
	d.Headers = map[string]string{webhooks.HeaderReceivedAt: received.Format(time.RFC3339Nano)}
	if err := ing.Handle(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if n := store.count(); n != 1 {
		t.Fatalf("messages: got %d, want 1", n)
	}
	if got := store.events(); len(got) != 1 || !got[0].OccurredAt.Equal(received) {
		t.Errorf("got %+v; want the comment at %s", got, received)
	}
}
