// Package sqlstore implements inbox.Store on PostgreSQL and SQLite through
// gorm, with versioned SQL migrations for each dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"inkorg/inbox"
)

// Dialects.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is an open database of either dialect.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect string
	// Now is the clock used for created/updated times.
	Now inbox.Clock
}

// Open opens the database named by url: a postgres:// or postgresql:// URL
// for PostgreSQL, anything else is the path of a SQLite file (created with
// its directory when missing). It does not migrate; call Migrate or
// CheckSchema.
func Open(ctx context.Context, url string) (*DB, error) {
	dialect, dialector, err := dialectorFor(url)
	if err != nil {
		return nil, err
	}
	// Nothing is logged, but gorm's Scan formats each statement with its
	// values for a log all the same (its trace recorder): queries that run
	// for every event or delivery read their rows with Find instead.
	g, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot open the %s database.", dialect)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if dialect == DialectSQLite {
		// SQLite allows one writer; a single connection serialises writers
		// instead of failing them with SQLITE_BUSY.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	db := &DB{gorm: g, sql: sqlDB, dialect: dialect, Now: func() time.Time { return time.Now().UTC() }}
	if err := db.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return db, nil
}

func dialectorFor(raw string) (string, gorm.Dialector, error) {
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		return DialectPostgres, postgres.Open(raw), nil
	}
	path := strings.TrimPrefix(raw, "sqlite://")
	if path == "" {
		return "", nil, inbox.Errorf(inbox.EINVALID, "Empty SQLite path.")
	}
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return "", nil, inbox.WrapError(inbox.EUNAVAILABLE, err, "Cannot create the directory for %s.", path)
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return DialectSQLite, sqlite.Open("file:" + path + "?" + q.Encode()), nil
}

// Gorm returns the gorm handle, for adapters that share this database (the
// SQL queue).
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// Dialect returns DialectSQLite or DialectPostgres.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := db.sql.PingContext(ctx); err != nil {
		return inbox.WrapError(inbox.EUNAVAILABLE, err, "The database is unreachable.")
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		return nil, err
	}
	if db.dialect == DialectSQLite {
		return goose.NewProvider(goose.DialectSQLite3, db.sql, sub)
	}
	// Several instances may migrate at the same time when they start; an
	// advisory lock lets one apply the migrations while the others wait.
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db.sql, sub, goose.WithSessionLocker(locker))
}

// Migrate applies every pending migration and returns the schema version.
func (db *DB) Migrate(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate %s: %w", db.dialect, err)
	}
	return p.GetDBVersion(ctx)
}

// ErrSchemaBehind is returned by CheckSchema when migrations are pending.
var ErrSchemaBehind = errors.New("database schema is behind")

// CheckSchema returns an error wrapping ErrSchemaBehind, naming both
// versions, when the database is not migrated to the newest version.
func (db *DB) CheckSchema(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	current, target, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current < target {
		return fmt.Errorf("%w: at version %d, this inkorg needs %d; run `inkorg migrate`", ErrSchemaBehind, current, target)
	}
	return nil
}
