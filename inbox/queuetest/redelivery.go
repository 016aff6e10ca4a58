package queuetest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox"
)

// failFirst returns a failure function that fails the first attempt with
// fail and lets later attempts succeed.
func failFirst(fail func() error) func(d *inbox.Delivery) error {
	return func(d *inbox.Delivery) error {
		if d.Attempt == 1 {
			return fail()
		}
		return nil
	}
}

// testRedelivered checks that a message whose first handler call failed
// comes back once, with Attempt 2, and is then acknowledged.
func testRedelivered(t *testing.T, open func() inbox.Queue, fail func() error) {
	q := open()
	msg := inbox.OutgoingMessage{Key: "k", Body: []byte("try again"), Headers: map[string]string{"h": "v"}}
	id := publish(t, q, queueName, msg)
	got := deliveries()
	consume(t, q, queueName, 1, collect(got, failFirst(fail)))
	checkDelivery(t, receive(t, got), id, queueName, msg, 1)
	checkDelivery(t, receive(t, got), id, queueName, msg, 2)
	nothing(t, "after the second attempt succeeded", got)
}

func testHandlerError(t *testing.T, open func() inbox.Queue) {
	testRedelivered(t, open, func() error { return errors.New("simulated handler failure") })
}

func testHandlerPanic(t *testing.T, open func() inbox.Queue) {
	testRedelivered(t, open, func() error { panic("simulated handler panic") })
}

// testConsumerKilled simulates a consumer that dies while its handler runs:
// it is cut off from the backend, so nothing renews the lease or
// acknowledges the message. Another consumer on the same queue must get it
// once the lease has run out.
func testConsumerKilled(t *testing.T, ns Namespace) {
	dying, cut := ns.OpenCuttable()
	survivor := ns.Open()
	msg := body("outlives its first consumer")
	id := publish(t, dying, queueName, msg)

	hung := newGate()
	defer hung.open()
	gotDying := deliveries()
	r := consume(t, dying, queueName, 1, func(ctx context.Context, d *inbox.Delivery) error {
		gotDying <- *d
		<-hung.ch
		return errors.New("the process died before this handler finished")
	})
	checkDelivery(t, receive(t, gotDying), id, queueName, msg, 1)
	// The dying consumer stops taking messages and loses the backend; its
	// handler hangs on.
	r.cancel()
	cut()

	gotSurvivor := deliveries()
	consume(t, survivor, queueName, 1, collect(gotSurvivor, nil))
	checkDelivery(t, receive(t, gotSurvivor), id, queueName, msg, 2)

	hung.open()
	r.stop(t)
	nothing(t, "after the survivor handled the message", gotSurvivor, gotDying)
}

// testGracefulShutdown cancels a consumer while its handler runs: the
// handler must finish on a live context, its message must be acknowledged,
// and Consume must return nil only after that.
func testGracefulShutdown(t *testing.T, open func() inbox.Queue) {
	q := open()
	msg := body("finish me")
	id := publish(t, q, queueName, msg)

	hold := newGate()
	defer hold.open()
	started := make(chan inbox.Delivery, 16)
	var handlerCtxErr atomic.Value
	r := consume(t, q, queueName, 1, func(ctx context.Context, d *inbox.Delivery) error {
		started <- *d
		<-hold.ch
		handlerCtxErr.Store(errorString(ctx.Err()))
		return nil
	})
	checkDelivery(t, receive(t, started), id, queueName, msg, 1)

	r.cancel()
	// Consume must wait for the handler; give it time to misbehave.
	time.Sleep(Lease / 2)
	if r.returned() {
		t.Fatal("Consume returned while a handler was still running")
	}
	hold.open()
	r.stop(t)
	if got := handlerCtxErr.Load(); got != "" {
		t.Errorf("handler context: got error %q after Consume was cancelled, want none", got)
	}

	// Were the message not acknowledged, a new consumer would get it once
	// the lease ran out.
	got := deliveries()
	consume(t, open(), queueName, 1, collect(got, nil))
	nothing(t, "after a graceful shutdown", got, started)
}

func errorString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
