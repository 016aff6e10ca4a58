package redisq

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/queueworker"
)

var (
	_ inbox.DeadLetters   = (*Queue)(nil)
	_ inbox.StatsReporter = (*Queue)(nil)
)

// Dead letter fields, besides those of a message.
const (
	fieldMessageID   = "message_id"
	fieldAttempts    = "attempts"
	fieldError       = "error"
	fieldPublishedAt = "published_at"
	fieldFailedAt    = "failed_at"
)

// idleScript sets the idle time of an entry that this consumer holds, by
// an XCLAIM to the holder itself; JUSTID keeps the delivery count as it
// is. XAUTOCLAIM, whose min-idle is the lease, takes the entry again once
// it has been idle for a lease: Retry sets the idle time so that this
// happens after the delay, Renew sets it to 0 for a whole lease more.
// KEYS: stream. ARGV: group, id, consumer, idle milliseconds.
var idleScript = redis.NewScript(`
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'IDLE', ARGV[4], 'JUSTID')
return 1
`)

// buryScript moves an entry that this consumer holds to the dead-letter
// stream: XADD there, XACK and XDEL here, all or nothing. KEYS: stream,
// dead-letter stream. ARGV: group, id, consumer, then the dead letter's
// fields and values.
var buryScript = redis.NewScript(`
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return 0 end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`)

// replayScript appends a dead letter's message to the stream and deletes
// the dead letter, all or nothing. KEYS: dead-letter stream, stream. ARGV:
// id. It returns the new entry id, or nil when there is no such dead letter.
var replayScript = redis.NewScript(`
local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #e == 0 then return false end
local f, out = e[1][2], {}
for i = 1, #f, 2 do
	if f[i] == 'body' or f[i] == 'key' or f[i] == 'headers' then
		out[#out + 1] = f[i]
		out[#out + 1] = f[i + 1]
	end
end
local id = redis.call('XADD', KEYS[2], '*', unpack(out))
redis.call('XDEL', KEYS[1], ARGV[1])
return id
`)

// rewriteScript replaces a dead letter with a copy whose body and headers
// are new, all or nothing: a stream entry cannot be changed in place.
// KEYS: dead-letter stream. ARGV: id, body, headers ("" for none). It
// returns the new entry id, or nil when there is no such dead letter.
var rewriteScript = redis.NewScript(`
local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #e == 0 then return false end
local f, out = e[1][2], {}
for i = 1, #f, 2 do
	if f[i] ~= 'body' and f[i] ~= 'headers' then
		out[#out + 1] = f[i]
		out[#out + 1] = f[i + 1]
	end
end
out[#out + 1] = 'body'
out[#out + 1] = ARGV[2]
if ARGV[3] ~= '' then
	out[#out + 1] = 'headers'
	out[#out + 1] = ARGV[3]
end
local id = redis.call('XADD', KEYS[1], '*', unpack(out))
redis.call('XDEL', KEYS[1], ARGV[1])
return id
`)

// entryID is the form of a stream entry id.
var entryID = regexp.MustCompile(`^[0-9]{1,20}-[0-9]{1,20}$`)

// deadStream returns the key of the named queue's dead-letter stream.
func (q *Queue) deadStream(queue string) string { return q.opts.Prefix + "dlq:" + queue }

// Retry makes the entry of d reclaimable after delay, or after the lease
// when the delay is longer: a stream has no later visibility than that.
func (c *consumer) Retry(ctx context.Context, d *inbox.Delivery, delay time.Duration) (bool, error) {
	idle := max(c.q.opts.Lease-delay, 0)
	n, err := idleScript.Run(ctx, c.q.client, []string{c.stream},
		c.q.opts.Group, d.ID, c.q.opts.Consumer, idle.Milliseconds()).Int()
	return n == 1, err
}

// DeadLetter moves the entry of d to the queue's dead-letter stream.
func (c *consumer) DeadLetter(ctx context.Context, d *inbox.Delivery, f queueworker.Failure) (bool, error) {
	args := []any{c.q.opts.Group, d.ID, c.q.opts.Consumer,
		fieldBody, d.Body, fieldKey, d.Key,
		fieldMessageID, d.ID,
		fieldAttempts, d.Attempt,
		fieldError, f.Error,
		fieldPublishedAt, d.PublishedAt.UnixMilli(),
		fieldFailedAt, f.At.UnixMilli(),
	}
	if len(d.Headers) > 0 {
		b, err := json.Marshal(d.Headers)
		if err != nil {
			return false, err
		}
		args = append(args, fieldHeaders, b)
	}
	n, err := buryScript.Run(ctx, c.q.client, []string{c.stream, c.q.deadStream(c.queue)}, args...).Int()
	return n == 1, err
}

// DeadLetters returns up to limit dead letters of queue after the id after.
func (q *Queue) DeadLetters(ctx context.Context, queue, after string, limit int) ([]*inbox.DeadLetter, error) {
	start := "-"
	if after != "" {
		if !entryID.MatchString(after) {
			return nil, inbox.Errorf(inbox.EINVALID, "Invalid dead letter id %q.", after)
		}
		start = "(" + after
	}
	msgs, err := q.client.XRangeN(ctx, q.deadStream(queue), start, "+", int64(limit)).Result()
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	out := make([]*inbox.DeadLetter, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, deadLetter(queue, m))
	}
	return out, nil
}

// DeadLetter returns one dead letter of queue.
func (q *Queue) DeadLetter(ctx context.Context, queue, id string) (*inbox.DeadLetter, error) {
	if !entryID.MatchString(id) {
		return nil, inbox.Errorf(inbox.EINVALID, "Invalid dead letter id %q.", id)
	}
	msgs, err := q.client.XRange(ctx, q.deadStream(queue), id, id).Result()
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	if len(msgs) == 0 {
		return nil, deadNotFound(queue, id)
	}
	return deadLetter(queue, msgs[0]), nil
}

// Replay moves a dead letter back onto its queue's stream.
func (q *Queue) Replay(ctx context.Context, queue, id string) (string, error) {
	if !entryID.MatchString(id) {
		return "", inbox.Errorf(inbox.EINVALID, "Invalid dead letter id %q.", id)
	}
	newID, err := replayScript.Run(ctx, q.client, []string{q.deadStream(queue), q.stream(queue)}, id).Text()
	if errors.Is(err, redis.Nil) {
		return "", deadNotFound(queue, id)
	} else if err != nil {
		return "", inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	return newID, nil
}

// Drop deletes a dead letter.
func (q *Queue) Drop(ctx context.Context, queue, id string) error {
	if !entryID.MatchString(id) {
		return inbox.Errorf(inbox.EINVALID, "Invalid dead letter id %q.", id)
	}
	n, err := q.client.XDel(ctx, q.deadStream(queue), id).Result()
	if err != nil {
		return inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	if n == 0 {
		return deadNotFound(queue, id)
	}
	return nil
}

// Rewrite replaces a dead letter's body and headers. The dead letter
// gets a new id, at the end of the dead-letter stream; its other fields,
// the failure time included, stay.
func (q *Queue) Rewrite(ctx context.Context, queue, id string, body []byte, headers map[string]string) (string, error) {
	if !entryID.MatchString(id) {
		return "", inbox.Errorf(inbox.EINVALID, "Invalid dead letter id %q.", id)
	}
	var h []byte
	if len(headers) > 0 {
		var err error
		if h, err = json.Marshal(headers); err != nil {
			return "", inbox.WrapError(inbox.EINVALID, err, "The dead letter's headers cannot be encoded.")
		}
	}
	newID, err := rewriteScript.Run(ctx, q.client, []string{q.deadStream(queue)}, id, body, h).Text()
	if errors.Is(err, redis.Nil) {
		return "", deadNotFound(queue, id)
	} else if err != nil {
		return "", inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	return newID, nil
}

// QueueStats reports the stream's length, its pending entries, the age of
// its oldest entry and the length of its dead-letter stream. Acknowledged
// entries are deleted, so the first entry is the oldest unacknowledged one.
func (q *Queue) QueueStats(ctx context.Context, queue string) (inbox.QueueStats, error) {
	pipe := q.client.Pipeline()
	length := pipe.XLen(ctx, q.stream(queue))
	first := pipe.XRangeN(ctx, q.stream(queue), "-", "+", 1)
	dead := pipe.XLen(ctx, q.deadStream(queue))
	pending := pipe.XPending(ctx, q.stream(queue), q.opts.Group)
	_, err := pipe.Exec(ctx)
	// A queue nobody consumed yet has no group: nothing is pending.
	if err != nil && !isNoGroup(pending.Err()) {
		return inbox.QueueStats{}, inbox.WrapError(inbox.EUNAVAILABLE, err, "The queue is unavailable.")
	}
	s := inbox.QueueStats{Length: length.Val(), DeadLetters: dead.Val()}
	if p := pending.Val(); p != nil {
		s.Pending = p.Count
	}
	if msgs := first.Val(); len(msgs) > 0 {
		s.OldestAge = max(time.Since(entryTime(msgs[0].ID)), 0)
	}
	return s, nil
}

// deadLetter turns an entry of a dead-letter stream into a DeadLetter.
func deadLetter(queue string, m redis.XMessage) *inbox.DeadLetter {
	str := func(k string) string { s, _ := m.Values[k].(string); return s }
	num := func(k string) int64 { n, _ := strconv.ParseInt(str(k), 10, 64); return n }
	dl := &inbox.DeadLetter{
		ID:          m.ID,
		Queue:       queue,
		MessageID:   str(fieldMessageID),
		Key:         str(fieldKey),
		Body:        []byte(str(fieldBody)),
		Attempts:    int(num(fieldAttempts)),
		Error:       str(fieldError),
		PublishedAt: time.UnixMilli(num(fieldPublishedAt)).UTC(),
		FailedAt:    time.UnixMilli(num(fieldFailedAt)).UTC(),
	}
	if h := str(fieldHeaders); h != "" {
		_ = json.Unmarshal([]byte(h), &dl.Headers)
	}
	return dl
}

func deadNotFound(queue, id string) error {
	return inbox.Errorf(inbox.ENOTFOUND, "Dead letter %s of queue %s not found.", id, queue)
}

// lengthAlarm logs an error when the stream holds more than MaxLen
// entries. The stream is never trimmed: acknowledged entries are deleted
// at once, so every entry left is unacknowledged work that trimming would
// lose. A long stream means the consumers are behind or down.
func (c *consumer) lengthAlarm(ctx context.Context) {
	n, err := c.q.client.XLen(ctx, c.stream).Result()
	if err != nil || n <= c.q.opts.MaxLen {
		return
	}
	c.log.Error("queue: stream is longer than its bound; not trimming it, which would lose unacknowledged messages",
		"length", n, "max_len", c.q.opts.MaxLen)
}

// isNoGroupText reports a NOGROUP error wrapped in a script error.
func isNoGroupText(err error) bool { return err != nil && strings.Contains(err.Error(), "NOGROUP") }
