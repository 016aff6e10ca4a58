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
