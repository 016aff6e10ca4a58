package inbox

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Defaults of a Sessions.
const (
	DefaultMaxLoginFailures = 5
	DefaultLockout          = 15 * time.Minute
	DefaultMaxNameFailures  = 50
	DefaultCloseFor         = time.Hour
	DefaultFamiliarFor      = 90 * 24 * time.Hour
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
// browsers. Failed passwords are counted per user name and client
// address, in the database, so on every instance: after MaxFailures in a
// row from one address the name is locked for that address for Lockout,
// and other addresses, the user's own among them, may go on trying. After
// MaxNameFailures from all addresses together the name is closed for
// CloseFor to every address the user has not signed in from within
// FamiliarFor, which bounds guessing from many addresses.
type Sessions struct {
	store interface {
		UserStore
		SessionStore
	}
	now Clock
	// MaxFailures is how many wrong passwords in a row from one address
	// lock a name for that address.
	MaxFailures int
	// Lockout is how long a locked name stays locked for the address.
	Lockout time.Duration
	// MaxNameFailures is how many wrong passwords from all addresses
	// together close a name to unfamiliar addresses.
	MaxNameFailures int
	// CloseFor is how long a closed name stays closed.
	CloseFor time.Duration
	// FamiliarFor is how long after the user's sign-in from an address the
	// address may still try a closed name.
	FamiliarFor time.Duration
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
	return &Sessions{store: store, now: now, MaxFailures: DefaultMaxLoginFailures, Lockout: DefaultLockout,
		MaxNameFailures: DefaultMaxNameFailures, CloseFor: DefaultCloseFor, FamiliarFor: DefaultFamiliarFor,
		Idle: DefaultSessionIdle, MaxAge: DefaultSessionMaxAge}
}

// HashPassword returns the stored form of a password (bcrypt), after
// CheckPassword.
func HashPassword(password string) (string, error) {
	if err := CheckPassword(password); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", ruleError(EINVALID, "Lösenordet går inte att använda: %v.", "The password cannot be used: %v.", err)
	}
	return string(h), nil
}

// Password limits. MinPasswordLength counts characters; MaxPasswordBytes
// counts bytes of UTF-8 (å, ä and ö take two each), since bcrypt reads no
// more than 72.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 72
)

// Messages of a password that cannot be set; the code is EINVALID.
const (
	ErrPasswordShort = "The password must be at least 12 characters."
	ErrPasswordLong  = "The password must be at most 72 bytes: 72 letters A–Z, fewer with å, ä, ö and other characters."
)

// CheckPassword reports whether password may be set: at least
// MinPasswordLength characters and at most MaxPasswordBytes bytes.
func CheckPassword(password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return Errorf(EINVALID, ErrPasswordShort)
	case len(password) > MaxPasswordBytes:
		return Errorf(EINVALID, ErrPasswordLong)
	}
	return nil
}

// SignIn is SignInFrom an unknown client address.
func (s *Sessions) SignIn(ctx context.Context, name, password string) (token string, sess *Session, err error) {
	return s.SignInFrom(ctx, name, password, "")
}

// SignInFrom checks name and password sent from the client address and
// starts a session. A wrong name or password is EUNAUTHORIZED (the same
// for both); a name locked for the address, or closed to it, is
// EFORBIDDEN until the lock ends, even with the right password.
func (s *Sessions) SignInFrom(ctx context.Context, name, password, address string) (token string, sess *Session, err error) {
	name = strings.TrimSpace(name)
	now := s.now()
	if _, err := s.checkLock(ctx, name, address, now); err != nil {
		return "", nil, err
	}
	user, err := s.store.FindUserByName(ctx, name)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return "", nil, err
	}
	if !passwordMatches(user, password) {
		return "", nil, s.fail(ctx, name, address, now)
	}
	// Locked by failures counted while the password was compared: a burst
	// of guesses sent at once gets no more tries than one by one.
	from, err := s.checkLock(ctx, name, address, now)
	if err != nil {
		return "", nil, err
	}
	if !user.Active() {
		// Said only after the right password, so it tells a guesser
		// nothing.
		return "", nil, Errorf(EFORBIDDEN, ErrDeactivated)
	}
	if s.signInToRecord(from, now) {
		if err := s.store.RecordSignIn(ctx, name, address, now); err != nil {
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
		return nil, nil, ruleError(EUNAUTHORIZED, "Logga in först.", "Sign in first.")
	}
	sess, user, err := s.store.FindSession(ctx, HashAPIToken(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, ruleError(EUNAUTHORIZED, "Inloggningen har gått ut; logga in igen.", "The session has ended; sign in again.")
	} else if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		return nil, nil, ruleError(EUNAUTHORIZED, "Inloggningen har gått ut; logga in igen.", "The session has ended; sign in again.")
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
		return nil, ruleError(EUNAUTHORIZED, "Inloggningen har gått ut; logga in igen.", "The session has ended; sign in again.")
	case err != nil:
		return nil, err
	case !s.now().Before(sess.ExpiresAt):
		return nil, ruleError(EUNAUTHORIZED, "Inloggningen har gått ut; logga in igen.", "The session has ended; sign in again.")
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
