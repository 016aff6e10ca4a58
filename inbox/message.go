package inbox

import (
	"context"
	"time"
)

// Message is one comment or private message, inbound or outbound, keyed by
// the platform's id so a redelivered webhook never makes a duplicate.
type Message struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversation_id"`
	Platform       Platform  `json:"platform"`
	ExternalID     string    `json:"external_id"`
	Direction      Direction `json:"direction"`
	// ParentExternalID is the comment this comment answers, when any.
	ParentExternalID string `json:"parent_external_id,omitempty"`
	AuthorExternalID string `json:"author_external_id"`
	AuthorName       string `json:"author_name,omitempty"`
	Text             string `json:"text"`
	// SentAt is the platform's event time.
	SentAt    time.Time `json:"sent_at"`
	CreatedAt time.Time `json:"created_at"`
}

// MessageStore reads messages.
type MessageStore interface {
	// FindMessages returns the messages of a conversation in the order they
	// were sent (SentAt, then ID).
	FindMessages(ctx context.Context, conversationID int64) ([]*Message, error)
}
