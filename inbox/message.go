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
	// ParentID is that comment's id when it is in the same thread, and
	// IsParent marks a comment that other comments in the thread answer;
	// both are set only in a conversation's detail.
	ParentID         int64  `json:"parent_id,omitempty"`
	IsParent         bool   `json:"is_parent,omitempty"`
	AuthorExternalID string `json:"author_external_id"`
	AuthorName       string `json:"author_name,omitempty"`
	Text             string `json:"text"`
	// SentAt is the platform's event time.
	SentAt    time.Time `json:"sent_at"`
	CreatedAt time.Time `json:"created_at"`

	// PostType is the kind of post a comment is on (FEED, REELS, STORY).
	PostType    string       `json:"post_type,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Payload is the developer payload of a quick reply or postback.
	Payload string `json:"payload,omitempty"`
	// SentOutsideInkorg marks an outbound message written in Meta Business
	// Suite or another tool rather than in inkorg.
	SentOutsideInkorg bool `json:"sent_outside_inkorg,omitempty"`
	Unsupported       bool `json:"unsupported,omitempty"`
	Mention           bool `json:"mention,omitempty"`
	// Live marks a comment on a live broadcast, which can only be answered
	// with a private reply.
	Live bool `json:"live,omitempty"`
	// Edits are the message's edits, oldest first; Text is the text of the
	// latest and OriginalText the text as first sent. EditedAt is the time
	// of the latest edit.
	Edits        []MessageEdit `json:"edits,omitempty"`
	OriginalText string        `json:"original_text,omitempty"`
	EditedAt     *time.Time    `json:"edited_at,omitempty"`
	// DeletedAt is set when the author unsent or removed the message. Its
	// text is kept for the record; agents do not see it by default.
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
	// Hidden is true while the comment is hidden from the public.
	Hidden bool `json:"hidden,omitempty"`
	// Reactions counts the reactions on the message by reaction.
	Reactions map[string]int `json:"reactions,omitempty"`
	// Delivery is how far an outbound message got; empty for inbound ones.
	Delivery DeliveryState `json:"delivery,omitempty"`
}

// MessageEdit is one edit of a message.
type MessageEdit struct {
	// Text is the text the edit set.
	Text     string    `json:"text"`
	EditedAt time.Time `json:"edited_at"`
}

// DeliveryState is how far an outbound message got.
type DeliveryState string

// Delivery states, in order.
const (
	DeliverySent      DeliveryState = "sent"
	DeliveryDelivered DeliveryState = "delivered"
	DeliveryRead      DeliveryState = "read"
)

// Deleted reports whether the author unsent or removed m.
func (m *Message) Deleted() bool { return m.DeletedAt != nil }

// ForAgents returns m as agents see it by default: a deleted message
// keeps its place in the thread but not its text or media.
func (m *Message) ForAgents() *Message {
	if !m.Deleted() {
		return m
	}
	c := *m
	c.Text, c.OriginalText, c.Attachments, c.Edits, c.Payload = "", "", nil, nil, ""
	return &c
}

// MessageStore reads messages.
type MessageStore interface {
	// FindMessages returns the messages of a conversation in the order they
	// were sent (SentAt, then ID).
	FindMessages(ctx context.Context, conversationID int64) ([]*Message, error)
}

// MessageFinder reads one message: what work on a single message needs,
// however long its conversation.
type MessageFinder interface {
	// FindMessageByID returns the message with its edits, or ENOTFOUND.
	FindMessageByID(ctx context.Context, id int64) (*Message, error)
}
