package webhooks_test

import (
	"testing"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// TestInstagramCommentWithoutFrom: Meta's older Instagram comment example
// ({"id":"…","text":"This is an example."}, quoted in the reference) names
// no author. Like a Page feed comment without one, it is kept as an
// inbound comment by the unknown author rather than dropped.
func TestInstagramCommentWithoutFrom(t *testing.T) {
	body := []byte(`{"object":"instagram","entry":[{"id":"17841400000000001","time":1519399307,
	 "changes":[{"field":"comments","value":{"id":"17865799348089039","text":"Hej, när töms soporna?",
	 "media":{"id":"17918195224117851","media_product_type":"FEED"}}}]}]}`)
	events, err := webhooks.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("got %d events, want the comment (author unknown)", len(events))
	}
	e := events[0]
	if e.Author.ExternalID != "unknown" || e.Contact.ExternalID != "unknown" || e.Direction != inbox.DirectionInbound ||
		e.ThreadKey != "17865799348089039" || e.Text != "Hej, när töms soporna?" {
		t.Errorf("event %+v", e)
	}
}
