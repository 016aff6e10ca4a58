package inbox

import (
	"context"
	"time"
)

// TokenExpiryWarning is how long before an access token expires that
// supervisors are warned.
const TokenExpiryWarning = 7 * 24 * time.Hour

// TokenCheck is what the Graph API said of an account's access token.
type TokenCheck struct {
	CheckedAt time.Time
	// ExpiryKnown is false when Meta could only be asked whom the token
	// belongs to (no app id configured): ExpiresAt and MissingScopes are
	// then unknown, not absent.
	ExpiryKnown bool
	// ExpiresAt is when the token expires, nil when it never does.
	ExpiresAt *time.Time
	// DataAccessExpiresAt is when the token loses access to people's data
	// unless renewed, nil when never.
	DataAccessExpiresAt *time.Time
	// MissingScopes are the permissions replies and moderation need that
	// the token lacks.
	MissingScopes []string
}

// TokenCheckStore records token checks.
type TokenCheckStore interface {
	// RecordTokenCheck stores what a token check found for the account.
	// An unknown account is ENOTFOUND.
	RecordTokenCheck(ctx context.Context, accountID int64, c TokenCheck) error
}

// TokenExpiry returns the earliest of the token's expiry and its data
// access expiry, nil when neither is known or both never come.
func (a *Account) TokenExpiry() *time.Time {
	if !a.TokenExpiryKnown {
		return nil
	}
	t := a.TokenExpiresAt
	if d := a.TokenDataAccessExpiresAt; d != nil && (t == nil || d.Before(*t)) {
		t = d
	}
	return t
}

// TokenExpiresWithin reports whether the token expires (or loses data
// access) within d of now, or already has.
func (a *Account) TokenExpiresWithin(now time.Time, d time.Duration) bool {
	t := a.TokenExpiry()
	return t != nil && t.Sub(now) < d
}
