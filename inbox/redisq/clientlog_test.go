package redisq_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"inkorg/inbox/inboxtest"
	"inkorg/inbox/redisq"
)

// TestClientLog: what go-redis logs by itself, such as failing to dial,
// goes to the queue's logger as a warning, in the logger's format.
func TestClientLog(t *testing.T) {
	var logs inboxtest.SyncBuffer
	q, err := redisq.Open("redis://127.0.0.1:1/0", redisq.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer q.Close()
	if err := q.Ping(context.Background()); err == nil {
		t.Fatal("Ping: got nil, want an error from a port nothing listens on")
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var rec struct{ Level, Msg, Detail string }
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec.Level != "WARN" || !strings.Contains(rec.Detail, "dial") {
		t.Errorf("got log %q (%v), want a JSON warning about dialing", logs.String(), err)
	}
}
