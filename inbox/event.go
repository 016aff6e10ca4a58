package inbox

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// EventKind says what happened on the platform.
type EventKind string

// Event kinds. More arrive as the webhook parser learns Meta's other shapes.
const (
	// EventMessageCreated is a new comment or private message.
	EventMessageCreated EventKind = "message_created"
)

// Actor is who wrote a message, as the platform names them.
type Actor struct {
	ExternalID string `json:"external_id"`
	Name       string `json:"name,omitempty"`
	Username   string `json:"username,omitempty"`
}

// Event is one thing that happened on a platform, normalised from a Meta
// webhook so the store never sees Meta's shapes.
type Event struct {
	Kind     EventKind `json:"kind"`
	Platform Platform  `json:"platform"`
	Channel  Channel   `json:"channel"`
	// AccountExternalID is the Page or Instagram account id the webhook
	// entry was for (entry.id).
	AccountExternalID string `json:"account_external_id"`
	// ThreadKey identifies the conversation on the platform (see
	// Conversation.ThreadKey).
	ThreadKey      string `json:"thread_key"`
	PostExternalID string `json:"post_external_id,omitempty"`
	// MessageExternalID is the platform's id of the message (mid, comment id).
	MessageExternalID string    `json:"message_external_id"`
	ParentExternalID  string    `json:"parent_external_id,omitempty"`
	Direction         Direction `json:"direction"`
	// Contact is the citizen the thread is with. For an outbound message it
	// is the recipient; Author is then the account.
	Contact    Actor     `json:"contact"`
	Author     Actor     `json:"author"`
	Text       string    `json:"text"`
	OccurredAt time.Time `json:"occurred_at"`
}

// MaxTextLength is the longest message text kept, in runes. Meta's own
// limits are far lower; this only guards the store.
const MaxTextLength = 64 * 1024

// Validate reports the first reason e cannot be applied, as EINVALID.
func (e *Event) Validate() error {
	switch {
	case e.Kind != EventMessageCreated:
		return Errorf(EINVALID, "Unknown event kind %q.", e.Kind)
	case !e.Platform.Valid():
		return Errorf(EINVALID, "Unknown platform %q.", e.Platform)
	case !e.Channel.Valid() || e.Channel.Platform() != e.Platform:
		return Errorf(EINVALID, "Channel %q does not belong to platform %q.", e.Channel, e.Platform)
	case strings.TrimSpace(e.AccountExternalID) == "":
		return Errorf(EINVALID, "Event has no account id.")
	case strings.TrimSpace(e.ThreadKey) == "":
		return Errorf(EINVALID, "Event has no thread key.")
	case strings.TrimSpace(e.MessageExternalID) == "":
		return Errorf(EINVALID, "Event has no message id.")
	case e.Direction != DirectionInbound && e.Direction != DirectionOutbound:
		return Errorf(EINVALID, "Unknown direction %q.", e.Direction)
	case strings.TrimSpace(e.Contact.ExternalID) == "":
		return Errorf(EINVALID, "Event has no contact id.")
	case e.OccurredAt.IsZero():
		return Errorf(EINVALID, "Event has no time.")
	case !utf8.ValidString(e.Text):
		return Errorf(EINVALID, "Message text is not valid UTF-8.")
	case utf8.RuneCountInString(e.Text) > MaxTextLength:
		return Errorf(EINVALID, "Message text is longer than %d characters.", MaxTextLength)
	}
	return nil
}

// Applied is what applying an event did.
type Applied struct {
	ConversationID int64
	MessageID      int64
	// Created is false when the event had been applied before (a redelivery)
	// and nothing changed.
	Created bool
	// NewConversation is true when the event started a conversation.
	NewConversation bool
}

// EventStore applies normalised platform events.
type EventStore interface {
	// ApplyEvent upserts the contact, conversation and message of e in one
	// transaction. It is idempotent: applying the same event again changes
	// nothing and returns Created false. Events for an account that is not
	// configured still make a conversation, flagged UnknownAccount.
	ApplyEvent(ctx context.Context, e Event) (Applied, error)
}

// EventHook runs after an event was applied, whether it created something
// (a.Created) or had been applied before: a delivery that failed in a hook
// comes round again as a duplicate, and the hook must then still run. So a
// hook must be idempotent. An error makes the queue deliver the delivery
// again.
type EventHook func(ctx context.Context, e Event, a Applied) error
