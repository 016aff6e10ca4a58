package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"inkorg/inbox"
	"inkorg/inbox/redisq"
	"inkorg/inbox/sqlq"
	"inkorg/inbox/sqlstore"
)

// backends are the opened database and queue.
type backends struct {
	db    *sqlstore.DB
	store *sqlstore.Store
	queue inbox.Queue
	// queueKind names the queue backend for the start-up line.
	queueKind string
}

// openDatabase opens the configured database. The embedded default (SQLite)
// is migrated at once; PostgreSQL must already be migrated with
// `inkorg migrate`, and a schema that is behind is refused.
func openDatabase(ctx context.Context, e *env) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, e.cfg.databaseURL())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if db.Dialect() == sqlstore.DialectSQLite {
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		if errors.Is(err, sqlstore.ErrSchemaBehind) {
			return nil, fmt.Errorf("refusing to start: %w", err)
		}
		return nil, err
	}
	return db, nil
}

// openBackends opens the database and the queue: Redis Streams when
// REDIS_URL is set, otherwise a queue in the same database.
func openBackends(ctx context.Context, e *env) (*backends, error) {
	db, err := openDatabase(ctx, e)
	if err != nil {
		return nil, err
	}
	b := &backends{db: db, store: sqlstore.NewStore(db)}
	if e.cfg.RedisURL == "" {
		b.queue, b.queueKind = sqlq.New(db, sqlq.Options{
			Logger: e.logger, Lease: e.cfg.Queue.Lease, Policy: e.cfg.Queue.policy(),
		}), "SQL queue"
		return b, nil
	}
	q, err := redisq.Open(e.cfg.RedisURL, redisq.Options{
		Logger: e.logger, Prefix: e.cfg.RedisPrefix, Lease: e.cfg.Queue.Lease, Policy: e.cfg.Queue.policy(),
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open Redis queue: %w", err)
	}
	b.queue, b.queueKind = q, "Redis Streams"
	return b, nil
}

func (b *backends) close(logger *slog.Logger) {
	if err := b.queue.Close(); err != nil {
		logger.Warn("close queue", slog.Any("err", err))
	}
	if err := b.db.Close(); err != nil {
		logger.Warn("close database", slog.Any("err", err))
	}
}

// storeKind names the database for the start-up line.
func (b *backends) storeKind() string {
	if b.db.Dialect() == sqlstore.DialectPostgres {
		return "PostgreSQL"
	}
	return "SQLite"
}
