package main

import (
	"path/filepath"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/inboxtest"
)

// TestSubjectEraseDeadLetters erases Erik with `inkorg subject erase` on
// both queue backends: the dead letter naming his platform id goes with
// him, Anna's stays, and the count is printed and audited.
func TestSubjectEraseDeadLetters(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		env, s := recordsEnv(t)
		testSubjectEraseDeadLetters(t, env, s)
	})
	t.Run("PostgresRedis", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		redisURL, prefix := inboxtest.RedisURL(t)
		env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = redisURL, prefix
		testSubjectEraseDeadLetters(t, env, recordScene(t, env))
	})
}

func testSubjectEraseDeadLetters(t *testing.T, env map[string]string, s *recordtest.Scene) {
	out := filepath.Join(t.TempDir(), "arkiv")
	if code, stdout := runCmd(t, env, "", "archive", "export", "--from", "2026-03-02", "--to", "2026-03-02", "--out", out); code != exitOK {
		t.Fatalf("archive export: got exit %d, %q", code, stdout)
	}
	b := openTestBackends(t, env)
	ids := deadLetterAll(t, b.queue, []string{
		`{"object":"page","entry":[{"id":"` + recordtest.PageID + `","changes":[{"field":"feed","value":{"from":{"id":"` + recordtest.CommenterID + `","name":"Erik"},"message":"Hej"}}]}]}`,
		`{"object":"page","entry":[{"id":"` + recordtest.PageID + `","messaging":[{"sender":{"id":"` + recordtest.CitizenID + `"},"message":{"text":"Hej"}}]}]}`,
	})

	code, stdout := runCmd(t, env, "", "subject", "erase", "--contact", itoa(s.CommentContact), "--reason", "Begäran 2026-04-01")
	if code != exitOK || !strings.Contains(stdout, "; 1 dead letters naming them deleted\n") {
		t.Fatalf("subject erase: got exit %d, %q; want 0 and one dead letter deleted", code, stdout)
	}
	left, err := b.queue.(inbox.DeadLetters).DeadLetters(t.Context(), inbox.QueueDeliveries, "", 10)
	if err != nil || len(left) != 1 || left[0].ID != ids[1] {
		t.Errorf("dead letters left: got %d (%v), want only Anna's %s", len(left), err, ids[1])
	}
	var details []string
	err = b.db.Gorm().Table("audit_entries").Where("action = ? AND conversation_id IS NULL", inbox.ActionSubjectRemoval).Pluck("detail", &details).Error
	if err != nil || len(details) != 1 || !strings.Contains(details[0], `"dead_letters":1`) {
		t.Errorf("audit of the removal: got %q, %v; want the dead letter counted", details, err)
	}
}
