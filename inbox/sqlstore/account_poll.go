package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// SetAccountPageID stores the Page an Instagram account is linked to.
func (s *Store) SetAccountPageID(ctx context.Context, accountID int64, pageID string) error {
	pageID = strings.TrimSpace(pageID)
	var row accountRow
	if err := s.conn(ctx).Select("id", "platform", "login").Where("id = ?", accountID).Take(&row).Error; err != nil {
		return translate(err, "Account")
	}
	if err := inbox.ValidatePageID(inbox.Platform(row.Platform), pageID); err != nil {
		return err
	}
	if pageID != "" && row.Login == string(inbox.LoginInstagram) {
		return inbox.Errorf(inbox.EINVALID, "An account with Instagram Login has no linked Facebook Page (page_id).")
	}
	return s.setAccount(ctx, accountID, map[string]any{"page_id": pageID})
}

// maxPollFailure bounds the stored reason of a failing poll part.
const maxPollFailure = 1000

// RecordPollPart records the outcome of one part of the account's poll.
func (s *Store) RecordPollPart(ctx context.Context, accountID int64, part inbox.PollPart, at time.Time, failure string) error {
	if !part.Valid() {
		return inbox.Errorf(inbox.EINVALID, "Unknown poll part %q; use comments or messages.", part)
	}
	col := string(part)
	if failure != "" {
		if r := []rune(failure); len(r) > maxPollFailure {
			failure = string(r[:maxPollFailure])
		}
		return s.setAccount(ctx, accountID, map[string]any{col + "_poll_error": failure})
	}
	v := toDBTime(at)
	set := map[string]any{col + "_poll_error": ""}
	for _, c := range []string{col + "_polled_at", "last_poll_at"} {
		set[c] = gorm.Expr("CASE WHEN "+c+" IS NULL OR "+c+" < ? THEN ? ELSE "+c+" END", v, v)
	}
	return s.setAccount(ctx, accountID, set)
}
