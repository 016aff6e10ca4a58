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
	for deadline := time.Now().Add(30 * time.Second); ; {
		var waiting int64
		err := db.gorm.WithContext(ctx).Raw(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
			AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(?, 0)`,
			messageLockKey(e.Platform, e.MessageExternalID)).Scan(&waiting).Error
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the removal finished (%v) without waiting for the message's lock", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the removal is not waiting for the message's lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
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
