package sqlq

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

// dialect holds the statements that differ between SQLite and PostgreSQL.
// Placeholders are gorm's ?, which gorm rewrites to $n for PostgreSQL.
type dialect struct {
	name    string
	publish string
	claim   string
	ack     string
	renew   string
	retry   string
	stats   string
}

// Current time in Unix milliseconds, from the database clock so that every
// consumer, on any host, measures leases against the same clock. now() is
// the start of the transaction, which on PostgreSQL is the one statement;
// unlike clock_timestamp() it is stable, so the claim's condition on
// available_at is an index range rather than a filter run on every row.
const (
	sqliteNow   = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
	postgresNow = "CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)"
)

const publishSQL = `INSERT INTO queue_messages (queue, key, body, headers, attempt, published_at, available_at, leased_by)
VALUES (?, ?, ?, ?, 0, NOW, NOW, '') RETURNING id`

// claimSQL leases up to n ready messages in one statement. Arguments:
// consumer, lease in milliseconds, queue, n. The oldest ready messages go
// first; the order follows the (queue, available_at, id) index, so the
// subquery stops after n rows. LOCKING is FOR UPDATE SKIP LOCKED on
// PostgreSQL, where consumers claim concurrently and must pass over each
// other's rows rather than wait for them; SQLite serialises writers.
const claimSQL = `UPDATE queue_messages
SET attempt = attempt + 1, leased_by = ?, available_at = NOW + ?
WHERE id IN (
	SELECT id FROM queue_messages
	WHERE queue = ? AND available_at <= NOW
	ORDER BY available_at, id
	LIMIT ? LOCKING
)
RETURNING id, key, body, headers, attempt, published_at`

// ackSQL deletes a message only while the claim that is being acknowledged
// still holds it: attempt grows with every claim, so a consumer whose lease
// ran out and whose message was claimed again cannot delete the new claim.
const ackSQL = `DELETE FROM queue_messages WHERE id = ? AND attempt = ? AND leased_by = ?`

// renewSQL extends a claim's lease to a full lease from now while the claim
// still holds the message. Arguments: lease in milliseconds, id, attempt,
// consumer.
const renewSQL = `UPDATE queue_messages SET available_at = NOW + ?
WHERE id = ? AND attempt = ? AND leased_by = ?`

func dialectFor(name string) dialect {
	now, locking := sqliteNow, ""
	if name == sqlstore.DialectPostgres {
		now, locking = postgresNow, "FOR UPDATE SKIP LOCKED"
	}
	return dialect{
		name:    name,
		publish: strings.ReplaceAll(publishSQL, "NOW", now),
		claim:   strings.ReplaceAll(strings.ReplaceAll(claimSQL, "NOW", now), "LOCKING", locking),
		ack:     ackSQL,
		renew:   strings.ReplaceAll(renewSQL, "NOW", now),
		retry:   strings.ReplaceAll(retrySQL, "NOW", now),
		stats:   strings.ReplaceAll(statsSQL, "NOW", now),
	}
}

// messageRow is a row returned by the claim.
type messageRow struct {
	ID          int64
	Key         string
	Body        []byte
	Headers     string
	Attempt     int
	PublishedAt int64
}

// claim leases up to n ready messages of queue to this consumer. It commits
// before returning: no transaction stays open while handlers run.
func (q *Queue) claim(ctx context.Context, queue string, n int) ([]*inbox.Delivery, error) {
	var rows []messageRow
	err := q.write(ctx, func(tx *gorm.DB) error {
		return tx.Raw(q.dialect.claim, q.opts.Consumer, q.opts.Lease.Milliseconds(), queue, n).Scan(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	// RETURNING has no defined order.
	slices.SortFunc(rows, func(a, b messageRow) int { return cmp.Compare(a.ID, b.ID) })
	ds := make([]*inbox.Delivery, 0, len(rows))
	for _, r := range rows {
		headers, err := decodeHeaders(r.Headers)
		if err != nil {
			// The row was written by Publish, so this means someone
			// edited it; deliver the body rather than block the queue.
			q.log.Error("queue: message headers are not a JSON object",
				"queue", queue, "delivery_id", r.ID, "error", err)
		}
		ds = append(ds, &inbox.Delivery{
			ID:          strconv.FormatInt(r.ID, 10),
			Queue:       queue,
			Key:         r.Key,
			Body:        r.Body,
			Headers:     headers,
			Attempt:     r.Attempt,
			PublishedAt: time.UnixMilli(r.PublishedAt).UTC(),
		})
	}
	return ds, nil
}

// ack deletes the message of d if this consumer's claim still holds it. It
// reports whether a row was deleted.
func (q *Queue) ack(ctx context.Context, d *inbox.Delivery) (bool, error) {
	id, err := parseID(d.ID)
	if err != nil {
		return false, err
	}
	var deleted int64
	err = q.write(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(q.dialect.ack, id, d.Attempt, q.opts.Consumer)
		deleted = res.RowsAffected
		return res.Error
	})
	return deleted > 0, err
}

// renew extends the lease of d if this consumer's claim still holds it. It
// reports whether it did.
func (q *Queue) renew(ctx context.Context, d *inbox.Delivery) (bool, error) {
	id, err := parseID(d.ID)
	if err != nil {
		return false, err
	}
	var n int64
	err = q.write(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(q.dialect.renew, q.opts.Lease.Milliseconds(), id, d.Attempt, q.opts.Consumer)
		n = res.RowsAffected
		return res.Error
	})
	return n > 0, err
}
