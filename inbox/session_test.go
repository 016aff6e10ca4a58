package inbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// sessionWorld is a store with one user who has a password, and a clock
// the test moves.
type sessionWorld struct {
	store    *sqlstore.Store
	sessions *inbox.Sessions
	user     *inbox.User
	now      time.Time
}

const testPassword = "rätt lösenord 123"

func newSessionWorld(t *testing.T, db *sqlstore.DB) *sessionWorld {
	t.Helper()
	w := &sessionWorld{store: sqlstore.NewStore(db), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	w.sessions = inbox.NewSessions(w.store, func() time.Time { return w.now })
	// The lowest cost keeps the test fast; sign-in works with any cost.
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	w.user = &inbox.User{Name: "anna", Role: inbox.RoleAgent, PasswordHash: string(hash)}
	if err := w.store.CreateUser(t.Context(), w.user); err != nil {
		t.Fatal(err)
	}
	return w
}

// onBothDialects runs fn on a new SQLite and a new PostgreSQL database.
func onBothDialects(t *testing.T, fn func(*testing.T, *sqlstore.DB)) {
	t.Run("SQLite", func(t *testing.T) { fn(t, sqlstoretest.SQLite(t)) })
	t.Run("Postgres", func(t *testing.T) { fn(t, sqlstoretest.Postgres(t)) })
}

func TestSessions(t *testing.T) { onBothDialects(t, testSessions) }

func testSessions(t *testing.T, db *sqlstore.DB) {
	w := newSessionWorld(t, db)
	ctx := t.Context()
	t.Run("OK", func(t *testing.T) {
		token, sess, err := w.sessions.SignIn(ctx, "anna", testPassword)
		if err != nil {
			t.Fatalf("SignIn: %v", err)
		}
		if sess.CSRFToken == "" || sess.Hash == inbox.HashAPIToken("") || sess.Hash != inbox.HashAPIToken(token) {
			t.Errorf("got session %+v, want a CSRF token and the hash of the token", sess)
		}
		got, user, err := w.sessions.Authenticate(ctx, token)
		if err != nil || user.ID != w.user.ID || got.CSRFToken != sess.CSRFToken {
			t.Fatalf("Authenticate: got %v, %v, %v; want anna's session", got, user, err)
		}
		if err := w.sessions.SignOut(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.sessions.Authenticate(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("after sign-out: got %v, want unauthorized", err)
		}
	})
	t.Run("ErrWrongPasswordOrName", func(t *testing.T) {
		for _, name := range []string{"anna", "nobody"} {
			if _, _, err := w.sessions.SignIn(ctx, name, "fel lösenord 12345"); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
				t.Errorf("%s: got %v, want unauthorized", name, err)
			}
		}
		if _, _, err := w.sessions.SignIn(ctx, "anna", testPassword); err != nil {
			t.Errorf("right password after one failure: %v", err)
		}
	})
	t.Run("ErrLocked", func(t *testing.T) {
		for i := 1; i < w.sessions.MaxFailures; i++ {
			if _, _, err := w.sessions.SignIn(ctx, "anna", "fel"); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
				t.Fatalf("failure %d: got %v, want unauthorized", i, err)
			}
		}
		if _, _, err := w.sessions.SignIn(ctx, "anna", "fel"); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Fatalf("failure %d: got %v, want forbidden (locked)", w.sessions.MaxFailures, err)
		}
		if _, _, err := w.sessions.SignIn(ctx, "anna", testPassword); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
			t.Errorf("right password while locked: got %v, want forbidden", err)
		}
		w.now = w.now.Add(w.sessions.Lockout + time.Second)
		if _, _, err := w.sessions.SignIn(ctx, "anna", testPassword); err != nil {
			t.Errorf("right password after the lock: %v", err)
		}
		_, from, err := w.store.FindLoginFailures(ctx, "anna", "")
		if err != nil || from.Failures != 0 || from.LockedUntil != nil || from.SignedInAt == nil {
			t.Errorf("after a good sign-in: got %+v, %v; want no failures and the sign-in", from, err)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		token, _, err := w.sessions.SignIn(ctx, "anna", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		w.now = w.now.Add(w.sessions.Idle - time.Minute)
		if _, _, err := w.sessions.Authenticate(ctx, token); err != nil {
			t.Fatalf("used within the idle time: %v", err)
		}
		w.now = w.now.Add(w.sessions.Idle - time.Minute)
		if _, _, err := w.sessions.Authenticate(ctx, token); err != nil {
			t.Fatalf("used again within the idle time: %v", err)
		}
		w.now = w.now.Add(w.sessions.Idle + time.Second)
		if _, _, err := w.sessions.Authenticate(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("idle too long: got %v, want unauthorized", err)
		}
		if n, err := w.store.DeleteExpiredSessions(ctx, w.now); err != nil || n == 0 {
			t.Errorf("DeleteExpiredSessions: got %d, %v; want at least 1", n, err)
		}
	})
	t.Run("Check", func(t *testing.T) {
		// An open event stream checks its session without keeping it
		// alive: it ends with the idle time, and with a sign-out.
		token, _, err := w.sessions.SignIn(ctx, "anna", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 2; i++ {
			w.now = w.now.Add(w.sessions.Idle / 3)
			if u, err := w.sessions.Check(ctx, token); err != nil || u.ID != w.user.ID {
				t.Fatalf("check %d within the idle time: got %v, %v; want anna", i, u, err)
			}
		}
		w.now = w.now.Add(w.sessions.Idle/3 + time.Second)
		if _, err := w.sessions.Check(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("idle too long, though checked meanwhile: got %v, want unauthorized", err)
		}
		token, _, err = w.sessions.SignIn(ctx, "anna", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if u, err := w.sessions.Check(ctx, token); err != nil || u.ID != w.user.ID {
			t.Fatalf("Check: got %v, %v; want anna", u, err)
		}
		if err := w.sessions.SignOut(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := w.sessions.Check(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("after sign-out: got %v, want unauthorized", err)
		}
	})
	t.Run("Language", func(t *testing.T) {
		if lang, err := w.store.UserLanguage(ctx, w.user.ID); err != nil || lang != "" {
			t.Fatalf("got %q, %v; want unset", lang, err)
		}
		for _, want := range []string{"en", "sv"} {
			if err := w.store.SetUserLanguage(ctx, w.user.ID, want); err != nil {
				t.Fatal(err)
			}
			if got, err := w.store.UserLanguage(ctx, w.user.ID); err != nil || got != want {
				t.Errorf("got %q, %v; want %q", got, err, want)
			}
		}
	})
}

func TestSignInBurst(t *testing.T) { onBothDialects(t, testSignInBurst) }

// testSignInBurst sends many wrong passwords at once: the store counts
// each failure on the one before, and the burst locks the name, also for
// the right password.
func testSignInBurst(t *testing.T, db *sqlstore.DB) {
	w := newSessionWorld(t, db)
	ctx := t.Context()
	const burst = 12
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() {
			_, _, err := w.sessions.SignIn(ctx, "anna", fmt.Sprintf("gissning %d", i))
			if c := inbox.ErrorCode(err); c != inbox.EUNAUTHORIZED && c != inbox.EFORBIDDEN {
				t.Errorf("guess %d: got %v, want unauthorized or forbidden", i, err)
			}
		})
	}
	wg.Wait()
	whole, from, err := w.store.FindLoginFailures(ctx, "anna", "")
	if err != nil || from.Failures < w.sessions.MaxFailures || from.LockedUntil == nil || whole.LockedUntil == nil {
		t.Fatalf("got %+v and %+v, %v; want at least %d failures counted and a lock", whole, from, err, w.sessions.MaxFailures)
	}
	if _, _, err := w.sessions.SignIn(ctx, "anna", testPassword); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("right password after the burst: got %v, want forbidden", err)
	}

	// The store on its own: concurrent failures of one name from two
	// addresses, each counted.
	for i := range burst {
		wg.Go(func() {
			_, _, err := w.store.RecordLoginFailureFrom(ctx, "bertil", fmt.Sprintf("192.0.2.%d", i%2),
				func(whole *inbox.LoginFailures, from *inbox.AddressFailures) { whole.Failures++; from.Failures++ })
			if err != nil {
				t.Errorf("failure %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	for _, address := range []string{"192.0.2.0", "192.0.2.1"} {
		whole, from, err := w.store.FindLoginFailures(ctx, "bertil", address)
		if err != nil || whole.Failures != burst || from.Failures != burst/2 {
			t.Errorf("got %+v and %+v, %v; want %d failures, %d from %s", whole, from, err, burst, burst/2, address)
		}
	}
}

// lockingStore answers FindLoginFailures with no failures the first time
// and a lock after that: as if other guesses locked the name while this
// sign-in compared its password.
type lockingStore struct {
	*sqlstore.Store
	calls int
	until time.Time
}

func (s *lockingStore) FindLoginFailures(ctx context.Context, name, address string) (*inbox.LoginFailures, *inbox.AddressFailures, error) {
	s.calls++
	whole, from := &inbox.LoginFailures{Name: name}, &inbox.AddressFailures{Name: name, Address: address}
	if s.calls > 1 {
		from.Failures, from.LockedUntil = 5, &s.until
	}
	return whole, from, nil
}

func TestSignInLockedMeanwhile(t *testing.T) {
	w := newSessionWorld(t, sqlstoretest.SQLite(t))
	store := &lockingStore{Store: w.store, until: w.now.Add(time.Hour)}
	sessions := inbox.NewSessions(store, func() time.Time { return w.now })
	if _, _, err := sessions.SignIn(t.Context(), "anna", testPassword); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("right password, locked while it was compared: got %v, want forbidden", err)
	}
}
