package sqlstore

import (
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestFindConversationThreadOneMoment stores a reply in a comment thread
// just after FindConversationThread has read the conversation: the
// conversation and the messages it returns are from one moment, so the
// reply is in neither or both (its count and its messages agree), and it
// is there on the next read.
func TestFindConversationThreadOneMoment(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		first := mustApply(t, s, threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0))
		id := first.ConversationID

		// Once armed, the first read of the conversations table starts the
		// reply's write and gives it a moment to commit before the read
		// goes on. Inside a snapshot, on SQLite the write waits for the
		// read's one connection, so the moment passes without it.
		var armed atomic.Bool
		written := make(chan error, 1)
		err := db.gorm.Callback().Query().After("gorm:query").Register("test:interleave", func(g *gorm.DB) {
			if g.Statement.Table != "conversations" || !armed.CompareAndSwap(true, false) {
				return
			}
			go func() {
				_, err := s.ApplyEvent(t.Context(), threadComment("c_b", "citizen_b", inbox.DirectionInbound, storetest.T0.Add(time.Minute)))
				written <- err
			}()
			select {
			case err := <-written:
				written <- err
			case <-time.After(500 * time.Millisecond):
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		armed.Store(true)
		conv, msgs, err := s.FindConversationThread(t.Context(), id)
		if err != nil {
			t.Fatalf("FindConversationThread: %v", err)
		}
		if err := <-written; err != nil {
			t.Fatalf("the reply: %v", err)
		}
		if conv.MessageCount != len(msgs) {
			t.Errorf("conversation counts %d messages, %d listed: read at different moments", conv.MessageCount, len(msgs))
		}
		if !conv.LastMessageAt.Equal(msgs[len(msgs)-1].SentAt) {
			t.Errorf("conversation's last message at %v, last listed message at %v", conv.LastMessageAt, msgs[len(msgs)-1].SentAt)
		}
		conv, msgs, err = s.FindConversationThread(t.Context(), id)
		if err != nil {
			t.Fatalf("FindConversationThread again: %v", err)
		}
		if conv.MessageCount != 2 || len(msgs) != 2 {
			t.Errorf("read again: %d counted, %d listed, want 2 and 2", conv.MessageCount, len(msgs))
		}
		if conv.Contact == nil || conv.Contact.ExternalID != "citizen_a" {
			t.Errorf("contact %+v, want citizen_a", conv.Contact)
		}
		if _, _, err := s.FindConversationThread(t.Context(), id+1000); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("unknown conversation: got %v, want ENOTFOUND", err)
		}
	})
}
