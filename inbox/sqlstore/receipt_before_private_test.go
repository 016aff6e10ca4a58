package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// sentAt is when the private reply of a privateReplyScene goes out: the
// store's clock when the Send API's answer is recorded, and the time of
// its echo.
var sentAt = storetest.T0.Add(2 * time.Minute)

// withThread gives igsid_1's Direct thread a conversation: a message of
// the citizen's, written before the private reply went out.
func (sc *privateReplyScene) withThread(t *testing.T) {
	t.Helper()
	direct := directEcho("igsid_1", "ig_mid_citizen", "Hej, jag undrar också en sak.", storetest.T0.Add(30*time.Second))
	direct.Direction, direct.Author, direct.SentOutsideInkorg = inbox.DirectionInbound, inbox.Actor{ExternalID: "igsid_1"}, false
	if a := mustApply(t, sc.s, direct); a.ConversationID == sc.conv || a.ConversationID == 0 {
		t.Fatalf("citizen's Direct message applied as %+v; want a Direct thread of its own", a)
	}
}

// recordSent records the private reply in flight as sent as ig_mid_1, by
// the path named: the Send API's answer, or the echo (which the
// reconciliation poll applies the same way).
func (sc *privateReplyScene) recordSent(t *testing.T, by string) {
	t.Helper()
	switch by {
	case "Sender":
		sc.move(t, inbox.OutboundSending, inbox.OutboundSent, "ig_mid_1")
	case "Echo":
		a := mustApply(t, sc.s, directEcho("igsid_1", "ig_mid_1", privateReplyText, sentAt))
		if a.Created || a.MessageID != sc.reply.Message.ID || a.ConversationID != sc.conv {
			t.Errorf("echo applied as %+v; want our reply %d in the comment's conversation %d", a, sc.reply.Message.ID, sc.conv)
		}
	default:
		t.Fatalf("no way to record a send %q", by)
	}
	got, err := sc.s.FindOutboundAction(t.Context(), sc.reply.Action.ID)
	if err != nil || got.State != inbox.OutboundSent || got.PlatformID != "ig_mid_1" {
		t.Errorf("action %+v (%v); want sent as ig_mid_1", got, err)
	}
}

// wantDelivery checks the private reply's delivery state.
func (sc *privateReplyScene) wantDelivery(t *testing.T, want inbox.DeliveryState) {
	t.Helper()
	m, err := sc.s.FindMessageByID(t.Context(), sc.reply.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Delivery != want || !m.SentAt.Equal(sentAt) {
		t.Errorf("got private reply %s at %s, want %s at %s", m.Delivery, m.SentAt.Format(time.TimeOnly),
			want, sentAt.Format(time.TimeOnly))
	}
}

// TestReceiptBeforePrivateReply: a receipt of the commenter's private
// thread that arrives while the private reply is still in flight (the
// receipt overtook the Send API's answer, or the sender died mid-call)
// marks it once it is recorded as sent, by whichever path, as far as the
// receipts' watermarks reach its sent time; whether or not the thread has
// a conversation, and without making one for it.
func TestReceiptBeforePrivateReply(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		for _, thread := range []string{"Thread", "NoThread"} {
			for _, by := range []string{"Sender", "Echo"} {
				t.Run(thread+"/"+by, func(t *testing.T) {
					sc := newPrivateReplyScene(t, url)
					if thread == "Thread" {
						sc.withThread(t)
					}
					read := privateReceipt(inbox.EventMessagesRead, sentAt.Add(2*time.Minute))
					if a := mustApply(t, sc.s, read); !a.Created || len(a.PrivateReplies) != 0 {
						t.Errorf("read receipt before the send applied as %+v; want kept, marking nothing yet", a)
					}
					if a := mustApply(t, sc.s, read); a.Created || len(a.PrivateReplies) != 0 {
						t.Errorf("redelivered read receipt applied as %+v; want a duplicate", a)
					}
					if m, err := sc.s.FindMessageByID(t.Context(), sc.reply.Message.ID); err != nil || m.Delivery != inbox.DeliverySending {
						t.Errorf("private reply in flight %+v (%v); want still sending", m, err)
					}
					sc.recordSent(t, by)
					sc.wantDelivery(t, inbox.DeliveryRead)
					// The receipt kept for the reply in flight is used up.
					if n := sc.count(t, "message_changes"); n != 0 {
						t.Errorf("%d message changes left after the send, want none", n)
					}
					if thread == "NoThread" {
						sc.wantNoThread(t)
					}
				})
			}
			// A receipt up to before the reply went out does not cover it,
			// while a later one of another kind does, each by its own time.
			t.Run(thread+"/Partly", func(t *testing.T) {
				sc := newPrivateReplyScene(t, url)
				if thread == "Thread" {
					sc.withThread(t)
				}
				mustApply(t, sc.s, privateReceipt(inbox.EventMessagesRead, sentAt.Add(-30*time.Second)))
				mustApply(t, sc.s, privateReceipt(inbox.EventMessagesDelivered, sentAt))
				sc.recordSent(t, "Sender")
				sc.wantDelivery(t, inbox.DeliveryDelivered)
			})
		}
		// The citizen writes in Direct after a receipt that found no thread
		// and before the send is recorded: the receipt still counts.
		t.Run("ThreadAfterReceipt", func(t *testing.T) {
			sc := newPrivateReplyScene(t, url)
			mustApply(t, sc.s, privateReceipt(inbox.EventMessagesDelivered, sentAt.Add(time.Minute)))
			sc.withThread(t)
			sc.recordSent(t, "Echo")
			sc.wantDelivery(t, inbox.DeliveryDelivered)
		})
		// A receipt kept for a reply in flight stays while its send is
		// unsure, and goes with the reply when it fails: nothing is in
		// flight for it any more.
		t.Run("Failed", func(t *testing.T) {
			sc := newPrivateReplyScene(t, url)
			mustApply(t, sc.s, privateReceipt(inbox.EventMessagesRead, sentAt.Add(time.Minute)))
			sc.move(t, inbox.OutboundSending, inbox.OutboundNeedsCheck, "")
			if n := sc.count(t, "message_changes"); n != 1 {
				t.Errorf("%d message changes kept for the reply being checked, want 1", n)
			}
			sc.move(t, inbox.OutboundNeedsCheck, inbox.OutboundFailed, "")
			if n := sc.count(t, "message_changes"); n != 0 {
				t.Errorf("%d message changes left after the reply failed, want none", n)
			}
			sc.wantNoThread(t)
		})
		// Another account's receipts, and receipts in another citizen's
		// thread, do not cover the reply.
		t.Run("OtherThread", func(t *testing.T) {
			sc := newPrivateReplyScene(t, url)
			other := privateReceipt(inbox.EventMessagesRead, sentAt.Add(time.Minute))
			other.AccountExternalID = storetest.InstagramID + "9"
			mustApply(t, sc.s, other)
			other = privateReceipt(inbox.EventMessagesRead, sentAt.Add(time.Minute))
			other.ThreadKey, other.Contact, other.Author = "igsid_2", inbox.Actor{ExternalID: "igsid_2"}, inbox.Actor{ExternalID: "igsid_2"}
			mustApply(t, sc.s, other)
			sc.recordSent(t, "Sender")
			sc.wantDelivery(t, inbox.DeliverySent)
		})
	})
}

// TestPostgresReceiptBesideSend runs a read receipt of the commenter's
// private thread and the recording of the private reply's send at once,
// with or without a conversation for the thread: whichever commits second
// waits for the first and sees what it wrote, so the reply ends up read
// either way, and a receipt that marks it says so.
func TestPostgresReceiptBesideSend(t *testing.T) {
	for _, thread := range []string{"Thread", "NoThread"} {
		t.Run(thread+"/ReceiptFirst", func(t *testing.T) {
			sc := newPrivateReplyScene(t, postgresURL)
			if thread == "Thread" {
				sc.withThread(t)
			}
			read := privateReceipt(inbox.EventMessagesRead, sentAt.Add(time.Minute))
			held := sc.s.db.gorm.WithContext(t.Context()).Begin()
			defer held.Rollback()
			if _, err := sc.s.receipt(held, &read); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := sc.s.UpdateOutbound(t.Context(), inbox.OutboundUpdate{ID: sc.reply.Action.ID,
					From: []inbox.OutboundState{inbox.OutboundSending}, State: inbox.OutboundSent, PlatformID: "ig_mid_1"})
				done <- err
			}()
			waitBlocked(t, sc.s.db, done, "the send recorded beside the receipt", anyLockWaitSQL)
			if err := held.Commit().Error; err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			sc.wantDelivery(t, inbox.DeliveryRead)
		})
		t.Run(thread+"/SendFirst", func(t *testing.T) {
			sc := newPrivateReplyScene(t, postgresURL)
			if thread == "Thread" {
				sc.withThread(t)
			}
			held := sc.s.db.gorm.WithContext(t.Context()).Begin()
			defer held.Rollback()
			now := sc.s.now()
			u := inbox.OutboundUpdate{ID: sc.reply.Action.ID, From: []inbox.OutboundState{inbox.OutboundSending},
				State: inbox.OutboundSent, PlatformID: "ig_mid_1"}
			var out outboundRow
			if err := moveOutbound(held, u, now); err != nil {
				t.Fatal(err)
			}
			if err := held.Where("id = ?", u.ID).Take(&out).Error; err != nil {
				t.Fatal(err)
			}
			if err := sc.s.followMessage(held, &out, now); err != nil {
				t.Fatal(err)
			}
			read := privateReceipt(inbox.EventMessagesRead, sentAt.Add(time.Minute))
			type result struct {
				a   inbox.Applied
				err error
			}
			applied := make(chan result, 1)
			done := make(chan error, 1)
			go func() {
				a, err := sc.s.ApplyEvent(t.Context(), read)
				applied <- result{a, err}
				done <- err
			}()
			waitBlocked(t, sc.s.db, done, "the receipt applied beside the send", anyLockWaitSQL)
			if err := held.Commit().Error; err != nil {
				t.Fatal(err)
			}
			r := <-applied
			if r.err != nil {
				t.Fatal(r.err)
			}
			if len(r.a.PrivateReplies) != 1 || r.a.PrivateReplies[0].ID != sc.reply.Message.ID {
				t.Errorf("receipt applied as %+v; want it to report the private reply it marked", r.a)
			}
			sc.wantDelivery(t, inbox.DeliveryRead)
		})
	}
}
