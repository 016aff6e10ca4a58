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

// TestResumeFarBehind: a client further behind than the history gets the
// newest history-size events and a gap.
func TestResumeFarBehind(t *testing.T) {
	url, prefix := inboxtest.RedisURL(t)
	b := Open(t, url, prefix, 3)
	for n := range 11 {
		if err := b.Publish(t.Context(), inbox.LiveEvent{Kind: inbox.LiveConversation, ConversationID: int64(n)}); err != nil {
			t.Fatal(err)
		}
	}
	// Approximate trimming keeps all eleven: the stream is far shorter
	// than a node Redis would drop.
	opts, _ := redis.ParseURL(url)
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	kept, err := rdb.XRange(t.Context(), prefix+"live", "-", "+").Result()
	if err != nil || len(kept) != 11 {
		t.Fatalf("stream: got %d entries, %v; want 11", len(kept), err)
	}
	sub, err := b.Subscribe(t.Context(), kept[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sub.Close()
	if !sub.Gap || len(sub.Missed) != 3 || sub.Missed[0].ConversationID != 8 || sub.Missed[2].ConversationID != 10 {
		t.Errorf("got gap %v and missed %+v; want a gap and conversations 8 to 10", sub.Gap, sub.Missed)
	}
}
