package sqlstore

import (
	"gorm.io/gorm"

	"inkorg/inbox"
)

// sentReply returns the reply the platform gave e's id when it was sent
// (the Send API's answer, stored with the action and as its message's
// id), nil when there is none.
func sentReply(tx *gorm.DB, e *inbox.Event) (*outboundRow, error) {
	var msgs []messageRow
	err := tx.Select("id", "conversation_id").
		Where("platform = ? AND external_id = ? AND direction = ?", string(e.Platform), e.MessageExternalID,
			string(inbox.DirectionOutbound)).
		Limit(1).Find(&msgs).Error
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	return firstOutbound(replies(tx, e).Where("conversation_id = ? AND message_id = ? AND platform_id = ?",
		msgs[0].ConversationID, msgs[0].ID, e.MessageExternalID))
}

// inFlightPrivateReply returns the private reply to a comment that e, an
// echo in a private thread without inkorg's key, is the send of, nil when
// there is none. A private reply goes to the commenter's private thread
// while inkorg keeps it with the comment, and Instagram may echo it
// without its metadata. It is taken only while its send is in flight with
// no id from the platform yet (an id, when there is one, names the send;
// see sentReply), from the same account, to the author of its comment, the
// echo's recipient, with the same text, queued before the echo was sent
// and within the private-reply window of its comment, so a message written
// in Meta Business Suite is not taken for it otherwise.
func inFlightPrivateReply(tx *gorm.DB, e *inbox.Event) (*outboundRow, error) {
	if e.ThreadKey == "" || e.AccountExternalID == "" {
		return nil, nil
	}
	commentSince := toDBTime(e.OccurredAt.Add(-inbox.PrivateReplyWindow - echoClockSkew))
	return firstOutbound(tx.Where("platform = ? AND kind = ? AND account_external_id = ? AND message_id IS NOT NULL",
		string(e.Platform), string(inbox.OutboundPrivateReply), e.AccountExternalID).
		Where("state IN ? AND platform_id = '' AND text = ? AND created_at <= ?",
			echoStates, e.Text, toDBTime(e.OccurredAt.Add(echoClockSkew))).
		Where(`EXISTS (SELECT 1 FROM messages t WHERE t.id = outbound_actions.target_message_id
			AND t.author_external_id = ? AND t.sent_at >= ?)`, e.ThreadKey, commentSince))
}
