package sqlstore

import (
	"context"

	"inkorg/inbox"
)

var _ inbox.StatusHistoryStore = (*Store)(nil)

// statusHistoryRow is a status change and whether an audit entry of the
// conversation was written with it: a staff action records its status
// change and its audit entry at the same time in one transaction (see
// SaveWork); ingest records status changes at the message's time and no
// audit entry.
type statusHistoryRow struct {
	Status  string `gorm:"column:status"`
	At      dbTime `gorm:"column:at"`
	Audited int    `gorm:"column:audited"`
}

// statusHistorySQL reads a conversation's status history with the audit
// flag, through the (conversation_id, at, id) and (conversation_id,
// created_at, id) indexes.
const statusHistorySQL = `SELECT sc.status, sc.at,
	CASE WHEN EXISTS (SELECT 1 FROM audit_entries a WHERE a.conversation_id = sc.conversation_id AND a.created_at = sc.at)
	THEN 1 ELSE 0 END AS audited
FROM conversation_status_changes sc WHERE sc.conversation_id = ? ORDER BY sc.at, sc.id`

// FindSystemStatusChanges returns the status changes of a conversation
// that no audit entry records, oldest first, each with the status before
// it.
func (s *Store) FindSystemStatusChanges(ctx context.Context, conversationID int64) ([]inbox.SystemStatusChange, error) {
	var rows []statusHistoryRow
	if err := s.conn(ctx).Raw(statusHistorySQL, conversationID).Scan(&rows).Error; err != nil {
		return nil, translate(err, "Status change")
	}
	var out []inbox.SystemStatusChange
	var before inbox.Status
	for _, r := range rows {
		if r.Audited == 0 {
			out = append(out, inbox.SystemStatusChange{Status: inbox.Status(r.Status), From: before, At: r.At.Time()})
		}
		before = inbox.Status(r.Status)
	}
	return out, nil
}
