package sqlstore

import (
	"testing"

	"inkorg/inbox"
)

// TestWaitAfterResolution: a citizen's "Tack!" that nobody answered before
// the conversation was resolved is closed by the resolution. When the
// citizen writes again weeks later, the conversation waits from the new
// message, in the list's waiting_since and in the oldest unanswered, as
// the new question's SLA clock does.
func TestWaitAfterResolution(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		w, _, tick := watchedWorld(t, url)
		c := w.message(inbox.ChannelMessenger, "psid_7", inbox.DirectionInbound, "2026-11-23 09:00", "Hej, när töms soptunnan?")
		w.message(inbox.ChannelMessenger, "psid_7", inbox.DirectionOutbound, "2026-11-23 09:30", "Hej! På torsdag.")
		w.message(inbox.ChannelMessenger, "psid_7", inbox.DirectionInbound, "2026-11-23 09:40", "Tack!")
		w.status(c, "2026-11-23 10:00", inbox.StatusResolved)
		if got := w.message(inbox.ChannelMessenger, "psid_7", inbox.DirectionInbound, "2026-12-14 09:00", "Hej igen, den har inte tömts."); got != c {
			t.Fatalf("the new question opened conversation %d, want %d", got, c)
		}
		tick("2026-12-14 09:05")
		want := sthlm(t, "2026-12-14 09:00")
		conv, err := w.s.FindConversationByID(t.Context(), c)
		if err != nil {
			t.Fatal(err)
		}
		if conv.Status != inbox.StatusOpen || conv.WaitingSince == nil || !conv.WaitingSince.Equal(want) {
			t.Errorf("reopened: got status %q waiting since %v, want open, waiting since %v", conv.Status, conv.WaitingSince, want)
		}
		if conv.SLA == nil || !conv.SLA.StartedAt.Equal(want) {
			t.Errorf("reopened: got SLA %+v, want a clock from %v", conv.SLA, want)
		}
		if got, err := w.s.OldestUnanswered(t.Context()); err != nil || !got.Equal(want) {
			t.Errorf("oldest unanswered: got %v, %v; want %v", got, err, want)
		}
	})
}
