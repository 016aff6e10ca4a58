package redisq_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/queuetest"
	"inkorg/inbox/redisq"
)

// openQueue opens a queue on the Redis server at rawURL under prefix,
// configured for the contract suite, and closes it when the test ends.
func openQueue(t testing.TB, rawURL, prefix string) *redisq.Queue {
	t.Helper()
	q, err := redisq.Open(rawURL, redisq.Options{
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Prefix: prefix,
		Lease:  queuetest.Lease,
		Policy: queuetest.Policy,
		Block:  50 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func TestQueue(t *testing.T) {
	queuetest.Run(t, func(t *testing.T) queuetest.Namespace {
		rawURL, prefix := inboxtest.RedisURL(t)
		return queuetest.Namespace{
			Open: func() inbox.Queue { return openQueue(t, rawURL, prefix) },
			OpenCuttable: func() (inbox.Queue, func()) {
				// The queue has a client of its own, which Close closes.
				q := openQueue(t, rawURL, prefix)
				return q, func() { q.Close() }
			},
		}
	})
}

func TestOutage(t *testing.T) {
	rawURL, prefix := inboxtest.RedisURL(t)
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p := queuetest.NewProxy(t, u.Host)
	u.Host = p.Addr()
	queuetest.Outage(t, p, openQueue(t, rawURL, prefix), openQueue(t, u.String(), prefix))
}

func TestOpen(t *testing.T) {
	t.Run("ErrInvalidURL", func(t *testing.T) {
		_, err := redisq.Open("http://example.com", redisq.Options{})
		if code := inbox.ErrorCode(err); code != inbox.EINVALID {
			t.Errorf("got code %q (%v), want %q", code, err, inbox.EINVALID)
		}
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		q, err := redisq.Open("redis://127.0.0.1:1/0?max_retries=-1", redisq.Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer q.Close()
		if code := inbox.ErrorCode(q.Ping(context.Background())); code != inbox.EUNAVAILABLE {
			t.Errorf("Ping: got code %q, want %q", code, inbox.EUNAVAILABLE)
		}
		_, err = q.Publish(context.Background(), "jobs", inbox.OutgoingMessage{Body: []byte("x")})
		if code := inbox.ErrorCode(err); code != inbox.EUNAVAILABLE {
			t.Errorf("Publish: got code %q, want %q", code, inbox.EUNAVAILABLE)
		}
	})
}

// TestKeys checks where the queue keeps its data: one stream per queue
// under the prefix, emptied as entries are acknowledged, and no consumer
// left in the group once Consume has returned.
func TestKeys(t *testing.T) {
	rawURL, prefix := inboxtest.RedisURL(t)
	q := openQueue(t, rawURL, prefix)
	rdb := rawClient(t, rawURL)
	ctx := context.Background()
	stream := prefix + "queue:jobs"

	for range 3 {
		if _, err := q.Publish(ctx, "jobs", inbox.OutgoingMessage{Body: []byte("x")}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	if n, err := rdb.XLen(ctx, stream).Result(); err != nil || n != 3 {
		t.Fatalf("XLEN %s: got %d (%v), want 3", stream, n, err)
	}

	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	handled := make(chan struct{}, 3)
	go func() {
		done <- q.Consume(cctx, "jobs", 2, func(context.Context, *inbox.Delivery) error {
			handled <- struct{}{}
			return nil
		})
	}()
	for range 3 {
		select {
		case <-handled:
		case <-time.After(10 * time.Second):
			t.Fatal("messages not handled within 10s")
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := rdb.XLen(ctx, stream).Result()
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("XLEN %s after the acks: got %d (%v), want 0", stream, n, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Consume: %v", err)
	}
	consumers, err := rdb.XInfoConsumers(ctx, stream, redisq.DefaultGroup).Result()
	if err != nil || len(consumers) != 0 {
		t.Errorf("consumers after Consume returned: got %v (%v), want none", consumers, err)
	}
}

func BenchmarkPublish(b *testing.B) {
	rawURL, prefix := inboxtest.RedisURL(b)
	queuetest.BenchPublish(b, openQueue(b, rawURL, prefix))
}

func BenchmarkConsume(b *testing.B) {
	rawURL, prefix := inboxtest.RedisURL(b)
	queuetest.BenchConsume(b, openQueue(b, rawURL, prefix), 8)
}

// TestLengthAlarm checks that a stream longer than MaxLen is reported and
// never trimmed: every entry on it is still to be handled.
func TestLengthAlarm(t *testing.T) {
	rawURL, prefix := inboxtest.RedisURL(t)
	var logs inboxtest.SyncBuffer
	q, err := redisq.Open(rawURL, redisq.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Prefix: prefix,
		Lease:  queuetest.Lease,
		Block:  50 * time.Millisecond,
		MaxLen: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	ctx := context.Background()
	const total = 6
	for range total {
		if _, err := q.Publish(ctx, "jobs", inbox.OutgoingMessage{Body: []byte("x")}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	hold := make(chan struct{})
	defer close(hold)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- q.Consume(cctx, "jobs", 1, func(context.Context, *inbox.Delivery) error {
			<-hold
			return nil
		})
	}()
	defer func() { cancel(); hold <- struct{}{}; <-done }()
	const alarm = "queue: stream is longer than its bound"
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), alarm) {
		if time.Now().After(deadline) {
			t.Fatalf("log: got %q, want %q", logs.String(), alarm)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "length=6") {
		t.Errorf("alarm: got %q, want length=6", logs.String())
	}
	stats, err := q.QueueStats(ctx, "jobs")
	if err != nil || stats.Length != total || stats.Pending != 1 {
		t.Errorf("QueueStats: got %+v (%v), want length %d and 1 pending: nothing trimmed", stats, err, total)
	}
}

// TestMalformedEntry checks that an entry this package did not write goes
// to the dead letters with its fields, and does not hold back the next.
func TestMalformedEntry(t *testing.T) {
	rawURL, prefix := inboxtest.RedisURL(t)
	q := openQueue(t, rawURL, prefix)
	rdb := rawClient(t, rawURL)
	ctx := context.Background()
	badID, err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: prefix + "queue:jobs", Values: []any{"text", "no body"}}).Result()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Publish(ctx, "jobs", inbox.OutgoingMessage{Body: []byte("good")}); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 4)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- q.Consume(cctx, "jobs", 1, func(_ context.Context, d *inbox.Delivery) error {
			got <- string(d.Body)
			return nil
		})
	}()
	defer func() { cancel(); <-done }()
	select {
	case b := <-got:
		if b != "good" {
			t.Errorf("delivery: got %q, want %q", b, "good")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the message behind the malformed entry was not delivered within 10s")
	}
	dead, err := q.DeadLetters(ctx, "jobs", "", 10)
	if err != nil || len(dead) != 1 {
		t.Fatalf("dead letters: got %d (%v), want 1", len(dead), err)
	}
	if d := dead[0]; d.MessageID != badID || string(d.Body) != `{"text":"no body"}` || !strings.Contains(d.Error, `no "body" field`) {
		t.Errorf("dead letter: got message %s, body %s, error %q; want %s, the entry's fields, the reason", d.MessageID, d.Body, d.Error, badID)
	}
}

// rawClient returns a plain Redis client on rawURL, for looking at and
// writing keys behind the queue's back; closed when the test ends.
func rawClient(t *testing.T, rawURL string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// TestReclaimCountsUnread checks that an entry the reclaim has taken over is
// handed out even when reading its delivery count fails: XAUTOCLAIM has
// already counted the delivery and reset the lease, so dropping the entry
// would burn an attempt without running the handler.
func TestReclaimCountsUnread(t *testing.T) {
	rawURL, prefix := inboxtest.RedisURL(t)
	rdb := rawClient(t, rawURL)
	hook := &failFirstXPending{}
	rdb.AddHook(hook)
	q := redisq.New(rdb, redisq.Options{
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Prefix: prefix,
		Lease:  queuetest.Lease,
		Policy: queuetest.Policy,
		Block:  50 * time.Millisecond,
	})
	ctx := context.Background()
	if _, err := q.Publish(ctx, "jobs", inbox.OutgoingMessage{Body: []byte("x")}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	attempts := make(chan int, 8)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- q.Consume(cctx, "jobs", 1, func(_ context.Context, d *inbox.Delivery) error {
			attempts <- d.Attempt
			if d.Attempt == 1 {
				return errors.New("simulated handler failure")
			}
			return nil
		})
	}()
	defer func() { cancel(); <-done }()
	for _, want := range []int{1, 2} {
		select {
		case got := <-attempts:
			if got != want {
				t.Fatalf("delivery: got attempt %d, want %d", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("attempt %d not delivered within 10s", want)
		}
	}
	if !hook.failed.Load() {
		t.Error("no XPENDING pipeline ran, so none failed: the test tested nothing")
	}
}

// failFirstXPending is a go-redis hook that fails the first pipeline
// holding an XPENDING, as a connection dropped at that moment would.
type failFirstXPending struct{ failed atomic.Bool }

func (h *failFirstXPending) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *failFirstXPending) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (h *failFirstXPending) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			if c.Name() == "xpending" && h.failed.CompareAndSwap(false, true) {
				err := errors.New("simulated connection reset")
				for _, c := range cmds {
					c.SetErr(err)
				}
				return err
			}
		}
		return next(ctx, cmds)
	}
}
