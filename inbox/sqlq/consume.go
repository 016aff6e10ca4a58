package sqlq

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

// Time limits of the statements a consumer runs. They run on a context that
// Consume's cancellation does not reach, so a claim that the database has
// committed is never thrown away half-read.
const (
	claimTimeout = 10 * time.Second
	ackTimeout   = 5 * time.Second
	ackTries     = 3
)

// Backoff after a failed claim, while the database is unreachable.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// Consume delivers the messages of queue to h, at most concurrency at a
// time, until ctx is done; then it waits for the handlers in flight,
// acknowledges those that succeeded and returns nil. A database outage does
// not end it: it logs, backs off and goes on when the database is back.
func (q *Queue) Consume(ctx context.Context, queue string, concurrency int, h inbox.Handler) error {
	if err := validateConsume(queue, concurrency, h); err != nil {
		return err
	}
	c := &consumer{
		q:     q,
		queue: queue,
		h:     h,
		slots: make(chan struct{}, concurrency),
		log:   q.log.With("queue", queue),
	}
	c.run(ctx)
	return nil
}

// consumer is one running Consume call.
type consumer struct {
	q     *Queue
	queue string
	h     inbox.Handler
	// slots holds one token per handler in flight.
	slots chan struct{}
	log   *slog.Logger
}

func (c *consumer) run(ctx context.Context) {
	// Handlers and acks outlive ctx: shutdown lets them finish.
	hctx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	var failures int
	for ctx.Err() == nil {
		n := c.acquire(ctx)
		if n == 0 {
			return
		}
		// Taken before the claim, so a Publish between an empty claim and
		// the sleep still wakes us.
		wake := c.q.wake.wait(c.queue)
		cctx, cancel := context.WithTimeout(hctx, claimTimeout)
		ds, err := c.q.claim(cctx, c.queue, n)
		cancel()
		c.release(n - len(ds))
		if err != nil {
			failures++
			wait := backoff(failures)
			c.log.Warn("queue: cannot claim messages; retrying", "error", err, "failures", failures, "retry_in", wait)
			sleep(ctx, wait, nil)
			continue
		}
		if failures > 0 {
			c.log.Info("queue: database reachable again", "failures", failures)
			failures = 0
		}
		for _, d := range ds {
			wg.Go(func() { c.handle(hctx, d) })
		}
		if len(ds) < n {
			sleep(ctx, c.q.opts.PollInterval, wake)
		}
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
// a delivery whose handler failed. Today the message stays leased and is
// delivered again when the lease runs out; d.Attempt is what a retry limit
// and dead-lettering will look at.
func (c *consumer) failed(d *inbox.Delivery, err error) {
	c.log.Warn("queue: handler failed; the message will be delivered again after the lease",
		"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
}

// acknowledge deletes d, retrying briefly: a failed ack only costs a
// duplicate delivery, but a short database hiccup should not cause one.
func (c *consumer) acknowledge(ctx context.Context, d *inbox.Delivery) {
	var err error
	for try := 1; try <= ackTries; try++ {
		actx, cancel := context.WithTimeout(ctx, ackTimeout)
		var deleted bool
		deleted, err = c.q.ack(actx, d)
		cancel()
		if err == nil {
			if !deleted {
				c.log.Warn("queue: lease expired before the ack; another delivery holds the message",
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
// not hammer a recovering database in step.
func backoff(n int) time.Duration {
	d := maxBackoff
	if n < 16 {
		d = min(minBackoff<<(n-1), maxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d, or until wake is closed or ctx is done.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-wake:
	case <-ctx.Done():
	}
}
