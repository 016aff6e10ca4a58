package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// SetAccountToken stores the account's sealed token and clears NeedsToken.
func (s *Store) SetAccountToken(ctx context.Context, accountID int64, sealed string) error {
	return s.setAccount(ctx, accountID, map[string]any{"token_sealed": sealed, "needs_token": false})
}

// FindAccountToken returns the account's sealed token, "" when none.
func (s *Store) FindAccountToken(ctx context.Context, accountID int64) (string, error) {
	var row accountRow
	if err := s.conn(ctx).Select("id", "token_sealed").Where("id = ?", accountID).Take(&row).Error; err != nil {
		return "", translate(err, "Account")
	}
	return row.TokenSealed, nil
}

// SetAccountNeedsToken sets whether the account needs a new token.
func (s *Store) SetAccountNeedsToken(ctx context.Context, accountID int64, needs bool) error {
	return s.setAccount(ctx, accountID, map[string]any{"needs_token": needs})
}

// SetAccountHumanAgent sets whether the account may use HUMAN_AGENT.
func (s *Store) SetAccountHumanAgent(ctx context.Context, accountID int64, approved bool) error {
	return s.setAccount(ctx, accountID, map[string]any{"human_agent": approved})
}

func (s *Store) setAccount(ctx context.Context, id int64, set map[string]any) error {
	res := s.conn(ctx).Model(&accountRow{}).Where("id = ?", id).Updates(set)
	if res.Error != nil {
		return translate(res.Error, "Account")
	}
	if res.RowsAffected == 0 {
		return inbox.Errorf(inbox.ENOTFOUND, "Account not found.")
	}
	return nil
}

// RecordChannelActivity moves last_webhook_at and last_poll_at forward.
func (s *Store) RecordChannelActivity(ctx context.Context, accountID int64, webhookAt, pollAt *time.Time) error {
	set := map[string]any{}
	for col, t := range map[string]*time.Time{"last_webhook_at": webhookAt, "last_poll_at": pollAt} {
		if t != nil {
			v := toDBTime(*t)
			set[col] = gorm.Expr("CASE WHEN "+col+" IS NULL OR "+col+" < ? THEN ? ELSE "+col+" END", v, v)
		}
	}
	if len(set) == 0 {
		return nil
	}
	return s.setAccount(ctx, accountID, set)
}
