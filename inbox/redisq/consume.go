package redisq

import (
	"context"
	"log/slog"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/batch"
	"inkorg/inbox/queueworker"
)

// commandTimeout bounds the commands a consumer runs besides the blocking
// read. They run on a context that Consume's cancellation does not reach,
// so entries that Redis has handed to this consumer are never thrown away
// half-read.
const commandTimeout = 5 * time.Second

// Consume delivers the entries of queue's stream to h, at most concurrency
// at a time, until ctx is done; then it waits for the handlers in flight,
// acknowledges those that succeeded, leaves the consumer group if it holds
// nothing and returns nil. A Redis outage does not end it: it logs, backs
// off and goes on when Redis is back.
func (q *Queue) Consume(ctx context.Context, queue string, concurrency int, h inbox.Handler) error {
	if err := inbox.ValidateConsume(queue, concurrency, h); err != nil {
		return err
	}
	c := newConsumer(q, queue)
	// XREADGROUP BLOCK does the waiting for entries, so there is no Idle.
	queueworker.Run(ctx, c, h, queueworker.Options{
		Concurrency: concurrency,
		Lease:       q.opts.Lease,
		Policy:      q.opts.Policy,
		Logger:      c.log,
		Reachable:   "queue: Redis reachable again",
		LeaseLost:   "queue: lease expired before the ack; another consumer took the message over",
	})
	c.leave(context.WithoutCancel(ctx))
	return nil
}

// newConsumer returns this process's consumer of queue.
func newConsumer(q *Queue, queue string) *consumer {
	c := &consumer{
		q:      q,
		queue:  queue,
		stream: q.stream(queue),
		cursor: "0-0",
		log:    q.log.With("queue", queue),
	}
	c.acks = batch.New(maxAckBatch, commandTimeout, c.ackEntries)
	return c
}

// consumer is this process's consumer in the group of one stream, for one
// Consume call: the queueworker.Source of the stream. Only Claim changes
// its other fields, and queueworker.Run calls it from one goroutine.
type consumer struct {
	q      *Queue
	queue  string
	stream string
	// grouped is set once the stream and its consumer group exist.
	grouped bool
	// cursor is where the next XAUTOCLAIM scan of the pending entries
	// starts; nextReclaim is when the next scan is due.
	cursor      string
	nextReclaim time.Time
	log         *slog.Logger
	// acks batches the handlers' acks (see ackEntries).
	acks *batch.Batcher[string, bool]
}

// Claim creates the stream and its group if need be, then reads up to n
// entries.
func (c *consumer) Claim(ctx context.Context, n int) ([]*inbox.Delivery, error) {
	if !c.grouped {
		if err := c.createGroup(ctx); err != nil {
			return nil, &queueworker.ClaimError{Msg: "queue: cannot create the consumer group; retrying", Err: err}
		}
		c.grouped = true
	}
	ds, err := c.fetch(ctx, n)
	if err != nil {
		// The stream or its group was deleted: create them again.
		c.grouped = !isNoGroup(err)
		return ds, &queueworker.ClaimError{Msg: "queue: cannot read the stream; retrying", Err: err}
	}
	return ds, nil
}
