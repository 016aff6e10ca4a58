package sqlstore

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// closedStatuses are the statuses no work queue holds; openStatuses the
// others.
var (
	closedStatuses = []string{string(inbox.StatusResolved), string(inbox.StatusSpam)}
	openStatuses   = []string{string(inbox.StatusNew), string(inbox.StatusOpen), string(inbox.StatusPending), string(inbox.StatusRouted)}
)

// conversationQuery builds the list query for filter. It fetches one row
// more than the page size, which tells whether there is a next page.
func (s *Store) conversationQuery(db *gorm.DB, f inbox.ConversationFilter) (*gorm.DB, int, error) {
	q, err := s.filtered(db.Model(&conversationRow{}), f)
	if err != nil {
		return nil, 0, err
	}
	if f.Queue != "" {
		q = queueScope(q, f.Queue, f.ViewerID, filterNow(f))
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, f.Sort)
		if err != nil {
			return nil, 0, err
		}
		q = c.where(q)
	}
	limit := pageSize(f.Limit)
	if f.Sort == inbox.SortOldestWaiting {
		// NULLS LAST matches the index order on PostgreSQL, so the index serves
		// the sort; SQLite would otherwise put NULLs (nothing waiting) first.
		q = q.Order("waiting_since ASC NULLS LAST, id ASC")
	} else {
		q = q.Order("last_message_at DESC, id DESC")
	}
	return q.Limit(limit + 1), limit, nil
}

// filtered adds every condition of f but its queue, cursor and order.
func (s *Store) filtered(q *gorm.DB, f inbox.ConversationFilter) (*gorm.DB, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	in := func(column string, values any, n int) {
		if n > 0 {
			q = q.Where(column+" IN ?", values)
		}
	}
	in("status", strs(f.Status), len(f.Status))
	in("channel", strs(f.Channel), len(f.Channel))
	in("administration_id", f.AdministrationID, len(f.AdministrationID))
	in("account_id", f.AccountID, len(f.AccountID))
	in("triage_language", f.Language, len(f.Language))
	in("triage_priority", strs(f.Priority), len(f.Priority))
	switch {
	case f.Unassigned && len(f.AssigneeID) > 0:
		q = q.Where("(assignee_id IS NULL OR assignee_id IN ?)", f.AssigneeID)
	case f.Unassigned:
		q = q.Where("assignee_id IS NULL")
	default:
		in("assignee_id", f.AssigneeID, len(f.AssigneeID))
	}
	if len(f.Tag) > 0 {
		cond, args := tagCondition(q.Dialector.Name(), f.Tag)
		q = q.Where(cond, args...)
	}
	if f.Sensitive != nil {
		q = q.Where("triage_sensitive = ?", *f.Sensitive)
	}
	if f.NeedsHuman != nil {
		q = q.Where("triage_needs_human = ?", *f.NeedsHuman)
	}
	if !f.Since.IsZero() {
		q = q.Where("last_message_at >= ?", toDBTime(f.Since))
	}
	if !f.Until.IsZero() {
		q = q.Where("last_message_at < ?", toDBTime(f.Until))
	}
	if f.Text != "" {
		q = s.textCondition(q, f.Text)
	}
	return q, nil
}

// tagCondition matches conversations carrying any of tags, set by staff or
// by triage. Both columns hold JSON arrays of strings; a tag matches an
// element exactly (case and all), the same on SQLite and PostgreSQL, so
// the filter's tags must be normalized as stored ones are.
func tagCondition(dialect string, tags []string) (string, []any) {
	elements := func(column string) string {
		// A conversation stored before it had tags holds '' (or a triage
		// without tags JSON null): no elements.
		array := "CASE WHEN " + column + " LIKE '[%' THEN " + column + " ELSE '[]' END"
		if dialect == DialectPostgres {
			return "jsonb_array_elements_text((" + array + ")::jsonb)"
		}
		return "json_each(" + array + ")"
	}
	return "(EXISTS (SELECT 1 FROM " + elements("staff_tags") + " WHERE value IN ?)" +
		" OR EXISTS (SELECT 1 FROM " + elements("triage_tags") + " WHERE value IN ?))", []any{tags, tags}
}

// escapeLike escapes LIKE's wildcards in s, for ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// filterNow returns the time the filter's snoozes are judged at.
func filterNow(f inbox.ConversationFilter) dbTime {
	if f.Now.IsZero() {
		return toDBTime(time.Now())
	}
	return toDBTime(f.Now)
}

// queueScope keeps the conversations in queue k, as seen by viewer at now.
// This is the one definition of the queues, for lists and counts alike.
func queueScope(q *gorm.DB, k inbox.WorkQueue, viewer int64, now dbTime) *gorm.DB {
	cond, args := queueCondition(k, viewer, now)
	return q.Where(cond, args...)
}

// queueCondition returns the SQL condition of queue k with its arguments.
func queueCondition(k inbox.WorkQueue, viewer int64, now dbTime) (string, []any) {
	const awake = "(snoozed_until IS NULL OR snoozed_until <= ?)"
	switch k {
	case inbox.QueueUnassigned:
		// A thread only the city has written in (its own comment on its
		// post, a message sent from Meta Business Suite) is no question
		// to take until the citizen writes.
		return "status IN ? AND assignee_id IS NULL AND last_inbound_at IS NOT NULL AND " + awake,
			[]any{[]string{string(inbox.StatusNew), string(inbox.StatusOpen)}, now}
	case inbox.QueueMine:
		return "assignee_id = ? AND status NOT IN ? AND " + awake, []any{viewer, closedStatuses, now}
	case inbox.QueueDepartment:
		return "status = ? AND " + awake, []any{string(inbox.StatusRouted), now}
	case inbox.QueuePending:
		return "status = ? AND " + awake, []any{string(inbox.StatusPending), now}
	case inbox.QueueSnoozed:
		return "snoozed_until > ? AND status NOT IN ?", []any{now, closedStatuses}
	case inbox.QueueAtRisk:
		return "status NOT IN ? AND " + awake + " AND " + atRiskSQL, []any{closedStatuses, now, true, now, now}
	}
	return "1 = 0", nil
}

// strs converts values of a string type to plain strings for the driver.
func strs[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
