package sqlstore

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// echoStates are the states of a reply whose echo may arrive: the call was
// made (sending), its outcome was unclear (needs_check), or it was answered
// but the answer is not recorded yet (sending too).
var echoStates = []string{string(inbox.OutboundSending), string(inbox.OutboundNeedsCheck)}

// echoClockSkew is how much earlier than the reply's queueing, by inkorg's
// clock, the platform may date its echo.
const echoClockSkew = 10 * time.Second

// matchOwnSend recognises the platform's echo of a reply inkorg sent (see
// findOwnSend). The reply's message takes the echo's id and the action is
// recorded as sent, so the reply never shows twice and is never resent. It
// reports false when e is not such an echo.
func (s *Store) matchOwnSend(tx *gorm.DB, e *inbox.Event, convID int64, now dbTime) (inbox.Applied, bool, error) {
	if e.Direction != inbox.DirectionOutbound {
		return inbox.Applied{}, false, nil
	}
	a, err := findOwnSend(tx, e, convID)
	if err != nil || a == nil {
		return inbox.Applied{}, false, err
	}
	var m messageRow
	if err := tx.Where("id = ?", *a.MessageID).Take(&m).Error; err != nil {
		return inbox.Applied{}, false, err
	}
	if m.ExternalID != e.MessageExternalID {
		if err := publishMessage(tx, s, &m, e.MessageExternalID, toDBTime(e.OccurredAt), now); err != nil {
			return inbox.Applied{}, false, err
		}
	}
	if a.State != string(inbox.OutboundSent) {
		err := tx.Model(&outboundRow{}).Where("id = ?", a.ID).Updates(map[string]any{
			"state": string(inbox.OutboundSent), "platform_id": e.MessageExternalID,
			"sent_at": toDBTime(e.OccurredAt), "failure": "", "next_attempt_at": nil, "updated_at": now,
		}).Error
		if err != nil {
			return inbox.Applied{}, false, err
		}
	}
	return inbox.Applied{ConversationID: m.ConversationID, MessageID: m.ID}, true, nil
}

// findOwnSend returns the reply e echoes, nil when it echoes none: the
// reply with the idempotency key Messenger echoes as metadata; or else,
// for a comment, the reply in flight under the same comment with the same
// text; or else, for a private message, the reply the platform gave e's id
// when it was sent, the reply in flight in the same thread with the same
// text, or a private reply to a comment in flight to the echo's recipient
// (see inFlightPrivateReply).
func findOwnSend(tx *gorm.DB, e *inbox.Event, convID int64) (*outboundRow, error) {
	if strings.HasPrefix(e.Metadata, "inkorg-") {
		return firstOutbound(replies(tx, e).Where("idempotency_key = ?", e.Metadata))
	}
	if e.Channel.Public() {
		return firstOutbound(inFlightReply(tx, e, convID).
			Where("target_external_id IN ?", []string{e.ParentExternalID, e.ThreadKey}))
	}
	if a, err := sentReply(tx, e); err != nil || a != nil {
		return a, err
	}
	if a, err := firstOutbound(inFlightReply(tx, e, convID)); err != nil || a != nil {
		return a, err
	}
	return inFlightPrivateReply(tx, e)
}

// inFlightReply selects the replies in flight in conversation convID with
// e's text. The echo of a reply comes after the reply was queued: an
// earlier message with the same text (a standard answer sent before, read
// again by the reconciliation poll) is not its send, and taking it for one
// would show a reply never sent as sent.
func inFlightReply(tx *gorm.DB, e *inbox.Event, convID int64) *gorm.DB {
	return replies(tx, e).Where("conversation_id = ? AND state IN ? AND text = ? AND created_at <= ?",
		convID, echoStates, e.Text, toDBTime(e.OccurredAt.Add(echoClockSkew)))
}

// replies selects the replies of e's platform that have a message.
func replies(tx *gorm.DB, e *inbox.Event) *gorm.DB {
	return tx.Where("platform = ? AND kind IN ? AND message_id IS NOT NULL", string(e.Platform), replyKinds)
}

// firstOutbound returns the first action q selects, nil when none.
func firstOutbound(q *gorm.DB) (*outboundRow, error) {
	var rows []outboundRow
	if err := q.Order("id").Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// replyKinds are the outbound kinds that post a message.
var replyKinds = []string{string(inbox.OutboundPublicReply), string(inbox.OutboundPrivateReply),
	string(inbox.OutboundDirectMessage)}
