package sqlstore

import (
	"context"

	"inkorg/inbox"
)

type auditRow struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	ActorID        *int64 `gorm:"column:actor_id"`
	Action         string `gorm:"column:action"`
	ConversationID *int64 `gorm:"column:conversation_id"`
	Detail         string `gorm:"column:detail"`
	CreatedAt      dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (auditRow) TableName() string { return "audit_entries" }

func (r *auditRow) toDomain() *inbox.AuditEntry {
	return &inbox.AuditEntry{
		ID:             r.ID,
		ActorID:        idOf(r.ActorID),
		Action:         r.Action,
		ConversationID: idOf(r.ConversationID),
		Detail:         r.Detail,
		CreatedAt:      r.CreatedAt.Time(),
	}
}

// AddAudit appends e and sets its ID and CreatedAt. An actor or
// conversation that does not exist is EINVALID.
func (s *Store) AddAudit(ctx context.Context, e *inbox.AuditEntry) error {
	if e.Action == "" {
		return inbox.Errorf(inbox.EINVALID, "Audit entry has no action.")
	}
	row := auditRow{
		ActorID:        nullID(e.ActorID),
		Action:         e.Action,
		ConversationID: nullID(e.ConversationID),
		Detail:         e.Detail,
		CreatedAt:      s.now(),
	}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return translate(err, "Audit entry")
	}
	e.ID, e.CreatedAt = row.ID, row.CreatedAt.Time()
	return nil
}

// FindAudit returns the entries of a conversation, oldest first.
func (s *Store) FindAudit(ctx context.Context, conversationID int64) ([]*inbox.AuditEntry, error) {
	var rows []auditRow
	err := s.conn(ctx).Where("conversation_id = ?", conversationID).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Audit entry")
	}
	entries := make([]*inbox.AuditEntry, len(rows))
	for i := range rows {
		entries[i] = rows[i].toDomain()
	}
	return entries, nil
}
