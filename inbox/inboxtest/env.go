// Package inboxtest holds what tests across inkorg share: finding the
// PostgreSQL, Redis and Chromium a test needs, isolated per test.
//
// A test that needs a service skips with a clear message when the service
// is absent, unless INKORG_TEST_REQUIRE=1, when that is a failure: CI must
// never pass by skipping.
package inboxtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for schema set-up
	"github.com/redis/go-redis/v9"
)

// Default addresses of the local services, used when the INKORG_TEST_*
// variables are unset.
const (
	DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	DefaultRedisURL    = "redis://127.0.0.1:6379/0"
)

// Required reports whether INKORG_TEST_REQUIRE=1.
func Required() bool { return os.Getenv("INKORG_TEST_REQUIRE") == "1" }

// Unavailable skips the test, or fails it when services are required.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("%s (INKORG_TEST_REQUIRE=1, so this is a failure)", msg)
	}
	t.Skipf("%s; skipping (set INKORG_TEST_REQUIRE=1 to make this a failure)", msg)
}

// RandomName returns prefix followed by 12 random hex digits, usable as a
// PostgreSQL schema name or a Redis key prefix.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// PostgresURL returns the URL of a fresh, empty PostgreSQL schema that is
// dropped when the test ends. The server is taken from
// INKORG_TEST_DATABASE_URL, or the local default.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("INKORG_TEST_DATABASE_URL")
	if base == "" {
		base = DefaultDatabaseURL
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", redact(base), err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		Unavailable(t, "PostgreSQL at %s is unreachable (%v); set INKORG_TEST_DATABASE_URL", redact(base), err)
	}
	schema := RandomName("t_")
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", redact(base), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// RedisURL returns the URL of the test Redis server (INKORG_TEST_REDIS_URL
// or the local default) and a key prefix unique to the test; keys under the
// prefix are deleted when the test ends.
func RedisURL(t testing.TB) (string, string) {
	t.Helper()
	raw := os.Getenv("INKORG_TEST_REDIS_URL")
	if raw == "" {
		raw = DefaultRedisURL
	}
	opts, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("parse INKORG_TEST_REDIS_URL: %v", err)
	}
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		Unavailable(t, "Redis at %s is unreachable (%v); set INKORG_TEST_REDIS_URL", redact(raw), err)
	}
	prefix := RandomName("inkorgtest:") + ":"
	t.Cleanup(func() {
		defer client.Close()
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	})
	return raw, prefix
}

// Chromium returns the path of a Chromium binary (INKORG_TEST_CHROMIUM, or
// chromium / chromium-browser / google-chrome on PATH).
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("INKORG_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Unavailable(t, "no Chromium found; set INKORG_TEST_CHROMIUM")
	return ""
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
