package webhooks_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

func delivery(id string, body []byte) *inbox.Delivery {
	return &inbox.Delivery{ID: id, Queue: inbox.QueueDeliveries, Body: body, Attempt: 1}
}

func TestIngesterHandle(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		store := &memStore{}
		reg := prometheus.NewRegistry()
		ing := webhooks.NewIngester(store, nil, webhooks.NewMetrics(reg))
		d := delivery("d-1", fixture(t, "ig_comment.json"))
		if err := ing.Handle(ctx, d); err != nil {
			t.Fatalf("Handle: %v", err)
		}
		if got := store.count(); got != 1 {
			t.Fatalf("messages after the first delivery: got %d, want 1", got)
		}
		// A redelivery of the same body must not make a second message.
		d.Attempt = 2
		if err := ing.Handle(ctx, d); err != nil {
			t.Fatalf("Handle again: %v", err)
		}
		if got := store.count(); got != 1 {
			t.Errorf("messages after the redelivery: got %d, want 1", got)
		}
		counts := []struct {
			name   string
			labels []string
			want   float64
		}{
			{"inkorg_ingest_events_total", []string{"channel", "instagram_comment", "result", "created"}, 1},
			{"inkorg_ingest_events_total", []string{"channel", "instagram_comment", "result", "duplicate"}, 1},
			{"inkorg_ingest_deliveries_total", []string{"result", "applied"}, 2},
		}
		for _, c := range counts {
			if got := metricValue(t, reg, c.name, c.labels...); got != c.want {
				t.Errorf("%s%v: got %v, want %v", c.name, c.labels, got, c.want)
			}
		}
	})
	t.Run("OKSkippedCounted", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		ing := webhooks.NewIngester(&memStore{}, nil, webhooks.NewMetrics(reg))
		if err := ing.Handle(ctx, delivery("d-2", fixture(t, "fb_feed_two_entries_batch.json"))); err != nil {
			t.Fatalf("Handle: %v", err)
		}
		for _, field := range []string{"parking", "payment_options"} {
			got := metricValue(t, reg, "inkorg_ingest_skipped_total", "reason", "unsupported_field", "object", "page", "field", field)
			if got != 1 {
				t.Errorf("skipped %s fields: got %v, want 1", field, got)
			}
		}
	})
	t.Run("ErrUnparseableDropped", func(t *testing.T) {
		store := &memStore{}
		var logs inboxtest.SyncBuffer
		reg := prometheus.NewRegistry()
		ing := webhooks.NewIngester(store, newLogger(&logs), webhooks.NewMetrics(reg))
		body := []byte(`{"object":"page","entry":{"text":"personnummer 19121212-1212"}}`)
		if err := ing.Handle(ctx, delivery("d-broken", body)); err != nil {
			t.Errorf("Handle: got error %v, want nil (dropped, not redelivered)", err)
		}
		if got := store.count(); got != 0 {
			t.Errorf("messages: got %d, want 0", got)
		}
		out := logs.String()
		for _, want := range []string{"delivery_id=d-broken", "does not parse", "level=ERROR", "shape=object", "json_shape={entry:{text:string},object:string}"} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "19121212") {
			t.Errorf("log contains the body's text:\n%s", out)
		}
		if got := metricValue(t, reg, "inkorg_ingest_deliveries_total", "result", "malformed"); got != 1 {
			t.Errorf("malformed deliveries: got %v, want 1", got)
		}
	})
	t.Run("ErrStoreUnavailable", func(t *testing.T) {
		down := inbox.Errorf(inbox.EUNAVAILABLE, "Database is unavailable.")
		store := &memStore{err: down}
		reg := prometheus.NewRegistry()
		ing := webhooks.NewIngester(store, nil, webhooks.NewMetrics(reg))
		err := ing.Handle(ctx, delivery("d-3", fixture(t, "messenger_message_text.json")))
		if !errors.Is(err, down) {
			t.Errorf("Handle: got error %v, want %v", err, down)
		}
		if got := metricValue(t, reg, "inkorg_ingest_deliveries_total", "result", "retry"); got != 1 {
			t.Errorf("retried deliveries: got %v, want 1", got)
		}
		if got := metricValue(t, reg, "inkorg_ingest_events_total", "channel", "messenger", "result", "error"); got != 1 {
			t.Errorf("event errors: got %v, want 1", got)
		}
		// Once the store is back, the redelivery applies the event.
		store.err = nil
		if err := ing.Handle(ctx, delivery("d-3", fixture(t, "messenger_message_text.json"))); err != nil {
			t.Fatalf("Handle after recovery: %v", err)
		}
		if got := store.count(); got != 1 {
			t.Errorf("messages: got %d, want 1", got)
		}
	})
	t.Run("ErrStoreRefusesEvent", func(t *testing.T) {
		store := &memStore{err: inbox.Errorf(inbox.EINVALID, "Refused.")}
		ing := webhooks.NewIngester(store, nil, nil)
		if err := ing.Handle(ctx, delivery("d-4", fixture(t, "messenger_message_text.json"))); err != nil {
			t.Errorf("Handle: got error %v, want nil (an invalid event is not retried)", err)
		}
	})
}

// TestReceiverToIngester runs a signed fixture through the receiver and
// hands what it published to the ingester, as the queue would.
func TestReceiverToIngester(t *testing.T) {
	q, store := &memQueue{}, &memStore{}
	r := newReceiver(q, nil)
	ing := webhooks.NewIngester(store, nil, nil)
	for _, file := range []string{"fb_feed_comment_add.json", "messenger_message_text.json", "messenger_message_text.json", "messenger_read.json"} {
		body := fixture(t, file)
		w := httptest.NewRecorder()
		r.Receive(w, post(body, webhooks.Sign(testSecret, body)))
		if w.Code != 200 {
			t.Fatalf("%s: status %d", file, w.Code)
		}
	}
	var h inbox.Handler = ing.Handle
	for i, p := range q.all() {
		d := &inbox.Delivery{ID: string(rune('a' + i)), Queue: p.queue, Body: p.msg.Body, Headers: p.msg.Headers, Attempt: 1}
		if err := h(context.Background(), d); err != nil {
			t.Fatalf("Handle: %v", err)
		}
	}
	if got, want := store.count(), 2; got != want {
		t.Errorf("messages: got %d, want %d", got, want)
	}
	// The repeated body is kept once.
	if got, want := len(store.raw), 3; got != want {
		t.Fatalf("raw deliveries kept: got %d, want %d", got, want)
	}
	if raw := store.raw[0]; raw.Signature != webhooks.Sign(testSecret, raw.Body) || raw.ReceivedAt.IsZero() {
		t.Errorf("raw delivery: got signature %q, received at %s; want the request's signature and time", raw.Signature, raw.ReceivedAt)
	}
}

func TestIngesterHooks(t *testing.T) {
	store := &memStore{}
	in := webhooks.NewIngester(store, nil, nil)
	var calls []inbox.Applied
	fail := true
	in.AddHook(func(_ context.Context, e inbox.Event, a inbox.Applied) error {
		calls = append(calls, a)
		if fail {
			return errors.New("triage store down")
		}
		return nil
	})
	d := delivery("1", fixture(t, "messenger_message_text.json"))

	if err := in.Handle(context.Background(), d); err == nil {
		t.Fatal("got nil with a failing hook, want an error so the delivery comes again")
	}
	fail = false
	if err := in.Handle(context.Background(), d); err != nil {
		t.Fatalf("second Handle: %v", err)
	}
	if len(calls) != 2 || !calls[0].Created || calls[1].Created {
		t.Errorf("got hook calls %+v, want a created event then its redelivery", calls)
	}
	if n := store.count(); n != 1 {
		t.Errorf("got %d stored messages, want 1", n)
	}
}

// TestIngesterPretriage: the pretriage runs on each event before the store
// gets it, and the hooks see what it set.
func TestIngesterPretriage(t *testing.T) {
	store := &memStore{}
	in := webhooks.NewIngester(store, nil, nil)
	var seen []string
	in.SetPretriage(func(_ context.Context, e *inbox.Event) {
		seen = append(seen, e.MessageExternalID)
		e.Triage = &inbox.Triage{Administration: "kultur", Priority: inbox.PriorityNormal}
	})
	var hooked *inbox.Triage
	in.AddHook(func(_ context.Context, e inbox.Event, _ inbox.Applied) error {
		hooked = e.Triage
		return nil
	})
	if err := in.Handle(context.Background(), delivery("1", fixture(t, "messenger_message_text.json"))); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	stored := store.events()
	if len(seen) != 1 || len(stored) != 1 || seen[0] != stored[0].MessageExternalID {
		t.Fatalf("pretriaged %v, stored %d events; want the one message, pretriaged", seen, len(stored))
	}
	if stored[0].Triage == nil || stored[0].Triage.Administration != "kultur" || hooked != stored[0].Triage {
		t.Errorf("the store got triage %+v and the hook %+v; want the pretriage's for both", stored[0].Triage, hooked)
	}
}

// TestIngesterInFlight counts a delivery while it is handled, and not after.
func TestIngesterInFlight(t *testing.T) {
	in := webhooks.NewIngester(&memStore{}, nil, nil)
	var during []int
	in.AddHook(func(context.Context, inbox.Event, inbox.Applied) error {
		during = append(during, in.InFlight())
		return nil
	})
	if err := in.Handle(context.Background(), delivery("1", fixture(t, "messenger_message_text.json"))); err != nil {
		t.Fatal(err)
	}
	if len(during) != 1 || during[0] != 1 || in.InFlight() != 0 {
		t.Errorf("in flight: %v during the delivery, %d after; want [1] and 0", during, in.InFlight())
	}
}
