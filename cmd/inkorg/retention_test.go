package main

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/inboxtest"
)

// TestRetentionDropsOldDeadLetters runs `inkorg retention run` on both
// queue backends: a dead letter of the deliveries queue received before
// the cut-off holds the same body as the raw delivery retention deletes,
// and goes with it; a recent one stays.
func TestRetentionDropsOldDeadLetters(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		env, _ := recordsEnv(t)
		testRetentionDropsOldDeadLetters(t, env, func(b *backends, body string, at time.Time) {
			err := b.db.Gorm().Exec(`INSERT INTO queue_dead_letters (queue, message_id, key, body, headers, attempts, error, published_at, failed_at)
				VALUES (?, 1, '', ?, '{}', 5, 'parse error', ?, ?)`, inbox.QueueDeliveries, []byte(body), at.UnixMilli(), at.UnixMilli()).Error
			if err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("PostgresRedis", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		redisURL, prefix := inboxtest.RedisURL(t)
		env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = redisURL, prefix
		recordScene(t, env)
		opts, err := redis.ParseURL(redisURL)
		if err != nil {
			t.Fatal(err)
		}
		client := redis.NewClient(opts)
		t.Cleanup(func() { client.Close() })
		testRetentionDropsOldDeadLetters(t, env, func(_ *backends, body string, at time.Time) {
			err := client.XAdd(t.Context(), &redis.XAddArgs{Stream: prefix + "dlq:" + inbox.QueueDeliveries, Values: []any{
				"body", body, "message_id", "1-0", "attempts", 5, "error", "parse error",
				"published_at", at.UnixMilli(), "failed_at", at.UnixMilli(),
			}}).Err()
			if err != nil {
				t.Fatal(err)
			}
		})
	})
}

func testRetentionDropsOldDeadLetters(t *testing.T, env map[string]string, bury func(b *backends, body string, at time.Time)) {
	b := openTestBackends(t, env)
	old := `{"object":"page","entry":[{"id":"` + recordtest.PageID + `","messaging":[{"sender":{"id":"` + recordtest.CitizenID +
		`"},"message":{"text":"Mitt pnr 19811218-9876"}}]}]}`
	recent := deadLetterAll(t, b.queue, []string{`{"object":"page","entry":[]}`})
	bury(b, old, recordtest.T0)
	dl := b.queue.(inbox.DeadLetters)
	steps := []struct {
		args []string
		want string
		left int
	}{
		{[]string{"retention", "run", "--months", "1", "--dry-run"}, "\n1 dead letters of the deliveries queue would be deleted\n", 2},
		{[]string{"retention", "run", "--months", "1"}, "\n1 dead letters of the deliveries queue deleted\n", 1},
		{[]string{"retention", "run", "--months", "1"}, "\n0 dead letters of the deliveries queue deleted\n", 1},
	}
	for _, st := range steps {
		code, stdout := runCmd(t, env, "", st.args...)
		if code != exitOK || !strings.Contains(stdout, st.want) {
			t.Fatalf("inkorg %s: got exit %d, %q; want 0 and %q", strings.Join(st.args, " "), code, stdout, st.want)
		}
		left, err := dl.DeadLetters(t.Context(), inbox.QueueDeliveries, "", 10)
		if err != nil || len(left) != st.left {
			t.Fatalf("after inkorg %s: got %d dead letters, %v; want %d", strings.Join(st.args, " "), len(left), err, st.left)
		}
		if st.left == 1 && left[0].ID != recent[0] {
			t.Errorf("after inkorg %s: got dead letter %s (%s) kept, want the recent %s", strings.Join(st.args, " "), left[0].ID, left[0].Body, recent[0])
		}
	}
}
