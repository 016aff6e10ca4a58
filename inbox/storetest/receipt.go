package storetest

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func runReceipts(t *testing.T, open opener) {
	t.Run("OKWatermarks", func(t *testing.T) { testReceiptWatermarks(t, open(t)) })
	t.Run("OKBeforeMessage", func(t *testing.T) { testReceiptBeforeMessage(t, open(t)) })
	t.Run("OKByMessageID", func(t *testing.T) { testReceiptByID(t, open(t)) })
	t.Run("OKConcurrentWithReplies", func(t *testing.T) { testReceiptConcurrent(t, open(t)) })
	t.Run("ErrInvalid", func(t *testing.T) {
		e := receipt(inbox.EventMessagesRead, time.Time{})
		_, err := open(t).ApplyEvent(ctx(t), e)
		wantCode(t, err, inbox.EINVALID)
	})
}

// receipt returns a receipt of kind from the suite's citizen psid_1 with
// the watermark and message ids.
func receipt(kind inbox.EventKind, watermark time.Time, mids ...string) inbox.Event {
	return inbox.Event{
		Kind: kind, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: PageID, ThreadKey: "psid_1",
		Contact: inbox.Actor{ExternalID: "psid_1"}, Author: inbox.Actor{ExternalID: "psid_1"},
		MessageExternalIDs: mids, Watermark: watermark, OccurredAt: T0.Add(time.Hour),
	}
}

// deliveries returns the delivery state of each message of the
// conversation, by message id.
func deliveries(t *testing.T, s inbox.Store, convID int64) map[string]inbox.DeliveryState {
	t.Helper()
	out := map[string]inbox.DeliveryState{}
	for _, m := range messages(t, s, convID) {
		out[m.ExternalID] = m.Delivery
	}
	return out
}

func wantDeliveries(t *testing.T, step string, got, want map[string]inbox.DeliveryState) {
	t.Helper()
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: message %s: got delivery %q, want %q", step, id, got[id], w)
		}
	}
}

func testReceiptWatermarks(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_1", "in_1", T0))
	apply(t, s, Reply("psid_1", "out_1", T0.Add(1*time.Minute)))
	apply(t, s, Reply("psid_1", "out_2", T0.Add(3*time.Minute)))

	d := apply(t, s, receipt(inbox.EventMessagesDelivered, T0.Add(2*time.Minute)))
	if !d.Created || d.ConversationID != a.ConversationID {
		t.Errorf("delivery receipt: got %+v, want Created in conversation %d", d, a.ConversationID)
	}
	wantDeliveries(t, "delivered up to +2m", deliveries(t, s, a.ConversationID), map[string]inbox.DeliveryState{
		"in_1": "", "out_1": inbox.DeliveryDelivered, "out_2": inbox.DeliverySent,
	})
	apply(t, s, receipt(inbox.EventMessagesRead, T0.Add(4*time.Minute)))
	// A late delivery receipt neither downgrades nor counts as new.
	late := apply(t, s, receipt(inbox.EventMessagesDelivered, T0.Add(1*time.Minute)))
	if late.Created {
		t.Errorf("older delivery watermark: got Created, want nothing changed")
	}
	wantDeliveries(t, "read up to +4m", deliveries(t, s, a.ConversationID), map[string]inbox.DeliveryState{
		"in_1": "", "out_1": inbox.DeliveryRead, "out_2": inbox.DeliveryRead,
	})
}

func testReceiptBeforeMessage(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_1", "in_1", T0))
	apply(t, s, receipt(inbox.EventMessagesRead, T0.Add(2*time.Minute)))
	// Sent before the watermark but delivered to us after the receipt.
	apply(t, s, Reply("psid_1", "out_1", T0.Add(1*time.Minute)))
	apply(t, s, Reply("psid_1", "out_2", T0.Add(3*time.Minute)))
	wantDeliveries(t, "read before the messages arrived", deliveries(t, s, a.ConversationID), map[string]inbox.DeliveryState{
		"out_1": inbox.DeliveryRead, "out_2": inbox.DeliverySent,
	})
}

func testReceiptByID(t *testing.T, s inbox.Store) {
	first := apply(t, s, receipt(inbox.EventMessagesDelivered, time.Time{}, "out_2"))
	if !first.Created || first.ConversationID != 0 {
		t.Errorf("receipt before any thread: got %+v, want Created and no conversation", first)
	}
	a := apply(t, s, Event("psid_1", "in_1", T0))
	apply(t, s, Reply("psid_1", "out_1", T0.Add(1*time.Minute)))
	apply(t, s, Reply("psid_1", "out_2", T0.Add(2*time.Minute)))
	again := apply(t, s, receipt(inbox.EventMessagesDelivered, time.Time{}, "out_2"))
	if again.Created {
		t.Errorf("redelivered receipt: got Created, want nothing changed")
	}
	wantDeliveries(t, "delivered by id", deliveries(t, s, a.ConversationID), map[string]inbox.DeliveryState{
		"out_1": inbox.DeliverySent, "out_2": inbox.DeliveryDelivered,
	})
}

// testReceiptConcurrent applies replies, their edits and read receipts of
// one thread all at once: whatever the order, every reply sent before the
// last watermark ends up read.
func testReceiptConcurrent(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_1", "in_1", T0))
	var events []inbox.Event
	for i := range 6 {
		mid := "out_" + string(rune('a'+i))
		at := T0.Add(time.Duration(i+1) * time.Minute)
		events = append(events, Reply("psid_1", mid, at), edit(mid, "rättat", at.Add(time.Second)),
			receipt(inbox.EventMessagesRead, at.Add(30*time.Second), mid))
	}
	applyConcurrently(t, s, events)
	for id, state := range deliveries(t, s, a.ConversationID) {
		if id != "in_1" && state != inbox.DeliveryRead {
			t.Errorf("message %s: got delivery %q, want read", id, state)
		}
	}
}
