package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// applyWhileHeld applies first in a transaction it keeps open, applies
// second in another until that one waits for a lock, then commits both.
// It fails the test if second does not wait: the point is what second
// computes once first has committed.
func applyWhileHeld(t *testing.T, db *DB, s *Store, first, second inbox.Event) {
	t.Helper()
	ctx := t.Context()
	held := db.gorm.WithContext(ctx).Begin()
	defer held.Rollback()
	if _, _, err := s.apply(held, &first); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.ApplyEvent(ctx, second)
		done <- err
	}()
	waitBlocked(t, db, done, second.MessageExternalID+" applied beside "+first.MessageExternalID, anyLockWaitSQL)
	if err := held.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// anyLockWaitSQL counts the lock requests waiting in the database.
const anyLockWaitSQL = "SELECT count(*) FROM pg_locks WHERE NOT granted"

// waitBlocked returns once query, a count over pg_locks, counts a waiting
// lock request. It fails the test when done delivers first (what ran
// finished without waiting) or after 30 s.
func waitBlocked(t *testing.T, db *DB, done <-chan error, what, query string, args ...any) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		var waiting int64
		if err := db.gorm.WithContext(t.Context()).Raw(query, args...).Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("%s finished (%v) without waiting for a lock", what, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not waiting for a lock", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func threadComment(mid, author string, dir inbox.Direction, at time.Time) inbox.Event {
	e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: storetest.PageID, ThreadKey: "c_1", PostExternalID: "post_1", MessageExternalID: mid,
		Direction: dir, Contact: inbox.Actor{ExternalID: author}, Author: inbox.Actor{ExternalID: author},
		Text: "Kommentar " + mid, OccurredAt: at}
	if mid != "c_1" {
		e.ParentExternalID = "c_1"
	}
	return e
}

// TestPostgresConcurrentThreadCounts applies the city's reply and another
// citizen's comment in one comment thread at once: whichever commits
// second counts its message in with the first one's in view, so the first
// response and the waiting time are those of all three messages.
func TestPostgresConcurrentThreadCounts(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	a := mustApply(t, s, threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0))
	applyWhileHeld(t, db, s,
		threadComment("c_reply", storetest.PageID, inbox.DirectionOutbound, storetest.T0.Add(time.Minute)),
		threadComment("c_b", "citizen_b", inbox.DirectionInbound, storetest.T0.Add(2*time.Minute)))
	c, err := s.FindConversationByID(t.Context(), a.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if c.MessageCount != 3 {
		t.Errorf("got %d messages, want 3", c.MessageCount)
	}
	if want := storetest.T0.Add(time.Minute); c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(want) {
		t.Errorf("got first response %v, want %v (the city's reply)", c.FirstResponseAt, want)
	}
	if want := storetest.T0.Add(2 * time.Minute); c.WaitingSince == nil || !c.WaitingSince.Equal(want) {
		t.Errorf("got waiting since %v, want %v (the comment after the reply)", c.WaitingSince, want)
	}
}

// TestPostgresConcurrentReopen applies two citizen messages to a resolved
// conversation at once: it is reopened once.
func TestPostgresConcurrentReopen(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	a := mustApply(t, s, storetest.Event("psid_1", "m_1", storetest.T0))
	setStatus(t, db, a.ConversationID, inbox.StatusResolved, storetest.T0.Add(time.Minute))
	applyWhileHeld(t, db, s,
		storetest.Event("psid_1", "m_2", storetest.T0.Add(2*time.Minute)),
		storetest.Event("psid_1", "m_3", storetest.T0.Add(3*time.Minute)))
	changes, err := s.FindStatusChanges(t.Context(), a.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	opened := 0
	for _, c := range changes {
		if c.Status == inbox.StatusOpen {
			opened++
		}
	}
	if opened != 1 {
		t.Errorf("got %d reopenings in %+v, want 1", opened, changes)
	}
}
