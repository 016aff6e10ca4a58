package reconcile_test

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/reconcile"
)

// TestPollIngestsLostEchoes checks the account's own messages the poll
// reads back: an echo already received stays one message, an echo that
// was lost is added as sent outside inkorg, and inkorg's own replies, sent
// or still in flight, are not duplicated.
func TestPollIngestsLostEchoes(t *testing.T) {
	ctx := t.Context()
	s := newScene(t, inbox.PlatformFacebook, "page-1")
	own := func(id, text string, at time.Time) graph.ConversationMessage {
		return graph.ConversationMessage{ID: id, Created: at, FromID: "page-1", FromName: "Göteborgs Stad", ToID: "u1", Text: text}
	}
	citizen := graph.ConversationMessage{ID: "m_1", Created: T.Add(-5 * time.Hour), FromID: "u1", FromName: "ali", ToID: "page-1", Text: "Hej!"}
	received := own("m_echo_ok", "Svar från Business Suite, echo kom", T.Add(-4*time.Hour))
	lost := own("m_echo_lost", "Svar från Business Suite, echo försvann", T.Add(-3*time.Hour))
	sent := own("m_sent", "Svar skickat från inkorg", T.Add(-2*time.Hour))
	inFlight := own("m_flight", "Svar som skickas just nu", T.Add(-time.Hour))
	for _, m := range []graph.ConversationMessage{citizen, received, lost, sent, inFlight} {
		s.sb.AddConversationMessage("page-1", inbox.PlatformFacebook, "t_1", m)
	}

	// What the webhooks brought: the citizen's message and one echo.
	thread := func(mid, text string, at time.Time, out bool) inbox.Event {
		e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: "page-1", ThreadKey: "u1", MessageExternalID: mid, Direction: inbox.DirectionInbound,
			Contact: inbox.Actor{ExternalID: "u1"}, Author: inbox.Actor{ExternalID: "u1"}, Text: text, OccurredAt: at}
		if out {
			e.Direction, e.Author, e.SentOutsideInkorg = inbox.DirectionOutbound, inbox.Actor{ExternalID: "page-1"}, true
		}
		return e
	}
	applied, err := s.store.ApplyEvent(ctx, thread(citizen.ID, citizen.Text, citizen.Created, false))
	if err != nil {
		t.Fatal(err)
	}
	conv := applied.ConversationID
	if _, err := s.store.ApplyEvent(ctx, thread(received.ID, received.Text, received.Created, true)); err != nil {
		t.Fatal(err)
	}
	// inkorg's own replies: one sent (its echo lost), one in flight.
	agent := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	if err := s.store.CreateUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	queue := func(key, text string, at time.Time) *inbox.QueuedOutbound {
		q := &inbox.QueuedOutbound{
			Action: &inbox.OutboundAction{Key: key, Kind: inbox.OutboundDirectMessage, ConversationID: conv,
				TargetExternalID: "u1", AccountExternalID: "page-1", Platform: inbox.PlatformFacebook, Text: text,
				ActorID: agent.ID, NextAttemptAt: &at},
			Message: &inbox.Message{ConversationID: conv, Platform: inbox.PlatformFacebook, ExternalID: key,
				Direction: inbox.DirectionOutbound, AuthorExternalID: "page-1", Text: text, SentAt: at},
			Work: &inbox.Work{Audit: &inbox.AuditEntry{ActorID: agent.ID, Action: inbox.ActionReply, ConversationID: conv, Detail: "{}"}},
		}
		if err := s.store.QueueOutbound(ctx, q); err != nil {
			t.Fatal(err)
		}
		if _, err := s.store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: q.Action.ID, From: []inbox.OutboundState{inbox.OutboundQueued},
			State: inbox.OutboundSending, CountAttempt: true}); err != nil {
			t.Fatal(err)
		}
		return q
	}
	sentReply := queue("inkorg-sent", sent.Text, sent.Created)
	if _, err := s.store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: sentReply.Action.ID, From: []inbox.OutboundState{inbox.OutboundSending},
		State: inbox.OutboundSent, PlatformID: sent.ID}); err != nil {
		t.Fatal(err)
	}
	// The reply in flight was queued just before it went out: its echo,
	// read back by the poll, is dated after that.
	s.now = inFlight.Created.Add(-time.Minute)
	flightReply := queue("inkorg-flight", inFlight.Text, inFlight.Created)
	s.now = T

	r := s.reconciler(reconcile.Config{})
	if found, err := r.PollOnce(ctx); err != nil || found != 1 {
		t.Fatalf("PollOnce = %d, %v; want only the lost echo", found, err)
	}
	if got := s.found(t, inbox.PlatformFacebook, "outbound"); got != 1 {
		t.Errorf("found_total{kind=outbound} = %v, want 1", got)
	}
	msgs, err := s.store.FindMessages(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string][]*inbox.Message{}
	for _, m := range msgs {
		byID[m.ExternalID] = append(byID[m.ExternalID], m)
	}
	if len(msgs) != 5 {
		t.Fatalf("%d messages (%v), want 5: the citizen's, two Business Suite answers and two replies", len(msgs), byID)
	}
	if l := byID[lost.ID]; len(l) != 1 || l[0].Direction != inbox.DirectionOutbound || !l[0].SentOutsideInkorg || l[0].Text != lost.Text {
		t.Errorf("lost echo stored as %+v; want one outbound message sent outside inkorg", l)
	}
	if l := byID[received.ID]; len(l) != 1 {
		t.Errorf("received echo stored %d times, want once", len(l))
	}
	if l := byID[sent.ID]; len(l) != 1 || l[0].ID != sentReply.Message.ID || l[0].SentOutsideInkorg {
		t.Errorf("sent reply as %+v; want only inkorg's own message", l)
	}
	if l := byID[inFlight.ID]; len(l) != 1 || l[0].ID != flightReply.Message.ID || l[0].SentOutsideInkorg {
		t.Errorf("in-flight reply as %+v; want inkorg's own message, given the platform id", l)
	}
	if a, err := s.store.FindOutboundAction(ctx, flightReply.Action.ID); err != nil || a.State != inbox.OutboundSent || a.PlatformID != inFlight.ID {
		t.Errorf("in-flight action %+v, %v; want sent as %s", a, err, inFlight.ID)
	}
	if c, err := s.store.FindConversationByID(ctx, conv); err != nil || c.MessageCount != 5 {
		t.Errorf("conversation %+v, %v; want 5 messages", c, err)
	}
	// A second poll changes nothing.
	if found, err := r.PollOnce(ctx); err != nil || found != 0 {
		t.Fatalf("second PollOnce = %d, %v; want 0", found, err)
	}
}
