package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// newNoThreadScene is a private reply sent as ig_mid_1 to the comment of
// igsid_1, who never wrote in Direct, so the thread the private reply
// lands in has no conversation; the comment's conversation is routed to
// privateReceiptAdministration.
func newNoThreadScene(t *testing.T, url func(t *testing.T) string) *privateReplyScene {
	t.Helper()
	sc := newPrivateReplyScene(t, url)
	sc.move(t, inbox.OutboundSending, inbox.OutboundSent, "ig_mid_1")
	err := sc.s.db.gorm.WithContext(t.Context()).Table("conversations").Where("id = ?", sc.conv).
		Update("administration_id", privateReceiptAdministration).Error
	if err != nil {
		t.Fatal(err)
	}
	sc.wantNoThread(t)
	return sc
}

// wantNoThread checks that igsid_1's Direct thread has no conversation.
func (sc *privateReplyScene) wantNoThread(t *testing.T) {
	t.Helper()
	var n int64
	err := sc.s.db.gorm.WithContext(t.Context()).Table("conversations").
		Where("platform = ? AND channel = ? AND thread_key = ?",
			string(inbox.PlatformInstagram), string(inbox.ChannelInstagramDirect), "igsid_1").
		Count(&n).Error
	if err != nil || n != 0 {
		t.Fatalf("got %d conversations for the Direct thread (%v); want none", n, err)
	}
}

// applyNoThread applies receipt e and checks what it reported as marked:
// the private reply in state want, or nothing when want is "". The
// private reply must then be in state now.
func (sc *privateReplyScene) applyNoThread(t *testing.T, e inbox.Event, want, now inbox.DeliveryState) {
	t.Helper()
	a := mustApply(t, sc.s, e)
	var wantMarked []inbox.MarkedMessage
	if want != "" {
		wantMarked = []inbox.MarkedMessage{{ID: sc.reply.Message.ID, ConversationID: sc.conv,
			AdministrationID: privateReceiptAdministration, Delivery: want}}
	}
	if len(a.PrivateReplies) != len(wantMarked) || (len(wantMarked) == 1 && a.PrivateReplies[0] != wantMarked[0]) {
		t.Errorf("%s up to %s reported %+v; want %+v", e.Kind, e.Watermark.Format(time.TimeOnly), a.PrivateReplies, wantMarked)
	}
	if a.Created != (want != "") {
		t.Errorf("%s up to %s applied with Created %v; want %v", e.Kind, e.Watermark.Format(time.TimeOnly), a.Created, want != "")
	}
	m, err := sc.s.FindMessageByID(t.Context(), sc.reply.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Delivery != now {
		t.Errorf("after %s up to %s: got private reply %s, want %s", e.Kind, e.Watermark.Format(time.TimeOnly), m.Delivery, now)
	}
}

// TestReceiptNoThread: the receipts of a citizen's Direct thread mark the
// private reply sent there while the thread has no conversation (the
// citizen only commented), each change reported once, without making a
// conversation for the thread; a receipt from before the reply, a
// redelivered one and an older one after a read one change nothing.
func TestReceiptNoThread(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		t.Run("OK", func(t *testing.T) {
			sc := newNoThreadScene(t, url)
			sent := sc.reply.Message.SentAt
			before := privateReceipt(inbox.EventMessagesDelivered, sent.Add(-time.Second))
			sc.applyNoThread(t, before, "", inbox.DeliverySent)
			delivered := privateReceipt(inbox.EventMessagesDelivered, sent.Add(2*time.Minute))
			sc.applyNoThread(t, delivered, inbox.DeliveryDelivered, inbox.DeliveryDelivered)
			sc.applyNoThread(t, delivered, "", inbox.DeliveryDelivered)
			read := privateReceipt(inbox.EventMessagesRead, sent.Add(3*time.Minute))
			sc.applyNoThread(t, read, inbox.DeliveryRead, inbox.DeliveryRead)
			sc.applyNoThread(t, read, "", inbox.DeliveryRead)
			sc.applyNoThread(t, delivered, "", inbox.DeliveryRead)
			older := privateReceipt(inbox.EventMessagesRead, sent.Add(time.Minute))
			sc.applyNoThread(t, older, "", inbox.DeliveryRead)
			sc.wantNoThread(t)
		})
		t.Run("OtherAccount", func(t *testing.T) {
			sc := newNoThreadScene(t, url)
			read := privateReceipt(inbox.EventMessagesRead, sc.reply.Message.SentAt.Add(time.Minute))
			read.AccountExternalID = storetest.InstagramID + "9"
			sc.applyNoThread(t, read, "", inbox.DeliverySent)
		})
	})
}
