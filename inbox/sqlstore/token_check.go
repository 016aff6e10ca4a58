package sqlstore

import (
	"context"
	"time"

	"inkorg/inbox"
)

var _ inbox.TokenCheckStore = (*Store)(nil)

// RecordTokenCheck stores what a token check found for the account.
func (s *Store) RecordTokenCheck(ctx context.Context, accountID int64, c inbox.TokenCheck) error {
	return s.setAccount(ctx, accountID, map[string]any{
		"token_checked_at":             toDBTime(c.CheckedAt),
		"token_expiry_known":           c.ExpiryKnown,
		"token_expires_at":             optDBTime(c.ExpiresAt),
		"token_data_access_expires_at": optDBTime(c.DataAccessExpiresAt),
		"token_missing_scopes":         encodeTags(c.MissingScopes),
	})
}

// optDBTime is the column value of t: NULL when t is nil.
func optDBTime(t *time.Time) dbTime {
	if t == nil {
		return dbTime{}
	}
	return toDBTime(*t)
}
