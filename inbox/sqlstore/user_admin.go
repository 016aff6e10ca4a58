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
// CreatedAt; a name another user has, whatever the case, is ECONFLICT.
func (s *Store) CreateUserAccount(ctx context.Context, actorID int64, via string, u *inbox.User) error {
	u.Name = inbox.NormalizeName(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	row := userRow{Name: u.Name, Role: string(u.Role), AdministrationID: u.AdministrationID,
		PasswordHash: u.PasswordHash, CreatedAt: s.now()}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := lockUsers(tx); err != nil {
			return err
		}
		if err := checkActor(tx, actorID); err != nil {
			return err
		}
		if err := insertUser(tx, &row, u.MemberAdministrations()); err != nil {
			return err
		}
		after, err := s.findUserAccount(tx, row.ID)
		if err != nil {
			return err
		}
		return s.auditUser(tx, actorID, inbox.ActionUserCreate,
			inbox.UserChange{UserID: row.ID, After: after, PasswordChanged: u.PasswordHash != "", Via: via})
	})
	if err != nil {
		return translate(err, "A user with that name")
	}
	u.ID, u.CreatedAt, u.Administrations = row.ID, row.CreatedAt.Time(), u.MemberAdministrations()
	return nil
}

// UpdateUserAccount makes one change of a user (see UpdateUserAccounts)
// and returns the user before it.
func (s *Store) UpdateUserAccount(ctx context.Context, actorID int64, action string, u *inbox.User) (*inbox.UserAccount, error) {
	var before *inbox.UserAccount
	_, err := s.updateUserAccounts(ctx, actorID, []inbox.UserAccountChange{{Action: action, User: u}},
		func(b *inbox.UserAccount) { before = b })
	return before, err
}

// UnlockUserAccount forgets the failed sign-ins of user id, with the
// audit entry.
func (s *Store) UnlockUserAccount(ctx context.Context, actorID, id int64) error {
	a, err := s.FindUserAccount(ctx, id)
	if err != nil {
		return err
	}
	_, err = s.UpdateUserAccounts(ctx, actorID, []inbox.UserAccountChange{{Action: inbox.ActionUserUnlock, User: &a.User}})
	return err
}

// UpdateUserAccounts makes changes of one user in one transaction, each
// with its audit entry (see inbox.UserAdminStore). Writing only the
// columns an action changes keeps a concurrent change of another kind: a
// password reset read the user before another admin deactivated it, and
// must not write the old "active" back.
func (s *Store) UpdateUserAccounts(ctx context.Context, actorID int64, changes []inbox.UserAccountChange) ([]*inbox.Conversation, error) {
	return s.updateUserAccounts(ctx, actorID, changes, func(*inbox.UserAccount) {})
}

// updateUserAccounts is UpdateUserAccounts, telling first the user as
// the first change found them.
func (s *Store) updateUserAccounts(ctx context.Context, actorID int64, changes []inbox.UserAccountChange,
	first func(*inbox.UserAccount)) ([]*inbox.Conversation, error) {
	for _, c := range changes {
		if err := checkUserChange(c); err != nil {
			return nil, err
		}
	}
	var released []int64
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		released = nil
		if err := lockUsers(tx); err != nil {
			return err
		}
		if err := checkActor(tx, actorID); err != nil {
			return err
		}
		for i, c := range changes {
			before, freed, err := s.updateUserAccount(tx, actorID, c)
			if err != nil {
				return err
			}
			released = append(released, freed...)
			if i == 0 {
				first(before)
			}
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, "User")
	}
	// Read after the commit, as the change left them, for the live
	// updates; one gone meanwhile is left out.
	var convs []*inbox.Conversation
	for _, id := range released {
		c, err := s.FindConversationByID(ctx, id)
		if inbox.ErrorCode(err) == inbox.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		convs = append(convs, c)
	}
	return convs, nil
}

// checkUserChange refuses a change UpdateUserAccounts does not make.
func checkUserChange(c inbox.UserAccountChange) error {
	switch {
	case c.User == nil:
		return inbox.Errorf(inbox.EINVALID, "A user account change needs the user.")
	case c.Action == inbox.ActionUserPassword && c.User.PasswordHash == "":
		return inbox.Errorf(inbox.EINVALID, "A password change needs the new password.")
	}
	switch c.Action {
	case inbox.ActionUserRole, inbox.ActionUserDeactivate, inbox.ActionUserReactivate,
		inbox.ActionUserPassword, inbox.ActionUserUnlock:
		return c.User.Validate()
	}
	return inbox.Errorf(inbox.EINVALID, "A user account cannot be updated as %q.", c.Action)
}

// updateUserAccount makes one change in tx, with its audit entry, and
// returns the user before it and the ids of the conversations it
// released.
func (s *Store) updateUserAccount(tx *gorm.DB, actorID int64, c inbox.UserAccountChange) (*inbox.UserAccount, []int64, error) {
	u := c.User
	before, err := s.findUserAccount(tx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	fields := map[string]any{}
	switch c.Action {
	case inbox.ActionUserRole:
		fields["role"], fields["administration_id"] = string(u.Role), u.AdministrationID
	case inbox.ActionUserDeactivate, inbox.ActionUserReactivate:
		fields["deactivated_at"] = ptrTime(u.DeactivatedAt)
	case inbox.ActionUserPassword:
		fields["password_hash"] = u.PasswordHash
	case inbox.ActionUserUnlock:
		if err := tx.Where("name = ?", before.Name).Delete(&loginFailuresRow{}).Error; err != nil {
			return nil, nil, err
		}
	}
	if len(fields) > 0 {
		if err := tx.Model(&userRow{}).Where("id = ?", u.ID).Updates(fields).Error; err != nil {
			return nil, nil, err
		}
	}
	if c.Action == inbox.ActionUserRole {
		if err := replaceMemberships(tx, u.ID, u.MemberAdministrations()); err != nil {
			return nil, nil, err
		}
	}
	after, err := s.findUserAccount(tx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	if isActiveAdmin(&before.User) && !isActiveAdmin(&after.User) {
		if err := keepAnAdmin(tx); err != nil {
			return nil, nil, err
		}
	}
	endsAccess := c.Action == inbox.ActionUserPassword ||
		c.Action == inbox.ActionUserDeactivate && before.DeactivatedAt == nil && after.DeactivatedAt != nil
	if endsAccess {
		if err := s.endAccess(tx, actorID, u.ID, c.Action); err != nil {
			return nil, nil, err
		}
	}
	var released []int64
	if c.Action == inbox.ActionUserRole || endsAccess && !after.Active() {
		if released, err = s.releaseClaims(tx, actorID, &after.User); err != nil {
			return nil, nil, err
		}
	}
	return before, released, s.auditUser(tx, actorID, c.Action,
		inbox.UserChange{UserID: u.ID, Before: before, After: after, PasswordChanged: c.Action == inbox.ActionUserPassword})
}

// endAccess ends the sessions and revokes the API tokens of a user, each
// token with its own audit entry, as a revocation by hand has: the
// account change that revoked it (action, by actorID) is its "via".
func (s *Store) endAccess(tx *gorm.DB, actorID, userID int64, action string) error {
	if err := tx.Where("user_id = ?", userID).Delete(&sessionRow{}).Error; err != nil {
		return err
	}
	var tokens []tokenRow
	if err := tx.Where("user_id = ?", userID).Order("id").Find(&tokens).Error; err != nil {
		return err
	}
	for _, t := range tokens {
		tok := &inbox.APIToken{ID: t.ID, UserID: t.UserID, Name: t.Name, ReadOnly: t.ReadOnly, ExpiresAt: t.ExpiresAt.Ptr()}
		e := inbox.TokenAudit(inbox.ActionTokenRevoke, actorID, tok, action)
		row := auditRow{ActorID: nullID(e.ActorID), Action: e.Action, Detail: e.Detail, CreatedAt: s.now()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return tx.Where("user_id = ?", userID).Delete(&tokenRow{}).Error
}

// lockUsers makes the transaction tx the only one changing users until it
// ends, so that what it checks (a name is free, an admin remains, the
// actor is still an admin) still holds when it commits. PostgreSQL takes
// a transaction-level advisory lock; SQLite runs one writing transaction
// at a time already.
func lockUsers(tx *gorm.DB) error {
	if tx.Dialector.Name() != DialectPostgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "users").Error
}

// checkActor refuses a change by an actor who is not an active admin (any
// more: the request was authenticated before another admin's change
// committed). Actor 0 is the system.
func checkActor(tx *gorm.DB, actorID int64) error {
	if actorID == 0 {
		return nil
	}
	var rows []userRow
	if err := tx.Where("id = ?", actorID).Limit(1).Find(&rows).Error; err != nil {
		return err
	}
	if len(rows) == 0 || !isActiveAdmin(rows[0].toDomain()) {
		return inbox.Errorf(inbox.EFORBIDDEN, "Only an admin can manage users.")
	}
	return nil
}

func isActiveAdmin(u *inbox.User) bool { return u.Role == inbox.RoleAdmin && u.Active() }

// keepAnAdmin refuses, after a change took an active admin away, when no
// active admin remains.
func keepAnAdmin(tx *gorm.DB) error {
	var n int64
	err := tx.Model(&userRow{}).Where("role = ? AND deactivated_at IS NULL", string(inbox.RoleAdmin)).Count(&n).Error
	if err != nil {
		return err
	}
	if n == 0 {
		return inbox.Errorf(inbox.EINVALID, inbox.ErrLastAdmin)
	}
	return nil
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
