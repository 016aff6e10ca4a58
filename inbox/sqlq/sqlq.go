// Package sqlq implements inbox.Queue on the SQL database the store uses:
// SQLite in the embedded default, PostgreSQL in production. Messages live in
// the queue_messages table (migration 00002 of package sqlstore) until a
// consumer acknowledges them by deleting their row.
//
// A consumer claims ready messages by leasing them: it sets leased_by and
// moves available_at one lease into the future, in one statement. If the
// consumer acknowledges in time the row is gone; if its handler fails or the
// consumer dies, the lease runs out and the message is ready again. While a
// handler runs, its consumer moves available_at on by a lease every third
// of a lease, so a slow handler keeps its message. A failed handler gives
// the lease back early with a retry delay; a message that failed for good
// moves to queue_dead_letters (migration 00006) in the same transaction
// that deletes it.
package sqlq

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
	"inkorg/inbox/sqlstore"
)

// Default option values.
const (
	DefaultLease        = 30 * time.Second
	DefaultPollInterval = 100 * time.Millisecond
)

// Options configure a Queue. The zero value is usable.
type Options struct {
	// Logger receives consumer errors and recoveries; nil discards them.
	Logger *slog.Logger
	// Lease is how long a claimed message stays invisible to other
	// consumers without a renewal. A consumer renews it every third of a
	// lease while the handler runs, so it bounds how long the messages of
	// a dead consumer wait, not how long a handler may run. Default
	// DefaultLease.
	Lease time.Duration
	// PollInterval is how long an idle consumer waits before it looks for
	// messages again. A Publish on the same *Queue wakes its consumers at
	// once. Default DefaultPollInterval.
	PollInterval time.Duration
	// Consumer names this process in leased_by. Default
	// hostname-pid-random, unique per process.
	Consumer string
	// Policy is the retry and dead-letter policy of every consumer.
	Policy queueworker.Policy
}

// Queue is an inbox.Queue on a sqlstore.DB.
type Queue struct {
	db      *sqlstore.DB
	gorm    *gorm.DB
	dialect dialect
	opts    Options
	log     *slog.Logger
	wake    waker
}

var _ inbox.Queue = (*Queue)(nil)

// New returns a Queue on db, which must be migrated. The database stays the
// caller's: Close does not close it.
func New(db *sqlstore.DB, opts Options) *Queue {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.Consumer == "" {
		opts.Consumer = queueworker.ConsumerName()
	}
	return &Queue{
		db:      db,
		gorm:    db.Gorm(),
		dialect: dialectFor(db.Dialect()),
		opts:    opts,
		log:     opts.Logger.With("consumer", opts.Consumer),
	}
}

// Ping reports whether the database answers. An SQLite file whose one
// connection stays busy until ctx's deadline is reachable, only busy: a
// local file that fails returns an error rather than hanging.
func (q *Queue) Ping(ctx context.Context) error {
	err := q.db.Ping(ctx)
	if err != nil && q.dialect.name == sqlstore.DialectSQLite && ctx.Err() != nil {
		return nil
	}
	return err
}

// Close does nothing: the database belongs to the caller.
func (q *Queue) Close() error { return nil }

// Publish inserts msg and returns its id once the insert is committed.
func (q *Queue) Publish(ctx context.Context, queue string, msg inbox.OutgoingMessage) (string, error) {
	if err := inbox.ValidatePublish(queue, msg); err != nil {
		return "", err
	}
	headers, err := encodeHeaders(msg.Headers)
	if err != nil {
		return "", err
	}
	var id int64
	err = q.write(ctx, func(tx *gorm.DB) error {
		return tx.Raw(q.dialect.publish, queue, msg.Key, msg.Body, headers).Scan(&id).Error
	})
	if err != nil {
		return "", inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	q.wake.wake(queue)
	return strconv.FormatInt(id, 10), nil
}

// write runs fn in a transaction on SQLite, where the DSN makes it BEGIN
// IMMEDIATE: the write lock is taken up front, so a concurrent writer in
// another process makes this wait (busy_timeout) instead of failing it with
// a stale snapshot. PostgreSQL runs fn's single statement on its own.
func (q *Queue) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	db := q.gorm.WithContext(ctx)
	if q.dialect.name == sqlstore.DialectSQLite {
		return db.Transaction(fn)
	}
	return fn(db)
}

func encodeHeaders(h map[string]string) (string, error) {
	if len(h) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(h)
	if err != nil {
		return "", inbox.WrapError(inbox.EINVALID, err, "The message headers cannot be encoded.")
	}
	return string(b), nil
}

func decodeHeaders(s string) (map[string]string, error) {
	var h map[string]string
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return nil, err
	}
	if len(h) == 0 {
		return nil, nil
	}
	return h, nil
}

// waker lets Publish wake the consumers of the same *Queue, so a message
// published in-process is picked up without waiting for the next poll.
type waker struct {
	mu    sync.Mutex
	chans map[string]chan struct{}
}

// wait returns a channel that is closed by the next wake(queue).
func (w *waker) wait(queue string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.chans == nil {
		w.chans = make(map[string]chan struct{})
	}
	c, ok := w.chans[queue]
	if !ok {
		c = make(chan struct{})
		w.chans[queue] = c
	}
	return c
}

func (w *waker) wake(queue string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.chans[queue]; ok {
		close(c)
		delete(w.chans, queue)
	}
}
