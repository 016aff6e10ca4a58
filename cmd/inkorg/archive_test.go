package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlstore"
)

// recordsEnv builds the record scene in a SQLite file and returns the
// environment of commands on it.
func recordsEnv(t *testing.T) (map[string]string, *recordtest.Scene) {
	t.Helper()
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	return env, recordScene(t, env)
}

// recordScene migrates the database env configures and builds the record
// scene in it.
func recordScene(t *testing.T, env map[string]string) *recordtest.Scene {
	t.Helper()
	cfg, err := loadConfig(envFrom(env))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(t.Context(), cfg.databaseURL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	s := recordtest.New(t, db)
	db.Close()
	return s
}

// TestRecordsCommands runs the public-record commands in the order an
// operator would: nothing is removed before it is archived.
func TestRecordsCommands(t *testing.T) {
	env, s := recordsEnv(t)
	out := filepath.Join(t.TempDir(), "arkiv")
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"retention", "run", "--months", "1", "--dry-run"}, "0 conversations would be pseudonymised"},
		{[]string{"subject", "erase", "--contact", itoa(s.CommentContact), "--reason", "Begäran 2026-04-01"}, ""},
		{[]string{"archive", "export", "--from", "2026-03-02", "--to", "2026-03-02", "--out", out}, "archived 2 conversations (5 messages)"},
		{[]string{"subject", "export", "--platform-id", recordtest.CitizenID, "--out", filepath.Join(t.TempDir(), "utdrag")}, "exported 1 conversations"},
		{[]string{"subject", "erase", "--contact", itoa(s.CommentContact), "--reason", "Begäran 2026-04-01"}, "deleted in 1 conversation(s)"},
		// The erasure left the other commenter's reply in the comment
		// thread, so retention still has both threads to do.
		{[]string{"retention", "run", "--months", "1", "--dry-run"}, "2 conversations would be pseudonymised"},
		{[]string{"retention", "run", "--months", "1", "--action", "delete"}, "2 conversations deleted"},
		{[]string{"retention", "run", "--months", "1"}, "0 conversations pseudonymised"},
	}
	for _, st := range steps {
		code, stdout := runCmd(t, env, "", st.args...)
		if st.want == "" {
			if code != exitFailure {
				t.Fatalf("inkorg %s: got exit %d, want 1 (not archived yet)", strings.Join(st.args, " "), code)
			}
			continue
		}
		if code != exitOK || !strings.Contains(stdout, st.want) {
			t.Fatalf("inkorg %s: got exit %d, %q; want 0 and %q", strings.Join(st.args, " "), code, stdout, st.want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, archive.ManifestFile)); err != nil {
		t.Error(err)
	}
}

func TestRecordsCommandsErrUsage(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	for _, args := range [][]string{
		{"archive"},
		{"archive", "export", "--from", "2026-03-02"},
		{"archive", "export", "--from", "2026-03-05", "--to", "2026-03-02", "--out", "x"},
		{"archive", "export", "--from", "mars", "--to", "2026-03-02", "--out", "x"},
		{"retention", "run"},
		{"retention", "run", "--months", "3", "--action", "shred"},
		{"subject", "export", "--contact", "1", "--platform-id", "x", "--out", "y"},
		{"subject", "erase", "--contact", "1"},
	} {
		if code, _ := runCmd(t, env, "", args...); code != exitUsage {
			t.Errorf("inkorg %s: got exit %d, want 2", strings.Join(args, " "), code)
		}
	}
	bad := map[string]string{"INKORG_DATA_DIR": t.TempDir(), "INKORG_ARCHIVE_EVERY": "week"}
	if code, _ := runCmd(t, bad, "", "retention", "run"); code != exitUsage {
		t.Errorf("INKORG_ARCHIVE_EVERY=week: got exit %d, want 2", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
