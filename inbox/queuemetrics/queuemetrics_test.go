package queuemetrics

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"inkorg/inbox"
)

// stubQueue publishes by failing on empty bodies and consumes by handing
// each of its deliveries to the handler once.
type stubQueue struct {
	deliveries []*inbox.Delivery
}

func (q *stubQueue) Ping(context.Context) error { return nil }
func (q *stubQueue) Close() error               { return nil }

func (q *stubQueue) Publish(_ context.Context, _ string, msg inbox.OutgoingMessage) (string, error) {
	if len(msg.Body) == 0 {
		return "", inbox.Errorf(inbox.EINVALID, "A message body is required.")
	}
	return "1", nil
}

func (q *stubQueue) Consume(ctx context.Context, _ string, _ int, h inbox.Handler) error {
	for _, d := range q.deliveries {
		_ = h(ctx, d)
	}
	return nil
}

func TestQueue(t *testing.T) {
	reg := prometheus.NewRegistry()
	stub := &stubQueue{deliveries: []*inbox.Delivery{{ID: "a", Attempt: 1}, {ID: "b", Attempt: 1}, {ID: "c", Attempt: 2}}}
	q := Wrap(stub, reg)
	ctx := context.Background()

	q.Publish(ctx, "deliveries", inbox.OutgoingMessage{Body: []byte("x")})
	q.Publish(ctx, "deliveries", inbox.OutgoingMessage{Body: []byte("y")})
	if _, err := q.Publish(ctx, "deliveries", inbox.OutgoingMessage{}); inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("got %v, want the wrapped queue's EINVALID passed through", err)
	}
	err := q.Consume(ctx, "deliveries", 1, func(_ context.Context, d *inbox.Delivery) error {
		if d.ID == "b" {
			return errors.New("store down")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		metric prometheus.Collector
		want   float64
	}{
		{"published ok", q.published.WithLabelValues("deliveries", "ok"), 2},
		{"published error", q.published.WithLabelValues("deliveries", "error"), 1},
		{"handled acked", q.handled.WithLabelValues("deliveries", "acked"), 2},
		{"handled failed", q.handled.WithLabelValues("deliveries", "failed"), 1},
		{"in flight", q.inFlight.WithLabelValues("deliveries"), 0},
		{"redeliveries", q.retried.WithLabelValues("deliveries"), 1},
	} {
		if got := testutil.ToFloat64(tc.metric); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	if n := testutil.CollectAndCount(q.seconds); n != 1 {
		t.Errorf("got %d handle-time series, want 1", n)
	}
}
