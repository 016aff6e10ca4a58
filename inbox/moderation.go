package inbox

import (
	"context"
	"strconv"
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
	// OutboundID is the platform action behind the state: the one the
	// latest decision queued, or the hide or delete made outside the
	// queue that settled the flag; 0 when there is none.
	OutboundID int64 `json:"outbound_id,omitempty"`
	// LastError says why the platform did not carry out the latest
	// action on the comment, in Swedish and English. A decision whose
	// action failed for good is open again with it.
	LastError string `json:"last_error,omitempty"`
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

// Audit actions of the moderation queue following the platform.
const (
	// ActionModerationSettled: a hide or delete made outside a decision
	// (POST /messages/{id}/hide, the automatic hide) moved the comment's
	// flag once the platform had done it.
	ActionModerationSettled = "moderation_settled"
	// ActionModerationReopened: the platform did not carry out a
	// decision, so the comment is in the open queue again.
	ActionModerationReopened = "moderation_reopened"
)

// ModerationFlagChange is the audit detail of a flag moved by the
// platform's outcome.
type ModerationFlagChange struct {
	MessageID  int64           `json:"message_id"`
	OutboundID int64           `json:"outbound_id"`
	Kind       OutboundKind    `json:"kind"`
	From       ModerationState `json:"from"`
	To         ModerationState `json:"to"`
	Error      string          `json:"error,omitempty"`
}

// FlagSettles returns the state a comment's flag takes once the platform
// has done a moderation action of kind k, and the states it takes it
// from. A decision sets its state when it is queued, so this only moves
// flags that actions outside a decision leave behind: a hide settles an
// open flag, a delete any flag, an unhide a hidden one (staff showed the
// comment again: kept).
func FlagSettles(k OutboundKind) (to ModerationState, from []ModerationState) {
	switch k {
	case OutboundHideComment:
		return ModerationHidden, []ModerationState{ModerationOpen}
	case OutboundDeleteComment:
		return ModerationDeleted, []ModerationState{ModerationOpen, ModerationHidden, ModerationKept}
	case OutboundUnhideComment:
		return ModerationKept, []ModerationState{ModerationHidden}
	}
	return "", nil
}

// ModerationFailure is the LastError of a comment whose moderation action
// a failed for good.
func ModerationFailure(a *OutboundAction) string {
	sv, en := "okänt fel", "unknown error"
	if a.Failure != nil {
		sv, en = a.Failure.SV, a.Failure.EN
	}
	return "Meta genomförde inte " + string(a.Kind) + " (åtgärd " + strconv.FormatInt(a.ID, 10) + "): " + sv +
		" / Meta did not carry out " + string(a.Kind) + " (action " + strconv.FormatInt(a.ID, 10) + "): " + en
}

// ModerationStore keeps the moderation queue and the moderation record.
type ModerationStore interface {
	// FlagComment puts a comment in the queue, or adds categories and
	// rules to its flag; it reports whether the flag is new.
	FlagComment(ctx context.Context, f *ModerationFlag) (bool, error)
	// FindModerationQueue returns flagged comments with their messages,
	// oldest flag first.
	FindModerationQueue(ctx context.Context, f ModerationFilter) ([]*ModerationFlag, error)
	// RecordModeration stores a decision, sets the comment's flag to
	// state (making one when the comment was not flagged) and, when q is
	// not nil, queues the decision's platform action, all in one
	// transaction. The flag names q's action and loses its LastError. It
	// sets e.ID, e.CreatedAt and q's ids.
	RecordModeration(ctx context.Context, e *ModerationEntry, state ModerationState, q *QueuedOutbound) error
	// FindModerationEntries returns the decisions of [from, to), oldest
	// first.
	FindModerationEntries(ctx context.Context, from, to time.Time) ([]*ModerationEntry, error)
	ModerationOutcomeStore
}

// ModerationOutcomeStore keeps the moderation queue in step with what the
// platform did to a comment; the sender calls it.
type ModerationOutcomeStore interface {
	// SettleModeration moves the flag of the comment a sent moderation
	// action targeted as FlagSettles says, decided by a's actor (none for
	// the system), naming a, with an ActionModerationSettled audit entry.
	// A comment without a flag, or whose flag is elsewhere, is left alone.
	SettleModeration(ctx context.Context, a *OutboundAction) error
	// ReopenModeration records that moderation action a failed for good:
	// a flag that a's decision set is open again, with
	// ModerationFailure(a) as LastError and an ActionModerationReopened
	// audit entry; an open flag gets the LastError only.
	ReopenModeration(ctx context.Context, a *OutboundAction) error
}
