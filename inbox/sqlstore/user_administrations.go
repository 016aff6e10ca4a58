package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"inkorg/inbox"
)

type membershipRow struct {
	UserID           int64  `gorm:"column:user_id;primaryKey;autoIncrement:false"`
	AdministrationID string `gorm:"column:administration_id;primaryKey"`
}

func (membershipRow) TableName() string { return "user_administrations" }

// saveMemberships records that the user is a member of each administration.
func saveMemberships(tx *gorm.DB, userID int64, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	rows := make([]membershipRow, len(ids))
	for i, id := range ids {
		rows[i] = membershipRow{UserID: userID, AdministrationID: id}
	}
	return tx.Create(&rows).Error
}

// replaceMemberships makes the user a member of exactly ids.
func replaceMemberships(tx *gorm.DB, userID int64, ids []string) error {
	if err := tx.Where("user_id = ?", userID).Delete(&membershipRow{}).Error; err != nil {
		return err
	}
	return saveMemberships(tx, userID, ids)
}

// withMemberships sets u.Administrations from the store.
func (s *Store) withMemberships(ctx context.Context, u *inbox.User) (*inbox.User, error) {
	var ids []string
	err := s.conn(ctx).Model(&membershipRow{}).Where("user_id = ?", u.ID).
		Order("administration_id").Pluck("administration_id", &ids).Error
	if err != nil {
		return nil, translate(err, "User")
	}
	u.Administrations = nil
	for _, id := range ids {
		if id != u.AdministrationID {
			u.Administrations = append(u.Administrations, id)
		}
	}
	u.Administrations = u.MemberAdministrations()
	return u, nil
}
