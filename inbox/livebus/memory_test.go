package livebus_test

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/livebus"
	"inkorg/inbox/livebus/livetest"
)

func TestMemory(t *testing.T) {
	livetest.Run(t, func(t *testing.T, history int) (inbox.LiveBroker, inbox.LiveBroker) {
		m := livebus.NewMemory(history, nil)
		return m, m
	})
}

func TestMemoryPresence(t *testing.T) {
	livetest.RunPresence(t, func(t *testing.T) inbox.PresenceStore { return livebus.NewMemoryPresence() })
}

// TestMemoryRestart: a client resuming from an event of an earlier process
// (the embedded default restarted) is told to reload: its broker does not
// know what was published meanwhile.
func TestMemoryRestart(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	before := livebus.NewMemory(10, func() time.Time { return at })
	if err := before.Publish(t.Context(), inbox.LiveEvent{Kind: inbox.LiveConversation, ConversationID: 1}); err != nil {
		t.Fatal(err)
	}
	seen, _, err := before.After(t.Context(), livebus.ID{})
	if err != nil || len(seen) != 1 {
		t.Fatalf("got %v, %v; want the event", seen, err)
	}
	after := livebus.NewMemory(10, func() time.Time { return at.Add(time.Minute) })
	sub, err := after.Subscribe(t.Context(), seen[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sub.Close()
	if !sub.Gap {
		t.Error("resuming from before the restart: got no gap, want one")
	}
}
