// Package redislive shares live events between inkorg instances through
// one Redis stream: publishing appends to it (trimmed to about the history
// size), every instance reads it with a blocking XREAD and fans out to its
// own subscribers, and a client that reconnects gets what it missed with
// XREVRANGE. Stream ids are the event ids.
package redislive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/batch"
	"inkorg/inbox/livebus"
)

var _ inbox.LiveBroker = (*Broker)(nil)

// readBlock is how long one XREAD waits for entries. A blocked read does
// not see its context end, so this is also how long Close may take.
const readBlock = time.Second

// maxPublishBatch is the most events appended in one round trip;
// publishTimeout bounds it.
const (
	maxPublishBatch = 64
	publishTimeout  = 5 * time.Second
)

// Options configure a Broker.
type Options struct {
	// Prefix is put before the stream's key ("live").
	Prefix string
	// History is about how many events the stream keeps
	// (livebus.DefaultHistory when 0).
	History int64
	Logger  *slog.Logger
}

// Broker is a live event broker on a Redis stream.
type Broker struct {
	rdb     redis.UniversalClient
	key     string
	history int64
	logger  *slog.Logger
	hub     *livebus.Hub
	// pub appends the events that ingest workers and staff publish at the
	// same time in one pipeline (see appendEvents).
	pub *batch.Batcher[[]byte, struct{}]

	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// New returns a broker on rdb and starts reading the stream; Close stops
// it (and leaves rdb open).
func New(rdb redis.UniversalClient, opts Options) *Broker {
	if opts.History <= 0 {
		opts.History = livebus.DefaultHistory
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Broker{
		rdb: rdb, key: opts.Prefix + "live", history: opts.History, logger: opts.Logger,
		hub: livebus.NewHub(), cancel: cancel, done: make(chan struct{}),
	}
	b.pub = batch.New(maxPublishBatch, publishTimeout, b.appendEvents)
	go b.read(ctx, b.lastEntry(ctx))
	return b
}

// lastEntry returns the id of the stream's newest entry, so reading starts
// right after it even before the first XREAD blocks; "$" (whatever comes
// next) when Redis does not answer now.
func (b *Broker) lastEntry(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	msgs, err := b.rdb.XRevRangeN(ctx, b.key, "+", "-", 1).Result()
	switch {
	case err != nil:
		return "$"
	case len(msgs) == 0:
		return "0-0"
	}
	return msgs[0].ID
}

// Close stops reading the stream; subscriptions end with their contexts.
func (b *Broker) Close() error {
	b.once.Do(func() {
		b.cancel()
		<-b.done
	})
	return nil
}

// Publish appends ev to the stream, in one round trip with the events
// published at the same time; Redis gives it its id.
func (b *Broker) Publish(ctx context.Context, ev inbox.LiveEvent) error {
	ev.ID = ""
	if ev.At.IsZero() {
		ev.At = time.Now().UTC()
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = b.pub.Do(ctx, raw)
	return err
}

// appendEvents appends the encoded events to the stream in one pipeline,
// in their order.
func (b *Broker) appendEvents(ctx context.Context, raws [][]byte) ([]struct{}, error) {
	_, err := b.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, raw := range raws {
			p.XAdd(ctx, &redis.XAddArgs{
				Stream: b.key, MaxLen: b.history, Approx: true, Values: map[string]any{"event": raw},
			})
		}
		return nil
	})
	return nil, err
}

// Subscribe implements inbox.LiveBroker.
func (b *Broker) Subscribe(ctx context.Context, lastID string) (*inbox.LiveSubscription, error) {
	sub, err := b.hub.Subscribe(ctx, b, lastID)
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Live updates are unavailable; try again shortly.")
	}
	return sub, nil
}

// After implements livebus.History. It reads at most the history size of
// entries, newest last: a client further behind has a gap anyway. Events
// after id may also have been trimmed when the oldest entry left is newer
// than id.
func (b *Broker) After(ctx context.Context, id livebus.ID) ([]inbox.LiveEvent, bool, error) {
	msgs, err := b.rdb.XRevRangeN(ctx, b.key, "+", "("+id.String(), b.history+1).Result()
	if err != nil {
		return nil, false, err
	}
	gap := int64(len(msgs)) > b.history
	if gap {
		msgs = msgs[:b.history]
	} else if gap, err = b.trimmedAfter(ctx, id); err != nil {
		return nil, false, err
	}
	slices.Reverse(msgs)
	return b.decode(msgs), gap, nil
}

// trimmedAfter reports whether entries newer than id may have been trimmed
// from the stream: the oldest entry left is newer than id, and (Redis 7
// counts them) not every entry ever added is still there. Redis does not
// say which entry it trimmed last, so a client whose last event was
// exactly that one is told of a gap too.
func (b *Broker) trimmedAfter(ctx context.Context, id livebus.ID) (bool, error) {
	info, err := b.streamInfo(ctx)
	if err != nil || info == nil {
		return false, err
	}
	oldest, _ := livebus.ParseID(info.FirstEntry.ID)
	untrimmed := info.EntriesAdded > 0 && info.EntriesAdded == info.Length
	return id.Less(oldest) && !untrimmed, nil
}

// Newest implements livebus.History with the id Redis last gave an entry,
// trimmed or not.
func (b *Broker) Newest(ctx context.Context) (livebus.ID, error) {
	info, err := b.streamInfo(ctx)
	if err != nil || info == nil {
		return livebus.ID{}, err
	}
	id, _ := livebus.ParseID(info.LastGeneratedID)
	return id, nil
}

// streamInfo returns XINFO STREAM of the stream; nil before the first
// event made it.
func (b *Broker) streamInfo(ctx context.Context) (*redis.XInfoStream, error) {
	info, err := b.rdb.XInfoStream(ctx, b.key).Result()
	if err != nil && strings.Contains(err.Error(), "no such key") {
		return nil, nil
	}
	return info, err
}

// read delivers every new stream entry to the hub until ctx ends. When
// Redis is unreachable it retries with a growing pause.
func (b *Broker) read(ctx context.Context, last string) {
	defer close(b.done)
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		res, err := b.rdb.XRead(ctx, &redis.XReadArgs{Streams: []string{b.key, last}, Block: readBlock, Count: 500}).Result()
		switch {
		case errors.Is(err, redis.Nil):
			continue
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			b.logger.Warn("read live events", slog.Any("err", err))
			sleep(ctx, pause)
			pause = min(2*pause, 5*time.Second)
			continue
		}
		pause = 100 * time.Millisecond
		for _, s := range res {
			for _, ev := range b.decode(s.Messages) {
				b.hub.Deliver(ev)
			}
			if n := len(s.Messages); n > 0 {
				last = s.Messages[n-1].ID
			}
		}
	}
}

// decode turns stream entries into events, skipping (and logging) any
// that do not parse.
func (b *Broker) decode(msgs []redis.XMessage) []inbox.LiveEvent {
	out := make([]inbox.LiveEvent, 0, len(msgs))
	for _, m := range msgs {
		var ev inbox.LiveEvent
		raw, _ := m.Values["event"].(string)
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			b.logger.Warn("skip unreadable live event", slog.String("id", m.ID), slog.Any("err", fmt.Errorf("decode: %w", err)))
			continue
		}
		ev.ID = m.ID
		out = append(out, ev)
	}
	return out
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
