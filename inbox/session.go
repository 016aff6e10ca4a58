package inbox

import (
	"context"
	"time"
)

// Session is a signed-in browser. The browser holds a random token in a
// cookie; only the token's SHA-256 hash is stored, like an API token's.
type Session struct {
	ID     int64
	UserID int64
	// Hash is HashAPIToken of the session token.
	Hash string
	// CSRFToken must accompany every form post and every unsafe API call
	// made with the session.
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is when the session ends unless it is used: it moves
	// forward with use, but never past CreatedAt plus the maximum age.
	ExpiresAt time.Time
}

// LoginFailures counts failed sign-ins for one user name from every
// client address, so that guessing from many addresses is bounded too.
type LoginFailures struct {
	Name     string
	Failures int
	// LockedUntil is set while failed sign-ins lock the name for some
	// address or close it (ClosedUntil): what admins see as locked, and
	// what unlocking ends.
	LockedUntil *time.Time
	// ClosedUntil is set when Failures reached the name's ceiling: until
	// then only addresses the user recently signed in from may try.
	ClosedUntil *time.Time
	LastFailure time.Time
}

// AddressFailures counts failed sign-ins for one user name from one
// client address, so that guessing from one address locks the name for
// that address only, and remembers the user's last sign-in from it.
type AddressFailures struct {
	Name string
	// Address is the client address: an IPv4 address or an IPv6 /64.
	Address  string
	Failures int
	// LockedUntil is set when Failures reached the limit.
	LockedUntil *time.Time
	LastFailure time.Time
	// SignedInAt is the user's last sign-in from the address; nil when
	// none is remembered.
	SignedInAt *time.Time
}

// SessionStore keeps browser sessions, failed sign-ins and each user's
// interface language.
type SessionStore interface {
	// CreateSession stores s and sets its ID.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with the token hash and its user, or
	// ENOTFOUND.
	FindSession(ctx context.Context, hash string) (*Session, *User, error)
	// TouchSession records a use of the session and its new expiry.
	TouchSession(ctx context.Context, id int64, lastSeen, expires time.Time) error
	// DeleteSession ends the session with the token hash; an unknown hash
	// is not an error.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteExpiredSessions removes sessions that expired before t.
	DeleteExpiredSessions(ctx context.Context, t time.Time) (int64, error)
	// FindLoginFailures returns the failed sign-ins for name from every
	// address and from address; a name or an address with none gives
	// zero values with the name and address.
	FindLoginFailures(ctx context.Context, name, address string) (*LoginFailures, *AddressFailures, error)
	// RecordLoginFailureFrom changes the failed sign-ins stored for name
	// and for name from address (zero values when none are) with count and
	// stores the results, which it returns. Concurrent calls for one name
	// run one after the other, each on what the one before stored, so no
	// failure goes uncounted; count may run more than once.
	RecordLoginFailureFrom(ctx context.Context, name, address string,
		count func(*LoginFailures, *AddressFailures)) (*LoginFailures, *AddressFailures, error)
	// RecordSignIn forgets the failed sign-ins for name from address and
	// remembers that the user signed in from it at t.
	RecordSignIn(ctx context.Context, name, address string, t time.Time) error
	// DeleteOldLoginFailures forgets failed sign-ins whose last failure
	// and lock are before failedBefore, except an address's sign-in at or
	// after signedInBefore, and returns how many records went.
	DeleteOldLoginFailures(ctx context.Context, failedBefore, signedInBefore time.Time) (int64, error)
	// UserLanguage returns the user's interface language, "" when unset.
	UserLanguage(ctx context.Context, userID int64) (string, error)
	// SetUserLanguage stores the user's interface language.
	SetUserLanguage(ctx context.Context, userID int64, lang string) error
	// SaveSignOnUser creates the user signed on through an identity
	// provider, or updates the role and administrations of the user with
	// that name to what the provider says; the password is left alone. It
	// sets u.ID.
	SaveSignOnUser(ctx context.Context, u *User) error
}
