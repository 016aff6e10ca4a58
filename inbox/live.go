package inbox

import (
	"context"
	"encoding/json"
	"time"
)

// LiveKind says what a live event is about.
type LiveKind string

// Live event kinds.
const (
	// LiveMessage: a message arrived or changed in a conversation.
	LiveMessage LiveKind = "message"
	// LiveConversation: the work state of a conversation changed
	// (assignee, status, administration, tags, triage).
	LiveConversation LiveKind = "conversation"
	// LivePresence: someone is viewing or typing in a conversation.
	LivePresence LiveKind = "presence"
	// LiveOutbound: an outbound action changed state (queued, sending,
	// sent, failed).
	LiveOutbound LiveKind = "outbound"
	// LiveSLA: a conversation became at risk of, or breached, its SLA.
	LiveSLA LiveKind = "sla"
	// LiveAlert: something supervisors must see at once (a crisis spike,
	// a silent channel, a failing token).
	LiveAlert LiveKind = "alert"
)

// LiveEvent is a change staff should see without reloading. Events about
// a conversation carry its administration so a specialist only receives
// what is routed to them; UserIDs, when set, narrows an event to those
// users (a notification).
type LiveEvent struct {
	// ID is set by the broker when the event is published; it orders
	// events and is what a reconnecting client sends as Last-Event-ID.
	ID               string          `json:"id"`
	Kind             LiveKind        `json:"kind"`
	ConversationID   int64           `json:"conversation_id,omitempty"`
	AdministrationID string          `json:"administration_id,omitempty"`
	UserIDs          []int64         `json:"user_ids,omitempty"`
	Data             json.RawMessage `json:"data,omitempty"`
	At               time.Time       `json:"at"`
}

// Publisher sends live events to every connected member of staff who may
// see them, on every instance. Publishing is best effort: the state the
// event tells about is already stored, so a lost event costs a reload,
// never data.
type Publisher interface {
	Publish(ctx context.Context, ev LiveEvent) error
}
