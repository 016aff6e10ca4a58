package inbox

import "context"

// APITokenStore finds, lists and revokes API tokens.
type APITokenStore interface {
	// FindAPITokenByHash returns the token with the hash and the user
	// owning it, and records the token's use; ENOTFOUND when there is no
	// such token, when it has expired or when its user is deactivated,
	// as FindUserByTokenHash.
	FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, *User, error)
	// FindAPITokens returns the user's tokens, newest first.
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// FindAllAPITokens returns every user's tokens, newest first.
	FindAllAPITokens(ctx context.Context) ([]*APIToken, error)
	// FindAPIToken returns one token, or ENOTFOUND.
	FindAPIToken(ctx context.Context, id int64) (*APIToken, error)
	// DeleteAPIToken revokes the token: it stops working at once. A token
	// that does not exist is ENOTFOUND.
	DeleteAPIToken(ctx context.Context, id int64) error
}

// CanManageTokensOf reports whether u may list and revoke the API tokens
// of the user with id owner: their own, or anyone's for an admin.
func (u *User) CanManageTokensOf(owner int64) bool {
	return u.ID == owner || u.Role == RoleAdmin
}
