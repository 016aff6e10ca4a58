package inbox_test

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

func TestDeleteOldLoginFailures(t *testing.T) { onBothDialects(t, testDeleteOldLoginFailures) }

// testDeleteOldLoginFailures: the failures of a name nobody has are
// forgotten a day after the last one, a user's failures too, and the
// user's sign-in from an address only when it is older than
// signedInBefore.
func testDeleteOldLoginFailures(t *testing.T, db *sqlstore.DB) {
	w := newSessionWorld(t, db)
	ctx := t.Context()
	const own, guesser = "10.1.2.3", "198.51.100.7"
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, own); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"nobody", "anna"} {
		if _, _, err := w.sessions.SignInFrom(ctx, name, "gissning 123456", guesser); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Fatalf("%s: got %v, want unauthorized", name, err)
		}
	}
	start := w.now

	if n, err := w.store.DeleteOldLoginFailures(ctx, start.Add(-time.Hour), start.Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("before anything is old: got %d deleted, %v; want 0", n, err)
	}
	if n, err := w.store.DeleteOldLoginFailures(ctx, start.Add(time.Hour), start.Add(-time.Hour)); err != nil || n != 3 {
		t.Errorf("failures old: got %d deleted, %v; want 3 (nobody's name and address, anna's guesser)", n, err)
	}
	if whole, from, err := w.store.FindLoginFailures(ctx, "nobody", guesser); err != nil || !whole.LastFailure.IsZero() || !from.LastFailure.IsZero() {
		t.Errorf("nobody: got %+v and %+v, %v; want nothing stored", whole, from, err)
	}
	whole, from, err := w.store.FindLoginFailures(ctx, "anna", own)
	if err != nil || whole.Failures != 0 || whole.LockedUntil != nil || from.SignedInAt == nil {
		t.Errorf("anna: got %+v and %+v, %v; want no failures and the sign-in from %s", whole, from, err, own)
	}

	if n, err := w.store.DeleteOldLoginFailures(ctx, start.Add(time.Hour), start.Add(time.Hour)); err != nil || n != 2 {
		t.Errorf("sign-in old: got %d deleted, %v; want 2 (anna's address and name)", n, err)
	}
	if whole, from, err := w.store.FindLoginFailures(ctx, "anna", own); err != nil || !whole.LastFailure.IsZero() || from.SignedInAt != nil {
		t.Errorf("anna: got %+v and %+v, %v; want nothing stored", whole, from, err)
	}
}

func TestSessionsCleanUp(t *testing.T) { onBothDialects(t, testSessionsCleanUp) }

// testSessionsCleanUp: the periodic clean-up deletes ended sessions and
// failures a day old, and keeps a recent sign-in's address.
func testSessionsCleanUp(t *testing.T, db *sqlstore.DB) {
	w := newSessionWorld(t, db)
	ctx := t.Context()
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, "10.1.2.3"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.sessions.SignInFrom(ctx, "nobody", "gissning 123456", "198.51.100.7"); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
		t.Fatalf("got %v, want unauthorized", err)
	}
	w.now = w.now.Add(25 * time.Hour)
	sessions, failures, err := w.sessions.CleanUp(ctx)
	if err != nil || sessions != 1 || failures != 2 {
		t.Errorf("got %d sessions and %d failure records deleted, %v; want 1 and 2", sessions, failures, err)
	}
	if _, from, err := w.store.FindLoginFailures(ctx, "anna", "10.1.2.3"); err != nil || from.SignedInAt == nil {
		t.Errorf("anna's address: got %+v, %v; want the sign-in kept", from, err)
	}
}
