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
}

func (moderationFlagRow) TableName() string { return "moderation_flags" }

func (r *moderationFlagRow) toDomain() *inbox.ModerationFlag {
	f := &inbox.ModerationFlag{
		MessageID: r.MessageID, ConversationID: r.ConversationID, AdministrationID: r.AdministrationID,
		State: inbox.ModerationState(r.State), FlaggedAt: r.FlaggedAt.Time(),
		DecidedBy: idOf(r.DecidedBy), DecidedAt: r.DecidedAt.Ptr(),
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
		var rows []moderationFlagRow
		if err := tx.Where("message_id = ?", f.MessageID).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			created = true
			return tx.Create(&moderationFlagRow{
				MessageID: f.MessageID, ConversationID: f.ConversationID, AdministrationID: f.AdministrationID,
				Categories: encodeSorted(f.Categories), Rules: encodeSorted(f.Rules),
				State: string(inbox.ModerationOpen), FlaggedAt: s.now(),
			}).Error
		}
		old := rows[0].toDomain()
		cats, rules := encodeSorted(append(old.Categories, f.Categories...)), encodeSorted(append(old.Rules, f.Rules...))
		if cats == rows[0].Categories && rules == rows[0].Rules {
			return nil
		}
		return tx.Model(&moderationFlagRow{}).Where("message_id = ?", f.MessageID).
			Updates(map[string]any{"categories": cats, "rules": rules}).Error
	})
	return created, translate(err, "Moderation flag")
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

// RecordModeration stores a decision and sets the comment's flag.
func (s *Store) RecordModeration(ctx context.Context, e *inbox.ModerationEntry, state inbox.ModerationState) error {
	now := s.now()
	row := moderationActionRow{
		MessageID: e.MessageID, ConversationID: e.ConversationID, Action: string(e.Decision),
		Category: string(e.Category), Reason: e.Reason, ActorID: e.ActorID, CreatedAt: now,
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		set := map[string]any{"state": string(state), "decided_by": e.ActorID, "decided_at": now}
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
			State: string(state), FlaggedAt: now, DecidedBy: &e.ActorID, DecidedAt: now,
		}).Error
	})
	if err != nil {
		return translate(err, "Moderation")
	}
	e.ID, e.CreatedAt = row.ID, now.Time()
	return nil
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
