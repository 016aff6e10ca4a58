package redislive

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// appendCounter counts the pipelines that append events, and holds the
// first until release is closed.
type appendCounter struct {
	n       atomic.Int64
	release chan struct{}
}

func (h *appendCounter) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (h *appendCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (h *appendCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) > 0 && cmds[0].Name() == "xadd" && h.n.Add(1) == 1 {
			<-h.release
		}
		return next(ctx, cmds)
	}
}

// TestPublishBatch: events published while others are being appended go
// in the next round trip, together, and every one reaches the stream.
func TestPublishBatch(t *testing.T) {
	url, prefix := inboxtest.RedisURL(t)
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	h := &appendCounter{release: make(chan struct{})}
	rdb.AddHook(h)
	b := New(rdb, Options{Prefix: prefix})
	t.Cleanup(func() {
		b.Close()
		rdb.Close()
	})

	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = b.Publish(context.Background(), inbox.LiveEvent{Kind: inbox.LiveConversation, ConversationID: int64(i)})
		})
		if i == 0 {
			waitFor(t, "the first round trip", func() bool { return h.n.Load() == 1 })
		}
	}
	waitFor(t, "the others waiting", func() bool { return b.pub.Waiting() == n-1 })
	close(h.release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Publish %d: %v", i, err)
		}
	}
	if got := h.n.Load(); got != 2 {
		t.Errorf("round trips for %d events: got %d, want 2", n, got)
	}
	if got, err := rdb.XLen(context.Background(), b.key).Result(); err != nil || got != n {
		t.Errorf("stream length: got %d (%v), want %d", got, err, n)
	}
}

// waitFor polls cond until it holds; a condition that never holds fails
// the test instead of hanging it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never got %s", what)
		}
	}
}
