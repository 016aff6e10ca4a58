package redislive

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
)

var _ inbox.PresenceStore = (*Presence)(nil)

// Presence keeps presence in Redis: one hash per conversation, a field per
// user, the whole key expiring with its newest entry.
type Presence struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewPresence returns a presence store on rdb under prefix.
func NewPresence(rdb redis.UniversalClient, prefix string) *Presence {
	return &Presence{rdb: rdb, prefix: prefix}
}

func (p *Presence) key(conversationID int64) string {
	return p.prefix + "presence:" + strconv.FormatInt(conversationID, 10)
}

// SetPresence implements inbox.PresenceStore.
func (p *Presence) SetPresence(ctx context.Context, conversationID int64, e inbox.Presence) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	key := p.key(conversationID)
	_, err = p.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.HSet(ctx, key, strconv.FormatInt(e.UserID, 10), raw)
		pipe.ExpireAt(ctx, key, e.Until)
		return nil
	})
	if err != nil {
		return inbox.WrapError(inbox.EUNAVAILABLE, err, "Presence is unavailable; try again shortly.")
	}
	return nil
}

// FindPresence implements inbox.PresenceStore; it removes what has run out.
func (p *Presence) FindPresence(ctx context.Context, conversationID int64, now time.Time) ([]inbox.Presence, error) {
	key := p.key(conversationID)
	all, err := p.rdb.HGetAll(ctx, key).Result()
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Presence is unavailable; try again shortly.")
	}
	out := []inbox.Presence{}
	var stale []string
	for field, raw := range all {
		var e inbox.Presence
		if json.Unmarshal([]byte(raw), &e) != nil || !e.Until.After(now) {
			stale = append(stale, field)
			continue
		}
		out = append(out, e)
	}
	if len(stale) > 0 {
		p.rdb.HDel(ctx, key, stale...)
	}
	slices.SortFunc(out, func(a, b inbox.Presence) int { return int(a.UserID - b.UserID) })
	return out, nil
}
