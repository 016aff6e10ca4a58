package main

import (
	"cmp"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

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
