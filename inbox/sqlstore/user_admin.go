package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"inkorg/inbox"
)

var _ inbox.UserAdminStore = (*Store)(nil)

// userAccountRow is a user with their sign-in state.
type userAccountRow struct {
	User         userRow `gorm:"embedded"`
	LastSignInAt dbTime  `gorm:"column:last_sign_in_at"`
	LockedUntil  dbTime  `gorm:"column:locked_until"`
}

// userAccounts selects users with their last sign-in and lock.
func (s *Store) userAccounts(tx *gorm.DB) *gorm.DB {
	return tx.Table("users").
		Select("users.*, login_failures.locked_until AS locked_until").
		Joins("LEFT JOIN login_failures ON login_failures.name = users.name")
}

func (s *Store) toAccount(tx *gorm.DB, r *userAccountRow) (*inbox.UserAccount, error) {
	u, err := s.withMembershipsTx(tx, r.User.toDomain())
	if err != nil {
		return nil, err
	}
	return &inbox.UserAccount{User: *u, LastSignInAt: r.LastSignInAt.Ptr(), LockedUntil: r.LockedUntil.Ptr()}, nil
}

// withMembershipsTx is withMemberships on tx.
func (s *Store) withMembershipsTx(tx *gorm.DB, u *inbox.User) (*inbox.User, error) {
	var ids []string
	err := tx.Model(&membershipRow{}).Where("user_id = ?", u.ID).Order("administration_id").Pluck("administration_id", &ids).Error
	if err != nil {
		return nil, err
	}
	u.Administrations = append([]string{u.AdministrationID}, ids...)
	u.Administrations = u.MemberAdministrations()
	return u, nil
}

// FindUserAccounts returns every user, by name.
func (s *Store) FindUserAccounts(ctx context.Context) ([]*inbox.UserAccount, error) {
	var rows []userAccountRow
	tx := s.conn(ctx)
	if err := s.userAccounts(tx).Order("users.name").Find(&rows).Error; err != nil {
		return nil, translate(err, "User")
	}
	out := make([]*inbox.UserAccount, len(rows))
	for i := range rows {
		a, err := s.toAccount(tx, &rows[i])
		if err != nil {
			return nil, translate(err, "User")
		}
		out[i] = a
	}
	return out, nil
}

// FindUserAccount returns the user, or ENOTFOUND.
func (s *Store) FindUserAccount(ctx context.Context, id int64) (*inbox.UserAccount, error) {
	return s.findUserAccount(s.conn(ctx), id)
}

func (s *Store) findUserAccount(tx *gorm.DB, id int64) (*inbox.UserAccount, error) {
	var row userAccountRow
	if err := s.userAccounts(tx).Where("users.id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "User")
	}
	a, err := s.toAccount(tx, &row)
	return a, translate(err, "User")
}

// CreateUserAccount stores u with its audit entry and sets its ID and
// CreatedAt; a taken name is ECONFLICT.
func (s *Store) CreateUserAccount(ctx context.Context, actorID int64, u *inbox.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	row := userRow{Name: u.Name, Role: string(u.Role), AdministrationID: u.AdministrationID,
		PasswordHash: u.PasswordHash, CreatedAt: s.now()}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := saveMemberships(tx, row.ID, u.MemberAdministrations()); err != nil {
			return err
		}
		after, err := s.findUserAccount(tx, row.ID)
		if err != nil {
			return err
		}
		return s.auditUser(tx, actorID, inbox.ActionUserCreate,
			inbox.UserChange{UserID: row.ID, After: after, PasswordChanged: u.PasswordHash != ""})
	})
	if err != nil {
		return translate(err, "A user with that name")
	}
	u.ID, u.CreatedAt, u.Administrations = row.ID, row.CreatedAt.Time(), u.MemberAdministrations()
	return nil
}

// UpdateUserAccount stores what action changes of u (see
// inbox.UserAdminStore) with the audit entry of action; deactivating ends
// the user's sessions and revokes their API tokens. Writing only those
// columns keeps a concurrent change of another kind: a password reset
// read the user before another admin deactivated it, and must not write
// the old "active" back.
func (s *Store) UpdateUserAccount(ctx context.Context, actorID int64, action string, u *inbox.User) (*inbox.UserAccount, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	fields := map[string]any{}
	role := false
	switch action {
	case inbox.ActionUserRole:
		fields["role"], fields["administration_id"] = string(u.Role), u.AdministrationID
		role = true
	case inbox.ActionUserDeactivate, inbox.ActionUserReactivate:
		fields["deactivated_at"] = ptrTime(u.DeactivatedAt)
	case inbox.ActionUserPassword:
	default:
		return nil, inbox.Errorf(inbox.EINVALID, "A user account cannot be updated as %q.", action)
	}
	if u.PasswordHash != "" {
		fields["password_hash"] = u.PasswordHash
	}
	var before *inbox.UserAccount
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		if before, err = s.findUserAccount(tx, u.ID); err != nil {
			return err
		}
		if len(fields) > 0 {
			if err := tx.Model(&userRow{}).Where("id = ?", u.ID).Updates(fields).Error; err != nil {
				return err
			}
		}
		if role {
			if err := tx.Where("user_id = ?", u.ID).Delete(&membershipRow{}).Error; err != nil {
				return err
			}
			if err := saveMemberships(tx, u.ID, u.MemberAdministrations()); err != nil {
				return err
			}
		}
		if action == inbox.ActionUserDeactivate && u.DeactivatedAt != nil && before.DeactivatedAt == nil {
			if err := endAccess(tx, u.ID); err != nil {
				return err
			}
		}
		after, err := s.findUserAccount(tx, u.ID)
		if err != nil {
			return err
		}
		return s.auditUser(tx, actorID, action,
			inbox.UserChange{UserID: u.ID, Before: before, After: after, PasswordChanged: u.PasswordHash != ""})
	})
	if err != nil {
		return nil, translate(err, "User")
	}
	return before, nil
}

// endAccess ends the sessions and revokes the API tokens of a user.
func endAccess(tx *gorm.DB, userID int64) error {
	if err := tx.Where("user_id = ?", userID).Delete(&sessionRow{}).Error; err != nil {
		return err
	}
	return tx.Where("user_id = ?", userID).Delete(&tokenRow{}).Error
}

// UnlockUserAccount forgets the failed sign-ins of user id, with the
// audit entry.
func (s *Store) UnlockUserAccount(ctx context.Context, actorID, id int64) error {
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		before, err := s.findUserAccount(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Where("name = ?", before.Name).Delete(&loginFailuresRow{}).Error; err != nil {
			return err
		}
		after, err := s.findUserAccount(tx, id)
		if err != nil {
			return err
		}
		return s.auditUser(tx, actorID, inbox.ActionUserUnlock, inbox.UserChange{UserID: id, Before: before, After: after})
	})
	return translate(err, "User")
}

// auditUser appends the audit entry of a user change. Its detail starts
// with the user id, which is how FindUserAudit finds it.
func (s *Store) auditUser(tx *gorm.DB, actorID int64, action string, change inbox.UserChange) error {
	detail, err := json.Marshal(change)
	if err != nil {
		return inbox.WrapError(inbox.EINTERNAL, err, "")
	}
	row := auditRow{ActorID: nullID(actorID), Action: action, Detail: string(detail), CreatedAt: s.now()}
	return tx.Create(&row).Error
}

// userActions are the audit actions of user changes.
var userActions = []string{inbox.ActionUserCreate, inbox.ActionUserRole, inbox.ActionUserPassword,
	inbox.ActionUserDeactivate, inbox.ActionUserReactivate, inbox.ActionUserUnlock}

// FindUserAudit returns the audit entries of a user, oldest first.
func (s *Store) FindUserAudit(ctx context.Context, id int64) ([]*inbox.AuditEntry, error) {
	var rows []auditRow
	err := s.conn(ctx).Where("conversation_id IS NULL AND action IN ? AND detail LIKE ?",
		userActions, fmt.Sprintf(`{"user_id":%d,%%`, id)).
		Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, translate(err, "Audit entry")
	}
	entries := make([]*inbox.AuditEntry, len(rows))
	for i := range rows {
		entries[i] = rows[i].toDomain()
	}
	return entries, nil
}
