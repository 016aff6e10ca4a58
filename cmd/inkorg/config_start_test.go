package main

import (
	"cmp"
	"context"
	"math"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox/inboxtest"
)

// TestMigrateNamesDatabase checks that migrate says which database it
// migrated, without the password.
func TestMigrateNamesDatabase(t *testing.T) {
	t.Run("OK/SQLite", func(t *testing.T) {
		env := baseEnv(t)
		code, out := runCmd(t, env, "", "migrate")
		if code != exitOK {
			t.Fatalf("got exit %d, want 0", code)
		}
		if want := "SQLite database " + filepath.Join(env["INKORG_DATA_DIR"], "inkorg.db"); !strings.Contains(out, want) {
			t.Errorf("got %q, want it to name %q", out, want)
		}
	})
	t.Run("OK/Postgres", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		code, out := runCmd(t, env, "", "migrate")
		if code != exitOK {
			t.Fatalf("got exit %d, want 0", code)
		}
		u, err := url.Parse(env["DATABASE_URL"])
		if err != nil {
			t.Fatal(err)
		}
		port := cmp.Or(u.Port(), "5432")
		want := "PostgreSQL database " + strings.TrimPrefix(u.Path, "/") + " on " + net.JoinHostPort(u.Hostname(), port)
		if !strings.Contains(out, want) {
			t.Errorf("got %q, want it to name %q", out, want)
		}
		if p, ok := u.User.Password(); ok && strings.Contains(out, p) {
			t.Errorf("got %q, want no password", out)
		}
	})
}

// TestIgnoredVariablesWarned checks that a misnamed variable, which leaves
// inkorg on its defaults, is warned about, naming the variable meant.
func TestIgnoredVariablesWarned(t *testing.T) {
	t.Setenv("INKORG_DATABASE_URL", "postgres://inkorg@db.invalid/inkorg")
	for _, args := range [][]string{{"migrate"}, {"accounts", "list"}} {
		t.Run("OK/"+strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr strings.Builder
			if got := run(t.Context(), args, envFrom(baseEnv(t)), strings.NewReader(""), &stdout, &stderr); got != exitOK {
				t.Fatalf("got exit status %d, want 0 (stderr %q)", got, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "INKORG_DATABASE_URL") || !strings.Contains(lines[0], "did_you_mean=DATABASE_URL") {
				t.Errorf("got stderr %q, want one warning naming INKORG_DATABASE_URL and DATABASE_URL", stderr.String())
			}
		})
	}
}

// TestOpenDatabaseUnreachable checks that a database that cannot be
// reached at start is one line naming DATABASE_URL, without the password.
func TestOpenDatabaseUnreachable(t *testing.T) {
	env := baseEnv(t)
	env["DATABASE_URL"] = "postgres://inkorg:hunter2@localhost:1/inkorg?connect_timeout=5"
	var stdout, stderr strings.Builder
	if got := run(t.Context(), []string{"accounts", "list"}, envFrom(env), strings.NewReader(""), &stdout, &stderr); got != exitFailure {
		t.Fatalf("got exit status %d, want %d (stderr %q)", got, exitFailure, stderr.String())
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "DATABASE_URL") || !strings.Contains(msg, "localhost:1") || strings.Contains(msg, "hunter2") {
		t.Errorf("got stderr %q, want one line naming DATABASE_URL and the server, without the password", msg)
	}
}

// TestRedisDatabaseMissing checks that a REDIS_URL naming a database the
// server does not have is refused at start, naming REDIS_URL, rather than
// at every queue call after a start that looked fine.
func TestRedisDatabaseMissing(t *testing.T) {
	redisURL, prefix := inboxtest.RedisURL(t)
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	// The first number past the server's databases; 2^31-1 when the
	// server does not say how many it has.
	missing := math.MaxInt32
	if cfg, err := client.ConfigGet(t.Context(), "databases").Result(); err == nil {
		if n, err := strconv.Atoi(cfg["databases"]); err == nil {
			missing = n
		}
	}
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + strconv.Itoa(missing)
	env := baseEnv(t)
	env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = u.String(), prefix
	for _, args := range [][]string{{"dlq", "list"}, {"serve", "--roles", "workers"}} {
		t.Run(args[0], func(t *testing.T) {
			// Without the check serve would run; the deadline only ends it.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			var stdout, stderr strings.Builder
			code := run(ctx, args, envFrom(env), strings.NewReader(""), &stdout, &stderr)
			want := "REDIS_URL names database " + strconv.Itoa(missing)
			if code != exitUsage || !strings.Contains(stderr.String(), want) {
				t.Errorf("inkorg %s: got exit %d, %q; want %d and %q", strings.Join(args, " "), code, stderr.String(), exitUsage, want)
			}
		})
	}
}
