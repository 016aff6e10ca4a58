// Package queuetest is the contract test suite of inbox.Queue. Every adapter
// runs it against its real backend, so that they all behave the same:
// durable publish, at-least-once delivery, acknowledgement only after the
// handler succeeded, redelivery after a lease, graceful shutdown and work
// shared between consumers.
//
// The suite asserts outcomes, never speed: it waits for what must happen
// with deadlines of several seconds, and for what must not happen over a
// few leases.
package queuetest

import (
	"bytes"
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
)

// Lease is the lease (visibility timeout) that queues under test must be
// configured with, together with Policy; their poll interval or block time should be well under
// it. The suite waits a few leases to see that a message comes back, or
// that it does not.
const Lease = 500 * time.Millisecond

// Timing of the suite.
const (
	// timeout bounds every wait for something that must happen.
	timeout = 20 * time.Second
	// quiet is how long the suite watches for something that must not
	// happen, such as the redelivery of an acknowledged message.
	quiet = 3 * Lease
)

// Opener prepares a fresh, isolated backend namespace for the test t and
// returns the functions that open queues on it. The Opener closes what it
// opened when t ends.
type Opener func(t *testing.T) Namespace

// Namespace opens queues on one backend namespace. Queues opened through
// the same Namespace share it, as consumers of the same queues, and each
// has a consumer name of its own.
type Namespace struct {
	// Open opens a queue.
	Open func() inbox.Queue
	// OpenCuttable opens a queue like Open, and returns a function that
	// cuts that queue off from the backend for good, as when its process
	// dies: every command it sends afterwards fails.
	OpenCuttable func() (q inbox.Queue, cut func())
}

// Run runs the contract suite. Subtests run in parallel, each on its own
// namespace.
func Run(t *testing.T, opener Opener) {
	groups := []struct {
		name  string
		tests []subtest
	}{
		{"Ping", []subtest{{"OK", openOnly(testPing)}}},
		{"Publish", []subtest{
			{"OK", openOnly(testPublish)},
			{"ErrEmptyBody", openOnly(testPublishEmptyBody)},
			{"ErrEmptyQueue", openOnly(testPublishEmptyQueue)},
		}},
		{"Consume", []subtest{
			{"OK", openOnly(testRoundTrip)},
			{"OKAcknowledged", openOnly(testAcknowledged)},
			{"OKSeparateQueues", openOnly(testSeparateQueues)},
			{"OKConcurrencyLimit", openOnly(testConcurrencyLimit)},
			{"OKSharedWork", openOnly(testSharedWork)},
			{"OKGracefulShutdown", openOnly(testGracefulShutdown)},
			{"OKLongHandler", openOnly(testLongHandler)},
			{"ErrHandler", openOnly(testHandlerError)},
			{"ErrPanic", openOnly(testHandlerPanic)},
			{"ErrConsumerKilled", testConsumerKilled},
			{"ErrInvalid", openOnly(testConsumeInvalid)},
			{"ErrDeadLettered", openOnly(testDeadLettered)},
			{"ErrPermanent", openOnly(testPermanent)},
			{"OKPoisonDoesNotBlock", openOnly(testPoison)},
		}},
		{"DeadLetters", []subtest{
			{"OKReplay", openOnly(testReplay)},
			{"OKShow", openOnly(testShow)},
			{"OKListPages", openOnly(testListPages)},
			{"ErrDropped", openOnly(testDrop)},
			{"OKDropMatching", openOnly(testDropMatching)},
			{"OKRewrite", openOnly(testRewrite)},
			{"OKDropBefore", openOnly(testDropBefore)},
		}},
		{"Stats", []subtest{{"OK", openOnly(testStats)}}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, st := range g.tests {
				t.Run(st.name, func(t *testing.T) {
					t.Parallel()
					st.fn(t, opener(t))
				})
			}
		})
	}
}

type subtest struct {
	name string
	fn   func(t *testing.T, ns Namespace)
}

// openOnly adapts a test that needs only Namespace.Open, as most do.
func openOnly(fn func(t *testing.T, open func() inbox.Queue)) func(t *testing.T, ns Namespace) {
	return func(t *testing.T, ns Namespace) { fn(t, ns.Open) }
}

// queueName is the queue the subtests use; each has a namespace of its own.
const queueName = "jobs"

// running is a Consume call running in the background.
type running struct {
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// consume runs q.Consume in the background until stop is called or the test
// ends.
func consume(t *testing.T, q inbox.Queue, queue string, concurrency int, h inbox.Handler) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- q.Consume(ctx, queue, concurrency, h) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels the consumer's context and waits for Consume to return nil.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	r.once.Do(func() {
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Consume: got error %v, want nil", err)
			}
		case <-time.After(timeout):
			t.Errorf("Consume has not returned %v after its context was cancelled", timeout)
		}
	})
}

// returned reports whether Consume has returned, without waiting.
func (r *running) returned() bool {
	select {
	case err := <-r.done:
		r.done <- err
		return true
	default:
		return false
	}
}

// collect returns a handler that sends a copy of each delivery to ch and
// then returns fail(d), or nil when fail is nil.
func collect(ch chan<- inbox.Delivery, fail func(d *inbox.Delivery) error) inbox.Handler {
	return func(ctx context.Context, d *inbox.Delivery) error {
		ch <- *d
		if fail != nil {
			return fail(d)
		}
		return nil
	}
}

// deliveries returns a channel large enough that handlers never block on it.
func deliveries() chan inbox.Delivery { return make(chan inbox.Delivery, 4096) }

// publish publishes body on queue and returns the message id.
func publish(t *testing.T, q inbox.Queue, queue string, msg inbox.OutgoingMessage) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	id, err := q.Publish(ctx, queue, msg)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if id == "" {
		t.Fatal("Publish: got an empty id")
	}
	return id
}

// body returns a message with the given body and nothing else.
func body(s string) inbox.OutgoingMessage { return inbox.OutgoingMessage{Body: []byte(s)} }

// receive waits for the next delivery on ch.
func receive(t *testing.T, ch <-chan inbox.Delivery) inbox.Delivery {
	t.Helper()
	select {
	case d := <-ch:
		return d
	case <-time.After(timeout):
		t.Fatalf("no delivery within %v", timeout)
		return inbox.Delivery{}
	}
}

// nothing checks that the channels stay empty for the quiet period.
func nothing(t *testing.T, why string, chs ...<-chan inbox.Delivery) {
	t.Helper()
	time.Sleep(quiet)
	for _, ch := range chs {
		select {
		case d := <-ch:
			t.Errorf("%s: got delivery %s (attempt %d, body %q), want none", why, d.ID, d.Attempt, d.Body)
		default:
		}
	}
}

// eventually waits until cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkDelivery compares a delivery with what was published.
func checkDelivery(t *testing.T, d inbox.Delivery, id, queue string, msg inbox.OutgoingMessage, attempt int) {
	t.Helper()
	if d.ID != id {
		t.Errorf("ID: got %q, want %q", d.ID, id)
	}
	if d.Queue != queue {
		t.Errorf("Queue: got %q, want %q", d.Queue, queue)
	}
	if d.Key != msg.Key {
		t.Errorf("Key: got %q, want %q", d.Key, msg.Key)
	}
	if !bytes.Equal(d.Body, msg.Body) {
		t.Errorf("Body: got %q, want %q", d.Body, msg.Body)
	}
	if !maps.Equal(d.Headers, msg.Headers) {
		t.Errorf("Headers: got %v, want %v", d.Headers, msg.Headers)
	}
	if d.Attempt != attempt {
		t.Errorf("Attempt: got %d, want %d", d.Attempt, attempt)
	}
}

// gate holds handlers back until it is opened. Tests defer open, so that a
// failing test does not leave a handler, and its Consume, waiting forever.
type gate struct {
	ch   chan struct{}
	once sync.Once
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) open() { g.once.Do(func() { close(g.ch) }) }
