package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestActiveByModeration: a moderation decision that writes nothing else
// (a comment kept after review) makes its conversation active on the day
// of the decision, so that day's archive export holds the decision and
// its reason, and the conversation is archived again after it.
func TestActiveByModeration(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		clock := storetest.T0
		db.Now = func() time.Time { return clock }
		s := NewStore(db)
		ctx := t.Context()
		mod := &inbox.User{Name: "mona", Role: inbox.RoleSupervisor}
		if err := s.CreateUserAccount(ctx, 0, "", mod); err != nil {
			t.Fatal(err)
		}
		a := mustApply(t, s, storetest.Event("psid_mod", "m_mod", storetest.T0))
		// The comment is kept two days after it was written.
		clock = storetest.T0.Add(48 * time.Hour)
		from, to := clock.Add(-time.Hour), clock.Add(time.Hour)
		if got, err := s.FindConversationsActive(ctx, from, to, 0, 10); err != nil || len(got) != 0 {
			t.Fatalf("before the decision: got %d conversations, %v; want none", len(got), err)
		}
		e := &inbox.ModerationEntry{MessageID: a.MessageID, ConversationID: a.ConversationID, Decision: inbox.DecisionKeep,
			Category: inbox.ModerationHate, Reason: "Kritik av nämnden, inte hets.", ActorID: mod.ID}
		if err := s.RecordModeration(ctx, e, inbox.ModerationKept, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindConversationsActive(ctx, from, to, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != a.ConversationID {
			t.Errorf("after keeping the comment: got %d conversations, want conversation %d", len(got), a.ConversationID)
		}
	})
}
