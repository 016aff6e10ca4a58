package routing_test

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
	"inkorg/routing"
)

func TestPretriager(t *testing.T) {
	forEachStore(t, testPretriager)
	t.Run("LeftToHook", testPretriagerLeftToHook)
}

// testPretriager: a message triaged before it is stored is stored with its
// triage; the hook after it does not triage it again, and offers it for
// its links as it offers one it triaged itself.
func testPretriager(t *testing.T, s inbox.Store) {
	sc := newLaterScene(t, s, 4)
	pre := routing.Pretriager(sc.tr, routing.WithSuggestionsLater(sc.filler))
	e := storetest.Event("pre-thread", "m1", storetest.T0)
	e.Text = "Soptunnan har inte tömts på två veckor"
	pre(t.Context(), &e)
	if e.Triage == nil || e.Triage.Administration != "kretslopp-vatten" || !e.Triage.SuggestionsPending || len(sc.sugg.calls) != 0 {
		t.Fatalf("pretriage: got %+v after %d searches; want kretslopp-vatten, links pending, no search", e.Triage, len(sc.sugg.calls))
	}
	a, err := s.ApplyEvent(t.Context(), e)
	if err != nil || !a.Triaged {
		t.Fatalf("ApplyEvent: got %+v, %v; want the triage stored with the message", a, err)
	}
	// Had the hook triaged again, the triage would carry the later time.
	sc.now = storetest.T0.Add(time.Hour)
	if err := sc.hook(t.Context(), e, a); err != nil {
		t.Fatalf("hook: %v", err)
	}
	got := storedTriage(t, s, a.ConversationID)
	if got.MessageID != a.MessageID || got.Administration != "kretslopp-vatten" || !got.TriagedAt.Equal(storetest.T0) {
		t.Errorf("stored triage: message %d %s at %v; want message %d kretslopp-vatten at %v (not triaged again)",
			got.MessageID, got.Administration, got.TriagedAt, a.MessageID, storetest.T0)
	}
	sc.waitOutcome(t, routing.SuggestionsFilled, 1)
	if got := storedTriage(t, s, a.ConversationID); got.SuggestionsPending || len(got.Suggestions) != 1 {
		t.Errorf("after the filler: got %+v; want its link, no longer pending", got)
	}
}

// testPretriagerLeftToHook: what only the hook can triage is left to it.
func testPretriagerLeftToHook(t *testing.T) {
	const pin = "Hej, mitt personnummer är 19821105-9954, hur får jag parkeringstillstånd?"
	s := newHookScene(t)
	pre := routing.Pretriager(s.tr)
	hiding := routing.Pretriager(s.tr, routing.WithAutoHide(func(context.Context, int64, string) error { return nil }))

	reply := storetest.Reply("left-thread", "r1", storetest.T0)
	edit := storetest.Event("left-thread", "m1", storetest.T0)
	edit.Kind = inbox.EventMessageEdited
	empty := storetest.Event("left-thread", "m2", storetest.T0)
	empty.Text = " "
	comment := storetest.Event("left-thread", "c1", storetest.T0)
	comment.Channel, comment.PostExternalID, comment.Text = inbox.ChannelFacebookComment, "post_1", pin
	for name, e := range map[string]inbox.Event{"reply": reply, "edit": edit, "empty": empty} {
		e.Triage = &inbox.Triage{Administration: "stale"}
		pre(t.Context(), &e)
		if e.Triage != nil {
			t.Errorf("%s: got triage %+v, want none", name, e.Triage)
		}
	}
	hiding(t.Context(), &comment)
	if comment.Triage != nil {
		t.Errorf("comment to hide automatically: got triage %+v, want it left to the hook, which hides first", comment.Triage)
	}
	pre(t.Context(), &comment)
	if comment.Triage == nil || !comment.Triage.HideRecommended {
		t.Errorf("comment without automatic hiding: got %+v, want a triage recommending to hide it", comment.Triage)
	}
	dm := storetest.Event("left-dm", "d1", storetest.T0)
	dm.Text = pin
	hiding(t.Context(), &dm)
	if dm.Triage == nil || dm.Triage.HideRecommended {
		t.Errorf("private message: got %+v, want a triage (nothing to hide)", dm.Triage)
	}
}
