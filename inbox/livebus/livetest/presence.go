package livetest

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// RunPresence runs the contract suite of inbox.PresenceStore.
func RunPresence(t *testing.T, open func(t *testing.T) inbox.PresenceStore) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		now := time.Now().UTC().Truncate(time.Second)
		for _, p := range []inbox.Presence{
			{UserID: 2, Name: "sara", State: inbox.PresenceViewing, Until: now.Add(30 * time.Second)},
			{UserID: 1, Name: "anna", State: inbox.PresenceViewing, Until: now.Add(10 * time.Second)},
			{UserID: 2, Name: "sara", State: inbox.PresenceTyping, Until: now.Add(40 * time.Second)},
		} {
			if err := s.SetPresence(t.Context(), 7, p); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.FindPresence(t.Context(), 7, now)
		if err != nil || len(got) != 2 || got[0].Name != "anna" || got[1].State != inbox.PresenceTyping {
			t.Fatalf("got %+v, %v; want anna viewing and sara typing", got, err)
		}
		got, err = s.FindPresence(t.Context(), 7, now.Add(20*time.Second))
		if err != nil || len(got) != 1 || got[0].Name != "sara" {
			t.Errorf("after anna's ran out: got %+v, %v; want sara only", got, err)
		}
		if got, err := s.FindPresence(t.Context(), 8, now); err != nil || len(got) != 0 {
			t.Errorf("another conversation: got %+v, %v; want nobody", got, err)
		}
	})
}
