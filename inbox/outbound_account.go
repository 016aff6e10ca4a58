package inbox

import (
	"context"
	"time"
)

// AccountTokenStore keeps the managed accounts' access tokens, sealed
// (encrypted) by the caller, and the flags the sender needs.
type AccountTokenStore interface {
	// SetAccountToken stores the sealed token of the account and clears
	// NeedsToken. An unknown account is ENOTFOUND.
	SetAccountToken(ctx context.Context, accountID int64, sealed string) error
	// FindAccountToken returns the account's sealed token, "" when it has
	// none. An unknown account is ENOTFOUND.
	FindAccountToken(ctx context.Context, accountID int64) (string, error)
	// SetAccountNeedsToken sets whether the account needs a new token.
	SetAccountNeedsToken(ctx context.Context, accountID int64, needs bool) error
	// SetAccountHumanAgent sets whether Meta approved the account for the
	// HUMAN_AGENT tag.
	SetAccountHumanAgent(ctx context.Context, accountID int64, approved bool) error
	// RecordChannelActivity moves the account's LastWebhookAt or LastPollAt
	// (those not nil) forward to the times given.
	RecordChannelActivity(ctx context.Context, accountID int64, webhookAt, pollAt *time.Time) error
}

// Sealer encrypts access tokens for storage and decrypts them for use.
type Sealer interface {
	Seal(plaintext string) (string, error)
	Open(sealed string) (string, error)
}

// DefaultChannelQuietAfter is how long without a webhook makes a channel
// quiet.
const DefaultChannelQuietAfter = 24 * time.Hour

// Quiet reports whether no webhook has brought anything for a for longer
// than after, at now (counting from when it was added if none ever did).
func (a *Account) Quiet(now time.Time, after time.Duration) bool {
	since := a.CreatedAt
	if a.LastWebhookAt != nil {
		since = *a.LastWebhookAt
	}
	return now.Sub(since) > after
}

// ChannelHealth is what supervisors see of a managed account.
type ChannelHealth struct {
	*Account
	// Quiet is true when no webhook came for DefaultChannelQuietAfter.
	Quiet bool `json:"quiet"`
	// CanSend is true when a token is stored and Meta has not rejected it.
	CanSend bool `json:"can_send"`
	// TokenExpiresSoon is true when the token expires, or loses data
	// access, within TokenExpiryWarning.
	TokenExpiresSoon bool `json:"token_expires_soon"`
}

// Channels returns the health of every managed account: for supervisors
// and admins.
func (s *Service) Channels(ctx context.Context, actor *User) ([]*ChannelHealth, error) {
	if actor == nil {
		return nil, ruleError(EUNAUTHORIZED, "Logga in för att se kanalerna.", "Sign in to see the channels.")
	}
	if !actor.CanAssignOthers() {
		return nil, ruleError(EFORBIDDEN, "Bara arbetsledare och administratörer ser kanalernas status.",
			"Only supervisors and admins see the channels' health.")
	}
	accounts, err := s.store.FindAccounts(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]*ChannelHealth, len(accounts))
	for i, a := range accounts {
		out[i] = &ChannelHealth{Account: a, Quiet: a.Quiet(now, DefaultChannelQuietAfter), CanSend: a.HasToken && !a.NeedsToken,
			TokenExpiresSoon: a.TokenExpiresWithin(now, TokenExpiryWarning)}
	}
	return out, nil
}
