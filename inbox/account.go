package inbox

import (
	"context"
	"strings"
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
	// account; LastPollAt when a part of the reconciliation poll (comments
	// or private messages) last succeeded; see PollFailures.
	LastWebhookAt *time.Time `json:"last_webhook_at,omitempty"`
	LastPollAt    *time.Time `json:"last_poll_at,omitempty"`
	// TokenCheckedAt is when the token was last checked with Meta (nil
	// before the first check); the other Token fields are what that check
	// found (see TokenCheck).
	TokenCheckedAt           *time.Time `json:"token_checked_at,omitempty"`
	TokenExpiryKnown         bool       `json:"token_expiry_known"`
	TokenExpiresAt           *time.Time `json:"token_expires_at,omitempty"`
	TokenDataAccessExpiresAt *time.Time `json:"token_data_access_expires_at,omitempty"`
	TokenMissingScopes       []string   `json:"token_missing_scopes,omitempty"`
	// Login is how the account signs in to Meta, which decides the Graph
	// API host its calls go to; see AccountLogin.
	Login AccountLogin `json:"login"`
	// PageID is the Facebook Page an Instagram account is linked to
	// (Facebook Login): its private conversations are read on the Page.
	// Empty for Facebook accounts and when not known.
	PageID string `json:"page_id,omitempty"`
	// CommentsPolledAt and MessagesPolledAt are when the poll last read
	// the account's comments and private conversations successfully;
	// CommentsPollError and MessagesPollError why that part failed the
	// last time it ran, "" when it worked.
	CommentsPolledAt  *time.Time `json:"comments_polled_at,omitempty"`
	MessagesPolledAt  *time.Time `json:"messages_polled_at,omitempty"`
	CommentsPollError string     `json:"comments_poll_error,omitempty"`
	MessagesPollError string     `json:"messages_poll_error,omitempty"`
	// PollPausedUntil is when Meta's throttling lets the poll call for
	// the account again, for every instance; nil when it may now.
	PollPausedUntil *time.Time `json:"poll_paused_until,omitempty"`
}

// UnknownAccount is a Page or Instagram account that is not managed but
// that webhooks (signed by the city's app) brought conversations for: an
// account to set up, or one removed while its conversations stay.
type UnknownAccount struct {
	Platform      Platform  `json:"platform"`
	ExternalID    string    `json:"external_id"`
	Conversations int       `json:"conversations"`
	LastMessageAt time.Time `json:"last_message_at"`
}

// MaxUnknownAccounts is the most unknown accounts FindUnknownAccounts
// returns.
const MaxUnknownAccounts = 100

// AccountStore reads and writes managed accounts.
type AccountStore interface {
	// CreateAccount stores a and sets its ID; a platform id already managed
	// is ECONFLICT.
	CreateAccount(ctx context.Context, a *Account) error
	// FindAccounts returns every managed account.
	FindAccounts(ctx context.Context) ([]*Account, error)
	// FindUnknownAccounts returns the accounts that are not managed but
	// that conversations are on (see Conversation.UnknownAccount), the one
	// with the latest message first, at most MaxUnknownAccounts.
	FindUnknownAccounts(ctx context.Context) ([]UnknownAccount, error)
	// RemoveAccount stops managing the account with that platform id. Its
	// conversations stay, flagged UnknownAccount. An id not managed is
	// ENOTFOUND.
	RemoveAccount(ctx context.Context, platform Platform, externalID string) error
	// SetAccountLogin changes how the account signs in to Meta: a login
	// ValidateLogin refuses for the account's platform is EINVALID, an
	// unknown account ENOTFOUND. Instagram Login has no linked Page, so
	// it forgets the account's PageID.
	SetAccountLogin(ctx context.Context, accountID int64, login AccountLogin) error
	AccountPollClaimStore
}

// CanManageAccounts reports whether u may add and remove managed accounts:
// only admins, since an account decides whose conversations inkorg owns.
func (u *User) CanManageAccounts() bool { return u != nil && u.Role == RoleAdmin }

// MaxAccountIDLength is the longest managed account id accepted, in
// bytes; Meta's Page and Instagram account ids are well below it.
const MaxAccountIDLength = 64

// ValidateAccountID reports, as EINVALID, why id cannot be a managed
// account's id (entry.id in webhooks), which goes into Graph API paths:
// like a Page id it has letters, digits, _ - and . only, and it holds a
// digit, as Meta's Page and Instagram account ids are digits, so that an
// alias such as "me", which names whoever the token belongs to, is not
// taken for an account.
func ValidateAccountID(id string) error {
	switch {
	case id == "":
		return ruleError(EINVALID, "Kontots id krävs.", "Account id is required.")
	case len(id) > MaxAccountIDLength:
		return ruleError(EINVALID, "Kontots id är längre än %d tecken.", "The account id is longer than %d characters.", MaxAccountIDLength)
	case !graphIDChars(id) || !strings.ContainsAny(id, "0123456789"):
		return ruleError(EINVALID, "Kontots id %q ska vara Metas id för sidan eller Instagramkontot (siffror, som 104729385720000).",
			"The account id %q must be Meta's id of the Page or Instagram account (digits, such as 104729385720000).", id)
	}
	return nil
}

// graphIDChars reports whether id has only the characters of a Graph API
// object id: letters, digits, _ - and .
func graphIDChars(id string) bool {
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}
