package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

type sessionRow struct {
	ID         int64  `gorm:"column:id;primaryKey"`
	UserID     int64  `gorm:"column:user_id"`
	Hash       string `gorm:"column:hash"`
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  dbTime `gorm:"column:created_at;autoCreateTime:false"`
	LastSeenAt dbTime `gorm:"column:last_seen_at"`
	ExpiresAt  dbTime `gorm:"column:expires_at"`
}

func (sessionRow) TableName() string { return "sessions" }

func (r *sessionRow) toDomain() *inbox.Session {
	return &inbox.Session{ID: r.ID, UserID: r.UserID, Hash: r.Hash, CSRFToken: r.CSRFToken,
		CreatedAt: r.CreatedAt.Time(), LastSeenAt: r.LastSeenAt.Time(), ExpiresAt: r.ExpiresAt.Time()}
}

type preferencesRow struct {
	UserID   int64  `gorm:"column:user_id;primaryKey"`
	Language string `gorm:"column:language"`
}

func (preferencesRow) TableName() string { return "user_preferences" }

// CreateSession stores sess and sets its ID.
func (s *Store) CreateSession(ctx context.Context, sess *inbox.Session) error {
	if sess.UserID == 0 || sess.Hash == "" || sess.CSRFToken == "" {
		return inbox.Errorf(inbox.EINVALID, "A session needs a user, a hash and a CSRF token.")
	}
	row := sessionRow{UserID: sess.UserID, Hash: sess.Hash, CSRFToken: sess.CSRFToken,
		CreatedAt: toDBTime(sess.CreatedAt), LastSeenAt: toDBTime(sess.LastSeenAt), ExpiresAt: toDBTime(sess.ExpiresAt)}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return tx.Model(&userRow{}).Where("id = ?", sess.UserID).Update("last_sign_in_at", row.CreatedAt).Error
	})
	if err != nil {
		return translate(err, "Session")
	}
	sess.ID = row.ID
	return nil
}

// FindSession returns the session with the token hash and its user, or
// ENOTFOUND.
func (s *Store) FindSession(ctx context.Context, hash string) (*inbox.Session, *inbox.User, error) {
	var row sessionRow
	if err := s.conn(ctx).Where("hash = ?", hash).Take(&row).Error; err != nil {
		return nil, nil, translate(err, "Session")
	}
	var user userRow
	if err := s.conn(ctx).Where("id = ? AND deactivated_at IS NULL", row.UserID).Take(&user).Error; err != nil {
		return nil, nil, translate(err, "Session")
	}
	u, err := s.withMemberships(ctx, user.toDomain())
	return row.toDomain(), u, err
}

// TouchSession records a use of the session and its new expiry.
func (s *Store) TouchSession(ctx context.Context, id int64, lastSeen, expires time.Time) error {
	err := s.conn(ctx).Model(&sessionRow{}).Where("id = ?", id).
		Updates(map[string]any{"last_seen_at": toDBTime(lastSeen), "expires_at": toDBTime(expires)}).Error
	return translate(err, "Session")
}

// DeleteSession ends the session with the token hash.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return translate(s.conn(ctx).Where("hash = ?", hash).Delete(&sessionRow{}).Error, "Session")
}

// DeleteExpiredSessions removes the sessions that expired before t.
func (s *Store) DeleteExpiredSessions(ctx context.Context, t time.Time) (int64, error) {
	res := s.conn(ctx).Where("expires_at < ?", toDBTime(t)).Delete(&sessionRow{})
	return res.RowsAffected, translate(res.Error, "Session")
}

// UserLanguage returns the user's interface language, "" when unset.
func (s *Store) UserLanguage(ctx context.Context, userID int64) (string, error) {
	var rows []preferencesRow
	if err := s.conn(ctx).Where("user_id = ?", userID).Limit(1).Find(&rows).Error; err != nil {
		return "", translate(err, "User preferences")
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].Language, nil
}

// SetUserLanguage stores the user's interface language.
func (s *Store) SetUserLanguage(ctx context.Context, userID int64, lang string) error {
	row := preferencesRow{UserID: userID, Language: lang}
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"language"}),
	}).Create(&row).Error
	return translate(err, "User preferences")
}
