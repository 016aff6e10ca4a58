package redisq

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"
)

// maxAckBatch is the most entries acknowledged in one round trip.
const maxAckBatch = 64

// acker acknowledges the entries of one consumer's stream for its
// handlers, several in one MULTI when several finish at the same time: a
// handler that finds no batch being sent sends what is waiting, and the
// acks that arrive meanwhile go in the next batch. An idle consumer's ack
// goes at once, alone; a busy one pays one round trip, for Redis and for
// this process, for many.
type acker struct {
	c *consumer

	mu      sync.Mutex
	pending []*ackRequest
	sending bool
}

type ackRequest struct {
	id   string
	done chan ackResult
}

type ackResult struct {
	acked bool
	err   error
}

// ack acknowledges and deletes the entry id, in a batch with the acks of
// the other handlers, and reports whether it was still pending.
func (a *acker) ack(ctx context.Context, id string) (bool, error) {
	r := &ackRequest{id: id, done: make(chan ackResult, 1)}
	a.mu.Lock()
	a.pending = append(a.pending, r)
	lead := !a.sending
	a.sending = true
	a.mu.Unlock()
	if lead {
		a.send()
	}
	select {
	case res := <-r.done:
		return res.acked, res.err
	case <-ctx.Done():
		// The batch goes on without this handler; the caller may ack
		// again, which finds the entry acknowledged.
		return false, ctx.Err()
	}
}

// send sends one batch of what is waiting, then hands what arrived
// meanwhile to a new sender, so no handler waits on others for long. The
// batch's commands are bounded by commandTimeout, not by one handler's
// context: they serve them all.
func (a *acker) send() {
	a.mu.Lock()
	n := min(len(a.pending), maxAckBatch)
	batch := a.pending[:n:n]
	a.pending = a.pending[n:]
	a.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	acked, err := a.c.ackEntries(ctx, batch)
	cancel()
	for i, r := range batch {
		r.done <- ackResult{acked: err == nil && acked[i], err: err}
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.pending) == 0 {
		a.sending = false
		a.pending = nil
		return
	}
	go a.send()
}

// ackEntries acknowledges and deletes the entries of batch in one
// transaction, and reports for each whether it was still pending.
func (c *consumer) ackEntries(ctx context.Context, batch []*ackRequest) ([]bool, error) {
	cmds := make([]*redis.IntCmd, len(batch))
	ids := make([]string, len(batch))
	_, err := c.q.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for i, r := range batch {
			ids[i] = r.id
			cmds[i] = p.XAck(ctx, c.stream, c.q.opts.Group, r.id)
		}
		p.XDel(ctx, c.stream, ids...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	acked := make([]bool, len(batch))
	for i, cmd := range cmds {
		acked[i] = cmd.Val() > 0
	}
	return acked, nil
}
