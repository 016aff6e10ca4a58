package inbox

import (
	"context"
	"time"
)

// SystemStatusChange is a status change no staff action made, so no
// audit entry explains it: a new conversation starting as new, or the
// citizen writing again, which reopens a resolved conversation or ends a
// wait on them (pending).
type SystemStatusChange struct {
	Status Status `json:"status"`
	// From is the status before the change; "" when the conversation
	// started with it or the history holds nothing before it.
	From Status    `json:"from,omitempty"`
	At   time.Time `json:"at"`
}

// Reopened reports whether the citizen writing again reopened a resolved
// conversation.
func (c SystemStatusChange) Reopened() bool {
	return c.Status == StatusOpen && c.From == StatusResolved
}

// StatusHistoryStore reads the status changes the history of a
// conversation shows besides its audit entries.
type StatusHistoryStore interface {
	// FindSystemStatusChanges returns the status changes of a conversation
	// that no audit entry records, oldest first.
	FindSystemStatusChanges(ctx context.Context, conversationID int64) ([]SystemStatusChange, error)
}
