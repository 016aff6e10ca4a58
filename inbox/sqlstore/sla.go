package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

var _ inbox.SLAStore = (*Store)(nil)

type statusChangeRow struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	ConversationID int64  `gorm:"column:conversation_id"`
	Status         string `gorm:"column:status"`
	At             dbTime `gorm:"column:at"`
}

func (statusChangeRow) TableName() string { return "conversation_status_changes" }

// recordStatus appends a conversation's entering status at to its history,
// in the transaction that changes the status.
func recordStatus(tx *gorm.DB, convID int64, status inbox.Status, at dbTime) error {
	return tx.Create(&statusChangeRow{ConversationID: convID, Status: string(status), At: at}).Error
}

// recordWorkStatus records the status a staff action sets, if it sets one.
// Resolving answers what the citizen wrote before it (waitingSinceSQL), so
// the conversation's waiting time ends with it.
func recordWorkStatus(tx *gorm.DB, upd *inbox.ConversationUpdate, now dbTime) error {
	if upd == nil || upd.Status == nil {
		return nil
	}
	if err := recordStatus(tx, upd.ID, *upd.Status, now); err != nil {
		return translate(err, "Status change")
	}
	if *upd.Status != inbox.StatusResolved {
		return nil
	}
	err := tx.Model(&conversationRow{}).Where("id = ?", upd.ID).Update("waiting_since", gorm.Expr(waitingSinceSQL)).Error
	return translate(err, "Conversation")
}

// ingestStatus is a conversation's status before a message is counted in.
type ingestStatus struct {
	Status     string `gorm:"column:status"`
	ResolvedAt dbTime `gorm:"column:resolved_at"`
}

// statusBeforeMessage reads the status a new inbound message may change.
func statusBeforeMessage(tx *gorm.DB, e *inbox.Event, convID int64) (ingestStatus, error) {
	var st ingestStatus
	if e.Direction != inbox.DirectionInbound {
		return st, nil
	}
	err := tx.Model(&conversationRow{}).Select("status", "resolved_at").Where("id = ?", convID).Take(&st).Error
	return st, err
}

// recordIngestStatus records the status changes ingest makes: a new
// conversation starts as new at its first message, and a citizen writing
// after resolution, or answering while it is pending, opens it (see
// recordMessage).
func recordIngestStatus(tx *gorm.DB, e *inbox.Event, convID int64, created bool, before ingestStatus) error {
	sent := toDBTime(e.OccurredAt)
	if created {
		return recordStatus(tx, convID, inbox.StatusNew, sent)
	}
	if e.Direction != inbox.DirectionInbound {
		return nil
	}
	switch before.Status {
	case string(inbox.StatusResolved):
		if before.ResolvedAt.Time().IsZero() || before.ResolvedAt.Time().Before(sent.Time()) {
			return recordStatus(tx, convID, inbox.StatusOpen, sent)
		}
	case string(inbox.StatusPending):
		// recordMessage opened it if the message came after it was set
		// pending.
		return tx.Exec("INSERT INTO conversation_status_changes (conversation_id, status, at)"+
			" SELECT id, ?, ? FROM conversations WHERE id = ? AND status = ?"+
			" AND NOT EXISTS (SELECT 1 FROM conversation_status_changes sc WHERE sc.conversation_id = conversations.id AND sc.status = ? AND sc.at >= ?)",
			string(inbox.StatusOpen), sent, convID, string(inbox.StatusOpen), string(inbox.StatusPending), sent).Error
	}
	return nil
}

// FindStatusChanges returns a conversation's status history, oldest first.
func (s *Store) FindStatusChanges(ctx context.Context, conversationID int64) ([]inbox.StatusChange, error) {
	m, err := s.statusChanges(ctx, []int64{conversationID})
	return m[conversationID], err
}

// statusChanges returns the status histories of conversations by id.
func (s *Store) statusChanges(ctx context.Context, ids []int64) (map[int64][]inbox.StatusChange, error) {
	var rows []statusChangeRow
	if err := s.conn(ctx).Where("conversation_id IN ?", ids).Order("conversation_id, at, id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Status change")
	}
	out := make(map[int64][]inbox.StatusChange, len(ids))
	for _, r := range rows {
		out[r.ConversationID] = append(out[r.ConversationID], inbox.StatusChange{
			ConversationID: r.ConversationID, Status: inbox.Status(r.Status), At: r.At.Time(),
		})
	}
	return out, nil
}

// FindSLAInputs returns the inputs of up to limit conversations changed
// after (since, afterID), in the order of their change, leaving out those
// whose metrics were measured at their latest change (see
// inbox.SLAStore).
func (s *Store) FindSLAInputs(ctx context.Context, since time.Time, afterID int64, limit int) ([]*inbox.SLAInput, error) {
	t := toDBTime(since)
	q := s.conn(ctx).Model(&conversationRow{}).
		Where("NOT EXISTS (SELECT 1 FROM conversation_metrics m WHERE m.conversation_id = conversations.id AND m.source_updated_at = conversations.updated_at)")
	if !since.IsZero() {
		// A row comparison, which PostgreSQL reads as a range of the
		// conversations_updated index; the same condition spelt with OR
		// made it walk the index from its start at every pass.
		q = q.Where("(updated_at, id) > (?, ?)", t, afterID)
	}
	var rows []conversationRow
	if err := q.Order("updated_at, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "Conversation")
	}
	return s.slaInputs(ctx, rows)
}

// FindSLAInputsByID returns the inputs of the given conversations.
func (s *Store) FindSLAInputsByID(ctx context.Context, ids []int64) ([]*inbox.SLAInput, error) {
	var rows []conversationRow
	if err := s.conn(ctx).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Conversation")
	}
	return s.slaInputs(ctx, rows)
}

// FindRoutedIDs returns the ids, after afterID in order, of up to limit
// conversations with a department.
func (s *Store) FindRoutedIDs(ctx context.Context, afterID int64, limit int) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Model(&conversationRow{}).Where("status = ? AND id > ?", string(inbox.StatusRouted), afterID).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	if err != nil {
		return nil, translate(err, "Conversation")
	}
	return ids, nil
}

// slaInputs loads the status histories, audit entries and reply texts of
// the conversations in rows, a few queries for the whole batch.
func (s *Store) slaInputs(ctx context.Context, rows []conversationRow) ([]*inbox.SLAInput, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	convs := make([]*inbox.Conversation, len(rows))
	for i := range rows {
		ids[i], convs[i] = rows[i].ID, rows[i].toDomain()
	}
	if err := s.attachTriage(ctx, convs); err != nil {
		return nil, err
	}
	changes, err := s.statusChanges(ctx, ids)
	if err != nil {
		return nil, err
	}
	var audits []auditRow
	if err := s.conn(ctx).Where("conversation_id IN ?", ids).Order("created_at, id").Find(&audits).Error; err != nil {
		return nil, translate(err, "Audit entry")
	}
	// A reply counts once it has gone out: not while queued or sending,
	// and not when it failed or its sending is unknown.
	var replies []messageRow
	err = s.conn(ctx).Select("id", "conversation_id", "text", "sent_at").
		Where("conversation_id IN ? AND direction = ? AND delivery NOT IN ?", ids, string(inbox.DirectionOutbound), unsentDeliveries).
		Order("conversation_id, sent_at, id").Find(&replies).Error
	if err != nil {
		return nil, translate(err, "Message")
	}
	// Who sent each reply: the user of the outbound action that made it
	// (none for a reply sent from another tool), for the reports' agent.
	var senders []struct {
		MessageID int64 `gorm:"column:message_id"`
		ActorID   int64 `gorm:"column:actor_id"`
	}
	err = s.conn(ctx).Model(&outboundRow{}).Select("message_id", "actor_id").
		Where("conversation_id IN ? AND message_id IS NOT NULL AND actor_id IS NOT NULL", ids).
		Scan(&senders).Error
	if err != nil {
		return nil, translate(err, "Outbound action")
	}
	sentBy := make(map[int64]int64, len(senders))
	for _, a := range senders {
		sentBy[a.MessageID] = a.ActorID
	}
	var firsts []struct {
		ConversationID int64  `gorm:"column:conversation_id"`
		First          dbTime `gorm:"column:first"`
	}
	err = s.conn(ctx).Model(&messageRow{}).Select("conversation_id, MIN(sent_at) AS first").
		Where("conversation_id IN ? AND direction = ?", ids, string(inbox.DirectionInbound)).
		Group("conversation_id").Scan(&firsts).Error
	if err != nil {
		return nil, translate(err, "Message")
	}
	// The citizen's messages after the conversation was first resolved:
	// a question asked after a resolution has its own SLA clock.
	var later []messageRow
	err = s.conn(ctx).Select("conversation_id", "sent_at").
		Where("conversation_id IN ? AND direction = ?", ids, string(inbox.DirectionInbound)).
		Where("sent_at > (SELECT MIN(sc.at) FROM conversation_status_changes sc WHERE sc.conversation_id = messages.conversation_id AND sc.status = ?)", string(inbox.StatusResolved)).
		Order("conversation_id, sent_at, id").Find(&later).Error
	if err != nil {
		return nil, translate(err, "Message")
	}
	// The citizen's messages of the conversations where they withdrew one:
	// the SLA clock runs for what is left to answer (see Measure).
	var inbound []messageRow
	err = s.conn(ctx).Select("conversation_id", "sent_at", "deleted_at").
		Where("conversation_id IN ? AND direction = ?", ids, string(inbox.DirectionInbound)).
		Where("EXISTS (SELECT 1 FROM messages w WHERE w.conversation_id = messages.conversation_id AND w.direction = ? AND w.deleted_at IS NOT NULL)",
			string(inbox.DirectionInbound)).
		Order("conversation_id, sent_at, id").Find(&inbound).Error
	if err != nil {
		return nil, translate(err, "Message")
	}
	byID := make(map[int64]*inbox.SLAInput, len(rows))
	out := make([]*inbox.SLAInput, len(rows))
	for i, c := range convs {
		out[i] = &inbox.SLAInput{Conversation: c, Changes: changes[c.ID]}
		byID[c.ID] = out[i]
	}
	for _, f := range firsts {
		t := f.First.Time()
		byID[f.ConversationID].FirstInboundAt = &t
	}
	for i := range audits {
		in := byID[idOf(audits[i].ConversationID)]
		in.Audit = append(in.Audit, audits[i].toDomain())
	}
	for _, m := range replies {
		in := byID[m.ConversationID]
		in.Replies, in.RepliedAt = append(in.Replies, m.Text), append(in.RepliedAt, m.SentAt.Time())
		in.RepliedBy = append(in.RepliedBy, sentBy[m.ID])
	}
	for _, m := range later {
		in := byID[m.ConversationID]
		in.LaterInbound = append(in.LaterInbound, m.SentAt.Time())
	}
	for _, m := range inbound {
		in := byID[m.ConversationID]
		in.Inbound = append(in.Inbound, inbox.InboundMessage{SentAt: m.SentAt.Time(), WithdrawnAt: m.DeletedAt.Ptr()})
	}
	return out, nil
}

// FindAnswerLinks returns the URLs of the active answer-bank pages.
func (s *Store) FindAnswerLinks(ctx context.Context) ([]string, error) {
	var urls []string
	if err := s.conn(ctx).Table("answer_articles").Where("active = ?", true).Pluck("url", &urls).Error; err != nil {
		return nil, translate(err, "Answer article")
	}
	return urls, nil
}

// FindUserIDsByRole returns the ids of the users with one of the roles.
func (s *Store) FindUserIDsByRole(ctx context.Context, roles ...inbox.Role) ([]int64, error) {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	var ids []int64
	if err := s.conn(ctx).Model(&userRow{}).Where("role IN ?", names).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, translate(err, "User")
	}
	return ids, nil
}

// unresolved are the statuses of conversations still to be handled.
var unresolved = []string{string(inbox.StatusNew), string(inbox.StatusOpen), string(inbox.StatusPending), string(inbox.StatusRouted)}

// FindBacklog counts unresolved conversations by status and
// administration. One where only the city has written (no inbound
// message, so no last_inbound_at) waits for nothing.
func (s *Store) FindBacklog(ctx context.Context) ([]inbox.Backlog, error) {
	var rows []struct {
		Status           string `gorm:"column:status"`
		AdministrationID string `gorm:"column:administration_id"`
		N                int    `gorm:"column:n"`
	}
	err := s.conn(ctx).Model(&conversationRow{}).Select("status, administration_id, COUNT(*) AS n").
		Where("status IN ? AND last_inbound_at IS NOT NULL", unresolved).Group("status, administration_id").Order("status, administration_id").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "Conversation")
	}
	out := make([]inbox.Backlog, len(rows))
	for i, r := range rows {
		out[i] = inbox.Backlog{Status: inbox.Status(r.Status), AdministrationID: r.AdministrationID, Count: r.N}
	}
	return out, nil
}

// OldestUnanswered returns when the citizen wrote the oldest message, in
// an unresolved conversation, that no reply has followed: a reply counts
// once it has gone out (not queued, sending, failed or unknown). A
// reopened conversation's new question counts, as does a follow-up no one
// answered; what was written before the conversation was last resolved
// does not, nor does a message withdrawn (unsent or removed); zero when
// nobody waits. A conversation where only the city has written is not
// waiting.
func (s *Store) OldestUnanswered(ctx context.Context) (time.Time, error) {
	var first []dbTime
	err := s.conn(ctx).Table("messages i").Select("MIN(i.sent_at)").
		Joins("JOIN conversations c ON c.id = i.conversation_id").
		Where("c.status IN ? AND i.direction = ? AND i.deleted_at IS NULL", unresolved, string(inbox.DirectionInbound)).
		Where(`NOT EXISTS (SELECT 1 FROM messages o WHERE o.conversation_id = i.conversation_id
			AND o.direction = ? AND o.delivery NOT IN ? AND o.sent_at >= i.sent_at)`,
			string(inbox.DirectionOutbound), unsentDeliveries).
		Where(notResolvedSinceSQL).
		Pluck("MIN(i.sent_at)", &first).Error
	if err != nil || len(first) == 0 {
		return time.Time{}, translate(err, "Conversation")
	}
	return first[0].Time(), nil
}
