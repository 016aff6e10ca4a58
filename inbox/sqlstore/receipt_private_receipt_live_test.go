package sqlstore

import (
	"encoding/json"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/storetest"
)

// privateReceiptAdministration is the administration the comment's
// conversation is routed to, which scopes its live updates.
const privateReceiptAdministration = "idrott-och-forening"

// newPrivateReceiptScene is a private reply sent as ig_mid_1 to the comment
// of igsid_1, whose Direct thread holds a message of the citizen's, and
// the comment's conversation routed to privateReceiptAdministration.
func newPrivateReceiptScene(t *testing.T, url func(t *testing.T) string) *privateReplyScene {
	t.Helper()
	sc := newPrivateReplyScene(t, url)
	sc.move(t, inbox.OutboundSending, inbox.OutboundSent, "ig_mid_1")
	direct := directEcho("igsid_1", "ig_mid_citizen", "Tack, jag har sett det.", storetest.T0.Add(3*time.Minute))
	direct.Direction, direct.Author, direct.SentOutsideInkorg = inbox.DirectionInbound, inbox.Actor{ExternalID: "igsid_1"}, false
	if a := mustApply(t, sc.s, direct); a.ConversationID == sc.conv || a.ConversationID == 0 {
		t.Fatalf("citizen's Direct message applied as %+v; want a Direct thread of its own", a)
	}
	err := sc.s.db.gorm.WithContext(t.Context()).Table("conversations").Where("id = ?", sc.conv).
		Update("administration_id", privateReceiptAdministration).Error
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// privateReceipt is a receipt of kind in igsid_1's Direct thread, up to at,
// naming mids.
func privateReceipt(kind inbox.EventKind, at time.Time, mids ...string) inbox.Event {
	e := inbox.Event{Kind: kind, Platform: inbox.PlatformInstagram, Channel: inbox.ChannelInstagramDirect,
		AccountExternalID: storetest.InstagramID, ThreadKey: "igsid_1", Contact: inbox.Actor{ExternalID: "igsid_1"},
		Author: inbox.Actor{ExternalID: "igsid_1"}, MessageExternalIDs: mids, Watermark: at, OccurredAt: at}
	if len(mids) > 0 {
		e.MessageExternalID = mids[0]
	}
	return e
}

// liveReceipt is what a live message event says after a receipt.
type liveReceipt struct {
	Event     inbox.EventKind     `json:"event"`
	MessageID int64               `json:"message_id"`
	Delivery  inbox.DeliveryState `json:"delivery"`
}

// applyPublishing applies e and runs the live hook after it, returning the
// events the hook published.
func applyPublishing(t *testing.T, s *Store, e inbox.Event) []inbox.LiveEvent {
	t.Helper()
	rec := &inboxtest.LiveRecorder{}
	if err := inbox.LiveMessageHook(rec)(t.Context(), e, mustApply(t, s, e)); err != nil {
		t.Fatal(err)
	}
	return rec.Events()
}

// wantPrivateReplyUpdate checks that evs is one live update of the
// private reply in the comment's conversation, with its new state.
func (sc *privateReplyScene) wantPrivateReplyUpdate(t *testing.T, evs []inbox.LiveEvent, kind inbox.EventKind, state inbox.DeliveryState) {
	t.Helper()
	if len(evs) != 1 {
		t.Fatalf("got %d live events %+v; want one for the comment's conversation %d", len(evs), evs, sc.conv)
	}
	var got liveReceipt
	if err := json.Unmarshal(evs[0].Data, &got); err != nil {
		t.Fatal(err)
	}
	want := liveReceipt{Event: kind, MessageID: sc.reply.Message.ID, Delivery: state}
	ev := evs[0]
	if ev.Kind != inbox.LiveMessage || ev.ConversationID != sc.conv || ev.AdministrationID != privateReceiptAdministration || got != want {
		t.Errorf("got %s event for conversation %d (%q) with %+v; want a message event for %d (%q) with %+v",
			ev.Kind, ev.ConversationID, ev.AdministrationID, got, sc.conv, privateReceiptAdministration, want)
	}
	m, err := sc.s.FindMessageByID(t.Context(), sc.reply.Message.ID)
	if err != nil || m.Delivery != state {
		t.Errorf("private reply %+v (%v); want %s", m, err, state)
	}
}

// TestPrivateReplyReceiptLive: a receipt in the citizen's Direct thread
// that marks a private reply tells staff in the comment's conversation,
// where the private reply is shown; a redelivery, or a receipt that
// leaves it as it was, tells nothing.
func TestPrivateReplyReceiptLive(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		t.Run("Watermark", func(t *testing.T) {
			sc := newPrivateReceiptScene(t, url)
			read := privateReceipt(inbox.EventMessagesRead, storetest.T0.Add(4*time.Minute))
			sc.wantPrivateReplyUpdate(t, applyPublishing(t, sc.s, read), inbox.EventMessagesRead, inbox.DeliveryRead)
			if evs := applyPublishing(t, sc.s, read); len(evs) != 0 {
				t.Errorf("redelivered receipt published %+v; want nothing", evs)
			}
			late := privateReceipt(inbox.EventMessagesDelivered, storetest.T0.Add(5*time.Minute))
			if evs := applyPublishing(t, sc.s, late); len(evs) != 0 {
				t.Errorf("delivery receipt after the read one published %+v; want nothing", evs)
			}
		})
		t.Run("Named", func(t *testing.T) {
			sc := newPrivateReceiptScene(t, url)
			delivered := privateReceipt(inbox.EventMessagesDelivered, storetest.T0.Add(4*time.Minute), "ig_mid_1")
			sc.wantPrivateReplyUpdate(t, applyPublishing(t, sc.s, delivered), inbox.EventMessagesDelivered, inbox.DeliveryDelivered)
			if evs := applyPublishing(t, sc.s, delivered); len(evs) != 0 {
				t.Errorf("redelivered receipt published %+v; want nothing", evs)
			}
		})
	})
}
