package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// privateReplyText is the private reply's text, which a message written in
// Meta Business Suite may repeat.
const privateReplyText = "Tack! Vi skriver till dig i ett direktmeddelande."

// privateReplyScene is an Instagram comment by igsid_1 and inkorg's private
// reply to it, queued a minute later and in flight.
type privateReplyScene struct {
	s       *Store
	conv    int64
	comment int64
	reply   *inbox.QueuedOutbound
}

func newPrivateReplyScene(t *testing.T, url func(t *testing.T) string) *privateReplyScene {
	t.Helper()
	db := openMigrated(t, url)
	clock := storetest.T0
	db.Now = func() time.Time { return clock }
	sc := &privateReplyScene{s: NewStore(db)}
	a := mustApply(t, sc.s, inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformInstagram,
		Channel: inbox.ChannelInstagramComment, AccountExternalID: storetest.InstagramID, ThreadKey: "ig_c_1",
		PostExternalID: "ig_media_1", MessageExternalID: "ig_c_1", Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: "igsid_1"}, Author: inbox.Actor{ExternalID: "igsid_1"},
		Text: "När öppnar badet?", OccurredAt: storetest.T0})
	sc.conv, sc.comment = a.ConversationID, a.MessageID
	clock = storetest.T0.Add(time.Minute)
	sc.reply = &inbox.QueuedOutbound{
		Action: &inbox.OutboundAction{Key: "inkorg-pr1", Kind: inbox.OutboundPrivateReply, ConversationID: sc.conv,
			TargetMessageID: sc.comment, TargetExternalID: "ig_c_1", AccountExternalID: storetest.InstagramID,
			Platform: inbox.PlatformInstagram, Text: privateReplyText, NextAttemptAt: &clock},
		Message: &inbox.Message{ConversationID: sc.conv, Platform: inbox.PlatformInstagram, ExternalID: "inkorg-pr1",
			Direction: inbox.DirectionOutbound, AuthorExternalID: storetest.InstagramID, Text: privateReplyText, SentAt: clock},
		Work: &inbox.Work{Audit: &inbox.AuditEntry{Action: inbox.ActionReply, ConversationID: sc.conv, Detail: "{}"}},
	}
	if err := sc.s.QueueOutbound(t.Context(), sc.reply); err != nil {
		t.Fatal(err)
	}
	sc.move(t, inbox.OutboundQueued, inbox.OutboundSending, "")
	clock = storetest.T0.Add(2 * time.Minute)
	return sc
}

func (sc *privateReplyScene) move(t *testing.T, from, to inbox.OutboundState, platformID string) {
	t.Helper()
	_, err := sc.s.UpdateOutbound(t.Context(), inbox.OutboundUpdate{ID: sc.reply.Action.ID,
		From: []inbox.OutboundState{from}, State: to, PlatformID: platformID})
	if err != nil {
		t.Fatalf("move %s → %s: %v", from, to, err)
	}
}

// directEcho is the echo, without metadata, of a message the Instagram
// account sent to recipient's Direct thread.
func directEcho(recipient, mid, text string, at time.Time) inbox.Event {
	return inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformInstagram,
		Channel: inbox.ChannelInstagramDirect, AccountExternalID: storetest.InstagramID, ThreadKey: recipient,
		MessageExternalID: mid, Direction: inbox.DirectionOutbound, Contact: inbox.Actor{ExternalID: recipient},
		Author: inbox.Actor{ExternalID: storetest.InstagramID}, Text: text, SentOutsideInkorg: true, OccurredAt: at}
}

// wantOurReply checks that a was applied as our private reply, sent as mid,
// and that no other conversation or message was stored.
func (sc *privateReplyScene) wantOurReply(t *testing.T, a inbox.Applied, mid string) {
	t.Helper()
	if a.Created || a.MessageID != sc.reply.Message.ID || a.ConversationID != sc.conv {
		t.Errorf("echo applied as %+v; want our reply %d in the comment's conversation %d",
			a, sc.reply.Message.ID, sc.conv)
	}
	got, err := sc.s.FindOutboundAction(t.Context(), sc.reply.Action.ID)
	if err != nil || got.State != inbox.OutboundSent || got.PlatformID != mid {
		t.Errorf("action %+v (%v); want sent as %s", got, err, mid)
	}
	m, err := sc.s.FindMessageByID(t.Context(), sc.reply.Message.ID)
	if err != nil || m.ExternalID != mid || m.Delivery != inbox.DeliverySent {
		t.Errorf("reply %+v (%v); want external id %s, sent", m, err, mid)
	}
	if n := sc.count(t, "conversations"); n != 1 {
		t.Errorf("%d conversations, want only the comment's", n)
	}
	if n := sc.count(t, "messages"); n != 2 {
		t.Errorf("%d messages, want the comment and our reply", n)
	}
}

func (sc *privateReplyScene) count(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := sc.s.db.gorm.WithContext(t.Context()).Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPrivateReplyEchoWithoutMetadata: Instagram echoes a private reply to
// a comment in the commenter's Direct thread, possibly without the
// idempotency key. While the send is in flight, the echo is our reply: it
// opens no Direct thread and adds no message "sent outside inkorg".
func TestPrivateReplyEchoWithoutMetadata(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		for _, state := range []inbox.OutboundState{inbox.OutboundSending, inbox.OutboundNeedsCheck} {
			t.Run(string(state), func(t *testing.T) {
				sc := newPrivateReplyScene(t, url)
				if state == inbox.OutboundNeedsCheck {
					sc.move(t, inbox.OutboundSending, inbox.OutboundNeedsCheck, "")
				}
				echo := directEcho("igsid_1", "ig_mid_1", privateReplyText, storetest.T0.Add(2*time.Minute))
				sc.wantOurReply(t, mustApply(t, sc.s, echo), "ig_mid_1")
				// Delivered again, it is still our reply.
				sc.wantOurReply(t, mustApply(t, sc.s, echo), "ig_mid_1")
			})
		}
	})
}

// TestPrivateReplyEchoSentFirst: when the Send API's answer was recorded
// first, its message id names the send: the echo under that id is our
// reply, and a message with the same text written in Meta Business Suite
// is a message of its own in the Direct thread.
func TestPrivateReplyEchoSentFirst(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		sc := newPrivateReplyScene(t, url)
		sc.move(t, inbox.OutboundSending, inbox.OutboundSent, "ig_mid_1")
		at := storetest.T0.Add(2 * time.Minute)
		sc.wantOurReply(t, mustApply(t, sc.s, directEcho("igsid_1", "ig_mid_1", privateReplyText, at)), "ig_mid_1")
		b := mustApply(t, sc.s, directEcho("igsid_1", "ig_mid_bs", privateReplyText, at.Add(time.Minute)))
		if !b.Created || b.ConversationID == sc.conv {
			t.Fatalf("Business Suite message applied as %+v; want a new message in the Direct thread", b)
		}
		if m, err := sc.s.FindMessageByID(t.Context(), b.MessageID); err != nil || !m.SentOutsideInkorg {
			t.Errorf("Business Suite message %+v (%v); want sent outside inkorg", m, err)
		}
		if got, _ := sc.s.FindOutboundAction(t.Context(), sc.reply.Action.ID); got.PlatformID != "ig_mid_1" {
			t.Errorf("action sent as %s, want ig_mid_1", got.PlatformID)
		}
	})
}

// TestPrivateReplyEchoNotOurs: an echo without the key that cannot be the
// private reply in flight (another recipient, another text, or later than
// the comment's private-reply window) is a message of its own, and the
// reply stays in flight.
func TestPrivateReplyEchoNotOurs(t *testing.T) {
	late := storetest.T0.Add(inbox.PrivateReplyWindow + time.Hour)
	cases := map[string]inbox.Event{
		"OtherRecipient": directEcho("igsid_2", "ig_mid_2", privateReplyText, storetest.T0.Add(2*time.Minute)),
		"OtherText":      directEcho("igsid_1", "ig_mid_2", "Något annat", storetest.T0.Add(2*time.Minute)),
		"AfterWindow":    directEcho("igsid_1", "ig_mid_2", privateReplyText, late),
		"BeforeQueued":   directEcho("igsid_1", "ig_mid_2", privateReplyText, storetest.T0.Add(-time.Hour)),
	}
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		for name, e := range cases {
			t.Run(name, func(t *testing.T) {
				sc := newPrivateReplyScene(t, url)
				a := mustApply(t, sc.s, e)
				if !a.Created || a.ConversationID == sc.conv {
					t.Errorf("echo applied as %+v; want a message of its own in the Direct thread", a)
				}
				got, err := sc.s.FindOutboundAction(t.Context(), sc.reply.Action.ID)
				if err != nil || got.State != inbox.OutboundSending || got.PlatformID != "" {
					t.Errorf("action %+v (%v); want still sending", got, err)
				}
			})
		}
	})
}
