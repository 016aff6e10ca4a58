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
	// Bystander marks the triage of a reply in a comment thread by
	// someone other than the thread's citizen (see bystanderReply): it
	// does not become the conversation's.
	Bystander bool `gorm:"column:bystander"`
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
// replacing an earlier one. The conversation takes its facets when it is
// the triage of its latest triaged message, or as a bystander's (see
// bystanderReply, triageFacets.setForBystander). A triage that changes the
// conversation's language or priority moves its updated_at, so the SLA
// watcher measures it again however late the triage comes (a hook's
// retry): the metrics and the SLA policy (urgent: 30 minutes) depend on
// them. Ingest saves a new message's triage with the message (see
// pretriageOf); this is for the rest, which is rare.
func (s *Store) SaveTriage(ctx context.Context, conversationID int64, t *inbox.Triage) error {
	now := s.now()
	row, err := newTriageRow(conversationID, t, now)
	if err != nil {
		return err
	}
	f, err := facetsOf(t)
	if err != nil {
		return err
	}
	return translate(s.inTx(ctx, func(tx *gorm.DB) error {
		if row.Bystander, err = bystanderMessage(tx, row.MessageID); err != nil {
			return err
		}
		if err := saveTriage(tx, &row); err != nil {
			return err
		}
		set := f.columns()
		q := tx.Model(&conversationRow{}).Where("id = ?", row.ConversationID)
		changed, changedArgs := triageChangedSQL, []any{f.Language, f.Priority}
		if row.Bystander {
			f.setForBystander(set)
			changed = "CASE WHEN triage_priority = '' THEN " + triageChangedSQL + " ELSE (? AND triage_priority <> ?) END"
			urgent := string(inbox.PriorityUrgent)
			changedArgs = append(changedArgs, f.Priority == urgent, urgent)
		} else {
			q = q.Where("NOT "+laterTriagedSQL, row.MessageID)
		}
		set["updated_at"] = gorm.Expr("CASE WHEN "+changed+" THEN ? ELSE updated_at END", append(changedArgs, now)...)
		return q.Updates(set).Error
	}), "Triage")
}

// bystanderMessage reports whether the stored message id is a bystander's
// reply (see bystanderReply), from its conversation's contact.
func bystanderMessage(tx *gorm.DB, id int64) (bool, error) {
	var n int64
	err := tx.Raw(`SELECT count(*) FROM messages m
		JOIN conversations c ON c.id = m.conversation_id
		JOIN contacts ct ON ct.id = c.contact_id
		WHERE m.id = ? AND m.direction = ? AND c.channel IN ? AND m.external_id <> c.thread_key
			AND m.author_external_id <> ct.external_id`,
		id, string(inbox.DirectionInbound), []string{string(inbox.ChannelFacebookComment), string(inbox.ChannelInstagramComment)}).
		Find(&n).Error
	return n > 0, err
}

// triageChangedSQL is true for a conversation when a triage's language or
// priority (the arguments) differ from those it has.
const triageChangedSQL = "(triage_language <> ? OR triage_priority <> ?)"

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

// upsertTriageSQL inserts or replaces the triage of a message, only if the
// message belongs to the conversation; its arguments are upsertArgs.
const upsertTriageSQL = `INSERT INTO message_triage ` + triageColumns + `
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?)
		ON CONFLICT (message_id) DO UPDATE SET
			administration_id = excluded.administration_id, confidence = excluded.confidence,
			language = excluded.language, priority = excluded.priority, needs_human = excluded.needs_human,
			result = excluded.result, triaged_at = excluded.triaged_at, bystander = excluded.bystander`

// triageColumns are the columns a triage is inserted with, in the order
// of upsertArgs.
const triageColumns = "(message_id, conversation_id, administration_id, confidence, language, priority, needs_human, result, triaged_at, bystander)"

// upsertArgs are upsertTriageSQL's arguments for r.
func (r *triageRow) upsertArgs() []any {
	return []any{r.MessageID, r.ConversationID, r.AdministrationID, r.Confidence, r.Language, r.Priority,
		r.NeedsHuman, r.Result, r.TriagedAt, r.Bystander, r.MessageID, r.ConversationID}
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

// SaveTriageSuggestions stores each of ts over the stored triage of its
// message when that is still the triage made at its TriagedAt, all in one
// statement, and reports for each whether it was. The conversation's
// facets do not depend on the links and stay.
func (s *Store) SaveTriageSuggestions(ctx context.Context, ts []*inbox.Triage) ([]bool, error) {
	saved := make([]bool, len(ts))
	if len(ts) == 0 {
		return saved, nil
	}
	var set, where strings.Builder
	setArgs := make([]any, 0, 3*len(ts))
	whereArgs := make([]any, 0, 2*len(ts))
	for i, t := range ts {
		result, err := json.Marshal(t)
		if err != nil {
			return nil, inbox.WrapError(inbox.EINTERNAL, err, "")
		}
		at := toDBTime(t.TriagedAt)
		set.WriteString(" WHEN message_id = ? AND triaged_at = ? THEN ?")
		setArgs = append(setArgs, t.MessageID, at, string(result))
		if i > 0 {
			where.WriteString(" OR ")
		}
		where.WriteString("(message_id = ? AND triaged_at = ?)")
		whereArgs = append(whereArgs, t.MessageID, at)
	}
	var rows []struct {
		MessageID int64
		TriagedAt dbTime
	}
	err := s.conn(ctx).Raw("UPDATE message_triage SET result = CASE"+set.String()+" ELSE result END WHERE "+
		where.String()+" RETURNING message_id, triaged_at", append(setArgs, whereArgs...)...).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Triage")
	}
	for i, t := range ts {
		at := toDBTime(t.TriagedAt).Time()
		for _, r := range rows {
			if r.MessageID == t.MessageID && r.TriagedAt.Time().Equal(at) {
				saved[i] = true
			}
		}
	}
	return saved, nil
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

// attachTriage sets each conversation's Triage to its own, in one query:
// that of its latest triaged message that is not a bystander's (see
// bystanderReply), or else its first triaged bystander's, with the
// priority raised to urgent when a bystander's message after it was
// triaged urgent (as the conversation's facets are kept, see
// triageFacets.setForBystander).
func (s *Store) attachTriage(ctx context.Context, convs []*inbox.Conversation) error {
	if len(convs) == 0 {
		return nil
	}
	ids := make([]int64, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	rows, err := s.conversationTriage(ctx, ids)
	if err != nil {
		return translate(err, "Triage")
	}
	byConv := make(map[int64]*inbox.Triage, len(rows))
	for i := range rows {
		t, err := rows[i].Row.toDomain()
		if err != nil {
			return err
		}
		if rows[i].Raised {
			t.Priority = inbox.PriorityUrgent
		}
		byConv[rows[i].Row.ConversationID] = t
	}
	for _, c := range convs {
		c.Triage = byConv[c.ID]
	}
	return nil
}

// conversationTriageRow is a conversation's triage and whether a
// bystander's urgent message after it raised its priority.
type conversationTriageRow struct {
	Row    triageRow `gorm:"embedded"`
	Raised bool      `gorm:"column:raised"`
}

// conversationTriageSQL is, for conversation c, the message id of its
// triage (see attachTriage), for SQLite: a few steps on the
// (conversation_id, message_id) index for a conversation, whose triaged
// messages are few.
const conversationTriageSQL = `(SELECT mt.message_id FROM message_triage mt WHERE mt.conversation_id = c.id
	ORDER BY ` + citizenTriageFirstSQL + ` LIMIT 1)`

// citizenTriageFirstSQL orders the triage mt of a conversation's messages
// as attachTriage chooses among them: the citizen's, latest first, then
// the bystanders', first first.
const citizenTriageFirstSQL = "mt.bystander, CASE WHEN mt.bystander THEN mt.message_id ELSE -mt.message_id END"

// conversationTriagePostgresSQL is conversationTriageSQL's row for each
// conversation c(id) on PostgreSQL: one backward step on the
// (conversation_id, message_id) index when the latest triage is the
// citizen's, as it mostly is. A join on conversationTriageSQL reads the
// whole message_triage table instead.
const conversationTriagePostgresSQL = `SELECT * FROM (
	(SELECT * FROM message_triage mt WHERE mt.conversation_id = c.id AND NOT mt.bystander ORDER BY mt.message_id DESC LIMIT 1)
	UNION ALL
	(SELECT * FROM message_triage mt WHERE mt.conversation_id = c.id AND mt.bystander ORDER BY mt.message_id LIMIT 1)
) first LIMIT 1`

// raisedTriageSQL is true when a bystander's message after t's in its
// conversation was triaged urgent.
const raisedTriageSQL = `EXISTS (SELECT 1 FROM message_triage u WHERE u.conversation_id = t.conversation_id
	AND u.message_id > t.message_id AND u.bystander AND u.priority = '` + string(inbox.PriorityUrgent) + `')`

// conversationTriage returns the triage of each of the conversations.
func (s *Store) conversationTriage(ctx context.Context, ids []int64) ([]conversationTriageRow, error) {
	var rows []conversationTriageRow
	if s.db.Dialect() == DialectPostgres {
		err := s.conn(ctx).Raw(`SELECT t.*, `+raisedTriageSQL+` AS raised
			FROM unnest(CAST(? AS bigint[])) AS c(id) CROSS JOIN LATERAL (`+conversationTriagePostgresSQL+`) t`,
			pgBigintArray(ids)).Find(&rows).Error
		return rows, err
	}
	err := s.conn(ctx).Raw(`SELECT t.*, `+raisedTriageSQL+` AS raised FROM message_triage t
		WHERE t.message_id IN (SELECT `+conversationTriageSQL+` FROM conversations c WHERE c.id IN ?)`, ids).Find(&rows).Error
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
// citizen message stored by then, not a bystander's reply in a comment
// thread unless there is no other, chosen as attachTriage chooses. A message that came
// after the routing (a "Tack!") was not what they routed. A conversation
// with no route in its audit trail falls back to its latest triaged
// message.
const correctedTriageSQL = `(SELECT mt.message_id FROM message_triage mt
		JOIN messages tm ON tm.id = mt.message_id
		WHERE mt.conversation_id = c.id AND tm.direction = ?
			AND tm.created_at <= COALESCE((SELECT MAX(a.created_at) FROM audit_entries a
				WHERE a.conversation_id = c.id AND a.action = '` + inbox.ActionRoute + `'), tm.created_at)
		ORDER BY ` + citizenTriageFirstSQL + ` LIMIT 1)`

// routingExamplesSQL selects the corrections: conversations routed to
// another administration than the corrected triage proposed, or whose
// triage needed a human, not spam and still holding their personal data,
// with a text left to learn from, not one a data-subject request
// pseudonymised in a thread others' comments keep holding personal data; identical texts for one administration
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
			AND m.author_external_id NOT LIKE '` + pseudonymPattern + `'
	) e
	GROUP BY e.text, e.administration_id
	ORDER BY MAX(e.message_id) DESC
	LIMIT ?`
