package sqlq

import (
	"context"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

// claimTimeout bounds one claim. It runs on a context that Consume's
// cancellation does not reach, so a claim that the database has committed
// is never thrown away half-read.
const claimTimeout = 10 * time.Second

// Consume delivers the messages of queue to h, at most concurrency at a
// time, until ctx is done; then it waits for the handlers in flight,
// acknowledges those that succeeded and returns nil. A database outage does
// not end it: it logs, backs off and goes on when the database is back.
func (q *Queue) Consume(ctx context.Context, queue string, concurrency int, h inbox.Handler) error {
	if err := inbox.ValidateConsume(queue, concurrency, h); err != nil {
		return err
	}
	c := &consumer{q: q, queue: queue}
	queueworker.Run(ctx, c, h, queueworker.Options{
		Concurrency: concurrency,
		Lease:       q.opts.Lease,
		Policy:      q.opts.Policy,
		Logger:      q.log.With("queue", queue),
		Idle:        c.idle,
		Reachable:   "queue: database reachable again",
	})
	return nil
}

// consumer claims and acknowledges the messages of one queue for one
// Consume call: the queueworker.Source of the queue.
type consumer struct {
	q     *Queue
	queue string
	// wake is closed by the next Publish on queue through q. Claim takes
	// it before it claims, so a Publish between a short claim and idle
	// still ends the wait.
	wake <-chan struct{}
}

// Claim leases up to n ready messages of the queue.
func (c *consumer) Claim(ctx context.Context, n int) ([]*inbox.Delivery, error) {
	c.wake = c.q.wake.wait(c.queue)
	ctx, cancel := context.WithTimeout(ctx, claimTimeout)
	defer cancel()
	return c.q.claim(ctx, c.queue, n)
}

// Ack deletes the message of d if this consumer's claim still holds it.
func (c *consumer) Ack(ctx context.Context, d *inbox.Delivery) (bool, error) {
	return c.q.ack(ctx, d)
}

// Renew extends the lease of d if this consumer's claim still holds it.
func (c *consumer) Renew(ctx context.Context, d *inbox.Delivery) (bool, error) {
	return c.q.renew(ctx, d)
}

// idle waits for the next poll, or for a Publish through q.
func (c *consumer) idle(ctx context.Context) {
	queueworker.Sleep(ctx, c.q.opts.PollInterval, c.wake)
}
