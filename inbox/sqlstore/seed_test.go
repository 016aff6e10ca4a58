package sqlstore

import (
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestSeed seeds a small data set on each dialect and reads it back
// through the store: every row is where the list, the filters and the
// detail look, and both dialects make the same data set.
func TestSeed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) { testSeed(t, openMigrated(t, url)) })
}

func testSeed(t *testing.T, db *DB) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	if err := db.Seed(t.Context(), SeedOptions{Conversations: 200, Messages: 1001, Now: now}); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	var convs, msgs, triaged int64
	g := db.Gorm()
	g.Raw("SELECT COUNT(*) FROM conversations").Scan(&convs)
	g.Raw("SELECT COUNT(*) FROM messages").Scan(&msgs)
	g.Raw("SELECT COUNT(*) FROM message_triage").Scan(&triaged)
	if convs != 200 || msgs != 1001 || triaged != 200 {
		t.Errorf("got %d conversations, %d messages, %d triages; want 200, 1001, 200", convs, msgs, triaged)
	}
	wantStatus := map[string]int64{}
	for g := int64(1); g <= 200; g++ {
		switch roll := g * 7919 % 100; {
		case roll < 70:
			wantStatus["resolved"]++
		case roll < 80:
			wantStatus["new"]++
		case roll < 88:
			wantStatus["open"]++
		case roll < 93:
			wantStatus["pending"]++
		case roll < 98:
			wantStatus["routed"]++
		default:
			wantStatus["spam"]++
		}
	}
	var byStatus []struct {
		Status string
		N      int64
	}
	g.Raw("SELECT status, COUNT(*) AS n FROM conversations GROUP BY status").Scan(&byStatus)
	for _, row := range byStatus {
		if row.N != wantStatus[row.Status] {
			t.Errorf("status %s: got %d conversations, want %d", row.Status, row.N, wantStatus[row.Status])
		}
	}
	var last dbTime
	g.Raw("SELECT MAX(last_message_at) FROM conversations").Scan(&last)
	if got := last.Time(); got.After(now) || got.Before(now.Add(-365*24*time.Hour)) {
		t.Errorf("latest message at %s, want within the year before %s", got, now)
	}
	s := NewStore(db)
	f := inbox.ConversationFilter{Limit: 10, ConversationQuery: inbox.ConversationQuery{Sort: inbox.SortOldestWaiting, Queue: inbox.QueueUnassigned, Now: now}}
	page, err := s.FindConversations(t.Context(), f)
	if err != nil || len(page.Conversations) == 0 {
		t.Fatalf("unassigned, oldest waiting: got %d, %v; want some", len(page.Conversations), err)
	}
	if !slices.IsSortedFunc(page.Conversations, func(a, b *inbox.Conversation) int { return a.WaitingSince.Compare(*b.WaitingSince) }) {
		t.Error("not oldest waiting first")
	}
	msgsOf, err := s.FindMessages(t.Context(), page.Conversations[0].ID)
	if err != nil || len(msgsOf) != page.Conversations[0].MessageCount || page.Conversations[0].Triage == nil {
		t.Errorf("detail: got %d messages (%v), triage %v; want %d and a triage", len(msgsOf), err, page.Conversations[0].Triage, page.Conversations[0].MessageCount)
	}
	err = db.Seed(t.Context(), SeedOptions{Conversations: 1, Messages: 1})
	if inbox.ErrorCode(err) != inbox.ECONFLICT {
		t.Errorf("seeding a database with conversations: got %v, want ECONFLICT", err)
	}
	if err := db.Seed(t.Context(), SeedOptions{Conversations: 10, Messages: 10, Force: true}); err != nil {
		t.Errorf("seeding again with Force: %v", err)
	}
}
