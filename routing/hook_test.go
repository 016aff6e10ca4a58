package routing_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/storetest"
	"inkorg/routing"
)

// openStore opens a fresh migrated store at url.
func openStore(t testing.TB, url string) inbox.Store {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return sqlstore.NewStore(db)
}

// storeURLs gives a new database of each dialect for a test.
var storeURLs = map[string]func(t *testing.T) string{
	"SQLite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "inkorg.db") },
	"Postgres": func(t *testing.T) string { return inboxtest.PostgresURL(t) },
}

// forEachStore runs fn as a subtest on a new migrated store of each
// dialect in storeURLs.
func forEachStore(t *testing.T, fn func(t *testing.T, st inbox.Store)) {
	for name, url := range storeURLs {
		t.Run(name, func(t *testing.T) { fn(t, openStore(t, url(t))) })
	}
}

func TestHook(t *testing.T) { forEachStore(t, testHook) }

func testHook(t *testing.T, s inbox.Store) {
	ctx := t.Context()
	targets, err := routing.BundledAdministrations()
	if err != nil {
		t.Fatal(err)
	}
	cfg := routing.DefaultConfig()
	cfg.Now = func() time.Time { return storetest.T0 }
	tr, err := routing.NewTriager(targets, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hook := routing.Hook(tr, s, nil)
	apply := func(e inbox.Event) inbox.Applied {
		a, err := s.ApplyEvent(ctx, e)
		if err != nil {
			t.Fatalf("ApplyEvent: %v", err)
		}
		return a
	}

	e := storetest.Event("hook-thread", "m1", storetest.T0)
	e.Text = "Soptunnan har inte tömts och sophämtningen svarar inte"
	a := apply(e)
	for range 2 { // a redelivery runs the hook again
		if err := hook(ctx, e, a); err != nil {
			t.Fatalf("hook: %v", err)
		}
	}
	c, err := s.FindConversationByID(ctx, a.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Triage == nil || c.Triage.Administration != "kretslopp-vatten" || c.Triage.MessageID != a.MessageID {
		t.Fatalf("got triage %+v, want kretslopp-vatten for message %d", c.Triage, a.MessageID)
	}
	if c.AdministrationID != "" {
		t.Errorf("administration: got %q, want none until a person routes it", c.AdministrationID)
	}

	// The city's own answer is not triaged: the triage stays the citizen's.
	reply := storetest.Reply("hook-thread", "m2", storetest.T0.Add(time.Minute))
	reply.Text = "Hej! Vi skickar bilen igen. Kontakta oss om bygglov annars."
	if err := hook(ctx, reply, apply(reply)); err != nil {
		t.Fatalf("hook on reply: %v", err)
	}
	if got, err := s.FindTriage(ctx, a.ConversationID); err != nil || got.MessageID != a.MessageID {
		t.Errorf("after reply: got %+v, %v; want the citizen message's triage", got, err)
	}

	// An agent routes it elsewhere; after retraining, the same question
	// goes where the agent sent it.
	storetest.Route(t, s, a.ConversationID, "stadsfastighet")
	if n, err := tr.RetrainFrom(ctx, s); err != nil || n != 1 {
		t.Fatalf("RetrainFrom: got %d, %v; want 1 correction", n, err)
	}
	again, err := tr.Triage(ctx, e.Text, e.Channel)
	if err != nil {
		t.Fatal(err)
	}
	if again.Administration != "stadsfastighet" {
		t.Errorf("after the correction: got %s, want stadsfastighet", again.Administration)
	}

	// A message the store does not know is logged, not retried forever.
	if err := hook(context.Background(), e, inbox.Applied{ConversationID: a.ConversationID, MessageID: a.MessageID + 99}); err != nil {
		t.Errorf("hook with an unknown message: got %v, want nil", err)
	}
}
