package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

type alertRow struct {
	ID            int64   `gorm:"column:id;primaryKey"`
	Kind          string  `gorm:"column:kind"`
	Topic         string  `gorm:"column:topic"`
	Tag           string  `gorm:"column:tag"`
	PeriodStart   dbTime  `gorm:"column:period_start"`
	WindowStart   dbTime  `gorm:"column:window_start"`
	WindowEnd     dbTime  `gorm:"column:window_end"`
	MessageCount  int     `gorm:"column:message_count"`
	Baseline      float64 `gorm:"column:baseline"`
	Conversations int     `gorm:"column:conversations"`
	CreatedAt     dbTime  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt     dbTime  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (alertRow) TableName() string { return "spike_alerts" }

// alertConversationRow records a conversation an alert tagged, or found
// tagged: the alert never tags it again.
type alertConversationRow struct {
	AlertID        int64 `gorm:"column:alert_id;primaryKey"`
	ConversationID int64 `gorm:"column:conversation_id;primaryKey"`
}

func (alertConversationRow) TableName() string { return "spike_alert_conversations" }

func (r *alertRow) toDomain() *inbox.Alert {
	return &inbox.Alert{
		ID: r.ID, Kind: inbox.AlertKind(r.Kind), Topic: r.Topic, Tag: r.Tag,
		PeriodStart: r.PeriodStart.Time(), WindowStart: r.WindowStart.Time(), WindowEnd: r.WindowEnd.Time(),
		Count: r.MessageCount, Baseline: r.Baseline, Conversations: r.Conversations,
		CreatedAt: r.CreatedAt.Time(), UpdatedAt: r.UpdatedAt.Time(),
	}
}

// FindTriagedSince returns the inbound messages triaged at or after since,
// newest first.
func (s *Store) FindTriagedSince(ctx context.Context, since time.Time, limit int) ([]inbox.TriagedMessage, error) {
	if limit <= 0 {
		return nil, inbox.Errorf(inbox.EINVALID, "The limit must be positive.")
	}
	var rows []struct {
		MessageID      int64  `gorm:"column:message_id"`
		ConversationID int64  `gorm:"column:conversation_id"`
		Text           string `gorm:"column:text"`
		Result         string `gorm:"column:result"`
		TriagedAt      dbTime `gorm:"column:triaged_at"`
	}
	err := s.conn(ctx).Table("message_triage AS t").
		Select("t.message_id, t.conversation_id, m.text, t.result, t.triaged_at").
		Joins("JOIN messages AS m ON m.id = t.message_id").
		Where("t.triaged_at >= ? AND m.direction = ?", toDBTime(since), string(inbox.DirectionInbound)).
		Order("t.triaged_at DESC, t.message_id DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "Triage")
	}
	out := make([]inbox.TriagedMessage, len(rows))
	for i, r := range rows {
		var result struct {
			Tags []string `json:"tags"`
		}
		// An unreadable result still counts as a message, without tags.
		_ = json.Unmarshal([]byte(r.Result), &result)
		out[i] = inbox.TriagedMessage{MessageID: r.MessageID, ConversationID: r.ConversationID,
			Text: r.Text, Tags: result.Tags, TriagedAt: r.TriagedAt.Time()}
	}
	return out, nil
}

// FirstTriagedAt returns the earliest triage time, from the index on it.
func (s *Store) FirstTriagedAt(ctx context.Context) (time.Time, error) {
	var rows []struct {
		TriagedAt dbTime `gorm:"column:triaged_at"`
	}
	err := s.conn(ctx).Table("message_triage").Select("triaged_at").
		Order("triaged_at").Limit(1).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return time.Time{}, translate(err, "Triage")
	}
	return rows[0].TriagedAt.Time(), nil
}

// SaveAlert stores a new alert or extends the running one of its topic.
func (s *Store) SaveAlert(ctx context.Context, a *inbox.Alert) (bool, error) {
	created := false
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := lockAlertTopic(tx, a.Topic); err != nil {
			return err
		}
		var running alertRow
		// The running alert is locked as it is read, so a second detector
		// instance extending it at the same moment waits and then reads its
		// window: neither moves the window back.
		err := forUpdate(tx).Where("topic = ? AND (window_end >= ? OR period_start = ?)", a.Topic,
			toDBTime(a.WindowStart), toDBTime(a.PeriodStart)).
			Order("window_end DESC, id DESC").Take(&running).Error
		switch {
		case err == nil:
			return s.extendAlert(tx, &running, a)
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		row := alertRow{
			Kind: string(a.Kind), Topic: a.Topic, Tag: a.Tag, PeriodStart: toDBTime(a.PeriodStart),
			WindowStart: toDBTime(a.WindowStart), WindowEnd: toDBTime(a.WindowEnd),
			MessageCount: a.Count, Baseline: a.Baseline, CreatedAt: s.now(), UpdatedAt: s.now(),
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			// Another instance raised it a moment ago.
			if err := forUpdate(tx).Where("topic = ? AND period_start = ?", a.Topic, toDBTime(a.PeriodStart)).Take(&running).Error; err != nil {
				return err
			}
			return s.extendAlert(tx, &running, a)
		}
		created = true
		*a = *row.toDomain()
		return nil
	})
	return created, translate(err, "Alert")
}

// lockAlertTopic serialises, on PostgreSQL, the transactions saving an
// alert on topic. Locking the running alert's row is not enough: when
// there is none yet, two instances detecting a spike across a period
// boundary would each insert one, their period_start differing. The lock
// is taken first, so the second reads the alert the first inserted.
// SQLite runs one writing transaction at a time anyway.
func lockAlertTopic(tx *gorm.DB, topic string) error {
	if tx.Dialector.Name() != DialectPostgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "spike_alert:"+topic).Error
}

// extendAlert moves the running alert's window to a's and keeps the
// larger count.
func (s *Store) extendAlert(tx *gorm.DB, running *alertRow, a *inbox.Alert) error {
	if a.WindowEnd.After(running.WindowEnd.Time()) {
		running.WindowStart, running.WindowEnd = toDBTime(a.WindowStart), toDBTime(a.WindowEnd)
	}
	running.MessageCount = max(running.MessageCount, a.Count)
	running.UpdatedAt = s.now()
	err := tx.Model(&alertRow{}).Where("id = ?", running.ID).Updates(map[string]any{
		"window_start": running.WindowStart, "window_end": running.WindowEnd,
		"message_count": running.MessageCount, "updated_at": running.UpdatedAt,
	}).Error
	if err != nil {
		return err
	}
	*a = *running.toDomain()
	return nil
}

// sharingChunk bounds the conversation ids of one FindAlertSharing query,
// well below either dialect's limit on bound parameters.
const sharingChunk = 1000

// FindAlertSharing counts, per running alert of kind, the conversations
// it recorded among ids, and returns the alert with the most (the latest
// on a tie).
func (s *Store) FindAlertSharing(ctx context.Context, kind inbox.AlertKind, since time.Time, ids []int64) (*inbox.Alert, int, error) {
	shared := map[int64]int{}
	for chunk := range slices.Chunk(ids, sharingChunk) {
		var rows []struct {
			AlertID int64 `gorm:"column:alert_id"`
			Shared  int   `gorm:"column:shared"`
		}
		err := s.conn(ctx).Table("spike_alert_conversations AS c").
			Select("c.alert_id, count(*) AS shared").
			Joins("JOIN spike_alerts AS a ON a.id = c.alert_id").
			Where("a.kind = ? AND a.window_end >= ? AND c.conversation_id IN ?", string(kind), toDBTime(since), chunk).
			Group("c.alert_id").Scan(&rows).Error
		if err != nil {
			return nil, 0, translate(err, "Alert")
		}
		for _, r := range rows {
			shared[r.AlertID] += r.Shared
		}
	}
	var best int64
	for id, n := range shared {
		if n > shared[best] || n == shared[best] && id > best {
			best = id
		}
	}
	if best == 0 {
		return nil, 0, nil
	}
	var row alertRow
	if err := s.conn(ctx).Take(&row, best).Error; err != nil {
		return nil, 0, translate(err, "Alert")
	}
	return row.toDomain(), shared[best], nil
}

// FindAlerts returns the newest alerts first.
func (s *Store) FindAlerts(ctx context.Context, limit int) ([]*inbox.Alert, error) {
	if limit <= 0 {
		return nil, inbox.Errorf(inbox.EINVALID, "The limit must be positive.")
	}
	var rows []alertRow
	if err := s.conn(ctx).Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "Alert")
	}
	out := make([]*inbox.Alert, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// tagBatch is how many conversations TagConversations tags in one
// transaction. A spike can hold thousands of conversations, and ingest
// updates the same rows as their citizens write on: short transactions
// keep it from waiting for the whole spike.
const tagBatch = 50

// TagConversations adds the alert's tag to conversations that lack it and
// that the alert has not tagged before, a batch of conversations per
// transaction, counting them on the alert as it goes.
func (s *Store) TagConversations(ctx context.Context, alertID int64, tag string, ids []int64) (int, error) {
	tagged := 0
	for batch := range slices.Chunk(ids, tagBatch) {
		n, err := s.tagBatch(ctx, alertID, tag, batch)
		tagged += n
		if err != nil {
			return tagged, err
		}
	}
	return tagged, nil
}

// tagBatch tags one batch in one transaction. On PostgreSQL it locks the
// conversations as it reads them (in id order, so two batches never wait
// on each other in a circle): the tags it writes are the tags read plus
// one, and a staff change committed between the read and the write would
// otherwise be overwritten. A staff change waiting on the lock then finds
// a new version and is refused as a conflict, to be made again on the
// tagged conversation. SQLite runs one writing transaction at a time.
//
// The conversations the alert tagged before are read after the lock, so a
// second instance tagging the same batch sees what the first recorded and
// never tags again a conversation whose tag staff removed in between.
func (s *Store) tagBatch(ctx context.Context, alertID int64, tag string, ids []int64) (int, error) {
	tagged := 0
	err := s.inTxRetry(ctx, func(tx *gorm.DB) error {
		tagged = 0
		var convs []conversationRow
		if err := forUpdate(tx.Where("id IN ?", ids).Order("id")).Find(&convs).Error; err != nil {
			return err
		}
		var done []int64
		err := tx.Model(&alertConversationRow{}).Where("alert_id = ? AND conversation_id IN ?", alertID, ids).
			Pluck("conversation_id", &done).Error
		if err != nil {
			return err
		}
		var audits []auditRow
		var records []alertConversationRow
		for i := range convs {
			if slices.Contains(done, convs[i].ID) {
				continue
			}
			audit, has, err := s.tagConversation(tx, &convs[i], tag)
			if err != nil {
				return err
			}
			if audit != nil {
				audits = append(audits, *audit)
			}
			if has {
				records = append(records, alertConversationRow{AlertID: alertID, ConversationID: convs[i].ID})
			}
		}
		if len(records) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&records).Error; err != nil {
				return err
			}
		}
		tagged = len(audits)
		if tagged == 0 {
			return nil
		}
		if err := tx.Create(&audits).Error; err != nil {
			return err
		}
		return tx.Model(&alertRow{}).Where("id = ?", alertID).
			Update("conversations", gorm.Expr("conversations + ?", tagged)).Error
	})
	if err != nil {
		return 0, translate(err, "Conversation")
	}
	return tagged, nil
}

// tagConversation adds tag to c unless it has it or is full, bumping its
// version, and returns the system's audit entry to record (nil when it
// left c as it was) and whether c has the tag now.
func (s *Store) tagConversation(tx *gorm.DB, c *conversationRow, tag string) (*auditRow, bool, error) {
	tags := decodeTags(c.StaffTags)
	switch {
	case slices.Contains(tags, tag):
		return nil, true, nil
	case len(tags) >= inbox.MaxTags:
		// Not recorded: the alert tags it once staff make room.
		return nil, false, nil
	}
	after := append(slices.Clone(tags), tag)
	slices.Sort(after)
	err := tx.Model(&conversationRow{}).Where("id = ?", c.ID).Updates(map[string]any{
		"staff_tags": encodeTags(after), "version": gorm.Expr("version + 1"), "updated_at": s.now(),
	}).Error
	if err != nil {
		return nil, false, err
	}
	before := c.toDomain()
	detail := inbox.AuditDetail{Before: inbox.WorkStateOf(before), After: inbox.WorkStateOf(before)}
	detail.After.Tags = after
	raw, err := json.Marshal(detail)
	if err != nil {
		return nil, false, inbox.WrapError(inbox.EINTERNAL, err, "")
	}
	return &auditRow{Action: inbox.ActionAlertTag, ConversationID: nullID(c.ID), Detail: string(raw), CreatedAt: s.now()}, true, nil
}
