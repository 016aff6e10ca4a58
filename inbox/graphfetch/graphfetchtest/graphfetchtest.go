// Package graphfetchtest sets up what the background Graph readers'
// tests share: a migrated SQLite store and a Graph API sandbox, both on a
// clock the test moves.
package graphfetchtest

import (
	"path/filepath"
	"testing"
	"time"

	"inkorg/inbox/graph"
	"inkorg/inbox/sqlstore"
)

// SandboxToken is the token the readers under test fall back to.
const SandboxToken = "EAAGsandboxTOKEN0123456789"

// Scene is a store and a sandbox; Client calls the sandbox.
type Scene struct {
	Store   *sqlstore.Store
	Sandbox *graph.Sandbox
	Client  *graph.Client
	// Now is the time the sandbox and the client see; a minute after the
	// real time at first, so what the store notes as due now is due.
	Now time.Time
}

// NewScene returns a Scene whose resources t cleans up.
func NewScene(t *testing.T) *Scene {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "inkorg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	sc := &Scene{Store: sqlstore.NewStore(db), Now: time.Now().UTC().Add(time.Minute)}
	sc.Sandbox = graph.NewSandbox(sc.Clock)
	srv, err := sc.Sandbox.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if sc.Client, err = graph.New(graph.Config{BaseURL: srv.URL, Now: sc.Clock}); err != nil {
		t.Fatal(err)
	}
	return sc
}

// Clock returns the scene's time.
func (sc *Scene) Clock() time.Time { return sc.Now }
