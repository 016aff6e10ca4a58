package inbox_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

func TestSignInLockPerAddress(t *testing.T) { onBothDialects(t, testSignInLockPerAddress) }

// testSignInLockPerAddress: wrong passwords for anna from one address lock
// her name for that address only; anna from her own address still signs
// in, and an admin's unlock ends the lock.
func testSignInLockPerAddress(t *testing.T, db *sqlstore.DB) {
	w := newSessionWorld(t, db)
	ctx := t.Context()
	const guesser, own = "198.51.100.7", "10.1.2.3"
	for i := 1; i <= w.sessions.MaxFailures; i++ {
		_, _, err := w.sessions.SignInFrom(ctx, "anna", "gissning 123456", guesser)
		want := inbox.EUNAUTHORIZED
		if i == w.sessions.MaxFailures {
			want = inbox.EFORBIDDEN
		}
		if inbox.ErrorCode(err) != want {
			t.Fatalf("guess %d from %s: got %v, want %s", i, guesser, err, want)
		}
	}
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, guesser); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("right password from the locked address: got %v, want forbidden", err)
	}
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, own); err != nil {
		t.Errorf("right password from another address: got %v, want signed in", err)
	}
	if whole, _, err := w.store.FindLoginFailures(ctx, "anna", own); err != nil || whole.LockedUntil == nil {
		t.Errorf("the name's record: got %+v, %v; want a lock admins see", whole, err)
	}
	if err := w.store.UnlockUserAccount(ctx, 0, w.user.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, guesser); err != nil {
		t.Errorf("right password from the address after an unlock: got %v, want signed in", err)
	}
}

func TestSignInNameClosed(t *testing.T) { onBothDialects(t, testSignInNameClosed) }

// testSignInNameClosed: guesses from many addresses close the name to the
// addresses anna has not signed in from; hers stays open, and the name
// opens again after CloseFor.
func testSignInNameClosed(t *testing.T, db *sqlstore.DB) {
	w := newSessionWorld(t, db)
	ctx := t.Context()
	const own = "10.1.2.3"
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, own); err != nil {
		t.Fatal(err)
	}
	w.sessions.MaxNameFailures = 12
	for i := range w.sessions.MaxNameFailures {
		// Two guesses from each address: no address gets locked.
		address := fmt.Sprintf("198.51.100.%d", i/2)
		_, _, err := w.sessions.SignInFrom(ctx, "anna", "gissning 123456", address)
		want := inbox.EUNAUTHORIZED
		if i == w.sessions.MaxNameFailures-1 {
			want = inbox.EFORBIDDEN
		}
		if inbox.ErrorCode(err) != want {
			t.Fatalf("guess %d from %s: got %v, want %s", i+1, address, err, want)
		}
	}
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, "203.0.113.9"); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("right password from a new address while closed: got %v, want forbidden", err)
	}
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, own); err != nil {
		t.Errorf("right password from anna's own address while closed: got %v, want signed in", err)
	}
	w.now = w.now.Add(w.sessions.CloseFor + time.Second)
	if _, _, err := w.sessions.SignInFrom(ctx, "anna", testPassword, "203.0.113.9"); err != nil {
		t.Errorf("right password from a new address after the closure: got %v, want signed in", err)
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name, password, want string
	}{
		{"OK", "ett långt lösenord", ""},
		{"OKTwelveLetters", "åäöåäöåäöåäö", ""},
		{"OK72Bytes", strings.Repeat("a", inbox.MaxPasswordBytes), ""},
		{"ErrShortInLetters", "åäöåäö", inbox.ErrPasswordShort},
		{"ErrShort", "kort", inbox.ErrPasswordShort},
		{"ErrLong", strings.Repeat("a", inbox.MaxPasswordBytes) + "b", inbox.ErrPasswordLong},
		{"ErrLongInBytes", "detta är en riktigt lång lösenfras som en försiktig administratör valde idag", inbox.ErrPasswordLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := inbox.CheckPassword(tt.password)
			if got := inbox.ErrorMessage(err); got != tt.want || (tt.want != "" && inbox.ErrorCode(err) != inbox.EINVALID) {
				t.Errorf("%d characters, %d bytes: got %v, want %q", len([]rune(tt.password)), len(tt.password), err, tt.want)
			}
			if _, err := inbox.HashPassword(tt.password); inbox.ErrorMessage(err) != tt.want {
				t.Errorf("HashPassword: got %v, want %q", err, tt.want)
			}
		})
	}
}
