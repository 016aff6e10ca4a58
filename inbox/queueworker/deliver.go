package queueworker

import (
	"context"
	"errors"
	"fmt"
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

// maxLastErrors bounds worker.lastErrors. Past it, a message whose move to
// the dead letters failed is dead-lettered later with a generic error.
const maxLastErrors = 1000

// handle runs the handler on d, renewing its lease meanwhile, and
// acknowledges d if it succeeded.
func (w *worker) handle(ctx context.Context, d *inbox.Delivery) {
	defer w.release(1)
	if d.Attempt > w.opts.Policy.MaxAttempts {
		// Delivered more often than the policy allows without an outcome.
		// Running it again could take this consumer down too.
		w.failed(ctx, d, inbox.Permanent(w.overdue(d)))
		return
	}
	stop := w.renewing(ctx, d)
	err := w.call(ctx, d)
	stop()
	if err != nil {
		w.failed(ctx, d, err)
		return
	}
	w.acknowledge(ctx, d)
}

// overdue returns why d, delivered more often than the policy allows, goes
// to the dead letters without running: the handler's last error if this
// worker failed to dead-letter d after it, or else that its consumers died
// while handling it.
func (w *worker) overdue(d *inbox.Delivery) error {
	w.mu.Lock()
	last, ok := w.lastErrors[d.ID]
	delete(w.lastErrors, d.ID)
	w.mu.Unlock()
	if ok {
		return errors.New(last)
	}
	return fmt.Errorf("delivered %d times without the handler finishing; the consumer may crash on it", d.Attempt)
}

// keepLastError remembers the handler's last error for d, which could not
// be dead-lettered, until d comes back past its last attempt. A message
// with attempts left comes back to run its handler again: nothing to keep.
func (w *worker) keepLastError(d *inbox.Delivery, cause error) {
	if d.Attempt < w.opts.Policy.MaxAttempts {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.lastErrors[d.ID]; ok || len(w.lastErrors) < maxLastErrors {
		w.lastErrors[d.ID] = cause.Error()
	}
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
// a delivery whose handler failed, on every backend. A permanent error, or
// a failure on the last attempt the policy allows, moves the message to the
// dead letters; any other failure gives the lease back so that the message
// comes again after a growing, jittered delay. Either way the consumer goes
// on with the messages behind it at once.
func (w *worker) failed(ctx context.Context, d *inbox.Delivery, err error) {
	permanent := inbox.IsPermanent(err)
	if permanent || d.Attempt >= w.opts.Policy.MaxAttempts {
		w.deadLetter(ctx, d, err, permanent)
		return
	}
	delay := w.opts.Policy.Delay(d.Attempt)
	w.log.Warn("queue: handler failed; retrying", "delivery_id", d.ID, "attempt", d.Attempt,
		"max_attempts", w.opts.Policy.MaxAttempts, "retry_in", delay, "error", err)
	err = w.withRetries(ctx, func(ctx context.Context) error {
		_, err := w.src.Retry(ctx, d, delay)
		return err
	})
	if err != nil {
		w.log.Error("queue: cannot schedule the retry; the message will be delivered again after the lease",
			"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
	}
}

// deadLetter moves d to the dead letters with the handler's error.
func (w *worker) deadLetter(ctx context.Context, d *inbox.Delivery, cause error, permanent bool) {
	f := Failure{Error: cause.Error(), At: time.Now().UTC()}
	var moved bool
	err := w.withRetries(ctx, func(ctx context.Context) error {
		var err error
		moved, err = w.src.DeadLetter(ctx, d, f)
		return err
	})
	switch {
	case err != nil:
		// The lease runs out and the next attempt, past the limit too,
		// tries again, with this error if it comes to this worker.
		w.keepLastError(d, cause)
		w.log.Error("queue: cannot dead-letter the message; it will be delivered again after the lease",
			"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
	case !moved:
		w.log.Warn(w.opts.LeaseLost, "delivery_id", d.ID, "attempt", d.Attempt)
	default:
		w.log.Error("queue: message dead-lettered", "delivery_id", d.ID, "attempt", d.Attempt,
			"permanent", permanent, "error", cause)
	}
}

// acknowledge removes d, retrying briefly: a failed ack only costs a
// duplicate delivery, but a short hiccup of the backend should not cause
// one.
func (w *worker) acknowledge(ctx context.Context, d *inbox.Delivery) {
	var removed bool
	err := w.withRetries(ctx, func(ctx context.Context) error {
		var err error
		removed, err = w.src.Ack(ctx, d)
		return err
	})
	switch {
	case err != nil:
		w.log.Error("queue: cannot acknowledge; the message will be delivered again",
			"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
	case !removed:
		w.log.Warn(w.opts.LeaseLost, "delivery_id", d.ID, "attempt", d.Attempt)
	}
}

// withRetries runs fn up to ackTries times, each bounded by ackTimeout,
// until it succeeds, and returns its last error.
func (w *worker) withRetries(ctx context.Context, fn func(ctx context.Context) error) error {
	var err error
	for try := 1; try <= ackTries; try++ {
		actx, cancel := context.WithTimeout(ctx, ackTimeout)
		err = fn(actx)
		cancel()
		if err == nil {
			return nil
		}
		if try < ackTries {
			time.Sleep(backoff(try))
		}
	}
	return err
}

// backoff returns the wait after the n-th consecutive failure: doubling
// from minBackoff up to maxBackoff, with jitter so that many consumers do
// not hammer a recovering backend in step.
func backoff(n int) time.Duration {
	return jitter(exponential(minBackoff, maxBackoff, n))
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
