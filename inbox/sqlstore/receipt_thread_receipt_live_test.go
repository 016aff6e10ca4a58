package sqlstore

import (
	"encoding/json"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// threadReceiptAdministration is the administration the Messenger thread
// is routed to, which scopes its live updates.
const threadReceiptAdministration = "kretslopp-och-vatten"

// newThreadReceiptScene is psid_1's Messenger thread: the citizen's
// question, the city's answers out_1 (sent at +1m) and out_2 (+3m), routed
// to threadReceiptAdministration. It returns the store and the thread's
// conversation.
func newThreadReceiptScene(t *testing.T, url func(t *testing.T) string) (*Store, int64) {
	t.Helper()
	s := NewStore(openMigrated(t, url))
	a := mustApply(t, s, storetest.Event("psid_1", "in_1", storetest.T0))
	mustApply(t, s, storetest.Reply("psid_1", "out_1", storetest.T0.Add(1*time.Minute)))
	mustApply(t, s, storetest.Reply("psid_1", "out_2", storetest.T0.Add(3*time.Minute)))
	err := s.db.gorm.WithContext(t.Context()).Table("conversations").Where("id = ?", a.ConversationID).
		Update("administration_id", threadReceiptAdministration).Error
	if err != nil {
		t.Fatal(err)
	}
	return s, a.ConversationID
}

// threadReceipt is a receipt of kind in psid_1's Messenger thread, up to
// at, naming mids.
func threadReceipt(kind inbox.EventKind, at time.Time, mids ...string) inbox.Event {
	e := inbox.Event{Kind: kind, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: storetest.PageID, ThreadKey: "psid_1", Contact: inbox.Actor{ExternalID: "psid_1"},
		Author: inbox.Actor{ExternalID: "psid_1"}, MessageExternalIDs: mids, Watermark: at, OccurredAt: at}
	if len(mids) > 0 {
		e.MessageExternalID = mids[0]
	}
	return e
}

// wantThreadUpdate checks that evs is one live message event for the
// thread's conversation, scoped to its administration, telling the new
// delivery state without a message id.
func wantThreadUpdate(t *testing.T, evs []inbox.LiveEvent, conv int64, kind inbox.EventKind, state inbox.DeliveryState) {
	t.Helper()
	if len(evs) != 1 {
		t.Fatalf("got %d live events %+v; want one for the thread's conversation %d", len(evs), evs, conv)
	}
	var got liveReceipt
	if err := json.Unmarshal(evs[0].Data, &got); err != nil {
		t.Fatal(err)
	}
	want := liveReceipt{Event: kind, Delivery: state}
	ev := evs[0]
	if ev.Kind != inbox.LiveMessage || ev.ConversationID != conv || ev.AdministrationID != threadReceiptAdministration || got != want {
		t.Errorf("got %s event for conversation %d (%q) with %+v; want a message event for %d (%q) with %+v",
			ev.Kind, ev.ConversationID, ev.AdministrationID, got, conv, threadReceiptAdministration, want)
	}
}

// wantDelivery checks the delivery state of the thread's message mid.
func wantDelivery(t *testing.T, s *Store, conv int64, mid string, want inbox.DeliveryState) {
	t.Helper()
	ms, err := s.FindMessages(t.Context(), conv)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.ExternalID == mid {
			if m.Delivery != want {
				t.Errorf("message %s: got delivery %q, want %q", mid, m.Delivery, want)
			}
			return
		}
	}
	t.Errorf("message %s not in conversation %d", mid, conv)
}

// TestThreadReceiptLive: a receipt that marks the city's messages in its
// own Messenger thread tells staff in that conversation, once, scoped to
// its administration; a redelivery, or a receipt that leaves every
// message as it was, tells nothing.
func TestThreadReceiptLive(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		t.Run("Watermark", func(t *testing.T) {
			s, conv := newThreadReceiptScene(t, url)
			read := threadReceipt(inbox.EventMessagesRead, storetest.T0.Add(2*time.Minute))
			wantThreadUpdate(t, applyPublishing(t, s, read), conv, inbox.EventMessagesRead, inbox.DeliveryRead)
			wantDelivery(t, s, conv, "out_1", inbox.DeliveryRead)
			wantDelivery(t, s, conv, "out_2", inbox.DeliverySent)
			if evs := applyPublishing(t, s, read); len(evs) != 0 {
				t.Errorf("redelivered receipt published %+v; want nothing", evs)
			}
			late := threadReceipt(inbox.EventMessagesDelivered, storetest.T0.Add(2*time.Minute))
			if evs := applyPublishing(t, s, late); len(evs) != 0 {
				t.Errorf("delivery receipt after the read one published %+v; want nothing", evs)
			}
			later := threadReceipt(inbox.EventMessagesRead, storetest.T0.Add(4*time.Minute))
			wantThreadUpdate(t, applyPublishing(t, s, later), conv, inbox.EventMessagesRead, inbox.DeliveryRead)
			wantDelivery(t, s, conv, "out_2", inbox.DeliveryRead)
		})
		t.Run("Named", func(t *testing.T) {
			// The message named is marked before the watermark moves, which
			// then finds nothing left to mark.
			s, conv := newThreadReceiptScene(t, url)
			delivered := threadReceipt(inbox.EventMessagesDelivered, storetest.T0.Add(1*time.Minute), "out_1")
			wantThreadUpdate(t, applyPublishing(t, s, delivered), conv, inbox.EventMessagesDelivered, inbox.DeliveryDelivered)
			wantDelivery(t, s, conv, "out_1", inbox.DeliveryDelivered)
			if evs := applyPublishing(t, s, delivered); len(evs) != 0 {
				t.Errorf("redelivered receipt published %+v; want nothing", evs)
			}
		})
		t.Run("NothingToMark", func(t *testing.T) {
			s := NewStore(openMigrated(t, url))
			mustApply(t, s, storetest.Event("psid_1", "in_1", storetest.T0))
			read := threadReceipt(inbox.EventMessagesRead, storetest.T0.Add(2*time.Minute))
			if evs := applyPublishing(t, s, read); len(evs) != 0 {
				t.Errorf("receipt in a thread with no message of the city's published %+v; want nothing", evs)
			}
		})
	})
}
