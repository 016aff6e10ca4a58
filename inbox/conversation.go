package inbox

import (
	"context"
	"time"
)

// Status is where a conversation (ärende) is in its life.
type Status string

// Conversation statuses.
const (
	StatusNew      Status = "new"
	StatusOpen     Status = "open"
	StatusPending  Status = "pending" // waiting for the citizen
	StatusRouted   Status = "routed"  // with a department
	StatusResolved Status = "resolved"
	StatusSpam     Status = "spam"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusNew, StatusOpen, StatusPending, StatusRouted, StatusResolved, StatusSpam:
		return true
	}
	return false
}

// Conversation is one thread with a citizen: a Messenger or Instagram Direct
// thread, or a public comment thread under one top-level comment.
type Conversation struct {
	ID int64 `json:"id"`
	// AccountID is the managed account the thread belongs to; 0 when the
	// webhook named an account that is not configured (UnknownAccount).
	AccountID         int64    `json:"account_id,omitempty"`
	AccountExternalID string   `json:"account_external_id"`
	UnknownAccount    bool     `json:"unknown_account"`
	Platform          Platform `json:"platform"`
	Channel           Channel  `json:"channel"`
	// ThreadKey identifies the thread on the platform: the top-level comment
	// id for comment threads, the citizen's scoped id for private threads.
	ThreadKey string `json:"thread_key"`
	// PostExternalID is the post a comment thread hangs under.
	PostExternalID string `json:"post_external_id,omitempty"`

	ContactID int64    `json:"contact_id"`
	Contact   *Contact `json:"contact,omitempty"`

	Status           Status `json:"status"`
	AdministrationID string `json:"administration_id,omitempty"`
	AssigneeID       int64  `json:"assignee_id,omitempty"`
	Preview          string `json:"preview"`
	MessageCount     int    `json:"message_count"`
	// Triage is routing's triage of the latest triaged citizen message.
	Triage *Triage `json:"triage,omitempty"`
	// Tags are the labels staff put on the conversation, sorted.
	Tags []string `json:"tags,omitempty"`
	// RouteQuestion is what staff asked the administration when they
	// routed the conversation there; RoutedByID is who asked, and gets it
	// back when the department answers or returns it.
	RouteQuestion string `json:"route_question,omitempty"`
	RoutedByID    int64  `json:"routed_by_id,omitempty"`
	// SnoozedUntil hides the conversation from the queues until then.
	SnoozedUntil *time.Time `json:"snoozed_until,omitempty"`
	// SLA is the response-time policy that applies and how it stands; nil
	// when none applies or it is not measured yet.
	SLA *SLAStatus `json:"sla,omitempty"`
	// WaitingSince is when the citizen's oldest unanswered message was
	// sent; nil when no citizen message waits for an answer.
	WaitingSince *time.Time `json:"waiting_since,omitempty"`
	// Version grows with every change staff make; a ConversationUpdate
	// names the version it was made from.
	Version int64 `json:"version"`

	FirstMessageAt  time.Time  `json:"first_message_at"`
	LastMessageAt   time.Time  `json:"last_message_at"`
	LastInboundAt   *time.Time `json:"last_inbound_at,omitempty"`
	FirstResponseAt *time.Time `json:"first_response_at,omitempty"`
	ResolvedAt      *time.Time `json:"resolved_at,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// ConversationFilter selects conversations. The list is ordered by Sort:
// newest first by LastMessageAt (the default), or oldest waiting first.
// The fields beyond these are in ConversationQuery (conversation_filter.go).
type ConversationFilter struct {
	Status  []Status
	Channel []Channel
	// AdministrationID keeps conversations routed to one of these
	// administrations; empty means all.
	AdministrationID []string
	ConversationQuery
	// After is an opaque cursor from a previous page; empty for the first.
	After string
	// Limit is the page size; the store caps it at MaxPageSize.
	Limit int
}

// Page sizes for conversation lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// ConversationPage is one page of a conversation list.
type ConversationPage struct {
	Conversations []*Conversation
	// Next is the cursor of the next page, empty on the last page.
	Next string
}

// ConversationUpdate changes the work state of a conversation. Nil fields
// are left as they are. It applies only while the conversation is still
// at Version, so two users acting at once cannot both win.
type ConversationUpdate struct {
	ID      int64
	Version int64

	Status           *Status
	AssigneeID       *int64 // 0 unassigns
	AdministrationID *string
	Tags             *[]string
	RouteQuestion    *string
	RoutedByID       *int64 // 0 clears
	// SetSnooze, when true, sets SnoozedUntil (nil clears it).
	SetSnooze    bool
	SnoozedUntil *time.Time
	// SetResolved, when true, sets ResolvedAt (nil clears it).
	SetResolved bool
	ResolvedAt  *time.Time
}

// ConversationStore reads and writes conversations.
type ConversationStore interface {
	// FindConversations returns one page of conversations matching the
	// filter. An unparseable cursor is EINVALID.
	FindConversations(ctx context.Context, filter ConversationFilter) (ConversationPage, error)
	// FindConversationByID returns the conversation with its contact, or
	// ENOTFOUND.
	FindConversationByID(ctx context.Context, id int64) (*Conversation, error)
	// FindConversationThread returns the conversation with its contact and
	// its messages (as FindMessages) as they were at one moment, so its
	// counts and times agree with the messages listed; ENOTFOUND when there
	// is no such conversation.
	FindConversationThread(ctx context.Context, id int64) (*Conversation, []*Message, error)
	// CountQueues counts the conversations matching the filter in each
	// queue (the filter's own Queue is ignored).
	CountQueues(ctx context.Context, filter ConversationFilter) (WorkQueueCounts, error)
}
