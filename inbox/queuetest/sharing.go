package queuetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox"
)

// testConcurrencyLimit checks that a consumer runs up to, and never more
// than, concurrency handlers at once.
func testConcurrencyLimit(t *testing.T, open func() inbox.Queue) {
	const concurrency, total = 3, 10
	q := open()
	for i := range total {
		publish(t, q, queueName, body(fmt.Sprint("message ", i)))
	}
	hold := newGate()
	defer hold.open()
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	seen := map[string]bool{}
	consume(t, q, queueName, concurrency, func(ctx context.Context, d *inbox.Delivery) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		mu.Lock()
		seen[d.ID] = true
		mu.Unlock()
		<-hold.ch
		return nil
	})
	eventually(t, fmt.Sprintf("%d handlers in flight", concurrency), func() bool {
		return inFlight.Load() == concurrency
	})
	// Give a consumer that ignores the limit time to start more.
	time.Sleep(Lease / 2)
	if got := peak.Load(); got > concurrency {
		t.Errorf("handlers in flight: got %d, want at most %d", got, concurrency)
	}
	hold.open()
	eventually(t, fmt.Sprintf("all %d messages handled", total), func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) == total
	})
}

// testSharedWork runs two consumers on one queue while messages are being
// published: every message must be handled, never by two handlers at the
// same time, and all must be acknowledged.
func testSharedWork(t *testing.T, open func() inbox.Queue) {
	const total, publishers, concurrency = 500, 4, 4
	consumers := []inbox.Queue{open(), open()}
	w := &workLog{holding: map[string]bool{}, count: map[string]int{}, body: map[string][]byte{}}
	for i, q := range consumers {
		consume(t, q, queueName, concurrency, w.handler(t, i))
	}

	published := publishMany(t, consumers[0], total, publishers)
	eventually(t, fmt.Sprintf("all %d messages handled", total), func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.count) >= total
	})
	handled := w.deliveries.Load()
	// Were some message not acknowledged, its lease would run out and it
	// would be handled again within the quiet period.
	time.Sleep(quiet)
	if got := w.deliveries.Load(); got != handled {
		t.Errorf("deliveries after all messages were handled: got %d more, want none", got-handled)
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	for id, want := range published {
		if got, ok := w.body[id]; !ok {
			t.Errorf("message %s: never handled", id)
		} else if !bytes.Equal(got, want) {
			t.Errorf("message %s: got body %q, want %q", id, got, want)
		}
	}
	if len(w.count) != total {
		t.Errorf("distinct messages handled: got %d, want %d", len(w.count), total)
	}
	t.Logf("%d deliveries of %d messages; per consumer: %d, %d",
		handled, total, w.perConsumer[0].Load(), w.perConsumer[1].Load())
}

// workLog records what the consumers of testSharedWork did.
type workLog struct {
	mu          sync.Mutex
	holding     map[string]bool
	count       map[string]int
	body        map[string][]byte
	deliveries  atomic.Int64
	perConsumer [2]atomic.Int64
}

func (w *workLog) handler(t *testing.T, consumer int) inbox.Handler {
	return func(ctx context.Context, d *inbox.Delivery) error {
		w.mu.Lock()
		if w.holding[d.ID] {
			t.Errorf("message %s: handled by two handlers at the same time", d.ID)
		}
		w.holding[d.ID] = true
		w.count[d.ID]++
		w.body[d.ID] = d.Body
		w.deliveries.Add(1)
		w.perConsumer[consumer].Add(1)
		w.mu.Unlock()
		// Stay in flight for a moment, so that a second holder would
		// overlap with this one.
		time.Sleep(time.Millisecond)
		w.mu.Lock()
		delete(w.holding, d.ID)
		w.mu.Unlock()
		return nil
	}
}

// publishMany publishes total messages from several goroutines and returns
// their bodies by id.
func publishMany(t *testing.T, q inbox.Queue, total, publishers int) map[string][]byte {
	t.Helper()
	var mu sync.Mutex
	out := make(map[string][]byte, total)
	var wg sync.WaitGroup
	errs := make(chan error, publishers)
	for p := range publishers {
		wg.Go(func() {
			for i := p; i < total; i += publishers {
				b := fmt.Appendf(nil, "message %d", i)
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				id, err := q.Publish(ctx, queueName, inbox.OutgoingMessage{Key: fmt.Sprint(i % 7), Body: b})
				cancel()
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				out[id] = b
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Publish: %v", err)
	}
	return out
}
