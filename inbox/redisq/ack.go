package redisq

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// maxAckBatch is the most entries acknowledged in one round trip.
const maxAckBatch = 64

// ackEntries acknowledges and deletes the entries ids in one transaction,
// and reports for each whether it was still pending. The consumer's
// handlers ack through a batch.Batcher (see consumer.acks): acks of
// handlers that finish at the same time go in one MULTI, so a busy
// consumer pays one round trip, for Redis and for this process, for many.
func (c *consumer) ackEntries(ctx context.Context, ids []string) ([]bool, error) {
	cmds := make([]*redis.IntCmd, len(ids))
	_, err := c.q.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.XAck(ctx, c.stream, c.q.opts.Group, id)
		}
		p.XDel(ctx, c.stream, ids...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	acked := make([]bool, len(ids))
	for i, cmd := range cmds {
		acked[i] = cmd.Val() > 0
	}
	return acked, nil
}
