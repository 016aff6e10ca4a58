package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// TestDLQ dead-letters messages on the configured queue, then lists, shows,
// drops and replays them through `inkorg dlq`, on both queue backends.
func TestDLQ(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		testDLQ(t, baseEnv(t))
	})
	t.Run("PostgresRedis", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		redisURL, prefix := inboxtest.RedisURL(t)
		env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = redisURL, prefix
		if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
			t.Fatalf("migrate: got exit %d, want 0", code)
		}
		testDLQ(t, env)
	})
}

func testDLQ(t *testing.T, env map[string]string) {
	b := openTestBackends(t, env)
	bodies := []string{`{"n":1}`, `{"n":2}`, `{"n":3}`}
	ids := deadLetterAll(t, b.queue, bodies)

	code, out := runCmd(t, env, "", "dlq", "list")
	if code != exitOK || strings.Count(out, "\n") != 3 || !strings.Contains(out, ids[0]+"\tattempts=1\t") ||
		!strings.Contains(out, "error=rejected by the test") {
		t.Fatalf("dlq list: got exit %d, output:\n%s\nwant 3 lines starting with %s, attempts=1 and the error", code, out, ids[0])
	}

	code, out = runCmd(t, env, "", "dlq", "show", ids[1])
	var shown deadLetterJSON
	if err := json.Unmarshal([]byte(out), &shown); code != exitOK || err != nil {
		t.Fatalf("dlq show: got exit %d, %v, output %q", code, err, out)
	}
	if shown.ID != ids[1] || shown.Body != bodies[1] || shown.Attempts != 1 || shown.Queue != inbox.QueueDeliveries {
		t.Errorf("dlq show: got %+v, want id %s, body %s, 1 attempt", shown, ids[1], bodies[1])
	}

	if code, out := runCmd(t, env, "", "dlq", "drop", ids[0]); code != exitOK || out != "dropped "+ids[0]+"\n" {
		t.Errorf("dlq drop: got exit %d, %q", code, out)
	}
	if code, _ := runCmd(t, env, "", "dlq", "show", ids[0]); code != exitFailure {
		t.Errorf("dlq show of a dropped dead letter: got exit %d, want %d", code, exitFailure)
	}
	if code, out := runCmd(t, env, "", "dlq", "replay", ids[1]); code != exitOK || !strings.HasPrefix(out, "replayed "+ids[1]) {
		t.Errorf("dlq replay ID: got exit %d, %q", code, out)
	}
	if code, out := runCmd(t, env, "", "dlq", "replay", "--all"); code != exitOK || !strings.HasSuffix(out, "1 dead letters replayed on queue deliveries\n") {
		t.Errorf("dlq replay --all: got exit %d, %q", code, out)
	}
	if code, out := runCmd(t, env, "", "dlq", "list"); code != exitOK || out != "no dead letters on queue deliveries\n" {
		t.Errorf("dlq list after the replays: got exit %d, %q", code, out)
	}
	got := drainBodies(t, b.queue, 2)
	if strings.Join(got, " ") != bodies[1]+" "+bodies[2] {
		t.Errorf("replayed messages: got %v, want %v", got, bodies[1:])
	}
}

func TestDLQUsage(t *testing.T) {
	env := baseEnv(t)
	for _, args := range [][]string{
		{"dlq"}, {"dlq", "purge"}, {"dlq", "replay"}, {"dlq", "replay", "--all", "1"},
		{"dlq", "show"}, {"dlq", "drop", "1", "2"}, {"dlq", "list", "extra"}, {"dlq", "list", "--limit", "0"},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			if code, _ := runCmd(t, env, "", args...); code != exitUsage {
				t.Errorf("inkorg %s: got exit %d, want %d", strings.Join(args, " "), code, exitUsage)
			}
		})
	}
	t.Run("ErrInvalidID", func(t *testing.T) {
		if code, _ := runCmd(t, env, "", "dlq", "show", "not-an-id"); code != exitUsage {
			t.Errorf("got exit %d, want %d", code, exitUsage)
		}
	})
}

// openTestBackends opens the backends env configures, as the commands do.
func openTestBackends(t *testing.T, vars map[string]string) *backends {
	t.Helper()
	cfg, err := loadConfig(envFrom(vars))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	b, err := openBackends(t.Context(), &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard, logger: logger})
	if err != nil {
		t.Fatalf("open backends: %v", err)
	}
	t.Cleanup(func() { b.close(logger) })
	return b
}

// deadLetterAll publishes the bodies on the deliveries queue and runs a
// consumer that rejects each for good; it returns the dead letter ids.
func deadLetterAll(t *testing.T, q inbox.Queue, bodies []string) []string {
	t.Helper()
	ctx := context.Background()
	for _, b := range bodies {
		if _, err := q.Publish(ctx, inbox.QueueDeliveries, inbox.OutgoingMessage{Body: []byte(b)}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- q.Consume(cctx, inbox.QueueDeliveries, 1, func(context.Context, *inbox.Delivery) error {
			return inbox.Permanent(errors.New("rejected by the test"))
		})
	}()
	dl := q.(inbox.DeadLetters)
	var list []*inbox.DeadLetter
	deadline := time.Now().Add(20 * time.Second)
	for len(list) < len(bodies) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		var err error
		if list, err = dl.DeadLetters(ctx, inbox.QueueDeliveries, "", 100); err != nil {
			t.Fatalf("DeadLetters: %v", err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if len(list) != len(bodies) {
		t.Fatalf("dead letters: got %d, want %d", len(list), len(bodies))
	}
	ids := make([]string, len(list))
	for i, d := range list {
		ids[i] = d.ID
	}
	return ids
}

// drainBodies consumes n messages of the deliveries queue and returns
// their bodies in the order they came.
func drainBodies(t *testing.T, q inbox.Queue, n int) []string {
	t.Helper()
	var mu sync.Mutex
	var got []string
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- q.Consume(ctx, inbox.QueueDeliveries, 1, func(_ context.Context, d *inbox.Delivery) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, string(d.Body))
			return nil
		})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		k := len(got)
		mu.Unlock()
		if k >= n {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Consume: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	return got
}
