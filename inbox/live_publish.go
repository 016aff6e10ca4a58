package inbox

import (
	"context"
	"encoding/json"
	"time"
)

// LiveWork is the data of a LiveConversation event: what was done and the
// conversation as it is now. Left is set instead of Conversation on the
// event telling an administration that a conversation was routed away
// from it.
type LiveWork struct {
	Action       string        `json:"action"`
	Conversation *Conversation `json:"conversation,omitempty"`
	Left         bool          `json:"left,omitempty"`
}

// LiveNewMessage is the data of a LiveMessage event.
type LiveNewMessage struct {
	// Event is what happened to the message: created, edited, removed, …
	// or a receipt (messages_delivered, messages_read).
	Event EventKind `json:"event"`
	// MessageID is the message; none for a receipt that marked messages
	// of its own thread, which may be several (all sent up to its
	// watermark).
	MessageID       int64 `json:"message_id,omitempty"`
	NewConversation bool  `json:"new_conversation,omitempty"`
	// Delivery is the message's, or the thread's marked messages',
	// delivery state after a receipt.
	Delivery DeliveryState `json:"delivery,omitempty"`
}

// publishWork tells staff that action changed a conversation from before
// to after. Publishing is best effort (see Publisher).
func (s *Service) publishWork(ctx context.Context, action string, before, after *Conversation) {
	publishWork(ctx, s.Publisher, s.now(), action, before, after)
}

// publishWork tells staff through p, at, that action changed a
// conversation from before to after: the administration it is routed to,
// and the one it left. Nothing is told when p is nil.
func publishWork(ctx context.Context, p Publisher, at time.Time, action string, before, after *Conversation) {
	if p == nil {
		return
	}
	data, _ := json.Marshal(LiveWork{Action: action, Conversation: after})
	_ = p.Publish(ctx, LiveEvent{
		Kind: LiveConversation, ConversationID: after.ID, AdministrationID: after.AdministrationID,
		Data: data, At: at,
	})
	if before.AdministrationID != "" && before.AdministrationID != after.AdministrationID {
		data, _ := json.Marshal(LiveWork{Action: action, Left: true})
		_ = p.Publish(ctx, LiveEvent{
			Kind: LiveConversation, ConversationID: after.ID, AdministrationID: before.AdministrationID,
			Data: data, At: at,
		})
	}
}

// LiveMessageHook returns an EventHook that tells staff about each new
// message the ingest worker stores, scoped to the administration the
// conversation was routed to when it was stored, about a receipt that
// marked messages of its own thread, and about each private reply a
// receipt marked, in the conversation of its comment. It never fails the
// delivery: live updates are best effort.
func LiveMessageHook(p Publisher) EventHook {
	return func(ctx context.Context, e Event, a Applied) error {
		if p == nil {
			return nil
		}
		publishThreadReceipt(ctx, p, e, a)
		publishPrivateReplies(ctx, p, e, a)
		if !a.Created || a.ConversationID == 0 || a.MessageID == 0 {
			return nil
		}
		data, _ := json.Marshal(LiveNewMessage{Event: e.Kind, MessageID: a.MessageID, NewConversation: a.NewConversation})
		_ = p.Publish(ctx, LiveEvent{
			Kind: LiveMessage, ConversationID: a.ConversationID, AdministrationID: a.AdministrationID, Data: data, At: e.OccurredAt,
		})
		return nil
	}
}

// publishPrivateReplies tells staff the new delivery state of each private
// reply receipt e marked: the private reply lives in its comment's
// conversation, which the receipt's own thread is not.
func publishPrivateReplies(ctx context.Context, p Publisher, e Event, a Applied) {
	for _, m := range a.PrivateReplies {
		data, _ := json.Marshal(LiveNewMessage{Event: e.Kind, MessageID: m.ID, Delivery: m.Delivery})
		_ = p.Publish(ctx, LiveEvent{
			Kind: LiveMessage, ConversationID: m.ConversationID, AdministrationID: m.AdministrationID, Data: data, At: e.OccurredAt,
		})
	}
}

// publishThreadReceipt tells staff the new delivery state of the messages
// of its own thread that receipt e marked: one event for the thread,
// without a message id, as a watermark marks every message sent up to it.
// A receipt that marked none (a redelivery) tells nothing.
func publishThreadReceipt(ctx context.Context, p Publisher, e Event, a Applied) {
	if a.Delivery == "" || a.ConversationID == 0 {
		return
	}
	data, _ := json.Marshal(LiveNewMessage{Event: e.Kind, Delivery: a.Delivery})
	_ = p.Publish(ctx, LiveEvent{
		Kind: LiveMessage, ConversationID: a.ConversationID, AdministrationID: a.AdministrationID, Data: data, At: e.OccurredAt,
	})
}
