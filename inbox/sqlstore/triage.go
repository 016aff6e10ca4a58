package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"inkorg/inbox"
)

type triageRow struct {
	MessageID        int64   `gorm:"column:message_id;primaryKey;autoIncrement:false"`
	ConversationID   int64   `gorm:"column:conversation_id"`
	AdministrationID string  `gorm:"column:administration_id"`
	Confidence       float64 `gorm:"column:confidence"`
	Language         string  `gorm:"column:language"`
	Priority         string  `gorm:"column:priority"`
	NeedsHuman       bool    `gorm:"column:needs_human"`
	Result           string  `gorm:"column:result"`
	TriagedAt        dbTime  `gorm:"column:triaged_at"`
}

func (triageRow) TableName() string { return "message_triage" }

func (r *triageRow) toDomain() (*inbox.Triage, error) {
	var t inbox.Triage
	if err := json.Unmarshal([]byte(r.Result), &t); err != nil {
		return nil, inbox.WrapError(inbox.EINTERNAL, fmt.Errorf("triage of message %d: %w", r.MessageID, err), "")
	}
	t.MessageID = r.MessageID
	t.TriagedAt = r.TriagedAt.Time()
	return &t, nil
}

// SaveTriage stores the triage of one message of the conversation,
// replacing an earlier one. A triage that changes the conversation's
// language or priority moves its updated_at, so the SLA watcher measures
// it again however late the triage comes (a hook's retry): the metrics
// and the SLA policy (urgent: 30 minutes) depend on them. Ingest saves a
// message's triage with the message, which moves updated_at anyway.
func (s *Store) SaveTriage(ctx context.Context, conversationID int64, t *inbox.Triage) error {
	now := s.now()
	row, err := newTriageRow(conversationID, t, now)
	if err != nil {
		return err
	}
	if s.db.Dialect() == DialectPostgres {
		return translate(savePostgresTriage(s.conn(ctx), &row, t, now), "Triage")
	}
	return translate(s.inTx(ctx, func(tx *gorm.DB) error {
		if err := saveTriage(tx, &row); err != nil {
			return err
		}
		if err := touchTriaged(tx, &row, now); err != nil {
			return err
		}
		return copyTriageFacets(tx, &row, t)
	}), "Triage")
}

// triageChangedSQL is true for a conversation when a triage's language or
// priority (the arguments) differ from those it has.
const triageChangedSQL = "(triage_language <> ? OR triage_priority <> ?)"

// touchTriaged sets the conversation's updated_at to now when the triage
// in row is its latest and changes its language or priority; it runs
// before copyTriageFacets, which makes them the same.
func touchTriaged(tx *gorm.DB, row *triageRow, now dbTime) error {
	return tx.Model(&conversationRow{}).
		Where("id = ? AND "+triageChangedSQL+" AND NOT "+laterTriagedSQL, row.ConversationID, row.Language, row.Priority, row.MessageID).
		Update("updated_at", now).Error
}

// newTriageRow returns the row of triage t of a message in the
// conversation, triaged now unless t says when.
func newTriageRow(conversationID int64, t *inbox.Triage, now dbTime) (triageRow, error) {
	if err := validTriage(t); err != nil {
		return triageRow{}, err
	}
	result, err := json.Marshal(t)
	if err != nil {
		return triageRow{}, inbox.WrapError(inbox.EINTERNAL, err, "")
	}
	at := toDBTime(t.TriagedAt)
	if t.TriagedAt.IsZero() {
		at = now
	}
	return triageRow{
		MessageID: t.MessageID, ConversationID: conversationID, AdministrationID: t.Administration,
		Confidence: t.Confidence, Language: t.Language, Priority: string(t.Priority),
		NeedsHuman: t.NeedsHuman, Result: string(result), TriagedAt: at,
	}, nil
}

// validTriage refuses a triage the store cannot save.
func validTriage(t *inbox.Triage) error {
	if !t.Priority.Valid() || t.Administration == "" {
		return inbox.Errorf(inbox.EINVALID, "Triage needs an administration and a known priority.")
	}
	return nil
}

// savePostgresTriage does what saveTriage, touchTriaged and
// copyTriageFacets do, in one statement: ingest saves a triage for nearly every message, and a
// statement is cheaper than a transaction of two. PostgreSQL runs a
// data-modifying WITH part whether or not the rest reads it; upd sees
// message_triage as it was before ins, which is all it asks about (a
// later message's triage).
func savePostgresTriage(db *gorm.DB, row *triageRow, t *inbox.Triage, now dbTime) error {
	f, err := facetsOf(t)
	if err != nil {
		return err
	}
	args := append(row.upsertArgs(),
		f.Language, f.Priority, f.NeedsHuman, f.Sensitive, f.Tags, f.Language, f.Priority, now,
		row.ConversationID, row.ConversationID, row.MessageID)
	var saved int64
	err = db.Raw(`WITH ins AS (`+upsertTriageSQL+` RETURNING message_id),
		upd AS (
			UPDATE conversations SET triage_language = ?, triage_priority = ?, triage_needs_human = ?,
				triage_sensitive = ?, triage_tags = ?,
				updated_at = CASE WHEN `+triageChangedSQL+` THEN ? ELSE updated_at END
			WHERE id = ? AND EXISTS (SELECT 1 FROM ins)
				AND NOT EXISTS (SELECT 1 FROM message_triage t WHERE t.conversation_id = ? AND t.message_id > ?)
			RETURNING id)
		SELECT count(*) FROM ins`, args...).Scan(&saved).Error
	switch {
	case err != nil:
		return err
	case saved == 0:
		return row.notInConversation()
	}
	return nil
}

// upsertTriageSQL inserts or replaces the triage of a message, only if the
// message belongs to the conversation; its arguments are upsertArgs.
const upsertTriageSQL = `INSERT INTO message_triage ` + triageColumns + `
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?)
		ON CONFLICT (message_id) DO UPDATE SET
			administration_id = excluded.administration_id, confidence = excluded.confidence,
			language = excluded.language, priority = excluded.priority, needs_human = excluded.needs_human,
			result = excluded.result, triaged_at = excluded.triaged_at`

// triageColumns are the columns a triage is inserted with, in the order
// of upsertArgs.
const triageColumns = "(message_id, conversation_id, administration_id, confidence, language, priority, needs_human, result, triaged_at)"

// upsertArgs are upsertTriageSQL's arguments for r.
func (r *triageRow) upsertArgs() []any {
	return []any{r.MessageID, r.ConversationID, r.AdministrationID, r.Confidence, r.Language, r.Priority,
		r.NeedsHuman, r.Result, r.TriagedAt, r.MessageID, r.ConversationID}
}

// notInConversation is the error for a triage whose message is not in its
// conversation.
func (r *triageRow) notInConversation() error {
	return inbox.Errorf(inbox.ENOTFOUND, "Message %d is not in conversation %d.", r.MessageID, r.ConversationID)
}

// saveTriage inserts or replaces the triage of a message, in one statement
// that also checks the message belongs to the conversation.
func saveTriage(tx *gorm.DB, row *triageRow) error {
	res := tx.Exec(upsertTriageSQL, row.upsertArgs()...)
	switch {
	case res.Error != nil:
		return res.Error
	case res.RowsAffected == 0:
		return row.notInConversation()
	}
	return nil
}

// SaveTriageSuggestions replaces the stored triage of t.MessageID with t
// when it is still the triage made at t.TriagedAt, and reports whether it
// was. The conversation's facets do not depend on the links and stay.
func (s *Store) SaveTriageSuggestions(ctx context.Context, t *inbox.Triage) (bool, error) {
	result, err := json.Marshal(t)
	if err != nil {
		return false, inbox.WrapError(inbox.EINTERNAL, err, "")
	}
	res := s.conn(ctx).Model(&triageRow{}).
		Where("message_id = ? AND triaged_at = ?", t.MessageID, toDBTime(t.TriagedAt)).
		Update("result", string(result))
	if res.Error != nil {
		return false, translate(res.Error, "Triage")
	}
	return res.RowsAffected > 0, nil
}

// FindTriage returns the triage of the conversation's latest triaged
// message, or ENOTFOUND.
func (s *Store) FindTriage(ctx context.Context, conversationID int64) (*inbox.Triage, error) {
	var row triageRow
	err := s.conn(ctx).Where("conversation_id = ?", conversationID).
		Order("message_id DESC").Take(&row).Error
	if err != nil {
		return nil, translate(err, "Triage")
	}
	return row.toDomain()
}

// attachTriage sets each conversation's Triage to that of its latest
// triaged message, in one query.
func (s *Store) attachTriage(ctx context.Context, convs []*inbox.Conversation) error {
	if len(convs) == 0 {
		return nil
	}
	ids := make([]int64, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	rows, err := s.latestTriage(ctx, ids)
	if err != nil {
		return translate(err, "Triage")
	}
	byConv := make(map[int64]*inbox.Triage, len(rows))
	for i := range rows {
		t, err := rows[i].toDomain()
		if err != nil {
			return err
		}
		byConv[rows[i].ConversationID] = t
	}
	for _, c := range convs {
		c.Triage = byConv[c.ID]
	}
	return nil
}

// latestTriage returns the latest triage of each of the conversations.
// On PostgreSQL each conversation's is one backward step on the
// (conversation_id, message_id) index; an IN over the grouped maxima reads
// every entry of the listed conversations first, twenty times slower on a
// page of 50.
func (s *Store) latestTriage(ctx context.Context, ids []int64) ([]triageRow, error) {
	var rows []triageRow
	if s.db.Dialect() == DialectPostgres {
		err := s.conn(ctx).Raw(`SELECT t.* FROM unnest(CAST(? AS bigint[])) AS c(id)
			CROSS JOIN LATERAL (SELECT * FROM message_triage mt WHERE mt.conversation_id = c.id ORDER BY mt.message_id DESC LIMIT 1) t`,
			pgBigintArray(ids)).Scan(&rows).Error
		return rows, err
	}
	latest := s.conn(ctx).Model(&triageRow{}).Select("MAX(message_id)").Where("conversation_id IN ?", ids).Group("conversation_id")
	err := s.conn(ctx).Where("message_id IN (?)", latest).Find(&rows).Error
	return rows, err
}

// pgBigintArray writes ids as a PostgreSQL array literal.
func pgBigintArray(ids []int64) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte('}')
	return b.String()
}

// FindRoutingExamples returns the people's corrections of triage, newest
// first: for each routed conversation, the citizen's message whose triage
// the person overrode (see correctedTriageSQL), once per text and
// administration. Conversations marked spam, texts removed by the citizen
// and texts whose personal data was removed teach nothing.
func (s *Store) FindRoutingExamples(ctx context.Context, limit int) ([]inbox.RoutingExample, error) {
	if limit <= 0 {
		return nil, inbox.Errorf(inbox.EINVALID, "The limit must be positive.")
	}
	var rows []struct {
		MessageID        int64  `gorm:"column:message_id"`
		Text             string `gorm:"column:text"`
		AdministrationID string `gorm:"column:administration_id"`
	}
	err := s.conn(ctx).Raw(routingExamplesSQL, string(inbox.DirectionInbound), string(inbox.StatusSpam),
		true, inbox.DeletedText, limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "Triage")
	}
	out := make([]inbox.RoutingExample, len(rows))
	for i, r := range rows {
		out[i] = inbox.RoutingExample{MessageID: r.MessageID, Text: r.Text, AdministrationID: r.AdministrationID}
	}
	return out, nil
}

// correctedTriageSQL is, for conversation c, the message id of the triage
// a person saw when they last routed it: that of the latest triaged
// citizen message stored by then. A message that came after the routing
// (a "Tack!") was not what they routed. A conversation with no route in
// its audit trail falls back to its latest triaged message.
const correctedTriageSQL = `(SELECT mt.message_id FROM message_triage mt
		JOIN messages tm ON tm.id = mt.message_id
		WHERE mt.conversation_id = c.id AND tm.direction = ?
			AND tm.created_at <= COALESCE((SELECT MAX(a.created_at) FROM audit_entries a
				WHERE a.conversation_id = c.id AND a.action = '` + inbox.ActionRoute + `'), tm.created_at)
		ORDER BY mt.message_id DESC LIMIT 1)`

// routingExamplesSQL selects the corrections: conversations routed to
// another administration than the corrected triage proposed, or whose
// triage needed a human, not spam and still holding their personal data,
// with a text left to learn from; identical texts for one administration
// count once, as their newest message. Its arguments are the inbound
// direction, the spam status, true, inbox.DeletedText and the limit.
const routingExamplesSQL = `SELECT MAX(e.message_id) AS message_id, e.text, e.administration_id FROM (
		SELECT t.message_id, m.text, c.administration_id
		FROM conversations c
		JOIN message_triage t ON t.message_id = ` + correctedTriageSQL + `
		JOIN messages m ON m.id = t.message_id
		WHERE c.administration_id <> '' AND c.status <> ? AND c.personal_data = ''
			AND (c.administration_id <> t.administration_id OR t.needs_human = ?)
			AND m.deleted_at IS NULL AND m.text <> '' AND m.text <> ?
	) e
	GROUP BY e.text, e.administration_id
	ORDER BY MAX(e.message_id) DESC
	LIMIT ?`
