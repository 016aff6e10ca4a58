package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

var _ inbox.RecordStore = (*Store)(nil)

type archiveExportRow struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	PeriodFrom     dbTime `gorm:"column:period_from"`
	PeriodTo       dbTime `gorm:"column:period_to"`
	Location       string `gorm:"column:location"`
	ManifestSHA256 string `gorm:"column:manifest_sha256"`
	Conversations  int    `gorm:"column:conversations"`
	Scheduled      bool   `gorm:"column:scheduled"`
	CreatedAt      dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (archiveExportRow) TableName() string { return "archive_exports" }

func (r *archiveExportRow) toDomain() *inbox.ArchiveExport {
	return &inbox.ArchiveExport{
		ID: r.ID, From: r.PeriodFrom.Time(), To: r.PeriodTo.Time(), Location: r.Location,
		ManifestSHA256: r.ManifestSHA256, Conversations: r.Conversations, Scheduled: r.Scheduled,
		CreatedAt: r.CreatedAt.Time(),
	}
}

type archivedRow struct {
	ConversationID int64  `gorm:"column:conversation_id;primaryKey;autoIncrement:false"`
	ExportID       int64  `gorm:"column:export_id"`
	Version        int64  `gorm:"column:version"`
	LastMessageAt  dbTime `gorm:"column:last_message_at"`
	MessageCount   int    `gorm:"column:message_count"`
	ArchivedAt     dbTime `gorm:"column:archived_at"`
}

func (archivedRow) TableName() string { return "archived_conversations" }

// FindConversationsActive returns up to limit conversations, by id above
// afterID, that something happened to in [from, to): a message was sent,
// changed, staff acted on them or decided on a comment of theirs (a
// comment kept after review writes no other row, and its decision and
// reason belong to that day's record).
func (s *Store) FindConversationsActive(ctx context.Context, from, to time.Time, afterID int64, limit int) ([]*inbox.Conversation, error) {
	var rows []conversationRow
	f, t := toDBTime(from), toDBTime(to)
	err := s.conn(ctx).Where("id > ?", afterID).
		Where(`(first_message_at < ? AND last_message_at >= ? AND
			EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.sent_at >= ? AND m.sent_at < ?))
		OR (updated_at >= ? AND updated_at < ?)
		OR EXISTS (SELECT 1 FROM audit_entries x WHERE x.conversation_id = conversations.id AND x.created_at >= ? AND x.created_at < ?)
		OR EXISTS (SELECT 1 FROM messages m JOIN message_changes ch ON ch.platform = m.platform AND ch.message_external_id = m.external_id
			WHERE m.conversation_id = conversations.id AND ch.created_at >= ? AND ch.created_at < ?)
		OR EXISTS (SELECT 1 FROM moderation_actions ma WHERE ma.conversation_id = conversations.id AND ma.created_at >= ? AND ma.created_at < ?)`,
			t, f, f, t, f, t, f, t, f, t, f, t).
		Order("id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Conversation")
	}
	convs := make([]*inbox.Conversation, len(rows))
	for i := range rows {
		convs[i] = rows[i].toDomain()
	}
	return convs, nil
}

// FindConversationRecord returns the whole record of a conversation,
// with the time it began reading it.
func (s *Store) FindConversationRecord(ctx context.Context, id int64) (*inbox.ConversationRecord, error) {
	readAt := s.now()
	c, err := s.FindConversationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	rec := &inbox.ConversationRecord{Conversation: c, ReadAt: readAt.Time()}
	if rec.Messages, err = s.FindMessages(ctx, id); err != nil {
		return nil, err
	}
	if rec.Changes, err = s.findChanges(ctx, c.Platform, rec.Messages); err != nil {
		return nil, err
	}
	if rec.Notes, err = s.FindNotes(ctx, id); err != nil {
		return nil, err
	}
	if rec.Triage, err = s.findAllTriage(ctx, id); err != nil {
		return nil, err
	}
	if rec.Audit, err = s.FindAudit(ctx, id); err != nil {
		return nil, err
	}
	if rec.Moderation, err = s.findModerationOf(ctx, id); err != nil {
		return nil, err
	}
	rec.Users, err = s.userNames(ctx, rec.StaffIDs())
	return rec, err
}

// findChanges returns every recorded change to msgs, in time order.
func (s *Store) findChanges(ctx context.Context, platform inbox.Platform, msgs []*inbox.Message) ([]*inbox.MessageChange, error) {
	out := []*inbox.MessageChange{}
	if len(msgs) == 0 {
		return out, nil
	}
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ExternalID
	}
	var rows []changeRow
	err := s.conn(ctx).Where("platform = ? AND message_external_id IN ?", string(platform), ids).
		Order("occurred_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Message change")
	}
	for _, r := range rows {
		out = append(out, &inbox.MessageChange{
			ID: r.ID, MessageExternalID: r.MessageExternalID, Kind: inbox.EventKind(r.Kind),
			ActorExternalID: r.ActorExternalID, Value: r.Value, OccurredAt: r.OccurredAt.Time(),
		})
	}
	return out, nil
}

// findAllTriage returns the triage of every triaged message of a
// conversation, by message id.
func (s *Store) findAllTriage(ctx context.Context, conversationID int64) ([]*inbox.Triage, error) {
	var rows []triageRow
	if err := s.conn(ctx).Where("conversation_id = ?", conversationID).Order("message_id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Triage")
	}
	out := make([]*inbox.Triage, 0, len(rows))
	for i := range rows {
		t, err := rows[i].toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// userNames returns the names of the users with ids (0 skipped).
func (s *Store) userNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	names := map[int64]string{}
	var want []int64
	for _, id := range ids {
		if _, ok := names[id]; !ok && id != 0 {
			names[id] = ""
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return names, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := s.conn(ctx).Table("users").Select("id, name").Where("id IN ?", want).Scan(&rows).Error; err != nil {
		return nil, translate(err, "User")
	}
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	return names, nil
}

// CreateArchiveExport stores an export that is starting.
func (s *Store) CreateArchiveExport(ctx context.Context, e *inbox.ArchiveExport) error {
	row := archiveExportRow{
		PeriodFrom: toDBTime(e.From), PeriodTo: toDBTime(e.To), Location: e.Location,
		Scheduled: e.Scheduled, CreatedAt: s.now(),
	}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return translate(err, "Archive export")
	}
	e.ID, e.CreatedAt = row.ID, row.CreatedAt.Time()
	return nil
}

// MarkArchived records the state each record's conversation was archived
// in, replacing an earlier export's mark. The mark's time is the record's
// ReadAt, not the time of marking: what was stored while the export wrote
// the record is not in it, and must count as changed after it.
func (s *Store) MarkArchived(ctx context.Context, exportID int64, recs []*inbox.ConversationRecord) error {
	if len(recs) == 0 {
		return nil
	}
	rows := make([]archivedRow, len(recs))
	for i, r := range recs {
		if r.ReadAt.IsZero() {
			return inbox.Errorf(inbox.EINVALID, "The record of conversation %d has no read time: read it with FindConversationRecord.",
				r.Conversation.ID)
		}
		c := r.Conversation
		rows[i] = archivedRow{
			ConversationID: c.ID, ExportID: exportID, Version: c.Version,
			LastMessageAt: toDBTime(c.LastMessageAt), MessageCount: c.MessageCount, ArchivedAt: toDBTime(r.ReadAt),
		}
	}
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "conversation_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"export_id", "version", "last_message_at", "message_count", "archived_at"}),
	}).Create(&rows).Error
	return translate(err, "Archive mark")
}

// CompleteArchiveExport records an export's manifest checksum.
func (s *Store) CompleteArchiveExport(ctx context.Context, id int64, manifestSHA256 string, conversations int) error {
	res := s.conn(ctx).Model(&archiveExportRow{}).Where("id = ?", id).
		Updates(map[string]any{"manifest_sha256": manifestSHA256, "conversations": conversations})
	if res.Error == nil && res.RowsAffected == 0 {
		return inbox.Errorf(inbox.ENOTFOUND, "Archive export %d not found.", id)
	}
	return translate(res.Error, "Archive export")
}

// FindArchiveExports returns the complete exports overlapping [from, to).
func (s *Store) FindArchiveExports(ctx context.Context, from, to time.Time) ([]*inbox.ArchiveExport, error) {
	var rows []archiveExportRow
	err := s.conn(ctx).Where("manifest_sha256 <> '' AND period_from < ? AND period_to > ?", toDBTime(to), toDBTime(from)).
		Order("period_from, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Archive export")
	}
	out := make([]*inbox.ArchiveExport, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// removalActions are the audit actions of removing personal data: they
// change what the database holds, not the record the archive keeps, so a
// conversation pseudonymised by retention may still be erased on request.
var removalActions = []string{inbox.ActionRetention, inbox.ActionSubjectRemoval}

// archivedUnchanged narrows q, on conversations joined with their archive
// mark a, to conversations whose complete archive export holds their
// current state: nothing about them changed after they were archived.
func archivedUnchanged(q *gorm.DB) *gorm.DB {
	return q.Joins("JOIN archived_conversations a ON a.conversation_id = conversations.id").
		Joins("JOIN archive_exports e ON e.id = a.export_id AND e.manifest_sha256 <> ''").
		Where("a.version = conversations.version AND a.last_message_at = conversations.last_message_at AND a.message_count = conversations.message_count").
		Where("NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.created_at > a.archived_at)").
		Where("NOT EXISTS (SELECT 1 FROM notes n WHERE n.conversation_id = conversations.id AND n.created_at > a.archived_at)").
		Where("NOT EXISTS (SELECT 1 FROM audit_entries x WHERE x.conversation_id = conversations.id AND x.created_at > a.archived_at AND x.action NOT IN ?)",
			removalActions).
		Where("NOT EXISTS (SELECT 1 FROM moderation_actions ma WHERE ma.conversation_id = conversations.id AND ma.created_at > a.archived_at)").
		Where(`NOT EXISTS (SELECT 1 FROM message_changes ch JOIN messages m ON m.platform = ch.platform AND m.external_id = ch.message_external_id
			WHERE m.conversation_id = conversations.id AND ch.created_at > a.archived_at)`)
}
