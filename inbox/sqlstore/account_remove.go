package sqlstore

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"inkorg/inbox"
)

var errNoAccount = errors.New("no such account")

// RemoveAccount deletes the managed account and flags its conversations
// UnknownAccount, in one transaction.
//
// The account's row is locked first. A message that started a conversation
// for the account and is not committed yet holds the row's key share lock
// (the conversation's foreign key), so the removal waits for it and then
// flags its conversation too; a message that read the account before and
// starts a conversation for it after finds it gone and is applied again
// (see applyCreated).
func (s *Store) RemoveAccount(ctx context.Context, platform inbox.Platform, externalID string) error {
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		id, err := findAccountID(forUpdate(tx), platform, externalID)
		if err != nil {
			return err
		}
		if id == 0 {
			return errNoAccount
		}
		err = tx.Model(&conversationRow{}).Where("account_id = ?", id).
			Updates(map[string]any{"account_id": nil, "unknown_account": true, "updated_at": s.now()}).Error
		if err != nil {
			return err
		}
		return tx.Delete(&accountRow{}, id).Error
	})
	if errors.Is(err, errNoAccount) {
		return inbox.Errorf(inbox.ENOTFOUND, "No %s account with id %s is managed.", platform, externalID)
	}
	return translate(err, "Account")
}

// adoptConversations links the conversations that arrived for an account
// before it was configured to it, clearing their UnknownAccount flag.
func adoptConversations(tx *gorm.DB, a *accountRow, now dbTime) error {
	return tx.Model(&conversationRow{}).
		Where("platform = ? AND account_external_id = ? AND account_id IS NULL", a.Platform, a.ExternalID).
		Updates(map[string]any{"account_id": a.ID, "unknown_account": false, "updated_at": now}).Error
}

// FindUnknownAccounts returns the accounts that are not managed but that
// conversations are on, the one with the latest message first.
func (s *Store) FindUnknownAccounts(ctx context.Context) ([]inbox.UnknownAccount, error) {
	var rows []struct {
		Platform      string
		ExternalID    string `gorm:"column:account_external_id"`
		Conversations int
		LastMessageAt dbTime
	}
	err := s.conn(ctx).Model(&conversationRow{}).
		Select("platform, account_external_id, COUNT(*) AS conversations, MAX(last_message_at) AS last_message_at").
		Where("unknown_account").Group("platform, account_external_id").
		Order("last_message_at DESC, platform, account_external_id").Limit(inbox.MaxUnknownAccounts).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "Account")
	}
	out := make([]inbox.UnknownAccount, len(rows))
	for i, r := range rows {
		out[i] = inbox.UnknownAccount{Platform: inbox.Platform(r.Platform), ExternalID: r.ExternalID,
			Conversations: r.Conversations, LastMessageAt: r.LastMessageAt.Time()}
	}
	return out, nil
}
