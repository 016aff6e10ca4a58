package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/storetest"
)

// TestSLAFromCitizensFirstMessage: a comment thread the Page starts under
// its own post has nobody waiting until a citizen replies, so no clock
// runs and nothing is notified before that; the first response runs from
// the citizen's reply (Tue 10:00) to the city's answer (10:15).
func TestSLAFromCitizensFirstMessage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, pub, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelFacebookComment, "c_top", inbox.DirectionOutbound, "2026-11-23 09:00", "Uppdatering: badet öppnar igen 1 december.")
		tick("2026-11-23 12:00")
		tick("2026-11-23 13:01")
		if n := notified(pub); len(n) != 0 {
			t.Errorf("notified %v before any citizen wrote", n)
		}
		if oldest, err := w.s.OldestUnanswered(t.Context()); err != nil || !oldest.IsZero() {
			t.Errorf("oldest unanswered: got %v, %v; want none while only the city has written", oldest, err)
		}
		w.message(inbox.ChannelFacebookComment, "c_top", inbox.DirectionInbound, "2026-11-24 10:00", "Vilken tid?")
		if oldest, err := w.s.OldestUnanswered(t.Context()); err != nil || !oldest.Equal(sthlm(t, "2026-11-24 10:00")) {
			t.Errorf("oldest unanswered: got %v, %v; want the citizen's reply", oldest, err)
		}
		w.message(inbox.ChannelFacebookComment, "c_top", inbox.DirectionOutbound, "2026-11-24 10:15", "Kl 06.30.")
		tick("2026-11-24 11:00")
		ins, err := w.s.FindSLAInputsByID(t.Context(), []int64{c})
		if err != nil || len(ins) != 1 {
			t.Fatalf("FindSLAInputsByID: %d, %v", len(ins), err)
		}
		m, err := businesstime.DefaultSLA().Measure(ins[0], nil, w.clock)
		if err != nil {
			t.Fatal(err)
		}
		if m.FirstResponseBusiness == nil || *m.FirstResponseBusiness != 15*time.Minute || *m.FirstResponseWall != 15*time.Minute {
			t.Errorf("first response: got %v business, %v wall; want 15m both", show(m.FirstResponseBusiness), show(m.FirstResponseWall))
		}
		if m.SLA == nil || m.SLA.State != inbox.SLAOK || m.SLA.Running {
			t.Errorf("SLA: got %+v, want stopped in time (ok)", m.SLA)
		}
		if n := notified(pub); len(n) != 0 {
			t.Errorf("notified %v, want nothing", n)
		}
	})
}

func show(d *time.Duration) string {
	if d == nil {
		return "none"
	}
	return d.String()
}

// TestSLARepliesWentOut: a reply counts in the figures once it has gone
// out, not while it is queued or after it failed.
func TestSLARepliesWentOut(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		ctx := t.Context()
		u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		conv := mustApply(t, s, storetest.Event("psid_1", "m_1", storetest.T0)).ConversationID
		at := storetest.T0.Add(time.Minute)
		q := queueDirectReply(t, s, conv, storetest.PageID, "psid_1", "inkorg-r1", "Läs på https://goteborg.se/badhus", u.ID, at)
		replies := func() []string {
			ins, err := s.FindSLAInputsByID(ctx, []int64{conv})
			if err != nil || len(ins) != 1 {
				t.Fatalf("FindSLAInputsByID: %d, %v", len(ins), err)
			}
			return ins[0].Replies
		}
		if r := replies(); len(r) != 0 {
			t.Errorf("queued: got replies %q, want none", r)
		}
		move := func(from, to inbox.OutboundState, id string) {
			if _, err := s.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: q.Action.ID, From: []inbox.OutboundState{from}, State: to, PlatformID: id}); err != nil {
				t.Fatal(err)
			}
		}
		move(inbox.OutboundQueued, inbox.OutboundSending, "")
		move(inbox.OutboundSending, inbox.OutboundFailed, "")
		if r := replies(); len(r) != 0 {
			t.Errorf("failed: got replies %q, want none", r)
		}
		move(inbox.OutboundFailed, inbox.OutboundQueued, "")
		move(inbox.OutboundQueued, inbox.OutboundSending, "")
		move(inbox.OutboundSending, inbox.OutboundSent, "m_sent")
		if r := replies(); len(r) != 1 {
			t.Errorf("sent: got replies %q, want the reply", r)
		}
	})
}
