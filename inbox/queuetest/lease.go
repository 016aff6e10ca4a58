package queuetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox"
)

// testLongHandler checks that a handler that runs for several leases keeps
// its message: the consumer renews the lease, so the message is neither
// claimed again while the handler runs, by this consumer or another, nor
// counted as a failed attempt and dead-lettered. The consumer has free
// handler slots, which it would fill with the same message were its lease
// to run out.
func testLongHandler(t *testing.T, open func() inbox.Queue) {
	q, other := open(), open()
	msg := body("slow but fine")
	id := publish(t, q, queueName, msg)

	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	var attempts []int
	got := deliveries()
	handler := func(ctx context.Context, d *inbox.Delivery) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		mu.Lock()
		attempts = append(attempts, d.Attempt)
		mu.Unlock()
		time.Sleep(4 * Lease)
		got <- *d
		return nil
	}
	consume(t, q, queueName, 4, handler)
	consume(t, other, queueName, 4, handler)

	checkDelivery(t, receive(t, got), id, queueName, msg, 1)
	nothing(t, "after the slow handler succeeded", got)
	if got := peak.Load(); got != 1 {
		t.Errorf("handlers running the message at once: got at most %d, want 1", got)
	}
	mu.Lock()
	if len(attempts) != 1 {
		t.Errorf("handler calls: got attempts %v, want [1]", attempts)
	}
	mu.Unlock()
	if list := listDead(t, q, queueName); len(list) != 0 {
		t.Errorf("dead letters: got %d (attempts %d, error %q), want none", len(list), list[0].Attempts, list[0].Error)
	}
	stats, ok := q.(inbox.StatsReporter)
	if !ok {
		t.Fatalf("%T does not implement inbox.StatsReporter", q)
	}
	s, err := stats.QueueStats(context.Background(), queueName)
	if err != nil {
		t.Fatalf("QueueStats: %v", err)
	}
	if s.Length != 0 || s.Pending != 0 {
		t.Errorf("QueueStats: got length %d, pending %d; want 0, 0 (the message acknowledged)", s.Length, s.Pending)
	}
}
