// Package redisq implements inbox.Queue on Redis Streams.
//
// Each named queue is the stream <prefix>queue:<name> with one consumer
// group. Publish is XADD; consumers read with XREADGROUP, acknowledge a
// delivery with XACK and XDEL once its handler succeeded, and take over
// entries that another consumer held for longer than the lease with
// XAUTOCLAIM. While a handler runs, its consumer renews the lease by an
// XCLAIM of the entry to itself, which resets the entry's idle time without
// counting a delivery. Redis counts deliveries per entry; that count is the
// delivery's Attempt. A failed handler's entry is made claimable again
// after its retry delay (at most the lease) by setting its idle time; an
// entry that failed for good moves to the stream <prefix>dlq:<name> in one
// script with its XACK and XDEL. Streams are never trimmed: consumers log
// an alarm when one grows past MaxLen.
//
// Publish is durable to the extent the Redis server's persistence is:
// production servers should run with appendonly yes.
package redisq

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

// Default option values.
const (
	DefaultGroup = "inkorg"
	DefaultLease = 30 * time.Second
	DefaultBlock = 2 * time.Second
	// DefaultMaxLen is far beyond a crisis day's backlog: a storm brings
	// thousands of comments in hours, not a hundred thousand.
	DefaultMaxLen = 100_000
)

// Stream entry fields.
const (
	fieldBody    = "body"
	fieldKey     = "key"
	fieldHeaders = "headers"
)

// Options configure a Queue. The zero value is usable.
type Options struct {
	// Logger receives consumer errors and recoveries; nil discards them.
	Logger *slog.Logger
	// Prefix is put before every key the queue uses, to share a Redis
	// database with other applications or tests.
	Prefix string
	// Group is the consumer group of every stream. Default DefaultGroup.
	Group string
	// Consumer names this process in the consumer group. Default
	// hostname-pid-random, unique per process.
	Consumer string
	// Lease is how long an entry may stay with a consumer without an ack
	// or a renewal before another consumer takes it over. A consumer
	// renews it every third of a lease while the handler runs, so it
	// bounds how long the entries of a dead consumer wait, not how long a
	// handler may run. Default DefaultLease.
	Lease time.Duration
	// Block is how long one XREADGROUP waits for new entries. It bounds
	// how long Consume takes to notice that its context is done. Default
	// DefaultBlock.
	Block time.Duration
	// MaxLen is the stream length above which consumers log an alarm.
	// Default DefaultMaxLen.
	MaxLen int64
	// Policy is the retry and dead-letter policy of every consumer.
	Policy queueworker.Policy
}

// Queue is an inbox.Queue on Redis Streams.
type Queue struct {
	client redis.UniversalClient
	// owned is set when Open created the client, which Close then closes.
	owned bool
	opts  Options
	log   *slog.Logger
}

var _ inbox.Queue = (*Queue)(nil)

// New returns a Queue on client. The client stays the caller's: Close does
// not close it.
func New(client redis.UniversalClient, opts Options) *Queue {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Group == "" {
		opts.Group = DefaultGroup
	}
	if opts.Consumer == "" {
		opts.Consumer = queueworker.ConsumerName()
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.Block <= 0 {
		opts.Block = DefaultBlock
	}
	if opts.MaxLen <= 0 {
		opts.MaxLen = DefaultMaxLen
	}
	return &Queue{client: client, opts: opts, log: opts.Logger.With("consumer", opts.Consumer)}
}

// Open returns a Queue on the Redis server of a redis:// or rediss:// URL.
// It does not connect: Ping tells whether the server answers.
func Open(url string, opts Options) (*Queue, error) {
	ropts, err := redis.ParseURL(url)
	if err != nil {
		return nil, inbox.WrapError(inbox.EINVALID, err, "Invalid Redis URL.")
	}
	q := New(redis.NewClient(ropts), opts)
	q.owned = true
	if opts.Logger != nil {
		clientLog.use(q.opts.Logger)
	}
	return q, nil
}

// Ping reports whether Redis answers.
func (q *Queue) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := q.client.Ping(ctx).Err(); err != nil {
		return inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unreachable.")
	}
	return nil
}

// Close closes the client if Open created it. Call it after every Consume
// has returned.
func (q *Queue) Close() error {
	if q.owned {
		err := q.client.Close()
		clientLog.release(q.opts.Logger)
		return err
	}
	return nil
}

// clientLog receives what go-redis logs by itself (a connection pool
// problem, a failed reconnect): go-redis has one logger for the whole
// process, so the queue Open made last with a Logger receives it, as a
// warning, until it is closed, and slog's default logger after that.
var clientLog redisLog

// redisLog is a go-redis logger that writes to a slog.Logger.
type redisLog struct {
	route  sync.Once
	logger atomic.Pointer[slog.Logger]
}

// use makes l the receiver of go-redis's log.
func (r *redisLog) use(l *slog.Logger) {
	r.logger.Store(l)
	r.route.Do(func() { redis.SetLogger(r) })
}

// release stops sending go-redis's log to l, unless another queue took it
// over meanwhile.
func (r *redisLog) release(l *slog.Logger) { r.logger.CompareAndSwap(l, nil) }

// Printf implements go-redis's logger.
func (r *redisLog) Printf(ctx context.Context, format string, v ...any) {
	l := r.logger.Load()
	if l == nil {
		l = slog.Default()
	}
	l.WarnContext(ctx, "redis client", "detail", strings.TrimSpace(fmt.Sprintf(format, v...)))
}

// Publish appends msg to the queue's stream and returns the entry id once
// Redis has acknowledged the XADD. The stream is never trimmed: trimming
// could drop entries that are not acknowledged yet.
func (q *Queue) Publish(ctx context.Context, queue string, msg inbox.OutgoingMessage) (string, error) {
	if err := inbox.ValidatePublish(queue, msg); err != nil {
		return "", err
	}
	values := []any{fieldBody, msg.Body}
	if msg.Key != "" {
		values = append(values, fieldKey, msg.Key)
	}
	if len(msg.Headers) > 0 {
		b, err := encodeHeaders(msg.Headers)
		if err != nil {
			return "", inbox.WrapError(inbox.EINVALID, err, "The message headers cannot be encoded.")
		}
		values = append(values, fieldHeaders, b)
	}
	id, err := q.client.XAdd(ctx, &redis.XAddArgs{Stream: q.stream(queue), Values: values}).Result()
	if err != nil {
		return "", inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	return id, nil
}

// stream returns the key of the named queue's stream.
func (q *Queue) stream(queue string) string { return q.opts.Prefix + "queue:" + queue }

// delivery turns a stream entry into a Delivery.
func delivery(queue string, m redis.XMessage, attempt int) (*inbox.Delivery, error) {
	body, ok := m.Values[fieldBody].(string)
	if !ok || body == "" {
		return nil, fmt.Errorf("stream entry %s has no %q field", m.ID, fieldBody)
	}
	d := &inbox.Delivery{
		ID:          m.ID,
		Queue:       queue,
		Body:        []byte(body),
		Attempt:     attempt,
		PublishedAt: entryTime(m.ID),
	}
	d.Key, _ = m.Values[fieldKey].(string)
	if h, ok := m.Values[fieldHeaders].(string); ok && h != "" {
		if err := json.Unmarshal([]byte(h), &d.Headers); err != nil {
			return nil, fmt.Errorf("stream entry %s: headers: %w", m.ID, err)
		}
	}
	return d, nil
}

// entryTime returns the time Redis put in an entry id: <ms>-<seq>.
func entryTime(id string) time.Time {
	ms, _, _ := strings.Cut(id, "-")
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}
