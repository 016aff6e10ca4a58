package sqlstore

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"inkorg/inbox"
)

var _ inbox.ContactProfileStore = (*Store)(nil)

// privateChannels are the channels whose webhooks name a contact only by
// id; comment webhooks carry the author's name or username.
var privateChannels = []string{string(inbox.ChannelMessenger), string(inbox.ChannelInstagramDirect)}

// profileDueSQL selects contacts whose public name is still to fetch, with
// the account of their latest private conversation. Its WHERE clause
// matches the partial index contacts_profile_due.
const profileDueSQL = `
SELECT c.id, c.platform, c.external_id, c.profile_attempts,
	(SELECT v.account_external_id FROM conversations v WHERE v.contact_id = c.id AND v.channel IN ?
		ORDER BY v.last_message_at DESC, v.id DESC LIMIT 1) AS account_external_id
FROM contacts c
WHERE c.name = '' AND c.username = '' AND c.personal_data = '' AND c.profile_done_at IS NULL
	AND (c.profile_next_try_at IS NULL OR c.profile_next_try_at <= ?)
	AND EXISTS (SELECT 1 FROM conversations v WHERE v.contact_id = c.id AND v.channel IN ?)
ORDER BY c.id
LIMIT ?`

type profileDueRow struct {
	ID                int64  `gorm:"column:id"`
	Platform          string `gorm:"column:platform"`
	ExternalID        string `gorm:"column:external_id"`
	ProfileAttempts   int    `gorm:"column:profile_attempts"`
	AccountExternalID string `gorm:"column:account_external_id"`
}

// FindProfilesToFetch returns contacts of private conversations without a
// name or username, due at now.
func (s *Store) FindProfilesToFetch(ctx context.Context, now time.Time, limit int) ([]inbox.ProfileFetch, error) {
	var rows []profileDueRow
	err := s.conn(ctx).Raw(profileDueSQL, privateChannels, toDBTime(now), privateChannels, limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "Contact")
	}
	out := make([]inbox.ProfileFetch, len(rows))
	for i, r := range rows {
		out[i] = inbox.ProfileFetch{ContactID: r.ID, Platform: inbox.Platform(r.Platform), ExternalID: r.ExternalID,
			AccountExternalID: r.AccountExternalID, Attempts: r.ProfileAttempts}
	}
	return out, nil
}

// SaveContactProfile fills the contact's empty name and username and ends
// fetching its profile. A contact whose personal data was removed is left
// as it is.
func (s *Store) SaveContactProfile(ctx context.Context, contactID int64, name, username string) error {
	name, username = strings.TrimSpace(name), strings.TrimSpace(username)
	if !utf8.ValidString(name) || !utf8.ValidString(username) {
		return inbox.Errorf(inbox.EINVALID, "Contact name is not valid UTF-8.")
	}
	now := s.now()
	return s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&contactRow{}).Where("id = ? AND personal_data = ''", contactID).Updates(map[string]any{
			"name":            gorm.Expr("CASE WHEN name = '' THEN ? ELSE name END", name),
			"username":        gorm.Expr("CASE WHEN username = '' THEN ? ELSE username END", username),
			"profile_done_at": now, "profile_next_try_at": nil, "updated_at": now,
		})
		if res.Error != nil || res.RowsAffected > 0 {
			return translate(res.Error, "Contact")
		}
		return translate(tx.Model(&contactRow{}).Select("id").Where("id = ?", contactID).Take(&contactRow{}).Error, "Contact")
	})
}

// ProfileFetchFailed counts a failed profile fetch. After
// MaxProfileFetchAttempts, or at once for a zero next, fetching is given up
// (profile_done_at set), so it is not tried again.
func (s *Store) ProfileFetchFailed(ctx context.Context, contactID int64, next time.Time) error {
	now := s.now()
	return s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&contactRow{}).Where("id = ? AND profile_done_at IS NULL", contactID).Updates(map[string]any{
			"profile_attempts": gorm.Expr("profile_attempts + 1"), "profile_next_try_at": toDBTime(next)})
		if res.Error != nil {
			return translate(res.Error, "Contact")
		}
		q := tx.Model(&contactRow{}).Where("id = ? AND profile_done_at IS NULL", contactID)
		if !next.IsZero() {
			q = q.Where("profile_attempts >= ?", inbox.MaxProfileFetchAttempts)
		}
		return translate(q.Updates(map[string]any{"profile_done_at": now, "profile_next_try_at": nil}).Error, "Contact")
	})
}
