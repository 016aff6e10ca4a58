package sqlstore

import (
	"cmp"
	"context"
	"strings"

	"gorm.io/gorm"

	"inkorg/inbox"
)

type accountRow struct {
	ID         int64  `gorm:"column:id;primaryKey"`
	Platform   string `gorm:"column:platform"`
	ExternalID string `gorm:"column:external_id"`
	Name       string `gorm:"column:name"`
	CreatedAt  dbTime `gorm:"column:created_at;autoCreateTime:false"`
	HumanAgent bool   `gorm:"column:human_agent"`
	NeedsToken bool   `gorm:"column:needs_token"`
	// TokenSealed is read only to tell whether there is a token; see
	// FindAccountToken.
	TokenSealed   string `gorm:"column:token_sealed"`
	LastWebhookAt dbTime `gorm:"column:last_webhook_at"`
	LastPollAt    dbTime `gorm:"column:last_poll_at"`

	TokenCheckedAt           dbTime `gorm:"column:token_checked_at"`
	TokenExpiryKnown         bool   `gorm:"column:token_expiry_known"`
	TokenExpiresAt           dbTime `gorm:"column:token_expires_at"`
	TokenDataAccessExpiresAt dbTime `gorm:"column:token_data_access_expires_at"`
	TokenMissingScopes       string `gorm:"column:token_missing_scopes"`

	PageID            string `gorm:"column:page_id"`
	CommentsPolledAt  dbTime `gorm:"column:comments_polled_at"`
	CommentsPollError string `gorm:"column:comments_poll_error"`
	MessagesPolledAt  dbTime `gorm:"column:messages_polled_at"`
	MessagesPollError string `gorm:"column:messages_poll_error"`

	Login           string `gorm:"column:login"`
	PollPausedUntil dbTime `gorm:"column:poll_paused_until"`
}

func (accountRow) TableName() string { return "accounts" }

func (r *accountRow) toDomain() *inbox.Account {
	return &inbox.Account{
		ID:            r.ID,
		Platform:      inbox.Platform(r.Platform),
		ExternalID:    r.ExternalID,
		Name:          r.Name,
		CreatedAt:     r.CreatedAt.Time(),
		HumanAgent:    r.HumanAgent,
		NeedsToken:    r.NeedsToken,
		HasToken:      r.TokenSealed != "",
		LastWebhookAt: r.LastWebhookAt.Ptr(),
		LastPollAt:    r.LastPollAt.Ptr(),

		TokenCheckedAt:           r.TokenCheckedAt.Ptr(),
		TokenExpiryKnown:         r.TokenExpiryKnown,
		TokenExpiresAt:           r.TokenExpiresAt.Ptr(),
		TokenDataAccessExpiresAt: r.TokenDataAccessExpiresAt.Ptr(),
		TokenMissingScopes:       decodeTags(r.TokenMissingScopes),

		PageID:            r.PageID,
		CommentsPolledAt:  r.CommentsPolledAt.Ptr(),
		CommentsPollError: r.CommentsPollError,
		MessagesPolledAt:  r.MessagesPolledAt.Ptr(),
		MessagesPollError: r.MessagesPollError,

		Login:           inbox.AccountLogin(cmp.Or(r.Login, string(inbox.LoginFacebook))),
		PollPausedUntil: r.PollPausedUntil.Ptr(),
	}
}

// CreateAccount stores a and sets its ID and CreatedAt, and links the
// conversations already received for it; a platform id already managed is
// ECONFLICT.
func (s *Store) CreateAccount(ctx context.Context, a *inbox.Account) error {
	if err := validateAccount(a); err != nil {
		return err
	}
	row := accountRow{
		Platform:   string(a.Platform),
		ExternalID: a.ExternalID,
		Name:       a.Name,
		CreatedAt:  s.now(),
		PageID:     strings.TrimSpace(a.PageID),
		Login:      string(cmp.Or(a.Login, inbox.LoginFacebook)),
	}
	// Conversations that arrived before the account was configured become
	// its own. The lock makes a message that starts a conversation for the
	// account meanwhile either wait for it or be adopted (see
	// newConversationAccount).
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := lockAccount(tx, a.Platform, row.ExternalID, false); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return adoptConversations(tx, &row, row.CreatedAt)
	})
	if err != nil {
		return translate(err, "An account with that platform id")
	}
	a.ID, a.CreatedAt, a.Login = row.ID, row.CreatedAt.Time(), inbox.AccountLogin(row.Login)
	return nil
}

// validateAccount reports the first reason a cannot be stored, as EINVALID.
func validateAccount(a *inbox.Account) error {
	switch {
	case !a.Platform.Valid():
		return inbox.Errorf(inbox.EINVALID, "Unknown platform %q; use facebook or instagram.", a.Platform)
	}
	if err := inbox.ValidateAccountID(a.ExternalID); err != nil {
		return err
	}
	if strings.TrimSpace(a.Name) == "" {
		return inbox.Errorf(inbox.EINVALID, "Account name is required.")
	}
	if err := inbox.ValidateLogin(a.Platform, a.Login); err != nil {
		return err
	}
	if a.Login == inbox.LoginInstagram && strings.TrimSpace(a.PageID) != "" {
		return inbox.Errorf(inbox.EINVALID, "An account with Instagram Login has no linked Facebook Page (page_id).")
	}
	return inbox.ValidatePageID(a.Platform, strings.TrimSpace(a.PageID))
}

// FindAccounts returns every managed account, by platform and name.
func (s *Store) FindAccounts(ctx context.Context) ([]*inbox.Account, error) {
	var rows []accountRow
	if err := s.conn(ctx).Order("platform, name, id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Account")
	}
	accounts := make([]*inbox.Account, len(rows))
	for i := range rows {
		accounts[i] = rows[i].toDomain()
	}
	return accounts, nil
}

// SetAccountLogin changes how the account signs in to Meta; Instagram
// Login forgets the Page the account was linked to.
func (s *Store) SetAccountLogin(ctx context.Context, accountID int64, login inbox.AccountLogin) error {
	if !login.Valid() {
		return inbox.Errorf(inbox.EINVALID, "Unknown login %q; use facebook or instagram.", login)
	}
	var row accountRow
	if err := s.conn(ctx).Select("id", "platform").Where("id = ?", accountID).Take(&row).Error; err != nil {
		return translate(err, "Account")
	}
	if err := inbox.ValidateLogin(inbox.Platform(row.Platform), login); err != nil {
		return err
	}
	set := map[string]any{"login": string(login)}
	if login == inbox.LoginInstagram {
		set["page_id"] = ""
	}
	return s.setAccount(ctx, accountID, set)
}

// findAccountID returns the id of the managed account, 0 when there is none.
func findAccountID(tx *gorm.DB, platform inbox.Platform, externalID string) (int64, error) {
	var rows []accountRow
	err := tx.Select("id").Where("platform = ? AND external_id = ?", string(platform), externalID).
		Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return rows[0].ID, nil
}

// lockAccount takes, on PostgreSQL, the advisory lock of one account until
// the transaction ends: exclusive to add the account, shared to start a
// conversation for an account that was not found. Either waits for the
// other, so a conversation started while the account is being added is
// either its own or one the adding transaction sees and adopts. It is a
// lock of its own rather than the account's row, which does not exist yet.
// SQLite runs one writing transaction at a time anyway.
func lockAccount(tx *gorm.DB, platform inbox.Platform, externalID string, shared bool) error {
	if tx.Dialector.Name() != DialectPostgres {
		return nil
	}
	lock := "pg_advisory_xact_lock"
	if shared {
		lock = "pg_advisory_xact_lock_shared"
	}
	return tx.Exec("SELECT "+lock+"(hashtextextended(?, 0))", accountLockKey(platform, externalID)).Error
}

// accountLockKey names the advisory lock of one account; a message's
// (messageLockKey) starts with the platform, never with "account:".
func accountLockKey(platform inbox.Platform, externalID string) string {
	return "account:" + string(platform) + ":" + externalID
}
