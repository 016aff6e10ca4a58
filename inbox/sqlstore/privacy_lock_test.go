package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestPostgresRemovalWaitsForMessage removes a conversation's personal
// data while another transaction holds its message's advisory lock, as an
// edit or a reaction being applied does, and writes the message's text
// meanwhile: the removal waits for it and removes what it wrote.
func TestPostgresRemovalWaitsForMessage(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	ctx := t.Context()
	e := storetest.Event("removal", "mid-removal", storetest.T0)
	e.Text = "Ring mig på 070-123 45 67"
	a, err := s.ApplyEvent(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	edit := db.gorm.WithContext(ctx).Begin()
	defer edit.Rollback()
	if err := lockMessage(edit, e.Platform, e.MessageExternalID); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- s.RemovePersonalData(ctx, &inbox.Removal{Action: inbox.DeleteData, ConversationIDs: []int64{a.ConversationID},
			Audit: inbox.AuditEntry{Action: inbox.ActionSubjectRemoval}})
	}()
	// Wait until the removal waits for the lock; a removal that does not
	// wait for it finishes instead.
	waitBlocked(t, db, done, "the removal", `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
		AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)`,
		messageLockKey(e.Platform, e.MessageExternalID))
	err = edit.Model(&messageRow{}).Where("id = ?", a.MessageID).Update("text", "Ring mig på 070-123 45 67, jag heter Nils").Error
	if err != nil {
		t.Fatal(err)
	}
	if err := edit.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("RemovePersonalData: %v", err)
	}
	var m messageRow
	if err := db.gorm.WithContext(ctx).Where("id = ?", a.MessageID).Take(&m).Error; err != nil {
		t.Fatal(err)
	}
	if m.Text != inbox.DeletedText {
		t.Errorf("got text %q after the removal, want %q", m.Text, inbox.DeletedText)
	}
}

// TestPostgresRemovalSeesMessageStoredMeanwhile removes a conversation's
// personal data while a citizen's new message in it is being applied: the
// removal waits for the conversation and removes the new message's text
// too, instead of marking the conversation removed around it.
func TestPostgresRemovalSeesMessageStoredMeanwhile(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	ctx := t.Context()
	first := storetest.Event("removal", "mid-first", storetest.T0)
	a, err := s.ApplyEvent(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	second := storetest.Event("removal", "mid-second", storetest.T0.Add(time.Minute))
	second.Text = "Jag heter Nils Nilsson, ring 070-123 45 67"
	ingest := db.gorm.WithContext(ctx).Begin()
	defer ingest.Rollback()
	b, _, err := s.apply(ingest, &second)
	if err != nil {
		t.Fatal(err)
	}
	if b.ConversationID != a.ConversationID {
		t.Fatalf("the second message went to conversation %d, want %d", b.ConversationID, a.ConversationID)
	}
	done := make(chan error, 1)
	go func() {
		done <- s.RemovePersonalData(ctx, &inbox.Removal{Action: inbox.DeleteData, ConversationIDs: []int64{a.ConversationID},
			Audit: inbox.AuditEntry{Action: inbox.ActionSubjectRemoval}})
	}()
	waitBlocked(t, db, done, "the removal", anyLockWaitSQL)
	if err := ingest.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("RemovePersonalData: %v", err)
	}
	var msgs []messageRow
	if err := db.gorm.WithContext(ctx).Where("conversation_id = ?", a.ConversationID).Order("id").Find(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	for _, m := range msgs {
		if m.Text != inbox.DeletedText || m.AuthorName != "" {
			t.Errorf("message %s: got text %q, author %q after the removal; want %q and no name", m.ExternalID, m.Text, m.AuthorName, inbox.DeletedText)
		}
	}
	var c struct{ Preview, PersonalData string }
	if err := db.gorm.WithContext(ctx).Raw("SELECT preview, personal_data FROM conversations WHERE id = ?", a.ConversationID).Scan(&c).Error; err != nil {
		t.Fatal(err)
	}
	if c.Preview != inbox.DeletedText || c.PersonalData == "" {
		t.Errorf("got preview %q, personal data %q; want %q and removed", c.Preview, c.PersonalData, inbox.DeletedText)
	}
}
