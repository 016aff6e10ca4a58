package sqlstore

import (
	"gorm.io/gorm"

	"inkorg/inbox"
)

// releaseClaims gives back to their queues the conversations u holds and
// may no longer hold as a change left them (deactivated, or no longer in
// the administration a conversation is routed to), each unassigned with
// its audit entry by actorID, in the change's transaction tx. Resolved and
// spam conversations keep their assignee, who stays the one who did the
// work in the reports. It returns the ids of the conversations released.
func (s *Store) releaseClaims(tx *gorm.DB, actorID int64, u *inbox.User) ([]int64, error) {
	var rows []conversationRow
	q := tx.Where("assignee_id = ? AND status NOT IN ?", u.ID, closedStatuses).Order("id")
	if err := forUpdate(q).Find(&rows).Error; err != nil {
		return nil, err
	}
	var released []int64
	now := s.now()
	for i := range rows {
		c := rows[i].toDomain()
		if u.MayHold(c) {
			continue
		}
		w, err := inbox.ReleaseClaim(actorID, c)
		if err != nil {
			return nil, err
		}
		if err := updateConversation(tx, w.Update, now); err != nil {
			return nil, err
		}
		audit := auditRow{ActorID: nullID(actorID), Action: w.Audit.Action, ConversationID: nullID(c.ID),
			Detail: w.Audit.Detail, CreatedAt: now}
		if err := tx.Create(&audit).Error; err != nil {
			return nil, err
		}
		released = append(released, c.ID)
	}
	return released, nil
}
