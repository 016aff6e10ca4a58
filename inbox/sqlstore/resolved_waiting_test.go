package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestMigrateResolvedWaiting: migration 00039 ends the wait of
// conversations resolved before the store did so itself (their
// waiting_since still set), and leaves an open conversation's alone.
func TestMigrateResolvedWaiting(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		ctx := t.Context()
		db := openMigrated(t, url)
		s := NewStore(db)
		u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		resolved := mustApply(t, s, storetest.Event("psid_res", "m_res", storetest.T0)).ConversationID
		open := mustApply(t, s, storetest.Event("psid_open", "m_open", storetest.T0.Add(time.Minute))).ConversationID
		c, err := s.FindConversationByID(ctx, resolved)
		if err != nil {
			t.Fatal(err)
		}
		status := inbox.StatusResolved
		if err := s.SaveWork(ctx, &inbox.Work{
			Update: &inbox.ConversationUpdate{ID: resolved, Version: c.Version, Status: &status},
			Audit:  &inbox.AuditEntry{ActorID: u.ID, Action: inbox.ActionStatus, ConversationID: resolved, Detail: `{}`},
		}); err != nil {
			t.Fatal(err)
		}
		// As resolved before: the wait left as it was.
		if err := db.Gorm().WithContext(ctx).Model(&conversationRow{}).Where("id = ?", resolved).
			Update("waiting_since", toDBTime(storetest.T0)).Error; err != nil {
			t.Fatal(err)
		}
		p, err := db.provider()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 38); err != nil {
			t.Fatalf("DownTo(38): %v", err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			id   int64
			want *time.Time
		}{{"resolved", resolved, nil}, {"open", open, atTime(storetest.T0.Add(time.Minute))}} {
			c, err := s.FindConversationByID(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if (c.WaitingSince == nil) != (tc.want == nil) || (tc.want != nil && !c.WaitingSince.Equal(*tc.want)) {
				t.Errorf("%s: waiting since %v after the migration, want %v", tc.name, c.WaitingSince, tc.want)
			}
		}
	})
}

func atTime(t time.Time) *time.Time { return &t }
