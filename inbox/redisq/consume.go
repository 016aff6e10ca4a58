package redisq

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"inkorg/inbox"
)

// Time limits of the commands a consumer runs besides the blocking read.
// They run on a context that Consume's cancellation does not reach, so
// entries that Redis has handed to this consumer are never thrown away
// half-read.
const (
	commandTimeout = 5 * time.Second
	ackTries       = 3
)

// Backoff after a failed read, while Redis is unreachable.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// Consume delivers the entries of queue's stream to h, at most concurrency
// at a time, until ctx is done; then it waits for the handlers in flight,
// acknowledges those that succeeded and returns nil. A Redis outage does
// not end it: it logs, backs off and goes on when Redis is back.
func (q *Queue) Consume(ctx context.Context, queue string, concurrency int, h inbox.Handler) error {
	if err := validateConsume(queue, concurrency, h); err != nil {
		return err
	}
	c := &consumer{
		q:      q,
		queue:  queue,
		stream: q.stream(queue),
		h:      h,
		slots:  make(chan struct{}, concurrency),
		cursor: "0-0",
		log:    q.log.With("queue", queue),
	}
	c.run(ctx)
	return nil
}

// consumer is one running Consume call.
type consumer struct {
	q      *Queue
	queue  string
	stream string
	h      inbox.Handler
	// slots holds one token per handler in flight.
	slots chan struct{}
	// cursor is where the next XAUTOCLAIM scan of the pending entries
	// starts; nextReclaim is when the next scan is due.
	cursor      string
	nextReclaim time.Time
	log         *slog.Logger
}

func (c *consumer) run(ctx context.Context) {
	// Handlers and acks outlive ctx: shutdown lets them finish.
	hctx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	defer c.leave(hctx)
	defer wg.Wait()
	grouped := false
	failures := 0
	for ctx.Err() == nil {
		if !grouped {
			if err := c.createGroup(hctx); err != nil {
				failures++
				c.retryLater(ctx, "queue: cannot create the consumer group; retrying", err, failures)
				continue
			}
			grouped = true
		}
		n := c.acquire(ctx)
		if n == 0 {
			return
		}
		ds, err := c.fetch(hctx, n)
		c.release(n - len(ds))
		for _, d := range ds {
			wg.Go(func() { c.handle(hctx, d) })
		}
		if err != nil {
			// The stream or its group was deleted: create them again.
			grouped = !isNoGroup(err)
			failures++
			c.retryLater(ctx, "queue: cannot read the stream; retrying", err, failures)
			continue
		}
		if failures > 0 {
			c.log.Info("queue: Redis reachable again", "failures", failures)
			failures = 0
		}
	}
}

// retryLater logs err and waits out the backoff for the given number of
// consecutive failures.
func (c *consumer) retryLater(ctx context.Context, msg string, err error, failures int) {
	wait := backoff(failures)
	c.log.Warn(msg, "error", err, "failures", failures, "retry_in", wait)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// acquire blocks until at least one handler slot is free and takes every
// free slot; it returns how many it took, or 0 when ctx is done first.
func (c *consumer) acquire(ctx context.Context) int {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	if ctx.Err() != nil {
		c.release(1)
		return 0
	}
	n := 1
	for n < cap(c.slots) {
		select {
		case c.slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

func (c *consumer) release(n int) {
	for range n {
		<-c.slots
	}
}

// handle runs the handler on d and acknowledges d if it succeeded.
func (c *consumer) handle(ctx context.Context, d *inbox.Delivery) {
	defer c.release(1)
	if err := c.call(ctx, d); err != nil {
		c.failed(d, err)
		return
	}
	c.acknowledge(ctx, d)
}

// call runs the handler, turning a panic into an error so that one bad
// message cannot take the worker down.
func (c *consumer) call(ctx context.Context, d *inbox.Delivery) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("queue: handler panicked", "delivery_id", d.ID, "attempt", d.Attempt,
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return c.h(ctx, d)
}

// failed is the failure policy, the one place that decides what happens to
// a delivery whose handler failed. Today the entry stays pending and is
// taken over by XAUTOCLAIM when it has been idle for a lease; d.Attempt is
// what a retry limit and dead-lettering will look at.
func (c *consumer) failed(d *inbox.Delivery, err error) {
	c.log.Warn("queue: handler failed; the message will be delivered again after the lease",
		"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
}

// acknowledge acks and deletes d, retrying briefly: a failed ack only costs
// a duplicate delivery, but a short Redis hiccup should not cause one.
func (c *consumer) acknowledge(ctx context.Context, d *inbox.Delivery) {
	var err error
	for try := 1; try <= ackTries; try++ {
		var acked bool
		acked, err = c.ack(ctx, d.ID)
		if err == nil {
			if !acked {
				c.log.Warn("queue: lease expired before the ack; another consumer took the message over",
					"delivery_id", d.ID, "attempt", d.Attempt)
			}
			return
		}
		if try < ackTries {
			time.Sleep(backoff(try))
		}
	}
	c.log.Error("queue: cannot acknowledge; the message will be delivered again",
		"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
}

// backoff returns the wait after the n-th consecutive failure: doubling
// from minBackoff up to maxBackoff, with jitter so that many consumers do
// not hammer a recovering server in step.
func backoff(n int) time.Duration {
	d := maxBackoff
	if n < 16 {
		d = min(minBackoff<<(n-1), maxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}
