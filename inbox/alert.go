package inbox

import (
	"context"
	"time"
)

// AlertKind says what raised an alert.
type AlertKind string

// Alert kinds.
const (
	// AlertSpike: many more messages on one topic (a triage tag) than
	// usual.
	AlertSpike AlertKind = "spike"
	// AlertDuplicates: a burst of near-identical messages.
	AlertDuplicates AlertKind = "duplicates"
)

// CrisisTagPrefix starts the tag an alert puts on the conversations of its
// messages, so staff can find them and answer them together.
const CrisisTagPrefix = "kris:"

// Alert is a sudden rise in messages on one topic that supervisors must
// see at once. One alert covers a spike while it lasts: later detections
// of the same topic extend it.
type Alert struct {
	ID   int64     `json:"id"`
	Kind AlertKind `json:"kind"`
	// Topic is the triage tag that rose, or the words a burst of
	// near-identical messages shares.
	Topic string `json:"topic"`
	// Tag is the tag put on the conversations of the alert's messages.
	Tag string `json:"tag"`
	// PeriodStart keys the alert: one per topic and period, so instances
	// detecting the same spike raise it once.
	PeriodStart time.Time `json:"period_start"`
	// WindowStart and WindowEnd are the window of the latest detection.
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
	// Count is how many messages on the topic the window held; Baseline
	// how many a window of that length usually holds.
	Count    int     `json:"count"`
	Baseline float64 `json:"baseline"`
	// Conversations is how many conversations the alert tagged.
	Conversations int       `json:"conversations"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// TriagedMessage is an inbound message as spike detection sees it.
type TriagedMessage struct {
	MessageID      int64
	ConversationID int64
	Text           string
	Tags           []string
	TriagedAt      time.Time
}

// ActionAlertTag is the audit action of the system tagging a conversation
// for an alert.
const ActionAlertTag = "alert_tag"

// AlertStore keeps alerts and what detecting them reads.
type AlertStore interface {
	// FindTriagedSince returns the inbound messages triaged at or after
	// since, newest first, at most limit.
	FindTriagedSince(ctx context.Context, since time.Time, limit int) ([]TriagedMessage, error)
	// FirstTriagedAt returns when the first message still stored was
	// triaged: since when there is history to compare with. It is the zero
	// time when nothing has been triaged.
	FirstTriagedAt(ctx context.Context) (time.Time, error)
	// SaveAlert stores a as a new alert unless its topic has one whose
	// window reaches a.WindowStart, or one for the same period; that one
	// is then extended to a's window and count instead. It sets a's ID
	// and times, and reports whether the alert is new.
	SaveAlert(ctx context.Context, a *Alert) (created bool, err error)
	// FindAlerts returns the newest alerts first, at most limit.
	FindAlerts(ctx context.Context, limit int) ([]*Alert, error)
	// FindAlertSharing returns the alert of kind whose window reaches
	// since and that tagged the most of conversationIDs, with how many of
	// them it tagged: the running alert of a burst whose shared words
	// changed as it went on. It returns nil and 0 when no such alert
	// tagged any of them.
	FindAlertSharing(ctx context.Context, kind AlertKind, since time.Time, conversationIDs []int64) (*Alert, int, error)
	// TagConversations adds tag to each of the conversations that lacks
	// it, with an audit entry by the system for each, and adds how many it
	// tagged to alert alertID's Conversations. It returns that number. A
	// conversation the alert tagged once (or found tagged) is never tagged
	// by it again: staff who removed the tag meant it.
	TagConversations(ctx context.Context, alertID int64, tag string, conversationIDs []int64) (int, error)
}

// CanSeeAlerts reports whether u may list alerts: supervisors and admins.
func (u *User) CanSeeAlerts() bool {
	return u != nil && (u.Role == RoleSupervisor || u.Role == RoleAdmin)
}

// Alert list sizes.
const (
	DefaultAlertLimit = 50
	MaxAlertLimit     = 500
)

// ListAlerts returns the newest alerts, at most limit (0: the default),
// to a supervisor or admin.
func ListAlerts(ctx context.Context, store AlertStore, actor *User, limit int) ([]*Alert, error) {
	switch {
	case actor == nil:
		return nil, ruleError(EUNAUTHORIZED, "Logga in för att se larm.", "Sign in to see alerts.")
	case !actor.CanSeeAlerts():
		return nil, ruleError(EFORBIDDEN, "Bara arbetsledare och administratörer kan se larm.", "Only supervisors and admins can see alerts.")
	case limit < 0 || limit > MaxAlertLimit:
		return nil, ruleError(EINVALID, "Gränsen (limit) måste vara mellan 1 och %d.", "The limit must be between 1 and %d.", MaxAlertLimit)
	case limit == 0:
		limit = DefaultAlertLimit
	}
	return store.FindAlerts(ctx, limit)
}
