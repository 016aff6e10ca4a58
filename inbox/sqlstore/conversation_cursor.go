package sqlstore

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// listCursor is the position after the last row of a page: the row's sort
// key (zero for a NULL waiting time) and its id.
type listCursor struct {
	sort inbox.Sort
	at   time.Time
	id   int64
}

// cursorAfter returns the opaque cursor of the position after row in a
// list ordered by sort.
func cursorAfter(sort inbox.Sort, row *conversationRow) string {
	at := row.LastMessageAt.Time()
	prefix := "n"
	if sort == inbox.SortOldestWaiting {
		at, prefix = row.WaitingSince.Time(), "w"
	}
	key := "-"
	if !at.IsZero() {
		key = strconv.FormatInt(at.UnixNano(), 10)
	}
	raw := prefix + ":" + key + ":" + strconv.FormatInt(row.ID, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeCursor parses a cursor made by cursorAfter for the same sort.
func decodeCursor(cursor string, sort inbox.Sort) (listCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return listCursor{}, badCursor(err)
	}
	parts := strings.Split(string(raw), ":")
	want := "n"
	if sort == inbox.SortOldestWaiting {
		want = "w"
	}
	if len(parts) != 3 || parts[0] != want {
		return listCursor{}, badCursor(fmt.Errorf("cursor %q is not for sort %q", raw, sort))
	}
	c := listCursor{sort: sort}
	if parts[1] != "-" {
		n, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return listCursor{}, badCursor(err)
		}
		c.at = time.Unix(0, n).UTC()
	} else if sort != inbox.SortOldestWaiting {
		return listCursor{}, badCursor(fmt.Errorf("no time in %q", raw))
	}
	if c.id, err = strconv.ParseInt(parts[2], 10, 64); err != nil || c.id <= 0 {
		return listCursor{}, badCursor(fmt.Errorf("bad id in %q", raw))
	}
	return c, nil
}

// where keeps the rows after the cursor in its sort order.
func (c listCursor) where(q *gorm.DB) *gorm.DB {
	if c.sort != inbox.SortOldestWaiting {
		t := toDBTime(c.at)
		// A row comparison: PostgreSQL starts the index scan at the
		// cursor, where the same condition spelt with OR read every row
		// of the pages before it again.
		return q.Where("(last_message_at, id) < (?, ?)", t, c.id)
	}
	if c.at.IsZero() {
		return q.Where("waiting_since IS NULL AND id > ?", c.id)
	}
	t := toDBTime(c.at)
	return q.Where("(waiting_since IS NULL OR waiting_since > ? OR (waiting_since = ? AND id > ?))", t, t, c.id)
}

func badCursor(err error) error {
	return inbox.WrapError(inbox.EINVALID, err, "Invalid page cursor; start again from the first page.")
}

// CountQueues counts the conversations matching filter in each queue, in
// one query over the conversations no queue excludes by status; without
// other filters it reads only the conversations_queue index.
func (s *Store) CountQueues(ctx context.Context, filter inbox.ConversationFilter) (inbox.WorkQueueCounts, error) {
	filter.Queue = ""
	q, err := s.filtered(s.conn(ctx).Model(&conversationRow{}), filter)
	if err != nil {
		return nil, err
	}
	now := filterNow(filter)
	var cols []string
	var args []any
	for i, k := range inbox.WorkQueues {
		cond, a := queueCondition(k, filter.ViewerID, now)
		cols = append(cols, fmt.Sprintf("COALESCE(SUM(CASE WHEN %s THEN 1 ELSE 0 END), 0) AS q%d", cond, i))
		args = append(args, a...)
	}
	var sums []int64
	row := q.Where("status IN ?", openStatuses).Select(strings.Join(cols, ", "), args...).Row()
	sums = make([]int64, len(inbox.WorkQueues))
	dest := make([]any, len(sums))
	for i := range sums {
		dest[i] = &sums[i]
	}
	if err := row.Scan(dest...); err != nil {
		return nil, translate(err, "Conversation")
	}
	counts := make(inbox.WorkQueueCounts, len(sums))
	for i, k := range inbox.WorkQueues {
		counts[k] = int(sums[i])
	}
	return counts, nil
}
