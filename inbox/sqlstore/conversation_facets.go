package sqlstore

import (
	"encoding/json"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// waitingSinceSQL computes a conversation's waiting time from its
// messages: the oldest inbound message that no outbound message at or
// after it answers. Computed rather than kept up, it comes out the same in
// whatever order the events arrive.
const waitingSinceSQL = `(SELECT MIN(i.sent_at) FROM messages i
	WHERE i.conversation_id = conversations.id AND i.direction = 'inbound'
	AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.conversation_id = i.conversation_id
		AND o.direction = 'outbound' AND o.sent_at >= i.sent_at))`

// copyTriageFacets copies what lists filter on from the triage in row to
// its conversation, when it is the triage of the conversation's latest
// triaged message.
func copyTriageFacets(tx *gorm.DB, row *triageRow, t *inbox.Triage) error {
	f, err := facetsOf(row, t)
	if err != nil {
		return err
	}
	return tx.Model(&conversationRow{}).
		Where("id = ? AND NOT EXISTS (SELECT 1 FROM message_triage t WHERE t.conversation_id = ? AND t.message_id > ?)",
			row.ConversationID, row.ConversationID, row.MessageID).
		Updates(f).Error
}

// facetsOf is what lists filter on from a triage, by conversation column.
func facetsOf(row *triageRow, t *inbox.Triage) (map[string]any, error) {
	tags := t.Tags
	if tags == nil {
		tags = []string{}
	}
	rawTags, err := json.Marshal(tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"triage_language":    row.Language,
		"triage_priority":    row.Priority,
		"triage_needs_human": row.NeedsHuman,
		"triage_sensitive":   len(t.Sensitive) > 0,
		"triage_tags":        string(rawTags),
	}, nil
}
