package webhooks_test

import (
	"encoding/json"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/webhooks"
)

// liveDelivery holds an ordinary comment, a comment on a live broadcast,
// and one more live comment in the Instagram Login form (field and value
// on the entry, without changes[]).
var liveDelivery = []byte(`{"object":"instagram","entry":[
 {"id":"17841400000000001","time":1764547200,"changes":[
  {"field":"comments","value":{"id":"17800000000000001","text":"När öppnar badhuset?",
   "from":{"id":"5501","username":"anna"},"media":{"id":"17900000000000001","media_product_type":"FEED"}}},
  {"field":"live_comments","value":{"id":"17800000000000002","text":"Hur anmäler man sig?",
   "from":{"id":"5502","username":"bo"},"media":{"id":"17900000000000002","media_product_type":"FEED"}}}]},
 {"id":"17841400000000001","time":1764547260,"field":"live_comments","value":{"comment_id":"17800000000000003",
  "text":"Sänds det här igen?","from":{"id":"5503","username":"cia"},"media":{"id":"17900000000000002"}}}]}`)

// wantLive is which comments of liveDelivery are on a live broadcast.
var wantLive = map[string]bool{
	"17800000000000001": false,
	"17800000000000002": true,
	"17800000000000003": true,
}

// liveField reports the "live" field of v as JSON shows it to API
// clients and queues: true, or absent.
func liveField(t *testing.T, v any) bool {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	live, ok := m["live"]
	if ok && live != true {
		t.Fatalf("live = %v in %s, want true or absent", live, raw)
	}
	return ok
}

// TestParseInstagramLiveComments: a live_comments change is a comment on a
// live broadcast, which Meta takes no public reply to; it is marked live,
// an ordinary comment is not.
func TestParseInstagramLiveComments(t *testing.T) {
	events, err := webhooks.Parse(liveDelivery)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != len(wantLive) {
		t.Fatalf("got %d events, want %d comments", len(events), len(wantLive))
	}
	for _, e := range events {
		want, ok := wantLive[e.MessageExternalID]
		if !ok || e.Channel != inbox.ChannelInstagramComment || e.Direction != inbox.DirectionInbound {
			t.Fatalf("unexpected event %+v", e)
		}
		if got := liveField(t, e); got != want {
			t.Errorf("comment %s: live = %v, want %v", e.MessageExternalID, got, want)
		}
	}
}

// TestStoreInstagramLiveComments: the mark survives the store, so agents
// see it and replies can be checked against it.
func TestStoreInstagramLiveComments(t *testing.T) {
	events, err := webhooks.Parse(liveDelivery)
	if err != nil {
		t.Fatal(err)
	}
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		for _, e := range events {
			a, err := s.ApplyEvent(t.Context(), e)
			if err != nil {
				t.Fatal(err)
			}
			msgs, err := s.FindMessages(t.Context(), a.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, m := range msgs {
				if m.ExternalID != e.MessageExternalID {
					continue
				}
				found = true
				if got, want := liveField(t, m), wantLive[m.ExternalID]; got != want {
					t.Errorf("stored comment %s: live = %v, want %v", m.ExternalID, got, want)
				}
			}
			if !found {
				t.Fatalf("comment %s not stored in conversation %d", e.MessageExternalID, a.ConversationID)
			}
		}
	})
}
