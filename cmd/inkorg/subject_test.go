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
// both queue backends: the dead letter naming only him goes with him,
// Anna's stays, one he shares with Karin keeps only Karin's message, and
// the counts are printed and audited. Lisa, who only replied in his
// thread, is erased by her platform id.
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
	erikOnly := `{"id":"` + recordtest.PageID + `","changes":[{"field":"feed","value":{"from":{"id":"` + recordtest.CommenterID + `","name":"Erik"},"message":"Hej"}}]}`
	anna := `{"object":"page","entry":[{"id":"` + recordtest.PageID + `","messaging":[{"sender":{"id":"` + recordtest.CitizenID + `"},"message":{"text":"Hej"}}]}]}`
	karin := `{"id":"` + recordtest.PageID + `","messaging":[{"sender":{"id":"7301234567899999"},"message":{"mid":"m_karin","text":"KARIN"}}]}`
	deadLetterAll(t, b.queue, []string{
		`{"object":"page","entry":[` + erikOnly + `]}`, anna, `{"object":"page","entry":[` + erikOnly + `,` + karin + `]}`,
	})

	code, stdout := runCmd(t, env, "", "subject", "erase", "--platform-id", recordtest.OtherID, "--reason", "Begäran 2026-04-01")
	if code != exitOK || !strings.HasPrefix(stdout, "platform id "+recordtest.OtherID+" on facebook deleted in 1 conversation(s)") {
		t.Errorf("subject erase --platform-id: got exit %d, %q; want Lisa erased in Erik's thread", code, stdout)
	}
	if code, _ := runCmd(t, env, "", "subject", "erase", "--contact", "1", "--platform-id", recordtest.OtherID, "--reason", "x"); code != exitUsage {
		t.Errorf("subject erase with both --contact and --platform-id: got exit %d, want %d", code, exitUsage)
	}

	code, stdout = runCmd(t, env, "", "subject", "erase", "--contact", itoa(s.CommentContact), "--reason", "Begäran 2026-04-02")
	if code != exitOK || !strings.Contains(stdout, "; 1 dead letters naming them deleted, 1 rewritten without their events\n") {
		t.Fatalf("subject erase: got exit %d, %q; want 0, one dead letter deleted and one rewritten", code, stdout)
	}
	left, err := b.queue.(inbox.DeadLetters).DeadLetters(t.Context(), inbox.QueueDeliveries, "", 10)
	if err != nil || len(left) != 2 {
		t.Fatalf("dead letters left: got %d (%v), want Anna's and Karin's", len(left), err)
	}
	var kept []string
	for _, d := range left {
		if inbox.MentionsPlatformID(d.Body, recordtest.CommenterID) {
			t.Errorf("dead letter %s still names Erik: %s", d.ID, d.Body)
		}
		kept = append(kept, string(d.Body))
	}
	if got := strings.Join(kept, "\n"); !strings.Contains(got, anna) || !strings.Contains(got, `"mid":"m_karin","text":"KARIN"`) {
		t.Errorf("dead letters left: got %s, want Anna's and Karin's", got)
	}
	var details []string
	err = b.db.Gorm().Table("audit_entries").Where("action = ? AND conversation_id IS NULL", inbox.ActionSubjectRemoval).
		Order("id").Pluck("detail", &details).Error
	if err != nil || len(details) != 2 || !strings.Contains(details[1], `"dead_letters":1`) || !strings.Contains(details[1], `"dead_letters_rewritten":1`) {
		t.Errorf("audit of the removals: got %q, %v; want Lisa's and Erik's, with his dead letters counted", details, err)
	}
}
