// Package livetest is the contract suite of inbox.LiveBroker, run against
// the in-process broker and the Redis one.
package livetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"inkorg/inbox"
)

// Opener returns two brokers that share events and history, as two
// instances do, keeping about history events; they live as long as t.
type Opener func(t *testing.T, history int) (a, b inbox.LiveBroker)

// Run runs the suite.
func Run(t *testing.T, open Opener) {
	t.Run("OKAcrossInstances", func(t *testing.T) { testAcross(t, open) })
	t.Run("OKResume", func(t *testing.T) { testResume(t, open) })
	t.Run("OKGap", func(t *testing.T) { testGap(t, open) })
	t.Run("OKResumeFresh", func(t *testing.T) { testResumeFresh(t, open) })
	t.Run("OKUnknownID", func(t *testing.T) {
		a, _ := open(t, 100)
		sub, err := a.Subscribe(t.Context(), "not-an-id")
		if err != nil || !sub.Gap {
			t.Fatalf("got %+v, %v; want a gap", sub, err)
		}
		sub.Close()
	})
}

func event(n int) inbox.LiveEvent {
	return inbox.LiveEvent{Kind: inbox.LiveConversation, ConversationID: int64(n), AdministrationID: "social",
		Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, n))}
}

func publish(t *testing.T, b inbox.LiveBroker, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		if err := b.Publish(t.Context(), event(n)); err != nil {
			t.Fatalf("Publish %d: %v", n, err)
		}
	}
}

// receive reads n events from sub, failing after a generous wait.
func receive(t *testing.T, sub *inbox.LiveSubscription, n int) []inbox.LiveEvent {
	t.Helper()
	var got []inbox.LiveEvent
	timeout := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case ev, ok := <-sub.Events:
			if !ok {
				t.Fatalf("subscription ended after %d events, want %d", len(got), n)
			}
			got = append(got, ev)
		case <-timeout:
			t.Fatalf("got %d events, want %d", len(got), n)
		}
	}
	return got
}

func wantConversations(t *testing.T, got []inbox.LiveEvent, want ...int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i, ev := range got {
		if ev.ConversationID != want[i] || ev.ID == "" || ev.AdministrationID != "social" || ev.At.IsZero() {
			t.Errorf("event %d: got %+v, want conversation %d with an id, administration and time", i, ev, want[i])
		}
	}
}

func testAcross(t *testing.T, open Opener) {
	a, b := open(t, 100)
	sub, err := b.Subscribe(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	publish(t, a, 1, 3)
	got := receive(t, sub, 3)
	wantConversations(t, got, 1, 2, 3)
	if string(got[2].Data) != `{"n":3}` {
		t.Errorf("data: got %s, want {\"n\":3}", got[2].Data)
	}
}

func testResume(t *testing.T, open Opener) {
	a, b := open(t, 100)
	first, err := a.Subscribe(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	publish(t, a, 1, 3)
	seen := receive(t, first, 1)
	first.Close()

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sub, err := b.Subscribe(ctx, seen[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if sub.Gap {
		t.Error("got a gap, want none")
	}
	wantConversations(t, sub.Missed, 2, 3)
	publish(t, a, 4, 4)
	wantConversations(t, receive(t, sub, 1), 4)
}

func testGap(t *testing.T, open Opener) {
	a, _ := open(t, 2)
	first, err := a.Subscribe(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	publish(t, a, 1, 1)
	seen := receive(t, first, 1)
	first.Close()
	publish(t, a, 2, 400) // far more than the history keeps, also approximately
	sub, err := a.Subscribe(t.Context(), seen[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if !sub.Gap || len(sub.Missed) == 0 || sub.Missed[len(sub.Missed)-1].ConversationID != 400 {
		t.Errorf("got gap %v and %d missed events, want a gap and the newest kept", sub.Gap, len(sub.Missed))
	}
}

// testResumeFresh: a fresh subscription says where it starts, also on an
// empty history, and resuming from there loses nothing and finds no gap.
func testResumeFresh(t *testing.T, open Opener) {
	a, b := open(t, 100)
	for round := 1; round <= 2; round++ {
		fresh, err := b.Subscribe(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		fresh.Close()
		if fresh.LastID == "" || fresh.Gap || len(fresh.Missed) > 0 {
			t.Fatalf("round %d: got last id %q, gap %v, %d missed; want an id and nothing else", round, fresh.LastID, fresh.Gap, len(fresh.Missed))
		}
		publish(t, a, round, round)
		sub, err := a.Subscribe(t.Context(), fresh.LastID)
		if err != nil {
			t.Fatal(err)
		}
		sub.Close()
		if sub.Gap {
			t.Errorf("round %d: resuming from %s got a gap, want none", round, fresh.LastID)
		}
		wantConversations(t, sub.Missed, int64(round))
		if len(sub.Missed) == 1 && sub.LastID != sub.Missed[0].ID {
			t.Errorf("round %d: last id %q, want the missed event's %q", round, sub.LastID, sub.Missed[0].ID)
		}
	}
}
