package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

// Size of the crash run: 20,000 Messenger messages in batched deliveries,
// as Meta sends them under load, on the production backends. The embedded
// SQL queue runs a tenth of that, which is enough to see its leases expire
// and be taken over, and keeps the test within about a minute.
const (
	crashEvents       = 20_000
	crashEventsSQLite = 2_000
	crashPerDelivery  = 20
	crashSenders      = 500
)

// TestCrash runs the ingest worker as a separate process of the real
// binary, queues 20,000 events (2,000 on SQLite), SIGKILLs the worker twice while it works
// and starts it again each time, then checks that every event is in the
// store exactly once and nothing is left on the queue or in the dead
// letters.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and ingests 20,000 events; skipped with -short")
	}
	if raceEnabled {
		// The worker is a separate binary built without the detector, so a
		// race run would only repeat the plain run, twice as slowly.
		t.Skip("the worker process runs without the race detector; the plain go test run covers this")
	}
	bin := buildBinary(t)
	t.Run("SQLite", func(t *testing.T) {
		testCrash(t, bin, baseEnv(t), crashEventsSQLite)
	})
	t.Run("PostgresRedis", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		redisURL, prefix := inboxtest.RedisURL(t)
		env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = redisURL, prefix
		if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
			t.Fatalf("migrate: got exit %d, want 0", code)
		}
		testCrash(t, bin, env, crashEvents)
	})
}

func testCrash(t *testing.T, bin string, env map[string]string, events int) {
	// A short lease lets the restarted worker take over what the killed
	// one held within seconds.
	env["INKORG_QUEUE_LEASE"] = "2s"
	b := openTestBackends(t, env)
	ctx := context.Background()
	publishCrashEvents(t, b.queue, events)

	stored := func() int64 {
		var n int64
		if err := b.db.Gorm().WithContext(ctx).Raw(
			"SELECT COUNT(*) FROM messages WHERE external_id LIKE 'm_crash_%'").Scan(&n).Error; err != nil {
			t.Fatalf("count messages: %v", err)
		}
		return n
	}
	start := time.Now()
	w := startWorker(t, bin, env)
	for kill := 1; kill <= 2; kill++ {
		waitStored(t, stored, int64(events*kill/3))
		w.kill(t)
		at := stored()
		w = startWorker(t, bin, env)
		restarted := time.Now()
		waitStored(t, stored, at+1)
		t.Logf("kill %d: %d events stored at the SIGKILL; ingesting again %v after the restart",
			kill, at, time.Since(restarted).Round(time.Millisecond))
	}
	waitStored(t, stored, int64(events))
	waitEmpty(t, b.queue)
	t.Logf("all %d events stored %v after the first start, with two SIGKILLs", events,
		time.Since(start).Round(time.Millisecond))
	w.stop(t)
	checkStoredOnce(t, b, "m_crash_", events)
}

// publishCrashEvents queues the events as the receiver would.
func publishCrashEvents(t *testing.T, q inbox.Queue, events int) {
	t.Helper()
	ctx := context.Background()
	for d := range events / crashPerDelivery {
		body := messengerDelivery("m_crash_", d*crashPerDelivery, crashPerDelivery)
		_, err := q.Publish(ctx, inbox.QueueDeliveries, inbox.OutgoingMessage{
			Body: body,
			Headers: map[string]string{
				webhooks.HeaderReceivedAt:  time.Now().UTC().Format(time.RFC3339Nano),
				webhooks.HeaderSignature:   webhooks.Sign(testAppSecret, body),
				webhooks.HeaderContentType: "application/json",
			},
		})
		if err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
}

// messengerDelivery returns a Messenger delivery of n messages with the mids
// prefix+number, numbered from first, each from one of crashSenders
// citizens.
func messengerDelivery(prefix string, first, n int) []byte {
	type id struct {
		ID string `json:"id"`
	}
	type messaging struct {
		Sender    id             `json:"sender"`
		Recipient id             `json:"recipient"`
		Timestamp int64          `json:"timestamp"`
		Message   map[string]any `json:"message"`
	}
	var ms []messaging
	for i := first; i < first+n; i++ {
		ms = append(ms, messaging{
			Sender:    id{fmt.Sprint(900000 + i%crashSenders)},
			Recipient: id{"12345654332"},
			Timestamp: 1764000000000 + int64(i),
			Message:   map[string]any{"mid": fmt.Sprintf("%s%05d", prefix, i), "text": fmt.Sprintf("Fråga nummer %d", i)},
		})
	}
	body, _ := json.Marshal(map[string]any{
		"object": "page",
		"entry":  []any{map[string]any{"id": "12345654332", "time": 1764000000000, "messaging": ms}},
	})
	return body
}

// worker is a running `inkorg serve --roles=workers` process.
type worker struct {
	cmd    *exec.Cmd
	stderr *inboxtest.SyncBuffer
	done   chan error
}

func startWorker(t *testing.T, bin string, env map[string]string) *worker {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--roles=workers")
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	w := &worker{cmd: cmd, stderr: &inboxtest.SyncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	go func() { w.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-w.done
		if t.Failed() {
			t.Logf("worker stderr:\n%s", w.stderr.String())
		}
	})
	return w
}

// kill sends SIGKILL and waits for the process to die.
func (w *worker) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	if err := <-w.done; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("worker after SIGKILL: got %v, want killed", err)
	}
	w.done <- nil // for the cleanup
}

// stop sends SIGTERM and waits for a clean exit.
func (w *worker) stop(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	if err := <-w.done; err != nil {
		t.Errorf("worker after SIGTERM: got %v, want exit 0", err)
	}
	w.done <- nil
}

// waitStored waits until at least n events are stored.
func waitStored(t *testing.T, stored func() int64, n int64) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for got := stored(); got < n; got = stored() {
		if time.Now().After(deadline) {
			t.Fatalf("stored events: got %d, want at least %d", got, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitEmpty waits until the deliveries queue holds nothing.
func waitEmpty(t *testing.T, q inbox.Queue) {
	t.Helper()
	sr := q.(inbox.StatsReporter)
	deadline := time.Now().Add(time.Minute)
	for {
		s, err := sr.QueueStats(context.Background(), inbox.QueueDeliveries)
		if err == nil && s.Length == 0 {
			if s.DeadLetters != 0 {
				t.Errorf("dead letters: got %d, want 0", s.DeadLetters)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue after the run: got %+v (%v), want it empty", s, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkStoredOnce checks that the events with the mids prefix+0 to
// prefix+(n-1), and no others, are stored, each once.
func checkStoredOnce(t *testing.T, b *backends, prefix string, n int) {
	t.Helper()
	var rows []struct {
		ExternalID string
		N          int
	}
	err := b.db.Gorm().Raw(`SELECT external_id, COUNT(*) AS n FROM messages
WHERE external_id LIKE ? GROUP BY external_id`, prefix+"%").Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]int, len(rows))
	duplicates := 0
	for _, r := range rows {
		seen[r.ExternalID] = r.N
		duplicates += r.N - 1
	}
	missing := 0
	for i := range n {
		if seen[fmt.Sprintf("%s%05d", prefix, i)] == 0 {
			missing++
		}
	}
	t.Logf("events sent %d, stored %d, missing %d, duplicates %d", n, len(rows), missing, duplicates)
	if missing != 0 || duplicates != 0 || len(rows) != n {
		t.Errorf("store: got %d distinct events, %d missing, %d duplicates; want %d, 0, 0",
			len(rows), missing, duplicates, n)
	}
}

// buildBinary builds inkorg into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "inkorg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
