package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/redis/go-redis/v9"

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
	warnIgnoredVariables(e.logger, os.Environ())
	db, err := sqlstore.Open(ctx, e.cfg.databaseURL())
	if err != nil {
		return nil, databaseOpenError(&e.cfg, err)
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

// startError is a backend that cannot be opened at start: one line naming
// the variable that configures it, wrapping the driver's error.
type startError struct {
	msg string
	err error
}

func (e *startError) Error() string { return e.msg }

func (e *startError) Unwrap() error { return e.err }

// databaseOpenError is err from opening the database as one line naming
// INKORG_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL).
func databaseOpenError(cfg *Config, err error) error {
	if cfg.DatabaseURL == "" {
		return &startError{
			msg: fmt.Sprintf("INKORG_DATA_DIR %s: cannot open the SQLite database: %s", cfg.DataDir, databaseErrorCause(err)),
			err: err,
		}
	}
	return &startError{
		msg: fmt.Sprintf("DATABASE_URL: cannot connect to the %s: %s", cfg.databaseName(), databaseErrorCause(err)),
		err: err,
	}
}

// databaseErrorCause is the driver's reason, on one line: without the
// domain error's wrapping and, for PostgreSQL, without the user and database
// the message already names.
func databaseErrorCause(err error) string {
	var ce *pgconn.ConnectError
	var ie *inbox.Error
	switch {
	case errors.As(err, &ce) && ce.Unwrap() != nil:
		err = ce.Unwrap()
	case errors.As(err, &ie) && ie.Err != nil:
		err = ie.Err
	}
	return joinLines(err.Error())
}

// warnIgnoredVariables logs a warning for each environment variable that
// looks like inkorg's but is not read (see ignoredVariables).
func warnIgnoredVariables(logger *slog.Logger, environ []string) {
	for _, v := range ignoredVariables(environ) {
		attrs := []any{slog.String("name", v.Name)}
		if v.Maybe != "" {
			attrs = append(attrs, slog.String("did_you_mean", v.Maybe))
		}
		logger.Warn("environment variable not read by inkorg", attrs...)
	}
}

// reportMigrated prints what inkorg migrate did: which database, named
// without its password, and the schema version it is at now. It first
// warns about variables that look like inkorg's but were not read, such
// as a misnamed DATABASE_URL that left the migration on SQLite.
func reportMigrated(e *env, version int64) {
	warnIgnoredVariables(e.logger, os.Environ())
	fmt.Fprintf(e.stdout, "%s migrated to version %d\n", e.cfg.databaseName(), version)
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
	if err := checkRedisDatabase(ctx, q, e.cfg.RedisURL); err != nil {
		q.Close()
		db.Close()
		return nil, err
	}
	b.queue, b.queueKind = q, "Redis Streams"
	return b, nil
}

// redisCheckTimeout bounds the start's wait for a Redis server that does
// not answer; the queue's own retries and /readyz cover it after that.
const redisCheckTimeout = time.Second

// checkRedisDatabase refuses a REDIS_URL naming a database the server does
// not have, at start and naming the variable: otherwise the process starts
// and every queue call fails with Redis's "DB index is out of range". A
// server that does not answer is no configuration error and is left to
// the retries, as when it goes away later.
func checkRedisDatabase(ctx context.Context, q *redisq.Queue, raw string) error {
	ctx, cancel := context.WithTimeout(ctx, redisCheckTimeout)
	defer cancel()
	var reply redis.Error
	err := q.Ping(ctx)
	if !errors.As(err, &reply) || !strings.Contains(reply.Error(), "DB index is out of range") {
		return nil
	}
	opts, _ := redis.ParseURL(raw) // checked at start
	return configErrorf("REDIS_URL names database %d, which the Redis server at %s does not have (%s); it has 0–15 unless redis.conf sets databases",
		opts.DB, opts.Addr, reply.Error())
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
