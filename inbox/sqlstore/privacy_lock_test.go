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
	archiveClosed(t, s, a.ConversationID)
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

// TestPostgresRemovalKeepsMessageStoredMeanwhile removes the personal
// data of a closed, archived conversation while a citizen's new message in
// it is being applied: the removal waits for the conversation, finds it
// changed, and leaves it and the new message, which no archive holds, as
// they are. A removal that may skip such a conversation does; one that
// may not fails and changes nothing.
func TestPostgresRemovalKeepsMessageStoredMeanwhile(t *testing.T) {
	for _, skip := range []bool{false, true} {
		t.Run(map[bool]string{false: "ErrConflict", true: "Skipped"}[skip], func(t *testing.T) {
			testRemovalKeepsMessageStoredMeanwhile(t, skip)
		})
	}
}

func testRemovalKeepsMessageStoredMeanwhile(t *testing.T, skip bool) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	ctx := t.Context()
	first := storetest.Event("removal", "mid-first", storetest.T0)
	a, err := s.ApplyEvent(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	archiveClosed(t, s, a.ConversationID)
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
	r := &inbox.Removal{Action: inbox.DeleteData, ConversationIDs: []int64{a.ConversationID}, SkipChanged: skip,
		Audit: inbox.AuditEntry{Action: inbox.ActionSubjectRemoval}}
	done := make(chan error, 1)
	go func() { done <- s.RemovePersonalData(ctx, r) }()
	waitBlocked(t, db, done, "the removal", anyLockWaitSQL)
	if err := ingest.Commit().Error; err != nil {
		t.Fatal(err)
	}
	err = <-done
	switch {
	case skip && (err != nil || len(r.Skipped) != 1 || r.Skipped[0] != a.ConversationID):
		t.Fatalf("RemovePersonalData: got %v, skipped %v; want conversation %d skipped", err, r.Skipped, a.ConversationID)
	case !skip && inbox.ErrorCode(err) != inbox.ECONFLICT:
		t.Fatalf("RemovePersonalData: got %v, want %s", err, inbox.ECONFLICT)
	}
	var msgs []messageRow
	if err := db.gorm.WithContext(ctx).Where("conversation_id = ?", a.ConversationID).Order("id").Find(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	for i, e := range []inbox.Event{first, second} {
		if m := msgs[i]; m.Text != e.Text || m.AuthorName == "" {
			t.Errorf("message %s: got text %q, author %q after the removal; want it kept: %q", m.ExternalID, m.Text, m.AuthorName, e.Text)
		}
	}
	var c struct{ Status, PersonalData string }
	if err := db.gorm.WithContext(ctx).Raw("SELECT status, personal_data FROM conversations WHERE id = ?", a.ConversationID).Scan(&c).Error; err != nil {
		t.Fatal(err)
	}
	if c.Status != string(inbox.StatusOpen) || c.PersonalData != "" {
		t.Errorf("got status %q, personal data %q; want the conversation reopened and holding its data", c.Status, c.PersonalData)
	}
}
