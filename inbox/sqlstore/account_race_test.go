package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// waitWaiting returns once at least n lock requests wait in the database,
// or once done has delivered (the error is put back on done, which must
// have room for it). Unlike waitBlocked it does not fail when the work
// finishes without waiting: the tests below judge by what is stored.
func waitWaiting(t *testing.T, db *DB, done chan error, n int64) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		var waiting int64
		if err := db.gorm.WithContext(t.Context()).Raw(anyLockWaitSQL).Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return
		}
		select {
		case err := <-done:
			done <- err
			return
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d lock requests wait, want %d", waiting, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// topComment is a citizen's top-level comment key, a thread of its own.
func topComment(key, author string, at time.Time) inbox.Event {
	e := threadComment(key, author, inbox.DirectionInbound, at)
	e.ThreadKey, e.ParentExternalID = key, ""
	return e
}

func pageAccount() *inbox.Account {
	return &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}
}

// threadConversation returns the conversation of the comment thread
// threadComment events are in (key), failing when there is none.
func threadConversation(t *testing.T, s *Store, key string) *inbox.Conversation {
	t.Helper()
	var rows []conversationRow
	err := s.conn(t.Context()).Where("platform = ? AND channel = ? AND account_external_id = ? AND thread_key = ?",
		string(inbox.PlatformFacebook), string(inbox.ChannelFacebookComment), storetest.PageID, key).Find(&rows).Error
	if err != nil || len(rows) != 1 {
		t.Fatalf("conversation of thread %s: got %d, %v; want one", key, len(rows), err)
	}
	return rows[0].toDomain()
}

func countMessages(t *testing.T, s *Store, convID int64) int {
	t.Helper()
	msgs, err := s.FindMessages(t.Context(), convID)
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}

// TestPostgresRemoveAccountWhileIngesting removes the account after ingest
// has read it but before ingest inserts the conversation (held up by an
// uncommitted insert of the same thread, which then rolls back): the
// message is still stored, in a conversation flagged unknown account.
func TestPostgresRemoveAccountWhileIngesting(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	ctx := t.Context()
	if err := s.CreateAccount(ctx, pageAccount()); err != nil {
		t.Fatal(err)
	}
	contact := contactRow{Platform: string(inbox.PlatformFacebook), ExternalID: "someone", CreatedAt: s.now(), UpdatedAt: s.now()}
	if err := db.gorm.WithContext(ctx).Create(&contact).Error; err != nil {
		t.Fatal(err)
	}
	e := threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0)
	held := db.gorm.WithContext(ctx).Begin()
	defer held.Rollback()
	hold := newConversationRow(&e, contact.ID, 0, s.now())
	if err := held.Create(&hold).Error; err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.ApplyEvent(ctx, e)
		done <- err
	}()
	waitBlocked(t, db, done, "the comment", anyLockWaitSQL)
	if err := s.RemoveAccount(ctx, inbox.PlatformFacebook, storetest.PageID); err != nil {
		t.Fatalf("RemoveAccount: %v", err)
	}
	if err := held.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("ApplyEvent: got %v, want the message stored", err)
	}
	c := threadConversation(t, s, "c_1")
	if !c.UnknownAccount || c.AccountID != 0 {
		t.Errorf("got unknown account %v, account %d; want flagged, none", c.UnknownAccount, c.AccountID)
	}
	if n := countMessages(t, s, c.ID); n != 1 {
		t.Errorf("citizen message stored %d times, want 1", n)
	}
}

// TestPostgresRemoveAccountWaitsForIngest removes the account while a
// message that creates a conversation for it is being stored: the removal
// waits for it and flags its conversation too.
func TestPostgresRemoveAccountWaitsForIngest(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	ctx := t.Context()
	if err := s.CreateAccount(ctx, pageAccount()); err != nil {
		t.Fatal(err)
	}
	e := threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0)
	held := db.gorm.WithContext(ctx).Begin()
	defer held.Rollback()
	if _, _, err := s.apply(held, &e); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.RemoveAccount(ctx, inbox.PlatformFacebook, storetest.PageID) }()
	waitWaiting(t, db, done, 1)
	if err := held.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("RemoveAccount: got %v, want nil", err)
	}
	c := threadConversation(t, s, "c_1")
	if !c.UnknownAccount || c.AccountID != 0 {
		t.Errorf("got unknown account %v, account %d; want flagged, none", c.UnknownAccount, c.AccountID)
	}
}

// TestPostgresCreateAccountWhileIngesting adds the account while a message
// that creates a conversation for it, still unknown, is being stored: the
// conversation is the account's once both are done.
func TestPostgresCreateAccountWhileIngesting(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	ctx := t.Context()
	e := threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0)
	held := db.gorm.WithContext(ctx).Begin()
	defer held.Rollback()
	if _, _, err := s.apply(held, &e); err != nil {
		t.Fatal(err)
	}
	acc := pageAccount()
	done := make(chan error, 1)
	go func() { done <- s.CreateAccount(ctx, acc) }()
	waitWaiting(t, db, done, 1)
	if err := held.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	c := threadConversation(t, s, "c_1")
	if c.UnknownAccount || c.AccountID != acc.ID {
		t.Errorf("got unknown account %v, account %d; want the new account %d", c.UnknownAccount, c.AccountID, acc.ID)
	}
	a := mustApply(t, s, threadComment("c_2", "citizen_b", inbox.DirectionInbound, storetest.T0.Add(time.Minute)))
	if a.UnknownAccount {
		t.Error("a later reply in the thread: got unknown account, want the new account")
	}
}

// TestPostgresIngestWhileCreatingAccount stores a message that starts a
// conversation while the account is being added (its transaction held up
// by a conversation row it adopts): the new conversation is the account's.
func TestPostgresIngestWhileCreatingAccount(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	ctx := t.Context()
	earlier := mustApply(t, s, topComment("c_0", "citizen_z", storetest.T0))
	held := db.gorm.WithContext(ctx).Begin()
	defer held.Rollback()
	var locked []conversationRow
	if err := forUpdate(held).Where("id = ?", earlier.ConversationID).Find(&locked).Error; err != nil {
		t.Fatal(err)
	}
	acc := pageAccount()
	created := make(chan error, 1)
	go func() { created <- s.CreateAccount(ctx, acc) }()
	waitBlocked(t, db, created, "CreateAccount adopting c_0", anyLockWaitSQL)
	applied := make(chan error, 1)
	go func() {
		_, err := s.ApplyEvent(ctx, topComment("c_1", "citizen_a", storetest.T0.Add(time.Minute)))
		applied <- err
	}()
	waitWaiting(t, db, applied, 2)
	if err := held.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-created; err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	if err := <-applied; err != nil {
		t.Fatalf("ApplyEvent: %v", err)
	}
	for _, key := range []string{"c_0", "c_1"} {
		c := threadConversation(t, s, key)
		if c.UnknownAccount || c.AccountID != acc.ID {
			t.Errorf("%s: got unknown account %v, account %d; want the new account %d", key, c.UnknownAccount, c.AccountID, acc.ID)
		}
	}
}
