package inbox

import (
	"context"
	"time"
)

// Account is a Facebook Page or Instagram professional account the city
// manages.
type Account struct {
	ID         int64     `json:"id"`
	Platform   Platform  `json:"platform"`
	ExternalID string    `json:"external_id"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	// HumanAgent is true when Meta approved the account for the
	// HUMAN_AGENT tag: private answers up to 7 days after the citizen's
	// last message instead of 24 hours.
	HumanAgent bool `json:"human_agent"`
	// NeedsToken is true when the Graph API rejected the account's access
	// token: nothing is sent until an administrator gives it a new one.
	NeedsToken bool `json:"needs_token"`
	// HasToken is true when an access token is stored. The token itself is
	// never returned.
	HasToken bool `json:"has_token"`
	// LastWebhookAt is when a webhook last brought something for the
	// account; LastPollAt when the reconciliation poll last succeeded.
	LastWebhookAt *time.Time `json:"last_webhook_at,omitempty"`
	LastPollAt    *time.Time `json:"last_poll_at,omitempty"`
}

// AccountStore reads and writes managed accounts.
type AccountStore interface {
	// CreateAccount stores a and sets its ID; a platform id already managed
	// is ECONFLICT.
	CreateAccount(ctx context.Context, a *Account) error
	// FindAccounts returns every managed account.
	FindAccounts(ctx context.Context) ([]*Account, error)
	// RemoveAccount stops managing the account with that platform id. Its
	// conversations stay, flagged UnknownAccount. An id not managed is
	// ENOTFOUND.
	RemoveAccount(ctx context.Context, platform Platform, externalID string) error
}

// CanManageAccounts reports whether u may add and remove managed accounts:
// only admins, since an account decides whose conversations inkorg owns.
func (u *User) CanManageAccounts() bool { return u != nil && u.Role == RoleAdmin }
