package webhooks_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/webhooks"
)

// TestIngestDuplicateMeansRedelivered checks that inkorg_ingest_events_total
// counts as duplicate only what Meta delivered again: events the
// reconciliation poll or a reparse finds again are already_known.
func TestIngestDuplicateMeansRedelivered(t *testing.T) {
	forEachStore(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := t.Context()
		reg := prometheus.NewRegistry()
		ing := webhooks.NewIngester(store, nil, webhooks.NewMetrics(reg))
		body := fixture(t, "messenger_message_text.json")
		events, err := webhooks.Parse(body)
		if err != nil || len(events) != 1 {
			t.Fatalf("Parse: got %d events, %v; want 1", len(events), err)
		}
		want := map[string]float64{"created": 0, "duplicate": 0, "already_known": 0}
		check := func(step string) {
			t.Helper()
			for _, result := range []string{"created", "duplicate", "already_known"} {
				got, ok := eventsCounted(t, reg, result)
				if !ok || got != want[result] {
					t.Errorf("after %s: %s events: got %v (series exists: %v), want %v", step, result, got, ok, want[result])
				}
			}
		}

		if err := ing.Handle(ctx, delivery("d-1", body)); err != nil {
			t.Fatalf("Handle: %v", err)
		}
		want["created"]++
		check("the webhook")

		// The poll finds the message again: nothing new, and no redelivery.
		n, err := ing.ApplyEvents(ctx, "reconcile", events)
		if err != nil || n != 0 {
			t.Fatalf("ApplyEvents of the delivered message: got %d new, %v; want 0", n, err)
		}
		want["already_known"]++
		check("the poll found it again")

		// The poll finds a message no webhook delivered: created.
		missed := events[0]
		missed.MessageExternalID += "-missed"
		missed.OccurredAt = missed.OccurredAt.Add(time.Minute)
		if n, err := ing.ApplyEvents(ctx, "reconcile", []inbox.Event{missed}); err != nil || n != 1 {
			t.Fatalf("ApplyEvents of a missed message: got %d new, %v; want 1", n, err)
		}
		want["created"]++
		check("the poll found a missed message")

		// Meta delivers the webhook again: that is a duplicate.
		d := delivery("d-1", body)
		d.Attempt = 2
		if err := ing.Handle(ctx, d); err != nil {
			t.Fatalf("Handle again: %v", err)
		}
		want["duplicate"]++
		check("the redelivery")

		// Reparsing the stored deliveries finds their events again.
		res, err := ing.Reparse(ctx, time.Time{}, time.Time{})
		if err != nil || res.Duplicates == 0 || res.Created != 0 {
			t.Fatalf("Reparse: got %+v, %v; want only events applied before", res, err)
		}
		want["already_known"] += float64(res.Duplicates)
		check("the reparse")
	})
}

// eventsCounted returns inkorg_ingest_events_total for messenger and
// result, and whether that series exists.
func eventsCounted(t *testing.T, reg *prometheus.Registry, result string) (float64, bool) {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			if f.GetName() == "inkorg_ingest_events_total" && hasLabels(m, []string{"channel", "messenger", "result", result}) {
				return m.GetCounter().GetValue(), true
			}
		}
	}
	return 0, false
}
