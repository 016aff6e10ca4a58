package webhooks_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/webhooks"
)

// received returns a delivery of body with the receiver's received_at
// header.
func received(id string, body []byte, at time.Time) *inbox.Delivery {
	d := delivery(id, body)
	d.Headers = map[string]string{webhooks.HeaderReceivedAt: at.Format(time.RFC3339Nano), webhooks.HeaderSignature: "sha256=00"}
	return d
}

func TestIngesterReparse(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ing := webhooks.NewIngester(s, nil, nil)
		var hooked []inbox.Applied
		ing.AddHook(func(_ context.Context, _ inbox.Event, a inbox.Applied) error {
			hooked = append(hooked, a)
			return nil
		})
		inputs := []struct {
			file string
			at   time.Time
		}{
			{"messenger_message_text.json", day.Add(1 * time.Hour)},
			{"ig_comment.json", day.Add(2 * time.Hour)},
			{"fb_feed_post_add.json", day.Add(30 * time.Hour)},
		}
		for i, in := range inputs {
			if err := ing.Handle(t.Context(), received(string(rune('a'+i)), fixture(t, in.file), in.at)); err != nil {
				t.Fatal(err)
			}
		}
		hooked = nil
		res, err := ing.Reparse(t.Context(), day, day.Add(24*time.Hour))
		if err != nil {
			t.Fatalf("Reparse: %v", err)
		}
		want := webhooks.ReparseResult{Deliveries: 2, Events: 2, Duplicates: 2}
		if res != want {
			t.Errorf("got %+v, want %+v", res, want)
		}
		if len(hooked) != 2 || hooked[0].Created || hooked[0].MessageID == 0 {
			t.Errorf("hooks: got %+v, want two runs on the stored messages, not created", hooked)
		}
		all, err := ing.Reparse(t.Context(), time.Time{}, time.Time{})
		if err != nil || all.Deliveries != 3 {
			t.Errorf("Reparse of everything: got %+v, %v; want 3 deliveries", all, err)
		}
	})
}

func TestIngesterKeepFails(t *testing.T) {
	store := &memStore{rawErr: inbox.Errorf(inbox.EUNAVAILABLE, "Database down.")}
	ing := webhooks.NewIngester(store, nil, nil)
	err := ing.Handle(t.Context(), delivery("1", fixture(t, "messenger_message_text.json")))
	if !errors.Is(err, store.rawErr) {
		t.Fatalf("got %v, want the store's error so the delivery comes again", err)
	}
	if n := store.count(); n != 0 {
		t.Errorf("got %d messages, want none before the delivery is kept", n)
	}
}
