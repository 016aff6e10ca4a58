package sqlstore

import (
	"testing"

	"inkorg/inbox"
)

// withdraw applies the citizen's withdrawal (an unsend, a removed comment)
// of message mid in thread at the given time.
func (w *reportWorld) withdraw(ch inbox.Channel, thread, mid, at string) {
	w.t.Helper()
	plat, account := inbox.PlatformFacebook, "page_1"
	if ch.Platform() == inbox.PlatformInstagram {
		plat, account = inbox.PlatformInstagram, "ig_1"
	}
	w.clock = sthlm(w.t, at)
	e := inbox.Event{Kind: inbox.EventMessageDeleted, Platform: plat, Channel: ch, AccountExternalID: account,
		MessageExternalID: mid, Author: inbox.Actor{ExternalID: thread}, OccurredAt: w.clock}
	if _, err := w.s.ApplyEvent(w.t.Context(), e); err != nil {
		w.t.Fatalf("ApplyEvent: %v", err)
	}
}

// waiting checks a conversation's status, waiting_since (want "" for
// none) and the oldest unanswered message (wantOldest "" for none).
func (w *reportWorld) waiting(conv int64, status inbox.Status, want, wantOldest string) *inbox.Conversation {
	w.t.Helper()
	c, err := w.s.FindConversationByID(w.t.Context(), conv)
	if err != nil {
		w.t.Fatal(err)
	}
	if c.Status != status {
		w.t.Errorf("status: got %q, want %q", c.Status, status)
	}
	if want == "" && c.WaitingSince != nil || want != "" && (c.WaitingSince == nil || !c.WaitingSince.Equal(sthlm(w.t, want))) {
		w.t.Errorf("waiting since: got %v, want %q", c.WaitingSince, want)
	}
	oldest, err := w.s.OldestUnanswered(w.t.Context())
	if err != nil {
		w.t.Fatal(err)
	}
	if wantOldest == "" && !oldest.IsZero() || wantOldest != "" && !oldest.Equal(sthlm(w.t, wantOldest)) {
		w.t.Errorf("oldest unanswered: got %v, want %q", oldest, wantOldest)
	}
	return c
}

// TestWithdrawnOnlyMessage: David's only comment (Mon 09:00, 4 business
// hours to answer) is removed at 09:10. Nothing is left to answer: the
// conversation does not wait, is not the oldest unanswered and has no
// running SLA clock, so at 14:00 it is neither breached nor notified. It
// keeps its status and its message until an agent resolves it.
func TestWithdrawnOnlyMessage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelFacebookComment, "c_david", inbox.DirectionInbound, "2026-11-23 09:00", "When does the bath open?")
		tick("2026-11-23 09:05")
		w.waiting(c, inbox.StatusNew, "2026-11-23 09:00", "2026-11-23 09:00")
		w.withdraw(inbox.ChannelFacebookComment, "c_david", "mid_1", "2026-11-23 09:10")
		tick("2026-11-23 14:00")
		conv := w.waiting(c, inbox.StatusNew, "", "")
		if conv.SLA != nil && (conv.SLA.Running || conv.SLA.State != inbox.SLAOK) {
			t.Errorf("SLA: got %+v, want no running clock", conv.SLA)
		}
		if conv.MessageCount != 1 {
			t.Errorf("message count: got %d, want 1 (the message is kept)", conv.MessageCount)
		}
		if n := notified(pub); len(n) != 0 {
			t.Errorf("notified %v, want nothing", n)
		}
		// An agent closes it later: its clock does not reappear, stopped
		// late by the resolution.
		w.status(c, "2026-11-23 14:30", inbox.StatusResolved)
		tick("2026-11-23 14:35")
		if conv := w.waiting(c, inbox.StatusResolved, "", ""); conv.SLA != nil {
			t.Errorf("resolved: got SLA %+v, want none", conv.SLA)
		}
		if n := notified(pub); len(n) != 0 {
			t.Errorf("resolved: notified %v, want nothing", n)
		}
	})
}

// TestWithdrawnThenAnotherWaits: on Messenger (2 business hours) the
// citizen writes at 09:00 and 10:00 and unsends the first at 10:05: the
// conversation waits from 10:00, and so does the SLA clock (due 12:00, at
// risk 11:30), so at 11:20 nothing is at risk or breached.
func TestWithdrawnThenAnotherWaits(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_w", inbox.DirectionInbound, "2026-11-23 09:00", "Hej, min adress är fel.")
		w.message(inbox.ChannelMessenger, "psid_w", inbox.DirectionInbound, "2026-11-23 10:00", "När töms soptunnan?")
		tick("2026-11-23 10:01")
		w.waiting(c, inbox.StatusNew, "2026-11-23 09:00", "2026-11-23 09:00")
		w.withdraw(inbox.ChannelMessenger, "psid_w", "mid_1", "2026-11-23 10:05")
		tick("2026-11-23 11:20")
		conv := w.waiting(c, inbox.StatusNew, "2026-11-23 10:00", "2026-11-23 10:00")
		st := conv.SLA
		if st == nil || !st.Running || st.State != inbox.SLAOK || !st.StartedAt.Equal(sthlm(t, "2026-11-23 10:00")) || !st.DueAt.Equal(sthlm(t, "2026-11-23 12:00")) {
			t.Errorf("SLA: got %+v, want a running clock from 10:00, due 12:00", st)
		}
		if n := notified(pub); len(n) != 0 {
			t.Errorf("notified %v, want nothing", n)
		}
	})
}

// TestWithdrawnBeforeReplyThenAnother: the citizen unsends their 09:00
// message at 09:05; the reply at 09:30 answers nothing; their 10:00
// message waits, with a running clock from 10:00.
func TestWithdrawnBeforeReplyThenAnother(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_r", inbox.DirectionInbound, "2026-11-23 09:00", "Hej")
		w.withdraw(inbox.ChannelMessenger, "psid_r", "mid_1", "2026-11-23 09:05")
		w.message(inbox.ChannelMessenger, "psid_r", inbox.DirectionOutbound, "2026-11-23 09:30", "Hej! Hur kan vi hjälpa dig?")
		w.message(inbox.ChannelMessenger, "psid_r", inbox.DirectionInbound, "2026-11-23 10:00", "Var hämtar jag en kompostbehållare?")
		tick("2026-11-23 10:10")
		conv := w.waiting(c, inbox.StatusNew, "2026-11-23 10:00", "2026-11-23 10:00")
		if st := conv.SLA; st == nil || !st.Running || !st.StartedAt.Equal(sthlm(t, "2026-11-23 10:00")) {
			t.Errorf("SLA: got %+v, want a running clock from 10:00", st)
		}
	})
}

// TestWithdrawalArrivesFirst: Meta delivers the unsend before the message
// itself; the message, stored with its withdrawal, waits for nothing.
func TestWithdrawalArrivesFirst(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		w.withdraw(inbox.ChannelInstagramDirect, "igsid_1", "mid_1", "2026-11-23 09:01")
		c := w.message(inbox.ChannelInstagramDirect, "igsid_1", inbox.DirectionInbound, "2026-11-23 09:00", "Fel chatt, förlåt")
		tick("2026-11-23 12:00")
		conv := w.waiting(c, inbox.StatusNew, "", "")
		if conv.SLA != nil && conv.SLA.Running {
			t.Errorf("SLA: got %+v, want no running clock", conv.SLA)
		}
		if n := notified(pub); len(n) != 0 {
			t.Errorf("notified %v, want nothing", n)
		}
	})
}

// TestWithdrawalAfterAnswer: a message withdrawn after it was answered
// changes nothing: the first response stays 30 minutes, met.
func TestWithdrawalAfterAnswer(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_a", inbox.DirectionInbound, "2026-11-23 09:00", "När öppnar badet?")
		w.message(inbox.ChannelMessenger, "psid_a", inbox.DirectionOutbound, "2026-11-23 09:30", "Kl 06.30.")
		w.withdraw(inbox.ChannelMessenger, "psid_a", "mid_1", "2026-11-23 09:45")
		tick("2026-11-23 10:00")
		conv := w.waiting(c, inbox.StatusNew, "", "")
		st := conv.SLA
		if st == nil || st.Running || st.State != inbox.SLAOK || !st.StartedAt.Equal(sthlm(t, "2026-11-23 09:00")) {
			t.Errorf("SLA: got %+v, want the clock from 09:00 stopped in time", st)
		}
		if conv.FirstResponseAt == nil || !conv.FirstResponseAt.Equal(sthlm(t, "2026-11-23 09:30")) {
			t.Errorf("first response: got %v, want 09:30", conv.FirstResponseAt)
		}
	})
}
