package sqlstore

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// SaveSignOnUser finds the user signed on as u.SignOnIssuer and
// u.SignOnSubject, creates them, or links the user with u's name, and
// gives them the role and administrations of u, in one transaction. Each
// creation and change of role is audited with the user as actor, via
// single sign-on. It never takes over a user with a password or one
// linked to another account (EFORBIDDEN, inbox.ErrSignOnNotLinked): the
// name alone does not prove that the person behind the provider's account
// is the one inkorg knows; nor a name another user has in another case
// (ECONFLICT). A deactivated user is EFORBIDDEN.
func (s *Store) SaveSignOnUser(ctx context.Context, u *inbox.User) error {
	u.Name = inbox.NormalizeName(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	if u.SignOnIssuer == "" || u.SignOnSubject == "" {
		return inbox.Errorf(inbox.EINVALID, "A user signing on needs the provider's issuer and subject.")
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := lockUsers(tx); err != nil {
			return err
		}
		row, err := signOnUser(tx, u)
		if err != nil {
			return err
		}
		if row == nil {
			return s.createSignOnUser(tx, u)
		}
		if row.DeactivatedAt.Ptr() != nil {
			return inbox.Errorf(inbox.EFORBIDDEN, inbox.ErrDeactivated)
		}
		return s.updateSignOnUser(tx, row, u)
	})
	return translate(err, "User")
}

// signOnUser returns the user linked to u's provider account, else the
// user with u's name, linked to it now unless that would take them over;
// nil when neither exists.
func signOnUser(tx *gorm.DB, u *inbox.User) (*userRow, error) {
	var rows []userRow
	err := tx.Where("sign_on_issuer = ? AND sign_on_subject = ?", u.SignOnIssuer, u.SignOnSubject).Limit(1).Find(&rows).Error
	if err != nil || len(rows) > 0 {
		return firstRow(rows), err
	}
	if err := tx.Where("name = ?", u.Name).Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, err
	}
	r := &rows[0]
	if r.SignOnSubject != "" || r.PasswordHash != "" {
		return nil, inbox.Errorf(inbox.EFORBIDDEN, inbox.ErrSignOnNotLinked)
	}
	// A user without a password was made for single sign-on (by an
	// earlier sign-on or by an admin ahead of it): link them.
	r.SignOnIssuer, r.SignOnSubject = u.SignOnIssuer, u.SignOnSubject
	err = tx.Model(&userRow{}).Where("id = ?", r.ID).
		Updates(map[string]any{"sign_on_issuer": r.SignOnIssuer, "sign_on_subject": r.SignOnSubject}).Error
	return r, err
}

func firstRow(rows []userRow) *userRow {
	if len(rows) == 0 {
		return nil
	}
	return &rows[0]
}

// createSignOnUser stores u, linked to their provider account, with the
// audit entry.
func (s *Store) createSignOnUser(tx *gorm.DB, u *inbox.User) error {
	row := userRow{Name: u.Name, Role: string(u.Role), AdministrationID: u.AdministrationID, CreatedAt: s.now(),
		SignOnIssuer: u.SignOnIssuer, SignOnSubject: u.SignOnSubject}
	if err := insertUser(tx, &row, u.MemberAdministrations()); err != nil {
		return err
	}
	after, err := s.findUserAccount(tx, row.ID)
	if err != nil {
		return err
	}
	u.ID, u.CreatedAt, u.Administrations = row.ID, row.CreatedAt.Time(), u.MemberAdministrations()
	return s.auditUser(tx, row.ID, inbox.ActionUserCreate, inbox.UserChange{UserID: row.ID, After: after, Via: inbox.ViaSignOn})
}

// updateSignOnUser gives the user of row u's role and administrations,
// with the audit entry when they change.
func (s *Store) updateSignOnUser(tx *gorm.DB, row *userRow, u *inbox.User) error {
	before, err := s.findUserAccount(tx, row.ID)
	if err != nil {
		return err
	}
	u.ID, u.Name, u.CreatedAt = row.ID, row.Name, row.CreatedAt.Time()
	u.Administrations = u.MemberAdministrations()
	if before.Role == u.Role && sameMemberships(&before.User, u) {
		return nil
	}
	err = tx.Model(&userRow{}).Where("id = ?", row.ID).
		Updates(map[string]any{"role": string(u.Role), "administration_id": u.AdministrationID}).Error
	if err != nil {
		return err
	}
	if err := replaceMemberships(tx, row.ID, u.Administrations); err != nil {
		return err
	}
	after, err := s.findUserAccount(tx, row.ID)
	if err != nil {
		return err
	}
	return s.auditUser(tx, row.ID, inbox.ActionUserRole,
		inbox.UserChange{UserID: row.ID, Before: before, After: after, Via: inbox.ViaSignOn})
}

// sameMemberships reports whether a and b are members of the same
// administrations with the same first one, in whatever order.
func sameMemberships(a, b *inbox.User) bool {
	x, y := a.MemberAdministrations(), b.MemberAdministrations()
	slices.Sort(x)
	slices.Sort(y)
	return a.AdministrationID == b.AdministrationID && slices.Equal(x, y)
}
