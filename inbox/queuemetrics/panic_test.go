package queuemetrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"inkorg/inbox"
	"inkorg/inbox/queuemetrics"
	"inkorg/inbox/queueworker"
	"inkorg/inbox/sqlq"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestQueuePanicCountsFailed: a handler that panics (the queue worker
// recovers it and dead-letters the message) is counted as failed and
// leaves nothing in flight.
func TestQueuePanicCountsFailed(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	raw := sqlq.New(db, sqlq.Options{Policy: queueworker.Policy{MaxAttempts: 1}, PollInterval: 10 * time.Millisecond})
	reg := prometheus.NewRegistry()
	q := queuemetrics.Wrap(raw, reg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := q.Publish(ctx, inbox.QueueDeliveries, inbox.OutgoingMessage{Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = q.Consume(ctx, inbox.QueueDeliveries, 1, func(context.Context, *inbox.Delivery) error {
			panic("parser bug")
		})
	}()
	// Wait until the message is dead-lettered: the panic was handled.
	for {
		s, err := raw.QueueStats(ctx, inbox.QueueDeliveries)
		if err == nil && s.DeadLetters == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("got the message never dead-lettered, want it dead-lettered after the panic")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	want := `
# HELP inkorg_queue_handled_total Deliveries handled, by queue and result (acked, failed).
# TYPE inkorg_queue_handled_total counter
inkorg_queue_handled_total{queue="deliveries",result="acked"} 0
inkorg_queue_handled_total{queue="deliveries",result="failed"} 1
# HELP inkorg_queue_in_flight Deliveries being handled now, by queue.
# TYPE inkorg_queue_in_flight gauge
inkorg_queue_in_flight{queue="deliveries"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "inkorg_queue_in_flight", "inkorg_queue_handled_total"); err != nil {
		t.Error(err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var timed uint64
	for _, f := range families {
		if f.GetName() == "inkorg_queue_handle_seconds" {
			for _, m := range f.GetMetric() {
				timed += m.GetHistogram().GetSampleCount()
			}
		}
	}
	if timed != 1 {
		t.Errorf("got %d deliveries timed, want 1 (the one that panicked)", timed)
	}
}
