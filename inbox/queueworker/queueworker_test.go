package queueworker_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

// timeout bounds every wait for something that must happen.
const timeout = 10 * time.Second

func TestRun(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		src := newSource(3)
		var handled atomic.Int32
		log := start(t, src, queueworker.Options{Concurrency: 2}, func(context.Context, *inbox.Delivery) error {
			handled.Add(1)
			return nil
		})
		eventually(t, "3 deliveries acknowledged", func() bool { return len(src.ackedIDs()) == 3 })
		if got := handled.Load(); got != 3 {
			t.Errorf("handler calls: got %d, want 3", got)
		}
		if got := log.levels(slog.LevelWarn); len(got) != 0 {
			t.Errorf("warnings: got %v, want none", got)
		}
	})

	t.Run("OKConcurrencyLimit", func(t *testing.T) {
		const concurrency = 3
		src := newSource(10)
		hold := make(chan struct{})
		var inFlight, peak atomic.Int32
		start(t, src, queueworker.Options{Concurrency: concurrency}, func(context.Context, *inbox.Delivery) error {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			<-hold
			return nil
		})
		eventually(t, "3 handlers in flight", func() bool { return inFlight.Load() == concurrency })
		// Give a worker that ignores the limit time to start more.
		time.Sleep(50 * time.Millisecond)
		close(hold)
		eventually(t, "10 deliveries acknowledged", func() bool { return len(src.ackedIDs()) == 10 })
		if got := peak.Load(); got != concurrency {
			t.Errorf("handlers in flight: got at most %d, want %d", got, concurrency)
		}
	})

	t.Run("OKGracefulShutdown", func(t *testing.T) {
		src := newSource(1)
		started, hold := make(chan struct{}), make(chan struct{})
		var handlerErr atomic.Value
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			queueworker.Run(ctx, src, func(ctx context.Context, d *inbox.Delivery) error {
				close(started)
				<-hold
				handlerErr.Store(fmt.Sprint(ctx.Err()))
				return nil
			}, queueworker.Options{Concurrency: 1})
			close(done)
		}()
		<-started
		cancel()
		select {
		case <-done:
			t.Fatal("Run returned while a handler was still running")
		case <-time.After(50 * time.Millisecond):
		}
		close(hold)
		wait(t, done)
		if got := handlerErr.Load(); got != "<nil>" {
			t.Errorf("handler context: got error %v after cancel, want none", got)
		}
		if got := src.ackedIDs(); !slices.Equal(got, []string{"1"}) {
			t.Errorf("acked: got %v, want [1]", got)
		}
	})

	t.Run("OKIdle", func(t *testing.T) {
		src := newSource(0)
		var idles atomic.Int32
		idle := func(ctx context.Context) {
			idles.Add(1)
			<-ctx.Done()
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			queueworker.Run(ctx, src, okHandler, queueworker.Options{Concurrency: 1, Idle: idle})
			close(done)
		}()
		eventually(t, "Idle called", func() bool { return idles.Load() == 1 })
		cancel()
		wait(t, done)
		if got := src.claimCount(); got != 1 {
			t.Errorf("claims: got %d, want 1 (Idle waits for the next)", got)
		}
	})

	t.Run("ErrHandler", func(t *testing.T) {
		src := newSource(1)
		log := start(t, src, queueworker.Options{Concurrency: 1}, func(context.Context, *inbox.Delivery) error {
			return errors.New("simulated handler failure")
		})
		failed := log.wait(t, "queue: handler failed; retrying")
		checkAttrs(t, failed, map[string]string{"delivery_id": "1", "attempt": "1", "max_attempts": "8", "error": "simulated handler failure"})
		eventually(t, "retry scheduled", func() bool { return len(src.retriedIDs()) == 1 })
		if got, want := src.retriedDelay(0), queueworker.DefaultMinDelay; got < want/2 || got > want {
			t.Errorf("retry delay: got %v, want between %v and %v", got, want/2, want)
		}
		if got := src.ackedIDs(); len(got) != 0 {
			t.Errorf("acked: got %v, want none", got)
		}
	})

	t.Run("ErrLastAttempt", func(t *testing.T) {
		src := newSource(2)
		src.ready[0].Attempt = 3
		log := start(t, src, queueworker.Options{Concurrency: 1, Policy: queueworker.Policy{MaxAttempts: 3}},
			func(_ context.Context, d *inbox.Delivery) error {
				if d.ID == "1" {
					return errors.New("still failing")
				}
				return nil
			})
		rec := log.wait(t, "queue: message dead-lettered")
		checkAttrs(t, rec, map[string]string{"delivery_id": "1", "attempt": "3", "permanent": "false", "error": "still failing"})
		eventually(t, "message 2 acknowledged", func() bool { return slices.Equal(src.ackedIDs(), []string{"2"}) })
		if got := src.deadIDs(); !slices.Equal(got, []string{"1"}) {
			t.Fatalf("dead-lettered: got %v, want [1]", got)
		}
		if got := src.dead[0].Error; got != "still failing" {
			t.Errorf("dead letter error: got %q, want %q", got, "still failing")
		}
		if got := src.retriedIDs(); len(got) != 0 {
			t.Errorf("retried: got %v, want none", got)
		}
	})

	t.Run("ErrPermanent", func(t *testing.T) {
		src := newSource(1)
		log := start(t, src, queueworker.Options{Concurrency: 1}, func(context.Context, *inbox.Delivery) error {
			return fmt.Errorf("parse: %w", inbox.Permanent(errors.New("not JSON")))
		})
		checkAttrs(t, log.wait(t, "queue: message dead-lettered"), map[string]string{"delivery_id": "1", "attempt": "1", "permanent": "true"})
		if got := src.deadIDs(); !slices.Equal(got, []string{"1"}) {
			t.Errorf("dead-lettered: got %v, want [1]", got)
		}
	})

	t.Run("ErrTooManyDeliveries", func(t *testing.T) {
		src := newSource(1)
		src.ready[0].Attempt = 4
		var calls atomic.Int32
		start(t, src, queueworker.Options{Concurrency: 1, Policy: queueworker.Policy{MaxAttempts: 3}},
			func(context.Context, *inbox.Delivery) error {
				calls.Add(1)
				return nil
			})
		eventually(t, "dead-lettered", func() bool { return len(src.deadIDs()) == 1 })
		if got := calls.Load(); got != 0 {
			t.Errorf("handler calls: got %d, want 0", got)
		}
	})

	t.Run("ErrDeadLetter", func(t *testing.T) {
		src := newSource(1)
		src.deadErrs = []error{errors.New("down"), errors.New("down"), errors.New("still down")}
		log := start(t, src, queueworker.Options{Concurrency: 1}, func(context.Context, *inbox.Delivery) error {
			return inbox.Permanent(errors.New("bad"))
		})
		rec := log.wait(t, "queue: cannot dead-letter the message; it will be delivered again after the lease")
		checkAttrs(t, rec, map[string]string{"delivery_id": "1", "error": "still down"})
	})

	t.Run("ErrDeadLetterThenOverdue", func(t *testing.T) {
		// The move to the dead letters fails, so the message comes back
		// past its last attempt: it must carry the handler's last error
		// there, not a guess that its consumers died on it.
		src := newSource(1)
		src.ready[0].Attempt = 3
		src.ready = append(src.ready, &inbox.Delivery{ID: "1", Queue: "jobs", Body: []byte("x"), Attempt: 4})
		src.deadErrs = []error{errors.New("down"), errors.New("down"), errors.New("still down")}
		var calls atomic.Int32
		start(t, src, queueworker.Options{Concurrency: 1, Policy: queueworker.Policy{MaxAttempts: 3}},
			func(context.Context, *inbox.Delivery) error {
				calls.Add(1)
				return errors.New("still failing")
			})
		eventually(t, "dead-lettered", func() bool { return len(src.deadIDs()) == 1 })
		if got := src.deadErrors(); !slices.Equal(got, []string{"still failing"}) {
			t.Errorf("dead letter error: got %q, want [%q]", got, "still failing")
		}
		if got := calls.Load(); got != 1 {
			t.Errorf("handler calls: got %d, want 1", got)
		}
	})

	t.Run("ErrPanic", func(t *testing.T) {
		src := newSource(2)
		log := start(t, src, queueworker.Options{Concurrency: 1}, func(_ context.Context, d *inbox.Delivery) error {
			if d.ID == "1" {
				panic("simulated handler panic")
			}
			return nil
		})
		panicked := log.wait(t, "queue: handler panicked")
		checkAttrs(t, panicked, map[string]string{"delivery_id": "1", "panic": "simulated handler panic"})
		failed := log.wait(t, "queue: handler failed; retrying")
		checkAttrs(t, failed, map[string]string{"delivery_id": "1", "error": "handler panicked: simulated handler panic"})
		// The worker survives the panic and goes on with the next message.
		eventually(t, "message 2 acknowledged", func() bool { return slices.Equal(src.ackedIDs(), []string{"2"}) })
	})

	t.Run("OKAckRetried", func(t *testing.T) {
		src := newSource(1)
		src.ackErrs = []error{errors.New("hiccup"), errors.New("hiccup")}
		log := start(t, src, queueworker.Options{Concurrency: 1}, okHandler)
		eventually(t, "message acknowledged", func() bool { return len(src.ackedIDs()) == 1 })
		if got := src.ackCount(); got != 3 {
			t.Errorf("Ack calls: got %d, want 3", got)
		}
		if got := log.levels(slog.LevelWarn); len(got) != 0 {
			t.Errorf("warnings: got %v, want none", got)
		}
	})

	t.Run("ErrAck", func(t *testing.T) {
		src := newSource(1)
		src.ackErrs = []error{errors.New("down"), errors.New("down"), errors.New("still down"), errors.New("never tried")}
		log := start(t, src, queueworker.Options{Concurrency: 1}, okHandler)
		rec := log.wait(t, "queue: cannot acknowledge; the message will be delivered again")
		checkAttrs(t, rec, map[string]string{"delivery_id": "1", "attempt": "1", "error": "still down"})
		if got := src.ackCount(); got != 3 {
			t.Errorf("Ack calls: got %d, want 3", got)
		}
	})

	t.Run("ErrLeaseLost", func(t *testing.T) {
		src := newSource(1)
		src.leaseLost = true
		const msg = "queue: lease lost"
		log := start(t, src, queueworker.Options{Concurrency: 1, LeaseLost: msg}, okHandler)
		checkAttrs(t, log.wait(t, msg), map[string]string{"delivery_id": "1", "attempt": "1"})
		if got := src.ackCount(); got != 1 {
			t.Errorf("Ack calls: got %d, want 1", got)
		}
	})

	t.Run("ErrClaim", func(t *testing.T) {
		src := newSource(1)
		src.claims = []claim{
			{err: errors.New("connection refused")},
			{err: &queueworker.ClaimError{Msg: "queue: cannot read the stream; retrying", Err: errors.New("EOF")}},
		}
		const reachable = "queue: backend is back"
		log := start(t, src, queueworker.Options{Concurrency: 1, Reachable: reachable}, okHandler)
		eventually(t, "message acknowledged", func() bool { return len(src.ackedIDs()) == 1 })
		checkAttrs(t, log.wait(t, queueworker.DefaultClaimFailed), map[string]string{"error": "connection refused", "failures": "1"})
		checkAttrs(t, log.wait(t, "queue: cannot read the stream; retrying"), map[string]string{"error": "EOF", "failures": "2"})
		checkAttrs(t, log.wait(t, reachable), map[string]string{"failures": "2"})
		time.Sleep(20 * time.Millisecond)
		if got := len(log.find(reachable)); got != 1 {
			t.Errorf("%q logged %d times, want once", reachable, got)
		}
	})

	t.Run("ErrClaimWithDeliveries", func(t *testing.T) {
		src := newSource(0)
		src.claims = []claim{{ds: []*inbox.Delivery{{ID: "leased", Attempt: 2}}, err: errors.New("EOF")}}
		start(t, src, queueworker.Options{Concurrency: 2}, okHandler)
		eventually(t, "leased delivery acknowledged", func() bool { return slices.Equal(src.ackedIDs(), []string{"leased"}) })
	})
}

// TestRenew checks that the lease of a delivery is renewed while its
// handler runs, and only then.
func TestRenew(t *testing.T) {
	const lease = 30 * time.Millisecond
	// renewedTwice is a handler that returns err once its lease has been
	// renewed twice.
	renewedTwice := func(src *source, err error) inbox.Handler {
		return func(context.Context, *inbox.Delivery) error {
			eventually(t, "2 renewals", func() bool { all, _ := src.renewals(); return all >= 2 })
			return err
		}
	}

	t.Run("OK", func(t *testing.T) {
		src := newSource(1)
		log := start(t, src, queueworker.Options{Concurrency: 1, Lease: lease}, renewedTwice(src, nil))
		eventually(t, "message acknowledged", func() bool { return len(src.ackedIDs()) == 1 })
		// Give a renewal that outlives the handler time to happen.
		time.Sleep(3 * lease)
		if _, late := src.renewals(); late != 0 {
			t.Errorf("renewals after the ack: got %d, want 0", late)
		}
		if got := log.levels(slog.LevelWarn); len(got) != 0 {
			t.Errorf("warnings: got %v, want none", got)
		}
	})

	t.Run("OKRetry", func(t *testing.T) {
		src := newSource(1)
		start(t, src, queueworker.Options{Concurrency: 1, Lease: lease}, renewedTwice(src, errors.New("failed")))
		eventually(t, "retry scheduled", func() bool { return len(src.retriedIDs()) == 1 })
		time.Sleep(3 * lease)
		if _, late := src.renewals(); late != 0 {
			t.Errorf("renewals after the retry: got %d, want 0 (one would undo its delay)", late)
		}
	})

	t.Run("OKNoLease", func(t *testing.T) {
		src := newSource(1)
		start(t, src, queueworker.Options{Concurrency: 1}, func(context.Context, *inbox.Delivery) error {
			time.Sleep(10 * time.Millisecond)
			return nil
		})
		eventually(t, "message acknowledged", func() bool { return len(src.ackedIDs()) == 1 })
		if all, _ := src.renewals(); all != 0 {
			t.Errorf("renewals without a lease: got %d, want 0", all)
		}
	})

	t.Run("ErrUnreachable", func(t *testing.T) {
		src := newSource(1)
		src.renewErr = errors.New("connection refused")
		log := start(t, src, queueworker.Options{Concurrency: 1, Lease: lease}, renewedTwice(src, nil))
		eventually(t, "message acknowledged", func() bool { return len(src.ackedIDs()) == 1 })
		rec := log.wait(t, "queue: cannot renew the lease; the message may be delivered again while its handler runs")
		checkAttrs(t, rec, map[string]string{"delivery_id": "1", "attempt": "1", "error": "connection refused"})
	})

	t.Run("ErrLeaseLost", func(t *testing.T) {
		src := newSource(1)
		src.renewLost = true
		hold := make(chan struct{})
		log := start(t, src, queueworker.Options{Concurrency: 1, Lease: lease}, func(context.Context, *inbox.Delivery) error {
			<-hold
			return nil
		})
		rec := log.wait(t, "queue: lease expired while the handler ran; another delivery holds the message")
		checkAttrs(t, rec, map[string]string{"delivery_id": "1", "attempt": "1"})
		// A lost lease stays lost: renewing stops.
		time.Sleep(3 * lease)
		close(hold)
		eventually(t, "Ack called", func() bool { return src.ackCount() == 1 })
		if all, _ := src.renewals(); all != 1 {
			t.Errorf("renewals: got %d, want 1", all)
		}
	})

	t.Run("ErrStuckHandler", func(t *testing.T) {
		// A handler that runs on and on is taken to be stuck after ten
		// leases: renewing stops, so the message is delivered again once
		// the lease runs out, as if its worker had died.
		src := newSource(1)
		hold := make(chan struct{})
		log := start(t, src, queueworker.Options{Concurrency: 1, Lease: lease}, func(context.Context, *inbox.Delivery) error {
			<-hold
			return nil
		})
		rec := log.wait(t, "queue: handler still running after many leases; its lease is no longer renewed and the message will be delivered again")
		checkAttrs(t, rec, map[string]string{"delivery_id": "1", "attempt": "1"})
		// Renewals come every third of a lease, so ten leases hold at most
		// 30 of them; renewing on would make three times as many.
		time.Sleep(20 * lease)
		close(hold)
		eventually(t, "Ack called", func() bool { return src.ackCount() == 1 })
		if all, _ := src.renewals(); all == 0 || all > 31 {
			t.Errorf("renewals: got %d, want 1 to 31", all)
		}
	})
}

func okHandler(context.Context, *inbox.Delivery) error { return nil }

// start runs the worker until the test ends, logging to the returned
// recorder.
func start(t *testing.T, src queueworker.Source, opts queueworker.Options, h inbox.Handler) *recorder {
	t.Helper()
	log := &recorder{}
	opts.Logger = slog.New(log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		queueworker.Run(ctx, src, h, opts)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		wait(t, done)
	})
	return log
}

// wait waits for done to be closed.
func wait(t *testing.T, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(timeout):
		t.Fatalf("Run has not returned %v after its context was cancelled", timeout)
	}
}

// eventually waits until cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

// record is one logged record, its attributes as text.
type record struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

// recorder is a slog.Handler that keeps what is logged.
type recorder struct {
	mu   sync.Mutex
	recs []record
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	attrs := map[string]string{}
	rec.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.String()
		return true
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recs = append(r.recs, record{rec.Level, rec.Message, attrs})
	return nil
}

func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

// find returns the records with the message msg.
func (r *recorder) find(msg string) []record {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []record
	for _, rec := range r.recs {
		if rec.msg == msg {
			out = append(out, rec)
		}
	}
	return out
}

// levels returns the messages logged at level or above.
func (r *recorder) levels(level slog.Level) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, rec := range r.recs {
		if rec.level >= level {
			out = append(out, rec.msg)
		}
	}
	return out
}

// wait waits for the first record with the message msg.
func (r *recorder) wait(t *testing.T, msg string) record {
	t.Helper()
	eventually(t, fmt.Sprintf("log %q", msg), func() bool { return len(r.find(msg)) > 0 })
	return r.find(msg)[0]
}

func checkAttrs(t *testing.T, rec record, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got, ok := rec.attrs[k]; !ok || got != v {
			t.Errorf("%q: attribute %s: got %q, want %q", rec.msg, k, got, v)
		}
	}
}
