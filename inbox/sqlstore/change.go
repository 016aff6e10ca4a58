package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

// changeRow is one change to a message, recorded once whether or not the
// message is stored yet. The message's edits, deletion, hiding, reactions
// and receipts are computed from its changes (see refreshMessage), so they
// come out the same whatever order the events arrive in.
type changeRow struct {
	ID                int64  `gorm:"column:id;primaryKey"`
	Platform          string `gorm:"column:platform"`
	MessageExternalID string `gorm:"column:message_external_id"`
	Kind              string `gorm:"column:kind"`
	ActorExternalID   string `gorm:"column:actor_external_id"`
	Value             string `gorm:"column:value"`
	OccurredAt        dbTime `gorm:"column:occurred_at"`
	DedupeKey         string `gorm:"column:dedupe_key"`
	CreatedAt         dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (changeRow) TableName() string { return "message_changes" }

// newChangeRow is the change e makes to the message with id mid. The
// dedupe key covers everything the change says, so a redelivered event
// makes no second row while two different changes at the same time do.
func newChangeRow(e *inbox.Event, mid string, now dbTime) changeRow {
	r := changeRow{
		Platform:          string(e.Platform),
		MessageExternalID: mid,
		Kind:              string(e.Kind),
		ActorExternalID:   e.Author.ExternalID,
		Value:             changeValue(e),
		OccurredAt:        toDBTime(e.OccurredAt),
		CreatedAt:         now,
	}
	h := sha256.New()
	for _, part := range []string{r.ActorExternalID, r.Value, strconv.FormatInt(e.OccurredAt.UnixMicro(), 10)} {
		h.Write([]byte(strconv.Itoa(len(part))))
		h.Write([]byte{':'})
		h.Write([]byte(part))
	}
	r.DedupeKey = hex.EncodeToString(h.Sum(nil))
	return r
}

// changeValue is what a change records besides its kind and actor.
func changeValue(e *inbox.Event) string {
	switch e.Kind {
	case inbox.EventMessageEdited:
		return e.Text
	case inbox.EventReactionAdded:
		return e.Reaction
	}
	return ""
}

// applyChange records a change to one message and, when the message is
// stored, applies it.
func (s *Store) applyChange(ctx context.Context, e *inbox.Event) (inbox.Applied, error) {
	var a inbox.Applied
	err := s.inTxRetry(ctx, func(tx *gorm.DB) error {
		created, err := insertLockedChange(tx, newChangeRow(e, e.MessageExternalID, s.now()))
		if err != nil {
			return err
		}
		ref, err := refreshMessage(tx, e.Platform, e.MessageExternalID)
		a = inbox.Applied{ConversationID: ref.ConversationID, MessageID: ref.ID, Created: created}
		if err != nil || !created || ref.ConversationID == 0 {
			return err
		}
		if ref.Withdrawn {
			// The SLA watcher measures the conversation again.
			if err := tx.Model(&conversationRow{}).Where("id = ?", ref.ConversationID).Update("updated_at", s.now()).Error; err != nil {
				return err
			}
		}
		return markChangePersonal(tx, e, ref.ConversationID)
	})
	if err != nil {
		return inbox.Applied{}, translate(err, "Event")
	}
	return a, nil
}

// markChangePersonal marks conversation id as holding personal data
// again when e, a new change to one of its messages, brings some: an
// edit's text, or a citizen's platform id (a reaction, a deletion by its
// author). Retention rewrites both, so an edit arriving after it would
// otherwise be kept for good. The conversation's own account is not
// personal data.
func markChangePersonal(tx *gorm.DB, e *inbox.Event, id int64) error {
	if e.Kind != inbox.EventMessageEdited || e.Text == "" {
		actor := e.Author.ExternalID
		if actor == "" || strings.HasPrefix(actor, pseudonymPrefix) {
			return nil
		}
		var accounts []string
		if err := tx.Model(&conversationRow{}).Where("id = ?", id).Pluck("account_external_id", &accounts).Error; err != nil {
			return err
		}
		if len(accounts) == 1 && accounts[0] == actor {
			return nil
		}
	}
	return holdsPersonalDataAgain(tx, id)
}

// insertChange stores r and reports whether it was new.
func insertChange(tx *gorm.DB, r changeRow) (bool, error) {
	res := tx.Clauses(clause.OnConflict{
		Columns: []clause.Column{
			{Name: "platform"}, {Name: "message_external_id"}, {Name: "kind"}, {Name: "dedupe_key"},
		},
		DoNothing: true,
	}).Create(&r)
	return res.RowsAffected == 1, res.Error
}

// insertLockedChangeSQL is insertChange on PostgreSQL after lockMessage,
// in one round trip: the insert's row comes from the lock, so the lock is
// held before the insert writes, and the statements after it see every
// change committed before the lock was granted.
const insertLockedChangeSQL = `WITH locked AS (SELECT pg_advisory_xact_lock(hashtextextended(?, 0)))
INSERT INTO message_changes (platform, message_external_id, kind, actor_external_id, value, occurred_at, dedupe_key, created_at)
SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM locked
ON CONFLICT (platform, message_external_id, kind, dedupe_key) DO NOTHING`

// insertLockedChange takes the lock of r's message (see lockMessage),
// then stores r and reports whether it was new.
func insertLockedChange(tx *gorm.DB, r changeRow) (bool, error) {
	if tx.Dialector.Name() != DialectPostgres {
		return insertChange(tx, r)
	}
	res := tx.Exec(insertLockedChangeSQL, messageLockKey(inbox.Platform(r.Platform), r.MessageExternalID),
		r.Platform, r.MessageExternalID, r.Kind, r.ActorExternalID, r.Value, r.OccurredAt, r.DedupeKey, r.CreatedAt)
	return res.RowsAffected == 1, res.Error
}

// lockMessage serialises, on PostgreSQL, the transactions that create or
// change one message, so that a change committed while the message is
// being created is never missed by either. SQLite runs one writing
// transaction at a time anyway.
func lockMessage(tx *gorm.DB, platform inbox.Platform, mid string) error {
	if tx.Dialector.Name() != DialectPostgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", messageLockKey(platform, mid)).Error
}

// messageLockKey names the advisory lock of one message.
func messageLockKey(platform inbox.Platform, mid string) string { return string(platform) + ":" + mid }

// applyEarlyChanges applies to a message just stored the changes that
// arrived before it (early: its insert found some) and, for an outbound
// message, the receipts of its thread. Most messages have neither.
func applyEarlyChanges(tx *gorm.DB, e *inbox.Event, early bool) error {
	if !early && e.Direction != inbox.DirectionOutbound {
		return nil
	}
	_, err := refreshMessage(tx, e.Platform, e.MessageExternalID)
	return err
}

// msgRef is the part of a message refreshMessage reports.
type msgRef struct {
	ID             int64
	ConversationID int64
	// Withdrawn is true when the refresh found a citizen's message newly
	// withdrawn (unsent or removed).
	Withdrawn bool
}

// refreshMessage recomputes the state of a stored message from its
// changes. A message not stored yet is left to its creation.
func refreshMessage(tx *gorm.DB, platform inbox.Platform, mid string) (msgRef, error) {
	var rows []messageRow
	err := tx.Where("platform = ? AND external_id = ?", string(platform), mid).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return msgRef{}, err
	}
	m := &rows[0]
	var changes []changeRow
	err = tx.Where("platform = ? AND message_external_id = ?", string(platform), mid).
		Order("occurred_at, id").Find(&changes).Error
	if err != nil {
		return msgRef{}, err
	}
	var marks watermarks
	if m.Direction == string(inbox.DirectionOutbound) {
		if marks, err = findWatermarks(tx, m.ConversationID); err != nil {
			return msgRef{}, err
		}
	}
	set := messageState(m, changes, marks)
	if err := tx.Model(&messageRow{}).Where("id = ?", m.ID).Updates(set).Error; err != nil {
		return msgRef{}, err
	}
	if textChanged(m, set) && m.Direction == string(inbox.DirectionInbound) {
		// The question may be learnt search text of an article.
		if err := bumpAnswerVersionIfLearnt(tx, []int64{m.ConversationID}); err != nil {
			return msgRef{}, err
		}
	}
	ref := msgRef{ID: m.ID, ConversationID: m.ConversationID, Withdrawn: newlyWithdrawn(m, set)}
	if ref.Withdrawn {
		// A withdrawn message waits for no answer.
		if err := tx.Model(&conversationRow{}).Where("id = ?", m.ConversationID).
			Update("waiting_since", gorm.Expr(waitingSinceSQL)).Error; err != nil {
			return msgRef{}, err
		}
	}
	return ref, refreshPreview(tx, m, set)
}

// newlyWithdrawn reports whether set, the state of m its changes give,
// withdraws m, a citizen's message not withdrawn before.
func newlyWithdrawn(m *messageRow, set map[string]any) bool {
	_, deleted := set["deleted_at"]
	return deleted && m.DeletedAt.Time().IsZero() && m.Direction == string(inbox.DirectionInbound)
}

// textChanged reports whether set, the state of m its changes give,
// changes the text agents see: an edit, or a deletion.
func textChanged(m *messageRow, set map[string]any) bool {
	if text, ok := set["text"].(string); ok && text != m.Text {
		return true
	}
	_, deleted := set["deleted_at"]
	return deleted && m.DeletedAt.Time().IsZero()
}

// deletedPreview stands in a conversation list for a deleted message,
// whose text agents do not see by default.
const deletedPreview = "[Borttaget meddelande]"

// refreshPreview keeps the conversation's preview in step when its latest
// message was edited or deleted. The latest is the one stored last of
// those sent at the conversation's last time, as the preview took it: a
// comment edited or removed in the same second as the city's answer to it
// (Facebook gives whole seconds) leaves the answer's preview alone.
func refreshPreview(tx *gorm.DB, m *messageRow, set map[string]any) error {
	text, edited := set["text"].(string)
	_, deleted := set["deleted_at"]
	switch {
	case deleted:
		text = deletedPreview
	case !edited:
		return nil
	}
	return tx.Model(&conversationRow{}).
		Where("id = ? AND last_message_at = ?", m.ConversationID, m.SentAt).
		Where("NOT EXISTS (SELECT 1 FROM messages later WHERE later.conversation_id = ? AND later.sent_at = ? AND later.id > ?)",
			m.ConversationID, m.SentAt, m.ID).
		Update("preview", preview(text)).Error
}

// messageState returns the columns of m that its changes (in time order)
// and its thread's receipt watermarks set.
func messageState(m *messageRow, changes []changeRow, marks watermarks) map[string]any {
	set := map[string]any{}
	var edited, deleted *changeRow
	hidden := false
	reactions := map[string]string{}
	delivery := inbox.DeliveryState(m.Delivery)
	for i := range changes {
		c := &changes[i]
		switch inbox.EventKind(c.Kind) {
		case inbox.EventMessageEdited:
			edited = c
		case inbox.EventMessageDeleted:
			if deleted == nil {
				deleted = c
			}
		case inbox.EventMessageHidden:
			hidden = true
		case inbox.EventMessageUnhidden:
			hidden = false
		case inbox.EventReactionAdded:
			reactions[c.ActorExternalID] = c.Value
		case inbox.EventReactionRemoved:
			delete(reactions, c.ActorExternalID)
		case inbox.EventMessagesDelivered:
			delivery = laterDelivery(delivery, inbox.DeliveryDelivered)
		case inbox.EventMessagesRead:
			delivery = laterDelivery(delivery, inbox.DeliveryRead)
		}
	}
	if edited != nil {
		original := m.Text
		if m.OriginalText != nil {
			original = *m.OriginalText
		}
		set["original_text"], set["text"], set["edited_at"] = original, edited.Value, edited.OccurredAt
	}
	if deleted != nil {
		set["deleted_at"] = deleted.OccurredAt
	}
	set["hidden"] = hidden
	set["reactions"] = encodeReactions(countReactions(reactions))
	if m.Direction == string(inbox.DirectionOutbound) {
		set["delivery"] = laterDeliverySQL(m.Delivery, marks.apply(delivery, m.SentAt))
	}
	return set
}

// deliveryRankSQL is deliveryRank of the delivery column; states that are
// not receipts' (queued, sending, failed …) rank 0.
const deliveryRankSQL = "CASE delivery WHEN 'read' THEN 3 WHEN 'delivered' THEN 2 WHEN 'sent' THEN 1 ELSE 0 END"

// laterDeliverySQL sets the delivery column to state, computed from read
// (the value read), unless the column moved on since: a receipt's
// watermark (advanceWatermark) marks messages without their lock, and a
// later state it wrote in between is kept.
func laterDeliverySQL(read string, state inbox.DeliveryState) clause.Expr {
	return gorm.Expr("CASE WHEN delivery = ? OR (delivery IN ('sent', 'delivered', 'read') AND "+deliveryRankSQL+" < ?) THEN ? ELSE delivery END",
		read, deliveryRank[state], string(state))
}

// countReactions counts each person's latest reaction by reaction.
func countReactions(byActor map[string]string) map[string]int {
	counts := map[string]int{}
	for _, r := range byActor {
		if r == "" {
			r = "like"
		}
		counts[r]++
	}
	return counts
}

// loadEdits fills in the edits of the edited messages among msgs.
func (s *Store) loadEdits(ctx context.Context, msgs []*inbox.Message) error {
	// A conversation's messages are all on one platform.
	byID := map[string]*inbox.Message{}
	var ids []string
	var platform inbox.Platform
	for _, m := range msgs {
		if m.EditedAt != nil {
			byID[m.ExternalID], platform = m, m.Platform
			ids = append(ids, m.ExternalID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var changes []changeRow
	err := s.conn(ctx).Where("platform = ? AND message_external_id IN ? AND kind = ?",
		string(platform), ids, string(inbox.EventMessageEdited)).
		Order("occurred_at, id").Find(&changes).Error
	if err != nil {
		return translate(err, "Message")
	}
	for _, c := range changes {
		if m := byID[c.MessageExternalID]; m != nil {
			m.Edits = append(m.Edits, inbox.MessageEdit{Text: c.Value, EditedAt: c.OccurredAt.Time()})
		}
	}
	return nil
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
