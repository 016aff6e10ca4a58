package inbox

import (
	"context"
	"time"
)

// SLAState is where a conversation's SLA clock stands against its policy.
type SLAState string

// SLA states.
const (
	SLAOK       SLAState = "ok"
	SLAAtRisk   SLAState = "at_risk"
	SLABreached SLAState = "breached"
)

// SLAStatus is the SLA of a conversation as the conversation JSON shows
// it: which policy applies, when the answer is due and how it stands.
type SLAStatus struct {
	Policy string `json:"policy"`
	// StartedAt is when the clock started: the citizen's first message, or
	// in a conversation a citizen reopened after it was resolved, their
	// first message since then (each question gets its own clock).
	StartedAt time.Time `json:"started_at,omitzero"`
	DueAt     time.Time `json:"due_at"`
	// AtRiskAt is when the conversation becomes at risk while unanswered.
	AtRiskAt *time.Time `json:"at_risk_at,omitempty"`
	State    SLAState   `json:"state"`
	// Running is false once the clock stopped (answered or resolved) and
	// while it is paused.
	Running bool `json:"running"`
	// Paused is true while the conversation waits on the citizen; the due
	// time moves later for as long as the wait lasts.
	Paused bool `json:"paused,omitempty"`
}

// StateAt returns the state of a running clock at now from its stored due
// and at-risk times, so a read never shows a stale state; a stopped or
// paused clock keeps the state it was measured in.
func (s *SLAStatus) StateAt(now time.Time) SLAState {
	switch {
	case !s.Running:
		return s.State
	case now.After(s.DueAt):
		return SLABreached
	case s.AtRiskAt != nil && !now.Before(*s.AtRiskAt):
		return SLAAtRisk
	}
	return SLAOK
}

// StatusChange is a conversation entering a status at a time, as the
// status history keeps it.
type StatusChange struct {
	ConversationID int64     `json:"conversation_id"`
	Status         Status    `json:"status"`
	At             time.Time `json:"at"`
}

// ConversationMetrics are the measured clocks of one conversation, kept in
// one row per conversation so reports never scan messages. Durations are
// nil while their clock runs. Wall durations exclude time waiting on the
// citizen (status pending), like business durations.
type ConversationMetrics struct {
	ConversationID   int64
	Channel          Channel
	AccountID        int64
	AdministrationID string
	AssigneeID       int64
	Language         string
	Priority         Priority
	Tags             []string
	Status           Status

	FirstMessageAt time.Time
	// FirstInboundAt is when the citizen first wrote, which places the
	// conversation in the reports; nil while only the city has written,
	// when nobody waits and the reports leave it out.
	FirstInboundAt  *time.Time
	FirstResponseAt *time.Time
	ResolvedAt      *time.Time
	// FirstResolvedAt is the conversation's first resolution at or after
	// FirstInboundAt, which the backlog report counts: reopening and
	// resolving again leave it. Without one in the status history it is
	// ResolvedAt, not before FirstInboundAt; nil when neither is set.
	FirstResolvedAt *time.Time

	FirstResponseWall     *time.Duration
	FirstResponseBusiness *time.Duration
	ResolutionWall        *time.Duration
	ResolutionBusiness    *time.Duration

	// Routed is true once the conversation was with a department;
	// DepartmentWall and DepartmentBusiness are how long in all.
	Routed             bool
	DepartmentWall     time.Duration
	DepartmentBusiness time.Duration

	// Replies counts outbound messages; Reassignments counts changes of
	// assignee from one user to another.
	Replies       int
	Reassignments int
	// FirstResponderID is the user who sent the first reply to the
	// citizen's first question, which the reports credit the conversation
	// to; 0 when no reply has answered it or the first was sent outside
	// inkorg.
	FirstResponderID int64
	// AnswerLink is true when a reply links a page of the answer bank.
	AnswerLink bool

	// SLA is nil when no policy applies. It is the clock of the citizen's
	// current question: a conversation they wrote in again after it was
	// resolved has a new one.
	SLA *SLAStatus
	// FirstQuestionSLA is, once a later question has the clock, the
	// stopped clock of the conversation's first question, which reports
	// count (they place a conversation by its first message); nil before.
	FirstQuestionSLA *SLAStatus
	// SourceUpdatedAt is the conversation's UpdatedAt the metrics were
	// computed from.
	SourceUpdatedAt time.Time
}

// SLAInput is everything the clocks of one conversation are computed from.
type SLAInput struct {
	Conversation *Conversation
	// FirstInboundAt is when the citizen first wrote, which starts the
	// clocks; nil while only the city has written (a post's comment
	// thread, a message sent first from Meta Business Suite), when no
	// clock runs.
	FirstInboundAt *time.Time
	Changes        []StatusChange
	// LaterInbound are the times of the citizen's messages after the
	// conversation was first resolved, oldest first: what reopened it.
	LaterInbound []time.Time
	// Audit holds the conversation's assignment and status changes.
	Audit []*AuditEntry
	// Replies are the texts of outbound messages that went out, oldest
	// first (a reply queued, sending, failed or unknown does not count),
	// and RepliedAt when each was sent, RepliedBy by whom (0 for a reply
	// sent outside inkorg, or queued by no user).
	Replies   []string
	RepliedAt []time.Time
	RepliedBy []int64
	// Inbound are the citizen's messages, oldest first, when they withdrew
	// (unsent or removed) at least one; nil when they withdrew none.
	Inbound []InboundMessage
}

// InboundMessage is when a citizen's message was sent and, if it was
// withdrawn (unsent or removed), when.
type InboundMessage struct {
	SentAt      time.Time
	WithdrawnAt *time.Time
}

// SLANotice is a conversation whose SLA state became worse than what was
// last notified.
type SLANotice struct {
	ConversationID   int64     `json:"conversation_id"`
	AdministrationID string    `json:"administration_id,omitempty"`
	AssigneeID       int64     `json:"assignee_id,omitempty"`
	Policy           string    `json:"policy"`
	State            SLAState  `json:"state"`
	DueAt            time.Time `json:"due_at"`
}

// Backlog is the number of unresolved conversations in one status and
// administration.
type Backlog struct {
	Status           Status
	AdministrationID string
	Count            int
}

// Severity orders SLA states: ok 0, at risk 1, breached 2; none is 0.
func (s SLAState) Severity() int {
	switch s {
	case SLAAtRisk:
		return 1
	case SLABreached:
		return 2
	}
	return 0
}

// SLAStore keeps the status history and per-conversation metrics.
type SLAStore interface {
	// FindStatusChanges returns a conversation's status history, oldest first.
	FindStatusChanges(ctx context.Context, conversationID int64) ([]StatusChange, error)
	// FindSLAInputs returns the inputs of up to limit conversations
	// changed after the position (since, afterID), ordered by UpdatedAt,
	// then ID, but not those whose metrics were saved with their
	// UpdatedAt as SourceUpdatedAt: measured at their latest change, a
	// watcher pass that looks back over what it read before (for changes
	// that committed late) does not measure them again.
	FindSLAInputs(ctx context.Context, since time.Time, afterID int64, limit int) ([]*SLAInput, error)
	// FindSLAInputsByID returns the inputs of the given conversations.
	FindSLAInputsByID(ctx context.Context, ids []int64) ([]*SLAInput, error)
	// FindRoutedIDs returns the ids, after afterID in order, of up to
	// limit conversations with a department (status routed), whose time
	// there grows without any change to them.
	FindRoutedIDs(ctx context.Context, afterID int64, limit int) ([]int64, error)
	// SaveMetrics writes the metrics rows, replacing older ones.
	SaveMetrics(ctx context.Context, ms []*ConversationMetrics) error
	// FindSLATransitions returns the ids of conversations whose running
	// clock has, by now, reached a state worse than last notified.
	FindSLATransitions(ctx context.Context, now time.Time, limit int) ([]int64, error)
	// MarkSLANotified records state as the state last notified for a
	// conversation, if what was notified before is less severe, and
	// reports whether it did: of several watchers one notifies.
	MarkSLANotified(ctx context.Context, conversationID int64, state SLAState) (bool, error)
	// SettleStoppedSLA records as notified, without notifying, the
	// breaches of clocks that stopped before the given time: old news
	// after an upgrade or a long outage.
	SettleStoppedSLA(ctx context.Context, stoppedBefore time.Time) error
	// MetricsWatermark returns the latest SourceUpdatedAt of any metrics
	// row, zero when there is none.
	MetricsWatermark(ctx context.Context) (time.Time, error)
	// FindAnswerLinks returns the URLs of the active answer-bank pages.
	FindAnswerLinks(ctx context.Context) ([]string, error)
	// FindUserIDsByRole returns the ids of the users with one of the roles.
	FindUserIDsByRole(ctx context.Context, roles ...Role) ([]int64, error)
	// FindBacklog counts unresolved conversations (neither resolved nor
	// spam) a citizen has written in, by status and administration.
	FindBacklog(ctx context.Context) ([]Backlog, error)
	// OldestUnanswered returns the time of the oldest citizen message, in
	// an unresolved conversation, that no reply that went out has
	// followed; zero when there is none.
	OldestUnanswered(ctx context.Context) (time.Time, error)
}
