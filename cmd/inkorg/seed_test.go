package main

import (
	"slices"
	"strings"
	"testing"

	"inkorg/inbox/inboxtest"
	"inkorg/inbox/sqlstore"
)

// TestUserAddAdministrations adds a specialist in two administrations by
// repeating --administration.
func TestUserAddAdministrations(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	code, _ := runCmd(t, env, "", "user", "add", "--name", "sara", "--role", "specialist",
		"--administration", "kultur", "--administration", "idrott-forening")
	if code != exitOK {
		t.Fatalf("got exit %d, want 0", code)
	}
	db, err := sqlstore.Open(t.Context(), env["INKORG_DATA_DIR"]+"/inkorg.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := sqlstore.NewStore(db).FindUserByName(t.Context(), "sara")
	if err != nil || u.AdministrationID != "kultur" || !slices.Equal(u.Administrations, []string{"kultur", "idrott-forening"}) {
		t.Errorf("got %+v, %v; want kultur first, then idrott-forening", u, err)
	}
}

// TestSeedCommand seeds an empty database, on SQLite (the embedded
// default) and on PostgreSQL, and refuses to seed it again without --force.
func TestSeedCommand(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testSeedCommand(t, map[string]string{"INKORG_DATA_DIR": t.TempDir()})
	})
	t.Run("postgres", func(t *testing.T) {
		testSeedCommand(t, map[string]string{"DATABASE_URL": inboxtest.PostgresURL(t)})
	})
}

func testSeedCommand(t *testing.T, env map[string]string) {
	if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
		t.Fatalf("migrate: got exit %d", code)
	}
	if code, out := runCmd(t, env, "", "seed", "--conversations", "10", "--messages", "25"); code != exitOK {
		t.Fatalf("seed: got exit %d (%s), want 0", code, out)
	}
	if code, _ := runCmd(t, env, "", "seed", "--conversations", "10", "--messages", "25"); code != exitUsage {
		t.Errorf("seeding again: got exit %d, want %d", code, exitUsage)
	}
	if code, _ := runCmd(t, env, "", "seed", "--conversations", "10", "--messages", "5"); code != exitUsage {
		t.Errorf("fewer messages than conversations: got exit %d, want %d", code, exitUsage)
	}
}

// TestSeedMessagesFollowConversations checks that without --messages the
// messages follow --conversations, five each, instead of a million
// spread over twenty conversations.
func TestSeedMessagesFollowConversations(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
		t.Fatalf("migrate: got exit %d", code)
	}
	code, out := runCmd(t, env, "", "seed", "--conversations", "20")
	if code != exitOK {
		t.Fatalf("seed: got exit %d, want 0", code)
	}
	if !strings.HasPrefix(out, "seeded 20 conversations and 100 messages") {
		t.Errorf("got %q, want 20 conversations and 100 messages", out)
	}
	db, err := sqlstore.Open(t.Context(), env["INKORG_DATA_DIR"]+"/inkorg.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.Gorm().Raw("SELECT COUNT(*) FROM messages").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 100 {
		t.Errorf("messages stored: got %d, want 100", n)
	}
}
