package inbox_test

import (
	"context"
	"encoding/json"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// TestPublishWork checks that an action publishes the conversation as it
// is after, scoped to its administration, and tells the administration it
// was routed away from.
func TestPublishWork(t *testing.T) {
	w := newWorld(t)
	rec := &inboxtest.LiveRecorder{}
	w.svc.Publisher = rec
	id := w.routed(t)
	if _, err := w.svc.Route(t.Context(), w.agent, id, "kretslopp-och-vatten", "Gäller det er?"); err != nil {
		t.Fatal(err)
	}
	evs := rec.Events()
	if len(evs) != 3 {
		t.Fatalf("got %d events, want 3 (route, route, left)", len(evs))
	}
	var first, left inbox.LiveWork
	_ = json.Unmarshal(evs[0].Data, &first)
	_ = json.Unmarshal(evs[2].Data, &left)
	if evs[0].Kind != inbox.LiveConversation || evs[0].AdministrationID != "idrott-och-forening" || first.Action != inbox.ActionRoute || first.Conversation.ID != id {
		t.Errorf("first: got %+v (%+v), want the route to idrott-och-forening with the conversation", evs[0], first)
	}
	if evs[1].AdministrationID != "kretslopp-och-vatten" || evs[2].AdministrationID != "idrott-och-forening" || !left.Left || left.Conversation != nil {
		t.Errorf("got %+v then %+v, want the new administration told, then the old one that it left", evs[1], evs[2])
	}
}

// TestLiveMessageHook publishes a new message once, and nothing for a
// redelivery.
func TestLiveMessageHook(t *testing.T) {
	w := newWorld(t)
	rec := &inboxtest.LiveRecorder{}
	hook := inbox.LiveMessageHook(rec)
	e := inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: "psid-hook", MessageExternalID: "mid-hook",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-hook"}, Author: inbox.Actor{ExternalID: "psid-hook"},
		Text: "Hej!", OccurredAt: now,
	}
	for range 2 {
		a, err := w.store.ApplyEvent(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		if err := hook(t.Context(), e, a); err != nil {
			t.Fatal(err)
		}
	}
	evs := rec.Events()
	var data inbox.LiveNewMessage
	if len(evs) != 1 || json.Unmarshal(evs[0].Data, &data) != nil || evs[0].Kind != inbox.LiveMessage || !data.NewConversation || data.MessageID == 0 {
		t.Errorf("got %+v, want one message event for the new conversation", evs)
	}
}

// TestPublishReleasedClaims checks that deactivating a user tells staff
// about each conversation it gave back to its queue, so that colleagues'
// queues show it without a reload.
func TestPublishReleasedClaims(t *testing.T) {
	w := newWorld(t)
	held, other := w.conversation(t), w.conversation(t)
	w.claim(t, w.agent, held)
	w.claim(t, w.agent2, other)
	rec := &inboxtest.LiveRecorder{}
	admins := &inbox.UserAdmin{Store: w.store, Publisher: rec}
	if err := admins.SetActive(t.Context(), w.admin, w.agent.ID, false); err != nil {
		t.Fatal(err)
	}
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("got %d events, want 1 (the released conversation)", len(evs))
	}
	var work inbox.LiveWork
	_ = json.Unmarshal(evs[0].Data, &work)
	if evs[0].Kind != inbox.LiveConversation || evs[0].ConversationID != held || work.Action != inbox.ActionUnassign ||
		work.Conversation == nil || work.Conversation.AssigneeID != 0 || work.Left {
		t.Errorf("got %+v (%+v), want conversation %d unassigned", evs[0], work, held)
	}
}
