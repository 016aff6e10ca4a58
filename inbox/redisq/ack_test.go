package redisq

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// pipelineCounter counts the pipelines (MULTI/EXEC included) a client
// sends with acks, and holds the first until release is closed.
type pipelineCounter struct {
	n       atomic.Int64
	release chan struct{}
}

func (h *pipelineCounter) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (h *pipelineCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (h *pipelineCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if acks(cmds) && h.n.Add(1) == 1 {
			<-h.release
		}
		return next(ctx, cmds)
	}
}

// acks reports whether cmds acknowledge entries: the client's own
// pipelines, such as a new connection's handshake, are not counted.
func acks(cmds []redis.Cmder) bool {
	for _, c := range cmds {
		if c.Name() == "xack" {
			return true
		}
	}
	return false
}

// claimed publishes n messages to a new queue and claims them with one
// consumer, whose client counts its pipelines from then on.
func claimed(t *testing.T, n int) (*consumer, []*inbox.Delivery, *pipelineCounter) {
	t.Helper()
	rawURL, prefix := inboxtest.RedisURL(t)
	q, err := Open(rawURL, Options{Prefix: prefix, Block: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { q.Close() })
	ctx := context.Background()
	c := newConsumer(q, "jobs")
	if err := c.createGroup(ctx); err != nil {
		t.Fatalf("createGroup: %v", err)
	}
	c.grouped = true
	for i := range n {
		if _, err := q.Publish(ctx, "jobs", inbox.OutgoingMessage{Body: fmt.Appendf(nil, "job %d", i)}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	var ds []*inbox.Delivery
	for len(ds) < n {
		got, err := c.Claim(ctx, n-len(ds))
		if err != nil {
			t.Fatalf("Claim: %v", err)
		}
		ds = append(ds, got...)
	}
	h := &pipelineCounter{release: make(chan struct{})}
	q.client.AddHook(h)
	return c, ds, h
}

// ackAll acks ds concurrently, the first alone: its round trip is held
// until the others wait for theirs.
func ackAll(t *testing.T, c *consumer, ds []*inbox.Delivery, h *pipelineCounter) []bool {
	t.Helper()
	acked := make([]bool, len(ds))
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	var finished atomic.Int64
	for i, d := range ds {
		wg.Go(func() {
			acked[i], errs[i] = c.Ack(context.Background(), d)
			finished.Add(1)
		})
		if i == 0 {
			for h.n.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}
	for {
		waiting := c.acks.Waiting()
		// The others wait for the first, or went on their own.
		if waiting == len(ds)-1 || finished.Load() == int64(len(ds)-1) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(h.release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Ack %s: %v", ds[i].ID, err)
		}
	}
	return acked
}

func TestAckBatch(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		const n = 20
		c, ds, h := claimed(t, n)
		for i, ok := range ackAll(t, c, ds, h) {
			if !ok {
				t.Errorf("Ack %s: got false, want true", ds[i].ID)
			}
		}
		// The first ack alone, the 19 that waited for it together.
		if got := h.n.Load(); got != 2 {
			t.Errorf("round trips for %d acks: got %d, want 2", n, got)
		}
		ctx := context.Background()
		if l, err := c.q.client.XLen(ctx, c.stream).Result(); err != nil || l != 0 {
			t.Errorf("stream length: got %d (%v), want 0", l, err)
		}
		p, err := c.q.client.XPending(ctx, c.stream, c.q.opts.Group).Result()
		if err != nil || p.Count != 0 {
			t.Errorf("pending: got %+v (%v), want none", p, err)
		}
	})
	t.Run("ErrLeaseLostOfOne", func(t *testing.T) {
		c, ds, h := claimed(t, 5)
		// Another consumer took the third over and acknowledged it.
		ctx := context.Background()
		if err := c.q.client.XAck(ctx, c.stream, c.q.opts.Group, ds[2].ID).Err(); err != nil {
			t.Fatal(err)
		}
		for i, ok := range ackAll(t, c, ds, h) {
			if want := i != 2; ok != want {
				t.Errorf("Ack %s: got %v, want %v", ds[i].ID, ok, want)
			}
		}
	})
}
