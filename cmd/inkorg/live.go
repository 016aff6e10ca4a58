package main

import (
	"fmt"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/livebus"
	"inkorg/inbox/livebus/redislive"
)

// liveBackends are the live update broker and the presence store: on Redis
// when REDIS_URL is set, so every instance shares them, otherwise in this
// process.
type liveBackends struct {
	broker   inbox.LiveBroker
	presence inbox.PresenceStore
	close    func()
}

func openLive(e *env) (*liveBackends, error) {
	if e.cfg.RedisURL == "" {
		return &liveBackends{broker: livebus.NewMemory(0, nil), presence: livebus.NewMemoryPresence(), close: func() {}}, nil
	}
	opts, err := redis.ParseURL(e.cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	broker := redislive.New(rdb, redislive.Options{Prefix: e.cfg.RedisPrefix, Logger: e.logger})
	return &liveBackends{
		broker:   broker,
		presence: redislive.NewPresence(rdb, e.cfg.RedisPrefix),
		close: func() {
			broker.Close()
			rdb.Close()
		},
	}, nil
}
