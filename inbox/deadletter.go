package inbox

import (
	"context"
	"errors"
	"time"
)

// DeadLetter is a message that failed for good: its handler failed on
// every attempt the retry policy allows, or reported a permanent error. It
// stays on the dead-letter stream or table of its queue until an operator
// replays or drops it.
type DeadLetter struct {
	// ID is the dead letter's own id, what replay and drop take.
	ID string
	// Queue is the queue the message came from and goes back to on replay.
	Queue string
	// MessageID is the message's id on its queue when it failed.
	MessageID string
	Key       string
	Body      []byte
	Headers   map[string]string
	// Attempts is how many times the handler ran.
	Attempts int
	// Error is the text of the handler's last error.
	Error       string
	PublishedAt time.Time
	// FailedAt is when the message was dead-lettered.
	FailedAt time.Time
}

// DeadLetters is the operator's side of the dead letters of a Queue. Every
// Queue adapter implements it.
type DeadLetters interface {
	// DeadLetters returns up to limit dead letters of queue, oldest first,
	// starting after the id after ("" for the start), which need not be a
	// dead letter any more.
	DeadLetters(ctx context.Context, queue, after string, limit int) ([]*DeadLetter, error)
	// DeadLetter returns one dead letter of queue, or ENOTFOUND.
	DeadLetter(ctx context.Context, queue, id string) (*DeadLetter, error)
	// Replay publishes the dead letter again on its queue, with a fresh
	// attempt count, and removes it from the dead letters, atomically. It
	// returns the new message id, or ENOTFOUND.
	Replay(ctx context.Context, queue, id string) (string, error)
	// Drop deletes the dead letter for good, or returns ENOTFOUND.
	Drop(ctx context.Context, queue, id string) error
	// Rewrite replaces the body and headers of the dead letter and keeps
	// the rest; it returns the dead letter's id afterwards (a stream
	// entry cannot change, so on Redis it is a new one), or ENOTFOUND.
	Rewrite(ctx context.Context, queue, id string, body []byte, headers map[string]string) (string, error)
}

// deadLetterPage is how many dead letters EditDeadLetters reads at a
// time.
const deadLetterPage = 500

// DeadLetterChange is what EditDeadLetters does to one dead letter: the
// zero value keeps it as it is.
type DeadLetterChange struct {
	// Drop deletes the dead letter.
	Drop bool
	// Body, when not nil, replaces the dead letter's body, and Headers
	// its headers.
	Body    []byte
	Headers map[string]string
}

// EditDeadLetters passes every dead letter of queue to change, oldest
// first, and drops or rewrites it as change says. It returns how many it
// dropped and rewrote; one that is replayed or dropped meanwhile is not
// counted. A rewritten body must not ask for a change again: on Redis
// the rewritten dead letter comes round again at the end.
func EditDeadLetters(ctx context.Context, dl DeadLetters, queue string, change func(*DeadLetter) DeadLetterChange) (dropped, rewritten int64, err error) {
	for after := ""; ; {
		page, err := dl.DeadLetters(ctx, queue, after, deadLetterPage)
		if err != nil {
			return dropped, rewritten, err
		}
		for _, d := range page {
			var err error
			switch c := change(d); {
			case c.Drop:
				if err = dl.Drop(ctx, queue, d.ID); err == nil {
					dropped++
				}
			case c.Body != nil:
				if _, err = dl.Rewrite(ctx, queue, d.ID, c.Body, c.Headers); err == nil {
					rewritten++
				}
			}
			if err != nil && ErrorCode(err) != ENOTFOUND {
				return dropped, rewritten, err
			}
		}
		if len(page) < deadLetterPage {
			return dropped, rewritten, nil
		}
		after = page[len(page)-1].ID
	}
}

// DropDeadLettersMatching drops the dead letters of queue whose body
// match accepts, and returns how many it dropped. One that is replayed or
// dropped meanwhile is not counted.
func DropDeadLettersMatching(ctx context.Context, dl DeadLetters, queue string, match func(body []byte) bool) (int64, error) {
	n, _, err := EditDeadLetters(ctx, dl, queue, func(d *DeadLetter) DeadLetterChange {
		return DeadLetterChange{Drop: match(d.Body)}
	})
	return n, err
}

// DropDeadLettersBefore drops the dead letters of queue published before
// t (when the message was received, or last replayed) and returns how
// many; with dryRun it only counts them. Retention calls it with the
// cut-off of the raw deliveries, whose bodies the deliveries queue's dead
// letters are.
func DropDeadLettersBefore(ctx context.Context, dl DeadLetters, queue string, t time.Time, dryRun bool) (int64, error) {
	var n int64
	dropped, _, err := EditDeadLetters(ctx, dl, queue, func(d *DeadLetter) DeadLetterChange {
		if !d.PublishedAt.Before(t) {
			return DeadLetterChange{}
		}
		n++
		return DeadLetterChange{Drop: !dryRun}
	})
	if dryRun {
		return n, err
	}
	return dropped, err
}

// permanentError marks a handler error that no retry can fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as permanent: the consumer dead-letters the message
// at once instead of retrying it. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or an error it wraps, was marked with
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// QueueStats is the state of one named queue, for metrics and alarms.
type QueueStats struct {
	// Length is how many messages the queue holds: ready, leased or
	// waiting for a retry.
	Length int64
	// Pending is how many of them are leased to a consumer right now (on
	// Redis Streams, also those waiting there for a retry).
	Pending int64
	// OldestAge is how long the oldest message has been on the queue: the
	// lag of its consumers. Zero when the queue is empty.
	OldestAge time.Duration
	// DeadLetters is how many dead letters the queue has.
	DeadLetters int64
}

// StatsReporter is implemented by Queue adapters that can report the state
// of a queue.
type StatsReporter interface {
	QueueStats(ctx context.Context, queue string) (QueueStats, error)
}
