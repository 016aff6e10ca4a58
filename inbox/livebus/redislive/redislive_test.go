package redislive_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/livebus/livetest"
	"inkorg/inbox/livebus/redislive"
)

// TestBroker runs the contract suite on two brokers with their own Redis
// connections, as two instances have.
func TestBroker(t *testing.T) {
	livetest.Run(t, func(t *testing.T, history int) (inbox.LiveBroker, inbox.LiveBroker) {
		url, prefix := inboxtest.RedisURL(t)
		return Open(t, url, prefix, history), Open(t, url, prefix, history)
	})
}

// Open returns a broker with its own Redis client, closed when t ends.
func Open(t *testing.T, url, prefix string, history int) *redislive.Broker {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	b := redislive.New(rdb, redislive.Options{Prefix: prefix, History: int64(history)})
	t.Cleanup(func() {
		b.Close()
		rdb.Close()
	})
	return b
}

func TestPresence(t *testing.T) {
	livetest.RunPresence(t, func(t *testing.T) inbox.PresenceStore {
		url, prefix := inboxtest.RedisURL(t)
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opts)
		t.Cleanup(func() { rdb.Close() })
		return redislive.NewPresence(rdb, prefix)
	})
}
