package inbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// ReplyKind is how staff answer a conversation.
type ReplyKind string

// Reply kinds.
const (
	// ReplyPublic is a public reply under a comment.
	ReplyPublic ReplyKind = "public"
	// ReplyPrivate is a private message to the author of a comment (one
	// per comment, within 7 days of it).
	ReplyPrivate ReplyKind = "private"
	// ReplyDirect is a message in a Messenger or Instagram Direct thread.
	ReplyDirect ReplyKind = "direct"
)

// ReplyRequest is a reply an agent writes.
type ReplyRequest struct {
	Kind ReplyKind `json:"kind"`
	Text string    `json:"text"`
	// ReplyToMessageID is the comment answered; 0 means the thread's
	// latest citizen message.
	ReplyToMessageID int64 `json:"reply_to_message_id,omitempty"`
	// Takeover lets the actor reply in a conversation another user holds,
	// taking it over.
	Takeover bool `json:"takeover,omitempty"`
}

// CommentAction is a moderation action on a comment.
type CommentAction string

// Comment actions.
const (
	CommentHide   CommentAction = "hide"
	CommentUnhide CommentAction = "unhide"
	CommentDelete CommentAction = "delete"
)

// OutboundKind is what an outbound action does on the platform.
type OutboundKind string

// Outbound kinds.
const (
	OutboundPublicReply   OutboundKind = "public_reply"
	OutboundPrivateReply  OutboundKind = "private_reply"
	OutboundDirectMessage OutboundKind = "direct_message"
	OutboundHideComment   OutboundKind = "hide_comment"
	OutboundUnhideComment OutboundKind = "unhide_comment"
	OutboundDeleteComment OutboundKind = "delete_comment"
)

// Reply reports whether actions of kind k post a message.
func (k OutboundKind) Reply() bool {
	return k == OutboundPublicReply || k == OutboundPrivateReply || k == OutboundDirectMessage
}

// OutboundState is how far an outbound action got.
type OutboundState string

// Outbound states. An action goes queued → sending → sent, or ends failed
// or needs_check. Sending is recorded before the platform is called, so an
// action found sending after a crash may have gone through: it is never
// resent blindly, only reconciled by the platform's echo or marked
// needs_check for an agent.
const (
	OutboundQueued     OutboundState = "queued"
	OutboundSending    OutboundState = "sending"
	OutboundSent       OutboundState = "sent"
	OutboundFailed     OutboundState = "failed"
	OutboundNeedsCheck OutboundState = "needs_check"
)

// Delivery states of an outbound message before it is sent; they mirror
// the state of its outbound action.
const (
	DeliveryQueued     DeliveryState = "queued"
	DeliverySending    DeliveryState = "sending"
	DeliveryFailed     DeliveryState = "failed"
	DeliveryNeedsCheck DeliveryState = "needs_check"
)

// OutboundAction is one reply or moderation action on its way to the
// platform, with its idempotency key and its outcome.
type OutboundAction struct {
	ID int64 `json:"id"`
	// Key is the idempotency key. A reply's message carries it as its
	// external id until the platform's id is known, and Messenger echoes
	// it back as metadata.
	Key            string        `json:"idempotency_key"`
	Kind           OutboundKind  `json:"kind"`
	State          OutboundState `json:"state"`
	ConversationID int64         `json:"conversation_id"`
	// MessageID is the outbound message a reply created; 0 for moderation.
	MessageID int64 `json:"message_id,omitempty"`
	// TargetMessageID is the comment answered or moderated; 0 for direct
	// messages.
	TargetMessageID int64 `json:"target_message_id,omitempty"`
	// TargetExternalID is the platform id the call names: the comment, or
	// the citizen's scoped id for a direct message.
	TargetExternalID  string   `json:"target_external_id"`
	AccountID         int64    `json:"account_id,omitempty"`
	AccountExternalID string   `json:"account_external_id"`
	Platform          Platform `json:"platform"`
	Text              string   `json:"text,omitempty"`
	// HumanAgent sends a direct message with Meta's HUMAN_AGENT tag, after
	// the 24-hour window and within 7 days.
	HumanAgent bool `json:"human_agent,omitempty"`
	// Reason is why staff moderated a comment.
	Reason  string `json:"reason,omitempty"`
	ActorID int64  `json:"actor_id"`
	// PlatformID is the id the platform gave what was posted.
	PlatformID string `json:"platform_id,omitempty"`
	Attempts   int    `json:"attempts"`
	// Failure is why the action failed or needs checking.
	Failure *OutboundFailure `json:"failure,omitempty"`
	// NextAttemptAt is when a queued action is tried again.
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// OutboundFailure is why an outbound action did not (surely) go through,
// told in Swedish and English.
type OutboundFailure struct {
	// Class is the Graph API error class, e.g. "outside_window".
	Class string `json:"class"`
	SV    string `json:"sv"`
	EN    string `json:"en"`
	// Code and Subcode are Meta's error code, when it sent one.
	Code    int `json:"code,omitempty"`
	Subcode int `json:"subcode,omitempty"`
	// Retryable is true when an agent may send the action again as it is.
	Retryable bool `json:"retryable"`
}

// OutboundUpdate moves an outbound action from one of From to State.
type OutboundUpdate struct {
	ID    int64
	From  []OutboundState
	State OutboundState
	// PlatformID is set with State sent.
	PlatformID string
	// CountAttempt adds one to Attempts.
	CountAttempt  bool
	Failure       *OutboundFailure
	NextAttemptAt *time.Time
	// ActorID and Audit, when set, record an agent's retry.
	Audit *AuditEntry
}

// QueuedOutbound is what the store records when staff queue an action, in
// one transaction: the action, the reply's message (nil for moderation),
// the change to the conversation and the audit entry.
type QueuedOutbound struct {
	Action  *OutboundAction
	Message *Message
	Work    *Work
}

// OutboundStore records outbound actions.
type OutboundStore interface {
	// QueueOutbound stores q in one transaction and sets the ids. A reply's
	// message is stored with the action's Key as its external id and
	// delivery queued. An update whose Version is stale is ECONFLICT.
	QueueOutbound(ctx context.Context, q *QueuedOutbound) error
	// FindOutboundAction returns the action, or ENOTFOUND.
	FindOutboundAction(ctx context.Context, id int64) (*OutboundAction, error)
	// FindOutboundActions returns the actions of a conversation, oldest
	// first.
	FindOutboundActions(ctx context.Context, conversationID int64) ([]*OutboundAction, error)
	// UpdateOutbound applies u when the action is in one of u.From, and
	// otherwise returns ECONFLICT and changes nothing; it returns the
	// action as stored after. A reply's message follows: its delivery
	// mirrors the state and, once sent, its external id is the platform's
	// id (a message the platform's echo stored meanwhile under that id
	// is merged into it).
	UpdateOutbound(ctx context.Context, u OutboundUpdate) (*OutboundAction, error)
	// FindDueOutbound returns up to limit queued or sending actions whose
	// next attempt is before t, oldest first, so that a lost queue message
	// is replaced. A sending action's next attempt is set when its call
	// starts, long after any call ends: one still sending then lost its
	// handler and its queue message.
	FindDueOutbound(ctx context.Context, t time.Time, limit int) ([]*OutboundAction, error)
	MessageFinder
}

// Audit actions of outbound work.
const (
	ActionReply         = "reply"
	ActionHideComment   = "hide_comment"
	ActionUnhideComment = "unhide_comment"
	ActionDeleteComment = "delete_comment"
	ActionRetryOutbound = "retry_outbound"
)

// QueuePublisher publishes messages on a queue; every Queue is one.
type QueuePublisher interface {
	Publish(ctx context.Context, queue string, msg OutgoingMessage) (string, error)
}

// OutboundQueueBody is the body of an inbox.QueueOutbound message.
type OutboundQueueBody struct {
	ActionID int64  `json:"action_id"`
	Key      string `json:"key"`
}

// idempotencyPrefix starts every idempotency key, so a message whose
// external id is still its key is known not to be published yet.
const idempotencyPrefix = "inkorg-"

// newIdempotencyKey returns a fresh random key.
func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return idempotencyPrefix + hex.EncodeToString(b)
}

// Published reports whether m carries a platform id rather than the
// idempotency key of a reply not sent yet.
func (m *Message) Published() bool { return !strings.HasPrefix(m.ExternalID, idempotencyPrefix) }
