// Package sqlstoretest opens migrated databases for tests in other
// packages: a SQLite file in the test's temporary directory, or a fresh
// PostgreSQL schema.
package sqlstoretest

import (
	"context"
	"path/filepath"
	"testing"

	"inkorg/inbox/inboxtest"
	"inkorg/inbox/sqlstore"
)

// SQLite returns a migrated SQLite database in t's temporary directory,
// closed when the test ends.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "inkorg.db"))
}

// Postgres returns a migrated database in a fresh PostgreSQL schema; it
// skips or fails, as inboxtest.PostgresURL does, when PostgreSQL is absent.
func Postgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, inboxtest.PostgresURL(t))
}

func open(t testing.TB, url string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}
