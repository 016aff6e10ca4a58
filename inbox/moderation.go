package inbox

import (
	"context"
	"time"
)

// ModerationCategory is why a public comment may have to go: the city's
// rules for its channels and the Swedish BBS law (lagen om elektroniska
// anslagstavlor), which obliges the page owner to remove clearly illegal
// content.
type ModerationCategory string

// Moderation categories.
const (
	ModerationThreat       ModerationCategory = "threat"        // olaga hot
	ModerationHate         ModerationCategory = "hate"          // hets mot folkgrupp, hatretorik
	ModerationPersonalData ModerationCategory = "personal_data" // others' or own personal data in public
	ModerationSpam         ModerationCategory = "spam"
	ModerationAdvertising  ModerationCategory = "advertising"
	ModerationHarassment   ModerationCategory = "harassment" // off-topic personal attacks, insults
	ModerationOther        ModerationCategory = "other"
)

// Valid reports whether c is a known category.
func (c ModerationCategory) Valid() bool {
	switch c {
	case ModerationThreat, ModerationHate, ModerationPersonalData, ModerationSpam,
		ModerationAdvertising, ModerationHarassment, ModerationOther:
		return true
	}
	return false
}

// ModerationState is where a flagged comment is in the queue.
type ModerationState string

// Moderation states. Open comments wait for a decision; the others record
// the latest one.
const (
	ModerationOpen    ModerationState = "open"
	ModerationHidden  ModerationState = "hidden"
	ModerationKept    ModerationState = "kept" // reviewed: may stay, or restored
	ModerationDeleted ModerationState = "deleted"
)

// ModerationDecision is what staff decide about a comment.
type ModerationDecision string

// Moderation decisions: hide, delete or restore a comment on the
// platform, or keep it as it is.
const (
	DecisionHide    ModerationDecision = "hide"
	DecisionDelete  ModerationDecision = "delete"
	DecisionRestore ModerationDecision = "restore"
	DecisionKeep    ModerationDecision = "keep"
)

// ModerationFlag is a public comment in the moderation queue.
type ModerationFlag struct {
	MessageID        int64                `json:"message_id"`
	ConversationID   int64                `json:"conversation_id"`
	AdministrationID string               `json:"administration_id,omitempty"`
	Categories       []ModerationCategory `json:"categories"`
	// Rules names the detection rules that flagged the comment.
	Rules     []string        `json:"rules"`
	State     ModerationState `json:"state"`
	FlaggedAt time.Time       `json:"flagged_at"`
	DecidedBy int64           `json:"decided_by,omitempty"`
	DecidedAt *time.Time      `json:"decided_at,omitempty"`
	// Message is the comment, as agents see it.
	Message *Message `json:"message,omitempty"`
}

// ModerationEntry records one moderation decision: who did what to which
// comment, in which category, why and when.
type ModerationEntry struct {
	ID             int64              `json:"id"`
	MessageID      int64              `json:"message_id"`
	ConversationID int64              `json:"conversation_id"`
	Decision       ModerationDecision `json:"decision"`
	Category       ModerationCategory `json:"category"`
	Reason         string             `json:"reason"`
	ActorID        int64              `json:"actor_id"`
	CreatedAt      time.Time          `json:"created_at"`
}

// ModerationFilter selects flagged comments.
type ModerationFilter struct {
	// State keeps comments in this state; empty means open.
	State ModerationState
	// AdministrationID keeps comments of conversations routed to one of
	// these; empty means all.
	AdministrationID []string
	// AfterMessageID pages on from a previous page's last message id.
	AfterMessageID int64
	Limit          int
}

// ModerationReportRow counts the moderation decisions of one period
// (a day or a month, by its first day) by decision and category.
type ModerationReportRow struct {
	Period   string             `json:"period"`
	Decision ModerationDecision `json:"decision"`
	Category ModerationCategory `json:"category"`
	Count    int                `json:"count"`
}

// ModerationStore keeps the moderation queue and the moderation record.
type ModerationStore interface {
	// FlagComment puts a comment in the queue, or adds categories and
	// rules to its flag; it reports whether the flag is new.
	FlagComment(ctx context.Context, f *ModerationFlag) (bool, error)
	// FindModerationQueue returns flagged comments with their messages,
	// oldest flag first.
	FindModerationQueue(ctx context.Context, f ModerationFilter) ([]*ModerationFlag, error)
	// RecordModeration stores a decision and sets the comment's flag to
	// state (making one when the comment was not flagged), in one
	// transaction. It sets e.ID and e.CreatedAt.
	RecordModeration(ctx context.Context, e *ModerationEntry, state ModerationState) error
	// FindModerationEntries returns the decisions of [from, to), oldest
	// first.
	FindModerationEntries(ctx context.Context, from, to time.Time) ([]*ModerationEntry, error)
}
