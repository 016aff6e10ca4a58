package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// archiveClosed resolves conversations ids at their last message and
// records a complete archive export holding them as they then are, as
// `inkorg archive export` would: only then may their personal data go.
func archiveClosed(t *testing.T, s *Store, ids ...int64) {
	t.Helper()
	ctx := t.Context()
	recs := make([]*inbox.ConversationRecord, len(ids))
	for i, id := range ids {
		c, err := s.FindConversationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		setStatus(t, s.db, id, inbox.StatusResolved, c.LastMessageAt)
		if recs[i], err = s.FindConversationRecord(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	now := s.db.Now()
	e := &inbox.ArchiveExport{From: now.Add(-24 * time.Hour), To: now, Location: t.TempDir()}
	if err := s.CreateArchiveExport(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkArchived(ctx, e.ID, recs); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteArchiveExport(ctx, e.ID, "0123456789abcdef", len(recs)); err != nil {
		t.Fatal(err)
	}
}
