package inbox

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Defaults of a Sessions.
const (
	DefaultMaxLoginFailures = 5
	DefaultLockout          = 15 * time.Minute
	DefaultSessionIdle      = 8 * time.Hour
	DefaultSessionMaxAge    = 7 * 24 * time.Hour
)

// sessionTouchInterval is how stale a session's LastSeenAt may get before a
// use writes it again, so most requests only read.
const sessionTouchInterval = time.Minute

// dummyPasswordHash is compared against when the user name is unknown, so
// that an unknown name takes as long as a wrong password.
var dummyPasswordHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)

// Sessions signs staff in and out of the web UI and authenticates their
// browsers. Failed passwords are counted per user name; after
// MaxFailures in a row the name is locked for Lockout, on every
// instance, since the count is in the database.
type Sessions struct {
	store interface {
		UserStore
		SessionStore
	}
	now Clock
	// MaxFailures is how many wrong passwords in a row lock a name.
	MaxFailures int
	// Lockout is how long a locked name stays locked.
	Lockout time.Duration
	// Idle ends a session that was not used for this long.
	Idle time.Duration
	// MaxAge ends every session this long after sign-in.
	MaxAge time.Duration
}

// NewSessions returns Sessions on store with the default limits; times
// come from now (the wall clock when nil).
func NewSessions(store interface {
	UserStore
	SessionStore
}, now Clock) *Sessions {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	return &Sessions{store: store, now: now, MaxFailures: DefaultMaxLoginFailures,
		Lockout: DefaultLockout, Idle: DefaultSessionIdle, MaxAge: DefaultSessionMaxAge}
}

// HashPassword returns the stored form of a password (bcrypt).
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLength {
		return "", Errorf(EINVALID, "The password must be at least %d characters.", MinPasswordLength)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", Errorf(EINVALID, "The password cannot be used: %v.", err)
	}
	return string(h), nil
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// ErrLocked is the message of a sign-in refused because of too many
// failures; the code is EFORBIDDEN.
const ErrLocked = "Too many failed sign-ins; try again later."

// SignIn checks name and password and starts a session. A wrong name or
// password is EUNAUTHORIZED (the same for both); a locked name is
// EFORBIDDEN until the lock ends, even with the right password.
func (s *Sessions) SignIn(ctx context.Context, name, password string) (token string, sess *Session, err error) {
	name = strings.TrimSpace(name)
	now := s.now()
	fails, err := s.store.FindLoginFailures(ctx, name)
	if err != nil {
		return "", nil, err
	}
	if fails.LockedUntil != nil && now.Before(*fails.LockedUntil) {
		return "", nil, Errorf(EFORBIDDEN, ErrLocked)
	}
	user, err := s.store.FindUserByName(ctx, name)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", nil, err
	}
	if !passwordMatches(user, password) {
		return "", nil, s.fail(ctx, name, now)
	}
	if fails, err = s.store.FindLoginFailures(ctx, name); err != nil {
		return "", nil, err
	}
	if fails.LockedUntil != nil && now.Before(*fails.LockedUntil) {
		// Locked by failures counted while the password was compared: a
		// burst of guesses sent at once gets no more tries than one by one.
		return "", nil, Errorf(EFORBIDDEN, ErrLocked)
	}
	if !user.Active() {
		// Said only after the right password, so it tells a guesser
		// nothing.
		return "", nil, Errorf(EFORBIDDEN, ErrDeactivated)
	}
	if fails.Failures > 0 {
		if err := s.store.ClearLoginFailures(ctx, name); err != nil {
			return "", nil, err
		}
	}
	return s.Start(ctx, user)
}

// passwordMatches compares in constant time per hash, also for a missing
// user or one without a password.
func passwordMatches(u *User, password string) bool {
	hash := dummyPasswordHash
	if u != nil && u.PasswordHash != "" {
		hash = []byte(u.PasswordHash)
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	return ok && u != nil && u.PasswordHash != ""
}

// fail records a failed sign-in for name and returns the error to show.
func (s *Sessions) fail(ctx context.Context, name string, now time.Time) error {
	f, err := s.store.RecordLoginFailure(ctx, name, func(f *LoginFailures) {
		if f.LockedUntil != nil && !now.Before(*f.LockedUntil) {
			// The earlier lock is over: count afresh.
			f.Failures, f.LockedUntil = 0, nil
		}
		f.Failures++
		f.LastFailure = now
		if f.LockedUntil == nil && f.Failures >= s.MaxFailures {
			until := now.Add(s.Lockout)
			f.LockedUntil = &until
		}
	})
	if err != nil {
		return err
	}
	if f.LockedUntil != nil {
		return Errorf(EFORBIDDEN, ErrLocked)
	}
	return Errorf(EUNAUTHORIZED, "Wrong user name or password.")
}

// Start begins a session for u, who was authenticated some other way (a
// password or single sign-on), and returns its token for the cookie.
func (s *Sessions) Start(ctx context.Context, u *User) (string, *Session, error) {
	token, hash, err := NewAPITokenSecret()
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	sess := &Session{UserID: u.ID, Hash: hash, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now, ExpiresAt: s.expiry(now, now)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// expiry is when a session created at created and used at used ends.
func (s *Sessions) expiry(created, used time.Time) time.Time {
	idle, hard := used.Add(s.Idle), created.Add(s.MaxAge)
	if idle.After(hard) {
		return hard
	}
	return idle
}

// Authenticate returns the session of a cookie token and its user, and
// records the use. An unknown or expired token is EUNAUTHORIZED.
func (s *Sessions) Authenticate(ctx context.Context, token string) (*Session, *User, error) {
	if strings.TrimSpace(token) == "" {
		return nil, nil, Errorf(EUNAUTHORIZED, "Sign in first.")
	}
	sess, user, err := s.store.FindSession(ctx, HashAPIToken(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, Errorf(EUNAUTHORIZED, "The session has ended; sign in again.")
	} else if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		return nil, nil, Errorf(EUNAUTHORIZED, "The session has ended; sign in again.")
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchInterval {
		sess.LastSeenAt, sess.ExpiresAt = now, s.expiry(sess.CreatedAt, now)
		if err := s.store.TouchSession(ctx, sess.ID, sess.LastSeenAt, sess.ExpiresAt); err != nil {
			return nil, nil, err
		}
	}
	return sess, user, nil
}

// Check reports the user of a cookie token whose session is still valid,
// as Authenticate does, without extending the session: for a connection
// that stays open, such as the live event stream, which must end with the
// session but must not keep an idle one alive.
func (s *Sessions) Check(ctx context.Context, token string) (*User, error) {
	sess, user, err := s.store.FindSession(ctx, HashAPIToken(token))
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, Errorf(EUNAUTHORIZED, "The session has ended; sign in again.")
	case err != nil:
		return nil, err
	case !s.now().Before(sess.ExpiresAt):
		return nil, Errorf(EUNAUTHORIZED, "The session has ended; sign in again.")
	}
	return user, nil
}

// SignOut ends the session of a cookie token.
func (s *Sessions) SignOut(ctx context.Context, token string) error {
	if strings.TrimSpace(token) == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, HashAPIToken(token))
}

// randomToken returns 32 random bytes, URL-safe base64.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
