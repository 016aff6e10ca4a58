package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

var _ inbox.Store = (*Store)(nil)

// Store implements inbox.Store on a DB of either dialect. Every method is
// one transaction at most, and every error it returns is an *inbox.Error.
type Store struct {
	db    *DB
	posts knownPosts
}

// NewStore returns a Store on db. The schema must be migrated (see Migrate
// and CheckSchema).
func NewStore(db *DB) *Store {
	return &Store{db: db}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.Ping(ctx)
}

// conn returns a gorm session bound to ctx: in the read transaction of
// snapshot when ctx is one of its.
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(snapshotKey{s}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return s.db.gorm.WithContext(ctx)
}

// snapshotKey keys a store's read transaction in a context.
type snapshotKey struct{ s *Store }

// snapshot runs fn with a context whose reads (through conn) all see the
// database at one moment: in a read-only REPEATABLE READ transaction on
// PostgreSQL, in a transaction on SQLite (whose one connection then
// serves nobody else until fn returns, so fn must only read). Inside
// another snapshot fn runs in that one.
func (s *Store) snapshot(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(snapshotKey{s}).(*gorm.DB); ok {
		return fn(ctx)
	}
	var opts []*sql.TxOptions
	if s.db.dialect == DialectPostgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, snapshotKey{s}, tx))
	}, opts...)
	return translate(err, "Snapshot")
}

// inTx runs fn in one transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.conn(ctx).Transaction(fn)
}

// txAttempts is how often inTxRetry runs a transaction PostgreSQL
// aborted as a deadlock or serialization failure.
const txAttempts = 3

// inTxRetry is inTx for the event paths, which run concurrently on the
// same conversations: a transaction PostgreSQL chose as a deadlock victim
// (or could not serialize) has changed nothing, so it is run again, at
// most txAttempts times in all. fn must set its results afresh each run.
func (s *Store) inTxRetry(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var err error
	for range txAttempts {
		if err = s.inTx(ctx, fn); !retryableTx(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

// retryableTx reports whether err is PostgreSQL aborting a transaction
// that may succeed when run again.
func retryableTx(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// forUpdate makes q's read lock the rows it reads until the transaction
// ends, on PostgreSQL; SQLite runs one writing transaction at a time.
func forUpdate(q *gorm.DB) *gorm.DB {
	if q.Dialector.Name() != DialectPostgres {
		return q
	}
	return q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
}

// now returns the store clock's time as stored.
func (s *Store) now() dbTime {
	return toDBTime(s.db.Now())
}

// nullID returns id for a nullable foreign key column, nil for 0.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// idOf returns the id a nullable foreign key column holds, 0 for NULL.
func idOf(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}
