package redisq

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

// createGroup creates the stream and its consumer group unless they exist.
// The group starts at 0 so that entries published before any consumer ran
// are delivered too.
func (c *consumer) createGroup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	err := c.q.client.XGroupCreateMkStream(ctx, c.stream, c.q.opts.Group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

func isNoGroup(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "NOGROUP") }

// fetch returns up to n deliveries: first entries that other consumers
// held for longer than the lease, then new ones. Deliveries come back even
// with an error, since Redis has already assigned them to this consumer.
func (c *consumer) fetch(ctx context.Context, n int) ([]*inbox.Delivery, error) {
	var ds []*inbox.Delivery
	if !time.Now().Before(c.nextReclaim) {
		var err error
		if ds, err = c.reclaim(ctx, n); err != nil {
			return nil, err
		}
	}
	if len(ds) == n {
		return ds, nil
	}
	block := c.q.opts.Block
	if len(ds) > 0 {
		// Hand out the reclaimed entries now rather than after a block.
		block = -1
	}
	res, err := c.q.client.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group:    c.q.opts.Group,
		Consumer: c.q.opts.Consumer,
		Streams:  []string{c.stream, ">"},
		Count:    int64(n - len(ds)),
		Block:    block,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return ds, nil
	} else if err != nil {
		return ds, err
	}
	for _, s := range res {
		for _, m := range s.Messages {
			ds = c.appendDelivery(ctx, ds, m, 1)
		}
	}
	return ds, nil
}

// reclaim takes over up to n entries that have been pending for longer
// than the lease: their consumer died or lost touch with Redis, or their
// handler failed. A scan of the pending entries list runs in steps of n
// from the cursor; once it has gone through the whole list the next one
// waits a quarter of a lease.
func (c *consumer) reclaim(ctx context.Context, n int) ([]*inbox.Delivery, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	msgs, cursor, deleted, err := c.q.client.XAutoClaimWithDeleted(ctx, &redis.XAutoClaimArgs{
		Stream:   c.stream,
		Group:    c.q.opts.Group,
		Consumer: c.q.opts.Consumer,
		MinIdle:  c.q.opts.Lease,
		Start:    c.cursor,
		Count:    int64(n),
	}).Result()
	if err != nil {
		return nil, err
	}
	c.cursor = cursor
	if cursor == "0-0" {
		c.nextReclaim = time.Now().Add(c.q.opts.Lease / 4)
		c.lengthAlarm(ctx)
	}
	if len(deleted) > 0 {
		// XAUTOCLAIM has dropped them from the pending list already.
		c.log.Warn("queue: pending entries were deleted from the stream", "count", len(deleted))
	}
	var ds []*inbox.Delivery
	for i, attempt := range c.attempts(ctx, msgs) {
		ds = c.appendDelivery(ctx, ds, msgs[i], attempt)
	}
	return ds, nil
}

// attempts returns the delivery count Redis keeps for each entry, which
// XAUTOCLAIM has just incremented. A reclaimed entry has been delivered at
// least twice, even if a late ack removed it from the pending list in
// between. Should the counts be unreadable, every entry counts as a second
// delivery: XAUTOCLAIM has assigned them to this consumer and reset their
// lease already, so dropping them would burn an attempt without running
// the handler.
func (c *consumer) attempts(ctx context.Context, msgs []redis.XMessage) []int {
	out := make([]int, len(msgs))
	for i := range out {
		out[i] = 2
	}
	if len(msgs) == 0 {
		return out
	}
	pipe := c.q.client.Pipeline()
	cmds := make([]*redis.XPendingExtCmd, len(msgs))
	for i, m := range msgs {
		cmds[i] = pipe.XPendingExt(ctx, &redis.XPendingExtArgs{
			Stream: c.stream, Group: c.q.opts.Group, Start: m.ID, End: m.ID, Count: 1,
		})
	}
	if _, err := pipe.Exec(ctx); err != nil {
		c.log.Warn("queue: cannot read the delivery counts of reclaimed entries; counting them as second attempts",
			"count", len(msgs), "error", err)
		return out
	}
	for i, cmd := range cmds {
		if p := cmd.Val(); len(p) == 1 {
			out[i] = max(int(p[0].RetryCount), 2)
		}
	}
	return out
}

// appendDelivery appends the delivery of m to ds. An entry that is not a
// message of this package is moved to the dead letters with its fields as
// the body, where an operator can look at it; should that fail it stays
// pending and is tried again after the lease.
func (c *consumer) appendDelivery(ctx context.Context, ds []*inbox.Delivery, m redis.XMessage, attempt int) []*inbox.Delivery {
	d, err := delivery(c.queue, m, attempt)
	if err == nil {
		return append(ds, d)
	}
	c.log.Error("queue: malformed stream entry; dead-lettering it", "delivery_id", m.ID, "attempt", attempt, "error", err)
	fields, _ := json.Marshal(m.Values)
	raw := &inbox.Delivery{ID: m.ID, Queue: c.queue, Body: fields, Attempt: attempt, PublishedAt: entryTime(m.ID)}
	dctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	if _, err := c.DeadLetter(dctx, raw, queueworker.Failure{Error: err.Error(), At: time.Now().UTC()}); err != nil {
		c.log.Error("queue: cannot dead-letter the malformed entry; it will be tried again after the lease",
			"delivery_id", m.ID, "error", err)
	}
	return ds
}

// Ack acknowledges and deletes the entry of d in one transaction, with
// the entries other handlers acknowledge at the same time (see ackEntries).
// Deleting keeps the stream from growing forever; it is safe because each
// stream has one consumer group. It reports whether the entry was still
// pending.
func (c *consumer) Ack(ctx context.Context, d *inbox.Delivery) (bool, error) {
	return c.acks.Do(ctx, d.ID)
}

// Renew resets the idle time of the entry of d, so that XAUTOCLAIM leaves
// it with this consumer for another lease. It reports false when the entry
// is no longer pending with this consumer.
func (c *consumer) Renew(ctx context.Context, d *inbox.Delivery) (bool, error) {
	n, err := idleScript.Run(ctx, c.q.client, []string{c.stream},
		c.q.opts.Group, d.ID, c.q.opts.Consumer, 0).Int()
	return n == 1, err
}

// leaveScript deletes a consumer from its group unless entries are still
// pending with it; deleting those would lose them. It runs in Redis so that
// no read can assign an entry between the check and the delete.
var leaveScript = redis.NewScript(`
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then
	return 0
end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
`)

// leave removes this consumer from the group when it holds nothing, so
// that consumer names, unique per process, do not pile up in the group.
func (c *consumer) leave(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	err := leaveScript.Run(ctx, c.q.client, []string{c.stream}, c.q.opts.Group, c.q.opts.Consumer).Err()
	// A missing group (NOGROUP, wrapped in the script error) leaves
	// nothing to clean up.
	if err != nil && !isNoGroupText(err) {
		c.log.Warn("queue: cannot leave the consumer group", "error", err)
	}
}
