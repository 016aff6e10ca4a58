package inbox

import (
	"context"
	"time"
)

// AuditEntry records who did what to which conversation, and when.
type AuditEntry struct {
	ID             int64     `json:"id"`
	ActorID        int64     `json:"actor_id,omitempty"` // 0 for the system
	Action         string    `json:"action"`
	ConversationID int64     `json:"conversation_id,omitempty"`
	Detail         string    `json:"detail,omitempty"` // JSON
	CreatedAt      time.Time `json:"created_at"`
}

// AuditStore appends to and reads the audit trail.
type AuditStore interface {
	// AddAudit appends e and sets its ID and CreatedAt.
	AddAudit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns the entries of a conversation, oldest first.
	FindAudit(ctx context.Context, conversationID int64) ([]*AuditEntry, error)
}
