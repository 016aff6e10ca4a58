package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ClaimAccountPoll claims the account's poll with one compare-and-set
// UPDATE, which both SQLite and PostgreSQL run atomically: of instances
// claiming at once, exactly one matches the row.
func (s *Store) ClaimAccountPoll(ctx context.Context, accountID int64, instance string, now, until time.Time) (bool, error) {
	at := toDBTime(now)
	res := s.conn(ctx).Model(&accountRow{}).
		Where("id = ?", accountID).
		Where("poll_claimed_by = ? OR poll_claimed_until IS NULL OR poll_claimed_until <= ?", instance, at).
		Where("poll_paused_until IS NULL OR poll_paused_until <= ?", at).
		Updates(map[string]any{"poll_claimed_by": instance, "poll_claimed_until": toDBTime(until)})
	if res.Error != nil {
		return false, translate(res.Error, "Account")
	}
	return res.RowsAffected == 1, nil
}

// PauseAccountPoll moves poll_paused_until forward to until.
func (s *Store) PauseAccountPoll(ctx context.Context, accountID int64, until time.Time) error {
	v := toDBTime(until)
	return s.setAccount(ctx, accountID, map[string]any{
		"poll_paused_until": gorm.Expr("CASE WHEN poll_paused_until IS NULL OR poll_paused_until < ? THEN ? ELSE poll_paused_until END", v, v),
	})
}
