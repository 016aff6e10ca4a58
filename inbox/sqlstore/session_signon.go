package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// SaveSignOnUser creates u, or updates the role and administrations of the
// user with u's name, in one transaction.
func (s *Store) SaveSignOnUser(ctx context.Context, u *inbox.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	var rows []userRow
	if err := s.conn(ctx).Where("name = ?", u.Name).Limit(1).Find(&rows).Error; err != nil {
		return translate(err, "User")
	}
	if len(rows) == 0 {
		return s.CreateUser(ctx, u)
	}
	if rows[0].DeactivatedAt.Ptr() != nil {
		return inbox.Errorf(inbox.EFORBIDDEN, inbox.ErrDeactivated)
	}
	id := rows[0].ID
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&userRow{}).Where("id = ?", id).
			Updates(map[string]any{"role": string(u.Role), "administration_id": u.AdministrationID}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&membershipRow{}).Error; err != nil {
			return err
		}
		return saveMemberships(tx, id, u.MemberAdministrations())
	})
	if err != nil {
		return translate(err, "User")
	}
	u.ID, u.CreatedAt = id, rows[0].CreatedAt.Time()
	return nil
}
