package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

var _ inbox.ModerationStore = (*Store)(nil)

type moderationFlagRow struct {
	MessageID        int64  `gorm:"column:message_id;primaryKey;autoIncrement:false"`
	ConversationID   int64  `gorm:"column:conversation_id"`
	AdministrationID string `gorm:"column:administration_id"`
	Categories       string `gorm:"column:categories"`
	Rules            string `gorm:"column:rules"`
	State            string `gorm:"column:state"`
	FlaggedAt        dbTime `gorm:"column:flagged_at"`
	DecidedBy        *int64 `gorm:"column:decided_by"`
	DecidedAt        dbTime `gorm:"column:decided_at"`
	OutboundID       *int64 `gorm:"column:outbound_id"`
	LastError        string `gorm:"column:last_error"`
}

func (moderationFlagRow) TableName() string { return "moderation_flags" }

func (r *moderationFlagRow) toDomain() *inbox.ModerationFlag {
	f := &inbox.ModerationFlag{
		MessageID: r.MessageID, ConversationID: r.ConversationID, AdministrationID: r.AdministrationID,
		State: inbox.ModerationState(r.State), FlaggedAt: r.FlaggedAt.Time(),
		DecidedBy: idOf(r.DecidedBy), DecidedAt: r.DecidedAt.Ptr(),
		OutboundID: idOf(r.OutboundID), LastError: r.LastError,
		Categories: []inbox.ModerationCategory{}, Rules: []string{},
	}
	// A column it cannot read loses the detail, not the flag.
	_ = json.Unmarshal([]byte(r.Categories), &f.Categories)
	_ = json.Unmarshal([]byte(r.Rules), &f.Rules)
	return f
}

type moderationActionRow struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	MessageID      int64  `gorm:"column:message_id"`
	ConversationID int64  `gorm:"column:conversation_id"`
	Action         string `gorm:"column:action"`
	Category       string `gorm:"column:category"`
	Reason         string `gorm:"column:reason"`
	ActorID        int64  `gorm:"column:actor_id"`
	CreatedAt      dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (moderationActionRow) TableName() string { return "moderation_actions" }

func (r *moderationActionRow) toDomain() *inbox.ModerationEntry {
	return &inbox.ModerationEntry{
		ID: r.ID, MessageID: r.MessageID, ConversationID: r.ConversationID,
		Decision: inbox.ModerationDecision(r.Action), Category: inbox.ModerationCategory(r.Category),
		Reason: r.Reason, ActorID: r.ActorID, CreatedAt: r.CreatedAt.Time(),
	}
}

// FlagComment puts a comment in the queue or adds to its flag. A comment
// already decided on is not reopened.
func (s *Store) FlagComment(ctx context.Context, f *inbox.ModerationFlag) (bool, error) {
	created := false
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		created, err = flagComment(tx, f, s.now())
		return err
	})
	return created, translate(err, "Moderation flag")
}

// FlagEditedComment flags a comment its author edited at editedAt (the
// latest edit) as FlagComment does and, when staff kept the comment
// before that edit, reopens its flag: the decision covered the earlier
// text, not this one. A hidden or deleted comment stays decided, as the
// public does not see its new text. It reports whether the comment is
// newly in the open queue. Redelivering the edit changes nothing: the
// flag is open, or kept again by a decision taken after the edit.
func (s *Store) FlagEditedComment(ctx context.Context, f *inbox.ModerationFlag, editedAt time.Time) (bool, error) {
	queued := false
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		created, err := flagComment(tx, f, s.now())
		if err != nil || created {
			queued = created
			return err
		}
		res := tx.Model(&moderationFlagRow{}).
			Where("message_id = ? AND state = ? AND decided_at < ?", f.MessageID, string(inbox.ModerationKept), toDBTime(editedAt)).
			Updates(map[string]any{"state": string(inbox.ModerationOpen), "decided_by": nil, "decided_at": nil})
		queued = res.RowsAffected > 0
		return res.Error
	})
	return queued, translate(err, "Moderation flag")
}

// flagComment puts a comment in the queue, flagged at now, or adds to its
// flag, and reports whether the flag is new.
func flagComment(tx *gorm.DB, f *inbox.ModerationFlag, now dbTime) (bool, error) {
	var rows []moderationFlagRow
	if err := tx.Where("message_id = ?", f.MessageID).Limit(1).Find(&rows).Error; err != nil {
		return false, err
	}
	if len(rows) == 0 {
		return true, tx.Create(&moderationFlagRow{
			MessageID: f.MessageID, ConversationID: f.ConversationID, AdministrationID: f.AdministrationID,
			Categories: encodeSorted(f.Categories), Rules: encodeSorted(f.Rules),
			State: string(inbox.ModerationOpen), FlaggedAt: now,
		}).Error
	}
	old := rows[0].toDomain()
	cats, rules := encodeSorted(append(old.Categories, f.Categories...)), encodeSorted(append(old.Rules, f.Rules...))
	if cats == rows[0].Categories && rules == rows[0].Rules {
		return false, nil
	}
	return false, tx.Model(&moderationFlagRow{}).Where("message_id = ?", f.MessageID).
		Updates(map[string]any{"categories": cats, "rules": rules}).Error
}

// encodeSorted returns the values, sorted and each once, as a JSON array.
func encodeSorted[T ~string](vals []T) string {
	vals = slices.Clone(vals)
	slices.Sort(vals)
	vals = slices.Compact(vals)
	if vals == nil {
		vals = []T{}
	}
	b, _ := json.Marshal(vals)
	return string(b)
}

// FindModerationQueue returns flagged comments with their messages.
func (s *Store) FindModerationQueue(ctx context.Context, f inbox.ModerationFilter) ([]*inbox.ModerationFlag, error) {
	state := f.State
	if state == "" {
		state = inbox.ModerationOpen
	}
	limit := f.Limit
	if limit <= 0 || limit > inbox.MaxPageSize {
		limit = inbox.DefaultPageSize
	}
	q := s.conn(ctx).Where("moderation_flags.state = ? AND moderation_flags.message_id > ?", string(state), f.AfterMessageID)
	if len(f.AdministrationID) > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM conversations c WHERE c.id = moderation_flags.conversation_id AND c.administration_id IN ?)", f.AdministrationID)
	}
	var rows []moderationFlagRow
	if err := q.Order("message_id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "Moderation flag")
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].MessageID
	}
	var msgs []messageRow
	if err := s.conn(ctx).Where("id IN ?", ids).Find(&msgs).Error; err != nil && len(ids) > 0 {
		return nil, translate(err, "Message")
	}
	byID := map[int64]*inbox.Message{}
	for i := range msgs {
		byID[msgs[i].ID] = msgs[i].toDomain().ForAgents()
	}
	out := make([]*inbox.ModerationFlag, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
		out[i].Message = byID[rows[i].MessageID]
	}
	return out, nil
}

// RecordModeration stores a decision, sets the comment's flag and queues
// the decision's platform action, in one transaction.
func (s *Store) RecordModeration(ctx context.Context, e *inbox.ModerationEntry, state inbox.ModerationState, q *inbox.QueuedOutbound) error {
	if q != nil && (q.Action == nil || q.Work == nil || q.Work.Audit == nil || q.Message != nil) {
		return inbox.Errorf(inbox.EINVALID, "Moderation work is incomplete.")
	}
	now := s.now()
	row := moderationActionRow{
		MessageID: e.MessageID, ConversationID: e.ConversationID, Action: string(e.Decision),
		Category: string(e.Category), Reason: e.Reason, ActorID: e.ActorID, CreatedAt: now,
	}
	var out *outboundRow
	var audit auditRow
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var outboundID *int64
		if q != nil {
			var err error
			if out, _, audit, err = queueOutbound(tx, q, now); err != nil {
				return err
			}
			outboundID = &out.ID
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		set := map[string]any{"state": string(state), "decided_by": e.ActorID, "decided_at": now,
			"outbound_id": outboundID, "last_error": ""}
		res := tx.Model(&moderationFlagRow{}).Where("message_id = ?", e.MessageID).Updates(set)
		if res.Error != nil || res.RowsAffected > 0 {
			return res.Error
		}
		// A comment staff moderate without a flag gets one, so the queue
		// shows every moderated comment.
		var admins []string
		if err := tx.Model(&conversationRow{}).Where("id = ?", e.ConversationID).Pluck("administration_id", &admins).Error; err != nil {
			return err
		}
		admin := ""
		if len(admins) > 0 {
			admin = admins[0]
		}
		return tx.Create(&moderationFlagRow{
			MessageID: e.MessageID, ConversationID: e.ConversationID, AdministrationID: admin,
			Categories: encodeSorted([]inbox.ModerationCategory{e.Category}), Rules: "[]",
			State: string(state), FlaggedAt: now, DecidedBy: &e.ActorID, DecidedAt: now, OutboundID: outboundID,
		}).Error
	})
	if err != nil {
		return translate(err, "Moderation")
	}
	e.ID, e.CreatedAt = row.ID, now.Time()
	if q != nil {
		*q.Action = *out.toDomain()
		q.Work.Audit.ID, q.Work.Audit.CreatedAt = audit.ID, audit.CreatedAt.Time()
	}
	return nil
}

// SettleModeration moves the flag of the comment a sent action targeted.
func (s *Store) SettleModeration(ctx context.Context, a *inbox.OutboundAction) error {
	to, from := inbox.FlagSettles(a.Kind)
	if to == "" || a.TargetMessageID == 0 {
		return nil
	}
	now := s.now()
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var rows []moderationFlagRow
		if err := forUpdate(tx.Where("message_id = ?", a.TargetMessageID)).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 || !slices.Contains(from, inbox.ModerationState(rows[0].State)) {
			return nil
		}
		set := map[string]any{"state": string(to), "decided_by": nullID(a.ActorID), "decided_at": now,
			"outbound_id": a.ID, "last_error": ""}
		if err := tx.Model(&moderationFlagRow{}).Where("message_id = ?", a.TargetMessageID).Updates(set).Error; err != nil {
			return err
		}
		return auditFlagChange(tx, inbox.ActionModerationSettled, a, inbox.ModerationState(rows[0].State), to, "", now)
	})
	return translate(err, "Moderation flag")
}

// ReopenModeration puts a comment whose decided action failed for good
// back in the open queue.
func (s *Store) ReopenModeration(ctx context.Context, a *inbox.OutboundAction) error {
	if a.TargetMessageID == 0 {
		return nil
	}
	msg := inbox.ModerationFailure(a)
	now := s.now()
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var rows []moderationFlagRow
		if err := forUpdate(tx.Where("message_id = ?", a.TargetMessageID)).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		r := rows[0]
		q := tx.Model(&moderationFlagRow{}).Where("message_id = ?", a.TargetMessageID)
		switch {
		case r.State == string(inbox.ModerationOpen):
			return q.Update("last_error", msg).Error
		case r.OutboundID == nil || *r.OutboundID != a.ID:
			// A later decision or action owns the flag now.
			return nil
		}
		if err := q.Updates(map[string]any{"state": string(inbox.ModerationOpen), "last_error": msg}).Error; err != nil {
			return err
		}
		return auditFlagChange(tx, inbox.ActionModerationReopened, a, inbox.ModerationState(r.State), inbox.ModerationOpen, msg, now)
	})
	return translate(err, "Moderation flag")
}

// auditFlagChange records, by a's actor (none for the system), that the
// platform's outcome of a moved the comment's flag.
func auditFlagChange(tx *gorm.DB, action string, a *inbox.OutboundAction, from, to inbox.ModerationState, errText string, now dbTime) error {
	detail, err := json.Marshal(inbox.ModerationFlagChange{MessageID: a.TargetMessageID, OutboundID: a.ID, Kind: a.Kind,
		From: from, To: to, Error: errText})
	if err != nil {
		return err
	}
	row := newAuditRow(&inbox.AuditEntry{ActorID: a.ActorID, Action: action, ConversationID: a.ConversationID, Detail: string(detail)}, now)
	return tx.Create(&row).Error
}

// FindModerationEntries returns the decisions of [from, to).
func (s *Store) FindModerationEntries(ctx context.Context, from, to time.Time) ([]*inbox.ModerationEntry, error) {
	var rows []moderationActionRow
	err := s.conn(ctx).Where("created_at >= ? AND created_at < ?", toDBTime(from), toDBTime(to)).
		Order("created_at, id").Find(&rows).Error
	return actionsToDomain(rows, err)
}

// findModerationOf returns the decisions on a conversation's comments.
func (s *Store) findModerationOf(ctx context.Context, conversationID int64) ([]*inbox.ModerationEntry, error) {
	var rows []moderationActionRow
	err := s.conn(ctx).Where("conversation_id = ?", conversationID).Order("created_at, id").Find(&rows).Error
	return actionsToDomain(rows, err)
}

func actionsToDomain(rows []moderationActionRow, err error) ([]*inbox.ModerationEntry, error) {
	if err != nil {
		return nil, translate(err, "Moderation")
	}
	out := make([]*inbox.ModerationEntry, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}
