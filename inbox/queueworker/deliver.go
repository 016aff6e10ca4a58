package queueworker

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"inkorg/inbox"
)

// Time limits of an ack: each try is bounded, and a few tries ride out a
// short hiccup of the backend.
const (
	ackTimeout = 5 * time.Second
	ackTries   = 3
)

// Backoff after a failed claim or ack.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// handle runs the handler on d and acknowledges d if it succeeded.
func (w *worker) handle(ctx context.Context, d *inbox.Delivery) {
	defer w.release(1)
	if err := w.call(ctx, d); err != nil {
		w.failed(d, err)
		return
	}
	w.acknowledge(ctx, d)
}

// call runs the handler, turning a panic into an error so that one bad
// message cannot take the worker down.
func (w *worker) call(ctx context.Context, d *inbox.Delivery) (err error) {
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("queue: handler panicked", "delivery_id", d.ID, "attempt", d.Attempt,
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return w.h(ctx, d)
}

// failed is the failure policy, the one place that decides what happens to
// a delivery whose handler failed, on every backend. Today the message is
// left leased, unacknowledged, and is delivered again once the lease has
// run out; d.Attempt is what a retry limit and dead-lettering will look at.
func (w *worker) failed(d *inbox.Delivery, err error) {
	w.log.Warn("queue: handler failed; the message will be delivered again after the lease",
		"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
}

// acknowledge removes d, retrying briefly: a failed ack only costs a
// duplicate delivery, but a short hiccup of the backend should not cause
// one.
func (w *worker) acknowledge(ctx context.Context, d *inbox.Delivery) {
	var err error
	for try := 1; try <= ackTries; try++ {
		actx, cancel := context.WithTimeout(ctx, ackTimeout)
		var removed bool
		removed, err = w.src.Ack(actx, d)
		cancel()
		if err == nil {
			if !removed {
				w.log.Warn(w.opts.LeaseLost, "delivery_id", d.ID, "attempt", d.Attempt)
			}
			return
		}
		if try < ackTries {
			time.Sleep(backoff(try))
		}
	}
	w.log.Error("queue: cannot acknowledge; the message will be delivered again",
		"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
}

// backoff returns the wait after the n-th consecutive failure: doubling
// from minBackoff up to maxBackoff, with jitter so that many consumers do
// not hammer a recovering backend in step.
func backoff(n int) time.Duration {
	d := maxBackoff
	if n < 16 {
		d = min(minBackoff<<(n-1), maxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}

// Sleep waits for d, or until wake is closed or ctx is done. A nil wake
// never ends the wait.
func Sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-wake:
	case <-ctx.Done():
	}
}
