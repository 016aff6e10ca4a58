package sqlq

import (
	"context"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

var (
	_ inbox.DeadLetters   = (*Queue)(nil)
	_ inbox.StatsReporter = (*Queue)(nil)
)

// retrySQL gives a claim's lease back early: the message is ready again
// after the delay. Arguments: delay in milliseconds, id, attempt, consumer.
const retrySQL = `UPDATE queue_messages SET available_at = NOW + ?, leased_by = ''
WHERE id = ? AND attempt = ? AND leased_by = ?`

// takeSQL deletes a message while the claim being dead-lettered still holds
// it, and returns it for the insert into queue_dead_letters in the same
// transaction. Deleting first locks the row, so a concurrent claim cannot
// slip in between.
const takeSQL = `DELETE FROM queue_messages WHERE id = ? AND attempt = ? AND leased_by = ?
RETURNING queue, key, body, headers, attempt, published_at`

const burySQL = `INSERT INTO queue_dead_letters
(queue, message_id, key, body, headers, attempts, error, published_at, failed_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

const deadColumns = `id, queue, message_id, key, body, headers, attempts, error, published_at, failed_at`

// deadRow is a row of queue_dead_letters.
type deadRow struct {
	ID          int64
	Queue       string
	MessageID   int64
	Key         string
	Body        []byte
	Headers     string
	Attempts    int
	Error       string
	PublishedAt int64
	FailedAt    int64
}

// Retry makes the message of d ready again after delay.
func (c *consumer) Retry(ctx context.Context, d *inbox.Delivery, delay time.Duration) (bool, error) {
	id, err := parseID(d.ID)
	if err != nil {
		return false, err
	}
	var n int64
	err = c.q.write(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(c.q.dialect.retry, delay.Milliseconds(), id, d.Attempt, c.q.opts.Consumer)
		n = res.RowsAffected
		return res.Error
	})
	return n > 0, err
}

// DeadLetter moves the message of d to queue_dead_letters in one
// transaction.
func (c *consumer) DeadLetter(ctx context.Context, d *inbox.Delivery, f queueworker.Failure) (bool, error) {
	id, err := parseID(d.ID)
	if err != nil {
		return false, err
	}
	moved := false
	err = c.q.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []struct {
			Queue       string
			Key         string
			Body        []byte
			Headers     string
			Attempt     int
			PublishedAt int64
		}
		if err := tx.Raw(takeSQL, id, d.Attempt, c.q.opts.Consumer).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		r := rows[0]
		moved = true
		return tx.Exec(burySQL, r.Queue, id, r.Key, r.Body, r.Headers, r.Attempt, f.Error,
			r.PublishedAt, f.At.UnixMilli()).Error
	})
	return moved, err
}

// DeadLetters returns up to limit dead letters of queue after the id after.
func (q *Queue) DeadLetters(ctx context.Context, queue, after string, limit int) ([]*inbox.DeadLetter, error) {
	from := int64(0)
	if after != "" {
		var err error
		if from, err = parseID(after); err != nil {
			return nil, err
		}
	}
	var rows []deadRow
	err := q.gorm.WithContext(ctx).Raw(`SELECT `+deadColumns+` FROM queue_dead_letters
WHERE queue = ? AND id > ? ORDER BY id LIMIT ?`, queue, from, limit).Scan(&rows).Error
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	out := make([]*inbox.DeadLetter, len(rows))
	for i, r := range rows {
		out[i] = r.deadLetter()
	}
	return out, nil
}

// DeadLetter returns one dead letter of queue.
func (q *Queue) DeadLetter(ctx context.Context, queue, id string) (*inbox.DeadLetter, error) {
	n, err := parseDeadID(id)
	if err != nil {
		return nil, err
	}
	var rows []deadRow
	err = q.gorm.WithContext(ctx).Raw(`SELECT `+deadColumns+` FROM queue_dead_letters
WHERE queue = ? AND id = ?`, queue, n).Scan(&rows).Error
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	if len(rows) == 0 {
		return nil, deadNotFound(queue, id)
	}
	return rows[0].deadLetter(), nil
}

// Replay moves a dead letter back onto its queue in one transaction.
func (q *Queue) Replay(ctx context.Context, queue, id string) (string, error) {
	n, err := parseDeadID(id)
	if err != nil {
		return "", err
	}
	var newID int64
	err = q.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []deadRow
		err := tx.Raw(`DELETE FROM queue_dead_letters WHERE queue = ? AND id = ?
RETURNING `+deadColumns, queue, n).Scan(&rows).Error
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return deadNotFound(queue, id)
		}
		r := rows[0]
		return tx.Raw(q.dialect.publish, r.Queue, r.Key, r.Body, r.Headers).Scan(&newID).Error
	})
	if err != nil {
		return "", unavailable(err)
	}
	q.wake.wake(queue)
	return strconv.FormatInt(newID, 10), nil
}

// Drop deletes a dead letter.
func (q *Queue) Drop(ctx context.Context, queue, id string) error {
	n, err := parseDeadID(id)
	if err != nil {
		return err
	}
	res := q.gorm.WithContext(ctx).Exec(`DELETE FROM queue_dead_letters WHERE queue = ? AND id = ?`, queue, n)
	if res.Error != nil {
		return unavailable(res.Error)
	}
	if res.RowsAffected == 0 {
		return deadNotFound(queue, id)
	}
	return nil
}

// Rewrite replaces a dead letter's body and headers; its id and the rest
// stay.
func (q *Queue) Rewrite(ctx context.Context, queue, id string, body []byte, headers map[string]string) (string, error) {
	n, err := parseDeadID(id)
	if err != nil {
		return "", err
	}
	h, err := encodeHeaders(headers)
	if err != nil {
		return "", err
	}
	res := q.gorm.WithContext(ctx).Exec(`UPDATE queue_dead_letters SET body = ?, headers = ? WHERE queue = ? AND id = ?`,
		body, h, queue, n)
	if res.Error != nil {
		return "", unavailable(res.Error)
	}
	if res.RowsAffected == 0 {
		return "", deadNotFound(queue, id)
	}
	return id, nil
}

// QueueStats counts the messages and dead letters of queue, and ages its
// oldest message, on the database clock.
func (q *Queue) QueueStats(ctx context.Context, queue string) (inbox.QueueStats, error) {
	var row struct {
		Length, Pending, Oldest, Now, Dead int64
	}
	err := q.gorm.WithContext(ctx).Raw(q.dialect.stats, queue, queue, queue, queue).Scan(&row).Error
	if err != nil {
		return inbox.QueueStats{}, unavailable(err)
	}
	s := inbox.QueueStats{Length: row.Length, Pending: row.Pending, DeadLetters: row.Dead}
	if row.Length > 0 {
		s.OldestAge = max(time.Duration(row.Now-row.Oldest)*time.Millisecond, 0)
	}
	return s, nil
}

// statsSQL counts in one statement. Arguments: queue four times.
const statsSQL = `SELECT
(SELECT COUNT(*) FROM queue_messages WHERE queue = ?) AS length,
(SELECT COUNT(*) FROM queue_messages WHERE queue = ? AND leased_by <> '' AND available_at > NOW) AS pending,
(SELECT COALESCE(MIN(published_at), 0) FROM queue_messages WHERE queue = ?) AS oldest,
NOW AS now,
(SELECT COUNT(*) FROM queue_dead_letters WHERE queue = ?) AS dead`

func (r deadRow) deadLetter() *inbox.DeadLetter {
	headers, _ := decodeHeaders(r.Headers)
	return &inbox.DeadLetter{
		ID:          strconv.FormatInt(r.ID, 10),
		Queue:       r.Queue,
		MessageID:   strconv.FormatInt(r.MessageID, 10),
		Key:         r.Key,
		Body:        r.Body,
		Headers:     headers,
		Attempts:    r.Attempts,
		Error:       r.Error,
		PublishedAt: time.UnixMilli(r.PublishedAt).UTC(),
		FailedAt:    time.UnixMilli(r.FailedAt).UTC(),
	}
}

func parseID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, inbox.WrapError(inbox.EINVALID, err, "Invalid delivery id %q.", id)
	}
	return n, nil
}

// parseDeadID parses a dead letter id; one that cannot exist is not found.
func parseDeadID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, inbox.Errorf(inbox.EINVALID, "Invalid dead letter id %q.", id)
	}
	return n, nil
}

func deadNotFound(queue, id string) error {
	return inbox.Errorf(inbox.ENOTFOUND, "Dead letter %s of queue %s not found.", id, queue)
}

// unavailable wraps a database error, keeping domain errors as they are.
func unavailable(err error) error {
	if _, ok := errors.AsType[*inbox.Error](err); ok {
		return err
	}
	return inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
}
