package queuetest

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
)

func testPing(t *testing.T, open func() inbox.Queue) {
	if err := open().Ping(context.Background()); err != nil {
		t.Errorf("Ping: got %v, want nil", err)
	}
}

func testPublish(t *testing.T, open func() inbox.Queue) {
	q := open()
	first := publish(t, q, queueName, body("one"))
	second := publish(t, q, queueName, body("two"))
	if first == second {
		t.Errorf("ids: got %q twice, want two different ids", first)
	}
}

func testPublishEmptyBody(t *testing.T, open func() inbox.Queue) {
	q := open()
	for _, b := range [][]byte{nil, {}} {
		_, err := q.Publish(context.Background(), queueName, inbox.OutgoingMessage{Key: "k", Body: b})
		if code := inbox.ErrorCode(err); code != inbox.EINVALID {
			t.Errorf("Publish(body %#v): got code %q (%v), want %q", b, code, err, inbox.EINVALID)
		}
	}
}

func testPublishEmptyQueue(t *testing.T, open func() inbox.Queue) {
	_, err := open().Publish(context.Background(), "", body("x"))
	if code := inbox.ErrorCode(err); code != inbox.EINVALID {
		t.Errorf("Publish: got code %q (%v), want %q", code, err, inbox.EINVALID)
	}
}

// binaryBody holds every byte value, including NUL and invalid UTF-8.
func binaryBody() []byte {
	b := make([]byte, 0, 260)
	for i := range 256 {
		b = append(b, byte(i))
	}
	return append(b, 0, 0xff, 0, '\n')
}

// testRoundTrip publishes before and after the consumer starts, and checks
// that everything comes back as it was published.
func testRoundTrip(t *testing.T, open func() inbox.Queue) {
	q := open()
	full := inbox.OutgoingMessage{
		Key:  "conversation-42",
		Body: binaryBody(),
		Headers: map[string]string{
			"content-type":        "application/json",
			"x-hub-signature-256": "sha256=0f0e",
			"empty":               "",
			"unicode":             "Göteborgs Stad ✓",
		},
	}
	before := time.Now()
	id1 := publish(t, q, queueName, full)
	got := deliveries()
	consume(t, q, queueName, 1, collect(got, nil))
	d := receive(t, got)
	checkDelivery(t, d, id1, queueName, full, 1)
	// Clocks of a database or Redis server on another host may differ a
	// little from ours; a minute is far beyond any such skew.
	if d.PublishedAt.Before(before.Add(-time.Minute)) || d.PublishedAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("PublishedAt: got %v, want about %v", d.PublishedAt, before)
	}

	plain := body("no key, no headers")
	id2 := publish(t, q, queueName, plain)
	checkDelivery(t, receive(t, got), id2, queueName, plain, 1)
}

func testAcknowledged(t *testing.T, open func() inbox.Queue) {
	q := open()
	got := deliveries()
	consume(t, q, queueName, 2, collect(got, nil))
	msg := body("handled once")
	id := publish(t, q, queueName, msg)
	checkDelivery(t, receive(t, got), id, queueName, msg, 1)
	// Were the ack missing, the lease would run out and the message come
	// back to this same consumer.
	nothing(t, "after a successful handler", got)
}

func testSeparateQueues(t *testing.T, open func() inbox.Queue) {
	q := open()
	alpha, beta := body("alpha"), body("beta")
	idA := publish(t, q, "alpha", alpha)
	idB := publish(t, q, "beta", beta)
	gotA, gotB := deliveries(), deliveries()
	consume(t, q, "alpha", 2, collect(gotA, nil))
	consume(t, q, "beta", 2, collect(gotB, nil))
	checkDelivery(t, receive(t, gotA), idA, "alpha", alpha, 1)
	checkDelivery(t, receive(t, gotB), idB, "beta", beta, 1)
	nothing(t, "each queue once", gotA, gotB)
}

func testConsumeInvalid(t *testing.T, open func() inbox.Queue) {
	q := open()
	h := func(context.Context, *inbox.Delivery) error { return nil }
	tests := []struct {
		name        string
		queue       string
		concurrency int
		h           inbox.Handler
	}{
		{"EmptyQueue", "", 1, h},
		{"ZeroConcurrency", queueName, 0, h},
		{"NilHandler", queueName, 1, nil},
	}
	for _, tt := range tests {
		// A Consume that does not check its arguments runs until the
		// deadline and returns nil, which fails below.
		ctx, cancel := context.WithTimeout(context.Background(), quiet)
		err := q.Consume(ctx, tt.queue, tt.concurrency, tt.h)
		cancel()
		if code := inbox.ErrorCode(err); code != inbox.EINVALID {
			t.Errorf("%s: got code %q (%v), want %q", tt.name, code, err, inbox.EINVALID)
		}
	}
}
