package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestPostgresThreadReceiptBesideSend: a read receipt of a Messenger
// thread is being applied while inkorg records its reply in that thread as
// sent, the receipt first. The send waits for the receipt and takes the
// watermark it wrote, so the reply, sent before the watermark, ends up
// read; reading the watermark without waiting left it sent for good, as
// the receipt had found it still sending.
func TestPostgresThreadReceiptBesideSend(t *testing.T) {
	db := openMigrated(t, postgresURL)
	clock := storetest.T0
	db.Now = func() time.Time { return clock }
	s := NewStore(db)
	conv := mustApply(t, s, storetest.Event("psid_1", "m_1", storetest.T0)).ConversationID
	clock = storetest.T0.Add(time.Minute)
	q := queueDirectReply(t, s, conv, storetest.PageID, "psid_1", "inkorg-r1", "Klockan 10.", 0, clock)
	move := func(from, to inbox.OutboundState, mid string) error {
		_, err := s.UpdateOutbound(t.Context(), inbox.OutboundUpdate{ID: q.Action.ID, From: []inbox.OutboundState{from}, State: to, PlatformID: mid})
		return err
	}
	if err := move(inbox.OutboundQueued, inbox.OutboundSending, ""); err != nil {
		t.Fatal(err)
	}
	clock = storetest.T0.Add(2 * time.Minute)
	read := inbox.Event{Kind: inbox.EventMessagesRead, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: storetest.PageID, ThreadKey: "psid_1", Contact: inbox.Actor{ExternalID: "psid_1"},
		Author: inbox.Actor{ExternalID: "psid_1"}, Watermark: clock.Add(time.Minute), OccurredAt: clock.Add(time.Minute)}
	held := s.db.gorm.WithContext(t.Context()).Begin()
	defer held.Rollback()
	if _, err := s.receipt(held, &read); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- move(inbox.OutboundSending, inbox.OutboundSent, "m_sent_1") }()
	waitBlocked(t, s.db, done, "the send recorded beside the receipt", anyLockWaitSQL)
	if err := held.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	m, err := s.FindMessageByID(t.Context(), q.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Delivery != inbox.DeliveryRead {
		t.Errorf("the reply sent at %s under a read watermark at %s is %s, want read",
			m.SentAt.Format(time.TimeOnly), read.Watermark.Format(time.TimeOnly), m.Delivery)
	}
}
