// Package queueworker is the consumer engine of every inbox.Queue adapter.
// It takes handler slots, claims deliveries from the adapter's Source,
// backs off while the backend is unreachable, runs the handler with panic
// recovery, applies the failure policy and acknowledges with retries. An
// adapter supplies only how to claim and acknowledge messages on its
// backend, so that every queue consumes the same way.
package queueworker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"inkorg/inbox"
)

// Source is the backend side of one consumer of one queue. Run calls
// Claim from one goroutine, one call at a time, and the other methods from
// the handlers' goroutines, concurrently with each other and with Claim.
type Source interface {
	// Claim leases up to n deliveries to this consumer. It may wait for
	// messages, up to a bound of its own, and bounds every command it
	// runs itself: ctx is not cancelled at shutdown, so that what the
	// backend has leased is never thrown away half-read. Deliveries
	// returned together with an error are handled too, since the backend
	// has leased them already.
	Claim(ctx context.Context, n int) ([]*inbox.Delivery, error)
	// Ack removes the message of d from the queue. It reports false when
	// the lease of d ran out and the message went to another delivery.
	// Run bounds each call with a timeout and retries it after an error.
	Ack(ctx context.Context, d *inbox.Delivery) (bool, error)
	// Renew extends this consumer's lease on d to a full lease from now,
	// without counting a delivery, so that a handler that runs longer
	// than a lease keeps its message. It reports false when the lease had
	// run out and the message went to another delivery. Run calls it
	// while the handler of d runs, never after the handler returned, and
	// bounds each call with a timeout.
	Renew(ctx context.Context, d *inbox.Delivery) (bool, error)
	// Retry gives up this consumer's lease on d so that the message is
	// delivered again after about delay, and no sooner; a backend that
	// cannot wait that long may deliver it after its lease instead. It
	// reports false when the lease had run out already.
	Retry(ctx context.Context, d *inbox.Delivery, delay time.Duration) (bool, error)
	// DeadLetter moves the message of d to the dead letters of its queue
	// with the failure, atomically with removing it from the queue. It
	// reports false when the lease had run out already and nothing moved.
	DeadLetter(ctx context.Context, d *inbox.Delivery, f Failure) (bool, error)
}

// Failure is why a message is dead-lettered.
type Failure struct {
	// Error is the text of the handler's last error.
	Error string
	// At is when the message was given up.
	At time.Time
}

// ClaimError is a failed Claim with the message to log for it, for a Source
// whose claim has steps that an operator should be able to tell apart.
// Other errors are logged as DefaultClaimFailed.
type ClaimError struct {
	// Msg is the log message, such as "queue: cannot read the stream;
	// retrying".
	Msg string
	Err error
}

// Error returns the log message and the error of the backend.
func (e *ClaimError) Error() string { return e.Msg + ": " + e.Err.Error() }

// Unwrap returns the error of the backend.
func (e *ClaimError) Unwrap() error { return e.Err }

// Default log messages.
const (
	DefaultClaimFailed = "queue: cannot claim messages; retrying"
	DefaultReachable   = "queue: backend reachable again"
	DefaultLeaseLost   = "queue: lease expired before the ack; another delivery holds the message"
)

// Options configure Run.
type Options struct {
	// Concurrency is how many handlers run at once. inbox.ValidateConsume
	// checks that it is at least 1; Run takes less as 1.
	Concurrency int
	// Logger receives handler failures, outages and recoveries; nil
	// discards them. Adapters pass one that names the queue.
	Logger *slog.Logger
	// Idle, if set, is called after a claim that returned fewer deliveries
	// than it was asked for, and returns once more messages may be ready
	// or ctx is done. It serves a Source whose Claim returns at once when
	// nothing is ready; without it the next claim follows at once.
	Idle func(ctx context.Context)
	// Reachable is logged when a claim succeeds after failed ones.
	// Default DefaultReachable.
	Reachable string
	// LeaseLost is logged when Ack reports that the lease ran out before
	// the ack. Default DefaultLeaseLost.
	LeaseLost string
	// Lease is the Source's lease: how long a delivery stays with this
	// consumer before another may take it over. While a handler runs,
	// Run renews its lease every third of Lease, so that a handler may
	// run longer than a lease; zero renews nothing.
	Lease time.Duration
	// Policy is the retry and dead-letter policy.
	Policy Policy
}

// Run hands the deliveries of src to h, at most opts.Concurrency at a time,
// until ctx is done. Then it stops claiming, waits for the handlers in
// flight, which run on a context that ctx's cancellation does not reach,
// acknowledges those that succeeded and returns. A failing backend does not
// end it: it logs, backs off and goes on when the backend is back.
func Run(ctx context.Context, src Source, h inbox.Handler, opts Options) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Reachable == "" {
		opts.Reachable = DefaultReachable
	}
	if opts.LeaseLost == "" {
		opts.LeaseLost = DefaultLeaseLost
	}
	opts.Policy = opts.Policy.WithDefaults()
	w := &worker{
		src: src,
		h:   h,
		// With no slot at all the loop would wait forever for one.
		slots:      make(chan struct{}, max(opts.Concurrency, 1)),
		opts:       opts,
		log:        opts.Logger,
		lastErrors: map[string]string{},
	}
	w.run(ctx)
}

// worker is one running Run call.
type worker struct {
	src Source
	h   inbox.Handler
	// slots holds one token per handler in flight.
	slots chan struct{}
	opts  Options
	log   *slog.Logger
	// lastErrors holds, by delivery id, the handler's last error for the
	// messages that failed for good but could not be moved to the dead
	// letters, so that when one comes back past its last attempt it is
	// dead-lettered with that error. Guarded by mu.
	mu         sync.Mutex
	lastErrors map[string]string
}

func (w *worker) run(ctx context.Context) {
	// Handlers and acks outlive ctx: shutdown lets them finish.
	hctx := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	failures := 0
	for ctx.Err() == nil {
		n := w.acquire(ctx)
		if n == 0 {
			return
		}
		ds, err := w.src.Claim(hctx, n)
		w.release(n - len(ds))
		for _, d := range ds {
			wg.Go(func() { w.handle(hctx, d) })
		}
		if err != nil {
			failures++
			w.retryLater(ctx, err, failures)
			continue
		}
		if failures > 0 {
			w.log.Info(w.opts.Reachable, "failures", failures)
			failures = 0
		}
		if len(ds) < n && w.opts.Idle != nil {
			w.opts.Idle(ctx)
		}
	}
}

// retryLater logs a failed claim and waits out the backoff for the given
// number of consecutive failures.
func (w *worker) retryLater(ctx context.Context, err error, failures int) {
	msg := DefaultClaimFailed
	if ce, ok := errors.AsType[*ClaimError](err); ok {
		msg, err = ce.Msg, ce.Err
	}
	wait := backoff(failures)
	w.log.Warn(msg, "error", err, "failures", failures, "retry_in", wait)
	Sleep(ctx, wait, nil)
}

// acquire blocks until at least one handler slot is free and takes every
// free slot; it returns how many it took, or 0 when ctx is done first.
func (w *worker) acquire(ctx context.Context) int {
	select {
	case w.slots <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	if ctx.Err() != nil {
		w.release(1)
		return 0
	}
	n := 1
	for n < cap(w.slots) {
		select {
		case w.slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

func (w *worker) release(n int) {
	for range n {
		<-w.slots
	}
}

// ConsumerName returns hostname-pid-random, a name no other consumer
// process has.
func ConsumerName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "inkorg"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}
