package queueworker

import (
	"context"
	"time"

	"inkorg/inbox"
)

// leaseLostRunning is logged when a renewal finds that the lease of a
// delivery whose handler still runs has gone to another delivery.
const leaseLostRunning = "queue: lease expired while the handler ran; another delivery holds the message"

// leaseStuck is logged when a handler has held its message for
// maxHoldLeases leases and its lease is renewed no more.
const leaseStuck = "queue: handler still running after many leases; its lease is no longer renewed and the message will be delivered again"

// maxHoldLeases bounds how long renewals keep a message with one handler:
// a handler still running after that many leases (5 minutes with the
// default lease) is taken to be stuck, and the message is delivered again
// once its lease runs out, as if its worker had died.
const maxHoldLeases = 10

// renewing renews the lease of d every third of the lease until the
// returned function is called, for at most maxHoldLeases leases. That
// function returns once no renewal is in flight any more, so that the ack,
// retry or dead letter that follows is the last word on the lease: a
// renewal after a retry would undo its delay.
func (w *worker) renewing(ctx context.Context, d *inbox.Delivery) (stop func()) {
	if w.opts.Lease <= 0 {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(w.opts.Lease/3, time.Millisecond))
		defer t.Stop()
		giveUp := time.Now().Add(maxHoldLeases * w.opts.Lease)
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			if time.Now().After(giveUp) {
				w.log.Warn(leaseStuck, "delivery_id", d.ID, "attempt", d.Attempt, "held", (maxHoldLeases * w.opts.Lease).String())
				return
			}
			if !w.renew(ctx, d) {
				return
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}

// renew extends the lease of d once, bounded by a lease: a renewal that
// takes longer comes too late anyway. It reports whether renewing is still
// worth it: a failure to reach the backend is logged and the next tick
// tries again, while a lease that went to another delivery is lost for
// good. Either way the handler runs on; its ack then finds out.
func (w *worker) renew(ctx context.Context, d *inbox.Delivery) bool {
	rctx, cancel := context.WithTimeout(ctx, min(w.opts.Lease, ackTimeout))
	defer cancel()
	held, err := w.src.Renew(rctx, d)
	switch {
	case err != nil:
		w.log.Warn("queue: cannot renew the lease; the message may be delivered again while its handler runs",
			"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
	case !held:
		w.log.Warn(leaseLostRunning, "delivery_id", d.ID, "attempt", d.Attempt)
		return false
	}
	return true
}
