package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"inkorg/inbox"
)

func (r *tokenRow) toDomain() *inbox.APIToken {
	return &inbox.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, Hash: r.Hash, CreatedAt: r.CreatedAt.Time(), LastUsedAt: r.LastUsedAt.Ptr(), ExpiresAt: r.ExpiresAt.Ptr(), ReadOnly: r.ReadOnly}
}

// FindAPITokens returns the user's tokens, newest first.
func (s *Store) FindAPITokens(ctx context.Context, userID int64) ([]*inbox.APIToken, error) {
	return s.findTokens(s.conn(ctx).Where("user_id = ?", userID))
}

// FindAllAPITokens returns every user's tokens, newest first.
func (s *Store) FindAllAPITokens(ctx context.Context) ([]*inbox.APIToken, error) {
	return s.findTokens(s.conn(ctx))
}

func (s *Store) findTokens(q *gorm.DB) ([]*inbox.APIToken, error) {
	var rows []tokenRow
	if err := q.Order("id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err, "API token")
	}
	out := make([]*inbox.APIToken, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// FindAPIToken returns one token, or ENOTFOUND.
func (s *Store) FindAPIToken(ctx context.Context, id int64) (*inbox.APIToken, error) {
	var row tokenRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "API token")
	}
	return row.toDomain(), nil
}

// DeleteAPIToken revokes the token, or returns ENOTFOUND.
func (s *Store) DeleteAPIToken(ctx context.Context, id int64) error {
	res := s.conn(ctx).Where("id = ?", id).Delete(&tokenRow{})
	if res.Error != nil {
		return translate(res.Error, "API token")
	}
	if res.RowsAffected == 0 {
		return inbox.Errorf(inbox.ENOTFOUND, "API token not found.")
	}
	return nil
}
