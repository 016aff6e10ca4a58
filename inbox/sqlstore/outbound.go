package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

type outboundRow struct {
	ID                int64  `gorm:"column:id;primaryKey"`
	Key               string `gorm:"column:idempotency_key"`
	Kind              string `gorm:"column:kind"`
	State             string `gorm:"column:state"`
	ConversationID    int64  `gorm:"column:conversation_id"`
	MessageID         *int64 `gorm:"column:message_id"`
	TargetMessageID   *int64 `gorm:"column:target_message_id"`
	TargetExternalID  string `gorm:"column:target_external_id"`
	AccountID         *int64 `gorm:"column:account_id"`
	AccountExternalID string `gorm:"column:account_external_id"`
	Platform          string `gorm:"column:platform"`
	Text              string `gorm:"column:text"`
	HumanAgent        bool   `gorm:"column:human_agent"`
	Reason            string `gorm:"column:reason"`
	ActorID           *int64 `gorm:"column:actor_id"`
	PlatformID        string `gorm:"column:platform_id"`
	Attempts          int    `gorm:"column:attempts"`
	Failure           string `gorm:"column:failure"`
	NextAttemptAt     dbTime `gorm:"column:next_attempt_at"`
	SentAt            dbTime `gorm:"column:sent_at"`
	CreatedAt         dbTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         dbTime `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (outboundRow) TableName() string { return "outbound_actions" }

func (r *outboundRow) toDomain() *inbox.OutboundAction {
	a := &inbox.OutboundAction{
		ID: r.ID, Key: r.Key, Kind: inbox.OutboundKind(r.Kind), State: inbox.OutboundState(r.State),
		ConversationID: r.ConversationID, MessageID: derefID(r.MessageID), TargetMessageID: derefID(r.TargetMessageID),
		TargetExternalID: r.TargetExternalID, AccountID: derefID(r.AccountID), AccountExternalID: r.AccountExternalID,
		Platform: inbox.Platform(r.Platform), Text: r.Text, HumanAgent: r.HumanAgent, Reason: r.Reason,
		ActorID: derefID(r.ActorID), PlatformID: r.PlatformID, Attempts: r.Attempts,
		NextAttemptAt: r.NextAttemptAt.Ptr(), SentAt: r.SentAt.Ptr(),
		CreatedAt: r.CreatedAt.Time(), UpdatedAt: r.UpdatedAt.Time(),
	}
	if r.Failure != "" {
		var f inbox.OutboundFailure
		if json.Unmarshal([]byte(r.Failure), &f) == nil {
			a.Failure = &f
		}
	}
	return a
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func encodeFailure(f *inbox.OutboundFailure) string {
	if f == nil {
		return ""
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// QueueOutbound stores a queued action in one transaction with the reply's
// message, the change to the conversation and the audit entry.
func (s *Store) QueueOutbound(ctx context.Context, q *inbox.QueuedOutbound) error {
	if q.Action == nil || q.Work == nil || q.Work.Audit == nil {
		return inbox.Errorf(inbox.EINVALID, "Outbound work is incomplete.")
	}
	now := s.now()
	var row *outboundRow
	var msg *messageRow
	var audit auditRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		row, msg, audit, err = queueOutbound(tx, q, now)
		return err
	})
	if err != nil {
		return translate(err, "Outbound action")
	}
	*q.Action = *row.toDomain()
	if msg != nil {
		*q.Message = *msg.toDomain()
	}
	q.Work.Audit.ID, q.Work.Audit.CreatedAt = audit.ID, audit.CreatedAt.Time()
	return nil
}

// queueOutbound writes q inside tx: the conversation's update, the queued
// message when there is one, the action and its audit entry.
func queueOutbound(tx *gorm.DB, q *inbox.QueuedOutbound, now dbTime) (*outboundRow, *messageRow, auditRow, error) {
	a := q.Action
	row := &outboundRow{
		Key: a.Key, Kind: string(a.Kind), State: string(inbox.OutboundQueued), ConversationID: a.ConversationID,
		TargetMessageID: nullID(a.TargetMessageID), TargetExternalID: a.TargetExternalID,
		AccountID: nullID(a.AccountID), AccountExternalID: a.AccountExternalID, Platform: string(a.Platform),
		Text: a.Text, HumanAgent: a.HumanAgent, Reason: a.Reason, ActorID: nullID(a.ActorID),
		NextAttemptAt: ptrTime(a.NextAttemptAt), CreatedAt: now, UpdatedAt: now,
	}
	audit := newAuditRow(q.Work.Audit, now)
	if q.Work.Update != nil {
		if err := updateConversation(tx, q.Work.Update, now); err != nil {
			return nil, nil, audit, err
		}
	}
	var msg *messageRow
	if q.Message != nil {
		// A reply's text may name the citizen: a conversation retention
		// cleaned holds personal data again.
		if err := holdsPersonalDataAgain(tx, q.Message.ConversationID); err != nil {
			return nil, nil, audit, err
		}
		var err error
		if msg, err = insertQueuedMessage(tx, q.Message, now); err != nil {
			return nil, nil, audit, err
		}
		row.MessageID = &msg.ID
	}
	if err := tx.Create(row).Error; err != nil {
		return nil, nil, audit, err
	}
	return row, msg, audit, tx.Create(&audit).Error
}

func newAuditRow(e *inbox.AuditEntry, now dbTime) auditRow {
	return auditRow{
		ActorID: nullID(e.ActorID), Action: e.Action, ConversationID: nullID(e.ConversationID),
		Detail: e.Detail, CreatedAt: now,
	}
}

// insertQueuedMessage stores a reply not sent yet and counts it into its
// conversation. Its first response waits until it is sent.
func insertQueuedMessage(tx *gorm.DB, m *inbox.Message, now dbTime) (*messageRow, error) {
	row := &messageRow{
		ConversationID: m.ConversationID, Platform: string(m.Platform), ExternalID: m.ExternalID,
		Direction: string(inbox.DirectionOutbound), ParentExternalID: m.ParentExternalID,
		AuthorExternalID: m.AuthorExternalID, AuthorName: m.AuthorName, Text: m.Text,
		SentAt: toDBTime(m.SentAt), CreatedAt: now, Attachments: encodeAttachments(nil),
		Delivery: string(inbox.DeliveryQueued),
	}
	if err := tx.Create(row).Error; err != nil {
		return nil, err
	}
	sent := row.SentAt
	err := tx.Model(&conversationRow{}).Where("id = ?", m.ConversationID).Updates(map[string]any{
		"message_count":   gorm.Expr("message_count + 1"),
		"preview":         gorm.Expr("CASE WHEN ? >= last_message_at THEN ? ELSE preview END", sent, preview(m.Text)),
		"last_message_at": gorm.Expr("CASE WHEN ? > last_message_at THEN ? ELSE last_message_at END", sent, sent),
		"waiting_since":   gorm.Expr(waitingSinceSQL),
		"updated_at":      now,
	}).Error
	return row, err
}

// FindOutboundAction returns the action, or ENOTFOUND.
func (s *Store) FindOutboundAction(ctx context.Context, id int64) (*inbox.OutboundAction, error) {
	var row outboundRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "Outbound action")
	}
	return row.toDomain(), nil
}

// FindOutboundActions returns the actions of a conversation, oldest first.
func (s *Store) FindOutboundActions(ctx context.Context, conversationID int64) ([]*inbox.OutboundAction, error) {
	var rows []outboundRow
	if err := s.conn(ctx).Where("conversation_id = ?", conversationID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Outbound action")
	}
	return outboundList(rows), nil
}

// FindDueOutbound returns queued and sending actions whose next attempt is
// before t.
func (s *Store) FindDueOutbound(ctx context.Context, t time.Time, limit int) ([]*inbox.OutboundAction, error) {
	var rows []outboundRow
	states := []string{string(inbox.OutboundQueued), string(inbox.OutboundSending)}
	err := s.conn(ctx).Where("state IN ? AND next_attempt_at < ?", states, toDBTime(t)).
		Order("next_attempt_at, id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Outbound action")
	}
	return outboundList(rows), nil
}

func outboundList(rows []outboundRow) []*inbox.OutboundAction {
	out := make([]*inbox.OutboundAction, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out
}

// FindMessageByID returns the message, or ENOTFOUND.
func (s *Store) FindMessageByID(ctx context.Context, id int64) (*inbox.Message, error) {
	var row messageRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "Message")
	}
	m := row.toDomain()
	if err := s.loadEdits(ctx, []*inbox.Message{m}); err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateOutbound moves an action from one of u.From to u.State, and its
// reply's message with it.
func (s *Store) UpdateOutbound(ctx context.Context, u inbox.OutboundUpdate) (*inbox.OutboundAction, error) {
	if len(u.From) == 0 {
		return nil, inbox.Errorf(inbox.EINVALID, "Outbound update names no state to move from.")
	}
	now := s.now()
	var out outboundRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := moveOutbound(tx, u, now); err != nil {
			return err
		}
		if err := tx.Where("id = ?", u.ID).Take(&out).Error; err != nil {
			return err
		}
		if out.MessageID != nil {
			if err := s.followMessage(tx, &out, now); err != nil {
				return err
			}
		}
		if u.Audit != nil {
			audit := newAuditRow(u.Audit, now)
			if err := tx.Create(&audit).Error; err != nil {
				return err
			}
			u.Audit.ID, u.Audit.CreatedAt = audit.ID, audit.CreatedAt.Time()
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, "Outbound action")
	}
	return out.toDomain(), nil
}

// moveOutbound writes u, only while the action is in one of u.From.
func moveOutbound(tx *gorm.DB, u inbox.OutboundUpdate, now dbTime) error {
	from := make([]string, len(u.From))
	for i, st := range u.From {
		from[i] = string(st)
	}
	set := map[string]any{"state": string(u.State), "updated_at": now, "failure": encodeFailure(u.Failure),
		"next_attempt_at": ptrTime(u.NextAttemptAt)}
	if u.CountAttempt {
		set["attempts"] = gorm.Expr("attempts + 1")
	}
	if u.State == inbox.OutboundSent {
		set["platform_id"], set["sent_at"] = u.PlatformID, now
	}
	res := tx.Model(&outboundRow{}).Where("id = ? AND state IN ?", u.ID, from).Updates(set)
	if res.Error != nil || res.RowsAffected == 1 {
		return res.Error
	}
	var n int64
	if err := tx.Model(&outboundRow{}).Where("id = ?", u.ID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return inbox.Errorf(inbox.ENOTFOUND, "Outbound action not found.")
	}
	return inbox.Errorf(inbox.ECONFLICT, "The outbound action has changed meanwhile; reload it.")
}

// followMessage keeps a reply's message in step with its action: its
// delivery mirrors the state and, once sent, it takes the platform's id
// and the time it went out.
func (s *Store) followMessage(tx *gorm.DB, a *outboundRow, now dbTime) error {
	if a.State != string(inbox.OutboundSent) {
		err := tx.Model(&messageRow{}).Where("id = ? AND delivery IN ?", *a.MessageID, unsentDeliveries).
			Update("delivery", a.State).Error
		if err != nil || (a.State != string(inbox.OutboundFailed) && a.State != string(inbox.OutboundQueued)) {
			return err
		}
		if a.State == string(inbox.OutboundFailed) && a.Kind == string(inbox.OutboundPrivateReply) {
			if err := dropKeptReceipts(tx, *a.MessageID); err != nil {
				return err
			}
		}
		// A reply that failed no longer answers the citizen, and one
		// queued again after failing answers again.
		return tx.Model(&conversationRow{}).Where("id = ?", a.ConversationID).
			Update("waiting_since", gorm.Expr(waitingSinceSQL)).Error
	}
	var m messageRow
	if err := tx.Where("id = ?", *a.MessageID).Take(&m).Error; err != nil {
		return err
	}
	if m.ExternalID == a.PlatformID {
		// The echo webhook got here first and did the rest.
		return nil
	}
	return publishMessage(tx, s, &m, a.PlatformID, now, now)
}

// unsentDeliveries are the delivery states of a reply not (surely) sent.
var unsentDeliveries = []string{string(inbox.DeliveryQueued), string(inbox.DeliverySending),
	string(inbox.DeliveryFailed), string(inbox.DeliveryNeedsCheck)}

// publishMessage gives our message m the platform's id mid, sent at. A
// message stored under mid meanwhile (an echo inkorg did not recognise:
// outbound, sent outside inkorg) is merged into m, so the conversation
// shows the reply once. Any other message under mid is never removed: the
// id is then refused as taken, and the reply is left for a person to check. The answer-bank
// links m holds count as uses from now on (answerUsesOut). Receipts stored
// before, of its thread or, for a private reply, of the commenter's
// private thread (takeThreadReceipts), mark it as far as they reach.
func publishMessage(tx *gorm.DB, s *Store, m *messageRow, mid string, at, now dbTime) error {
	if err := lockMessage(tx, inbox.Platform(m.Platform), mid); err != nil {
		return err
	}
	var dups []messageRow
	err := tx.Where("platform = ? AND external_id = ? AND id <> ? AND direction = ? AND sent_outside_inkorg",
		m.Platform, mid, m.ID, string(inbox.DirectionOutbound)).Find(&dups).Error
	if err != nil {
		return err
	}
	for _, d := range dups {
		if err := tx.Delete(&messageRow{}, d.ID).Error; err != nil {
			return err
		}
		err := tx.Model(&conversationRow{}).Where("id = ?", d.ConversationID).
			Update("message_count", gorm.Expr("message_count - 1")).Error
		if err != nil {
			return err
		}
	}
	err = tx.Model(&messageRow{}).Where("id = ?", m.ID).Updates(map[string]any{
		"external_id": mid, "delivery": string(inbox.DeliverySent), "sent_at": at,
	}).Error
	if err != nil {
		return err
	}
	if err := answerUsesOut(tx, m.ID); err != nil {
		return err
	}
	if _, err := refreshMessage(tx, inbox.Platform(m.Platform), mid); err != nil {
		return err
	}
	if err := takeThreadReceipts(tx, m, at); err != nil {
		return err
	}
	// The reply now has the time it went out, which may come after
	// messages the citizen wrote since it was queued: it can become the
	// latest message and answer them.
	return tx.Model(&conversationRow{}).Where("id = ?", m.ConversationID).Updates(map[string]any{
		"first_response_at": gorm.Expr(firstResponseSQL),
		"preview":           gorm.Expr("CASE WHEN ? >= last_message_at THEN ? ELSE preview END", at, preview(m.Text)),
		"last_message_at":   gorm.Expr("CASE WHEN ? > last_message_at THEN ? ELSE last_message_at END", at, at),
		"waiting_since":     gorm.Expr(waitingSinceSQL),
		"updated_at":        now,
	}).Error
}
