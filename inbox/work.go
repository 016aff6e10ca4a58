package inbox

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// NoteKind says what an internal note is.
type NoteKind string

// Note kinds.
const (
	// NoteComment is a note staff write for each other.
	NoteComment NoteKind = "note"
	// NoteQuestion is the question asked when routing to an administration.
	NoteQuestion NoteKind = "question"
	// NoteAnswer is the department's internal answer back.
	NoteAnswer NoteKind = "answer"
	// NoteReturn is the department's reason for returning a conversation.
	NoteReturn NoteKind = "return"
)

// Note is an internal note on a conversation. Citizens never see notes.
type Note struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversation_id"`
	AuthorID       int64     `json:"author_id"`
	Kind           NoteKind  `json:"kind"`
	Text           string    `json:"text"`
	Mentions       []Mention `json:"mentions,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

// Mention is a user named with @ in a note.
type Mention struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// Work is one staff action as the store records it, in one transaction:
// the change to the conversation, the note it adds, and its audit entry.
type Work struct {
	// Update is nil when the action leaves the conversation as it is.
	Update *ConversationUpdate
	// Note is nil when the action adds none; the store sets its ID and
	// CreatedAt.
	Note *Note
	// Audit is required; the store sets its ID and CreatedAt.
	Audit *AuditEntry
}

// WorkStore records what staff do to conversations.
type WorkStore interface {
	// SaveWork applies w in one transaction. An update whose Version is no
	// longer the conversation's is ECONFLICT and changes nothing; an
	// unknown conversation is ENOTFOUND.
	SaveWork(ctx context.Context, w *Work) error
	// FindNotes returns the notes of a conversation, oldest first.
	FindNotes(ctx context.Context, conversationID int64) ([]*Note, error)
	// FindUserByID returns the user, or ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
}

// HeldError says that another user holds (has claimed) a conversation. It
// is the cause of an ECONFLICT *Error, so the HTTP layer can say who.
type HeldError struct {
	UserID int64  `json:"id"`
	Name   string `json:"name"`
}

// Error implements the error interface.
func (e *HeldError) Error() string {
	return fmt.Sprintf("conversation held by user %d", e.UserID)
}

// heldBy returns the ECONFLICT error telling that holder has the
// conversation.
func heldBy(holder *User) error {
	return WrapError(ECONFLICT, &HeldError{UserID: holder.ID, Name: holder.Name},
		"%s is working on this conversation; take it over explicitly to act on it.", holder.Name)
}

// HolderOf returns who holds the conversation when err says another user
// does, or nil.
func HolderOf(err error) *HeldError {
	var h *HeldError
	if errors.As(err, &h) {
		return h
	}
	return nil
}

// WorkState is the part of a conversation staff actions change, as audit
// entries record it before and after.
type WorkState struct {
	Status           Status     `json:"status"`
	AssigneeID       int64      `json:"assignee_id,omitempty"`
	AdministrationID string     `json:"administration_id,omitempty"`
	Tags             []string   `json:"tags,omitempty"`
	RouteQuestion    string     `json:"route_question,omitempty"`
	RoutedByID       int64      `json:"routed_by_id,omitempty"`
	SnoozedUntil     *time.Time `json:"snoozed_until,omitempty"`
	ResolvedAt       *time.Time `json:"resolved_at,omitempty"`
}

// WorkStateOf returns the work state of c.
func WorkStateOf(c *Conversation) WorkState {
	return WorkState{
		Status:           c.Status,
		AssigneeID:       c.AssigneeID,
		AdministrationID: c.AdministrationID,
		Tags:             append([]string(nil), c.Tags...),
		RouteQuestion:    c.RouteQuestion,
		RoutedByID:       c.RoutedByID,
		SnoozedUntil:     c.SnoozedUntil,
		ResolvedAt:       c.ResolvedAt,
	}
}

// AuditDetail is the detail an action's audit entry holds, as JSON.
type AuditDetail struct {
	Before WorkState `json:"before"`
	After  WorkState `json:"after"`
	// Takeover is true when the actor took the conversation from another
	// user who held it.
	Takeover bool `json:"takeover,omitempty"`
	// NoteKind and Mentions describe the note the action added.
	NoteKind NoteKind `json:"note_kind,omitempty"`
	Mentions []int64  `json:"mentions,omitempty"`
}
