package inbox

import (
	"context"
	"slices"
	"strings"
	"time"
)

// UserAccount is a user as admins manage them: the user with their
// sign-in state.
type UserAccount struct {
	User
	// LastSignInAt is when the user last started a session, nil when
	// never.
	LastSignInAt *time.Time `json:"last_sign_in_at,omitempty"`
	// LockedUntil is set while failed sign-ins lock the user's name.
	LockedUntil *time.Time `json:"locked_until,omitempty"`
}

// Active reports whether the user may sign in.
func (u *User) Active() bool { return u.DeactivatedAt == nil }

// Locked reports whether failed sign-ins lock the account at now.
func (a *UserAccount) Locked(now time.Time) bool {
	return a.LockedUntil != nil && now.Before(*a.LockedUntil)
}

// Audit actions on users.
const (
	ActionUserCreate     = "user_create"
	ActionUserRole       = "user_role"
	ActionUserPassword   = "user_password"
	ActionUserDeactivate = "user_deactivate"
	ActionUserReactivate = "user_reactivate"
	ActionUserUnlock     = "user_unlock"
)

// UserChange is the detail of a user's audit entry: the user before and
// after (Before nil when created). Password hashes are never part of it;
// PasswordChanged says that the password was set.
type UserChange struct {
	UserID          int64        `json:"user_id"`
	Before          *UserAccount `json:"before"`
	After           *UserAccount `json:"after"`
	PasswordChanged bool         `json:"password_changed,omitempty"`
}

// UserAdminStore keeps users as admins change them. Every change is
// stored together with its audit entry (action, actor, and a UserChange as
// detail), in one transaction.
type UserAdminStore interface {
	// FindUserAccounts returns every user, by name.
	FindUserAccounts(ctx context.Context) ([]*UserAccount, error)
	// FindUserAccount returns the user, or ENOTFOUND.
	FindUserAccount(ctx context.Context, id int64) (*UserAccount, error)
	// CreateUserAccount stores u (with its PasswordHash) and sets its ID;
	// a taken name is ECONFLICT.
	CreateUserAccount(ctx context.Context, actorID int64, u *User) error
	// UpdateUserAccount stores what action changes of u, and nothing
	// else, so that two admins changing one user at once keep both
	// changes: ActionUserRole its role and administrations,
	// ActionUserDeactivate and ActionUserReactivate its DeactivatedAt,
	// ActionUserPassword its PasswordHash (any action stores a PasswordHash
	// that is not empty). Deactivating ends the user's sessions and revokes
	// their API tokens. It returns the user before the change; ENOTFOUND
	// for an unknown one, EINVALID for another action.
	UpdateUserAccount(ctx context.Context, actorID int64, action string, u *User) (*UserAccount, error)
	// UnlockUserAccount forgets the failed sign-ins of user id.
	UnlockUserAccount(ctx context.Context, actorID, id int64) error
	// FindUserAudit returns the audit entries of a user, oldest first.
	FindUserAudit(ctx context.Context, id int64) ([]*AuditEntry, error)
}

// Messages of refused user changes, all EINVALID, so that the UI can say
// them in the user's language.
const (
	ErrOwnAdminRole   = "You cannot remove your own admin role; ask another admin."
	ErrDeactivateSelf = "You cannot deactivate yourself; ask another admin."
)

// ErrDeactivated is the message of a sign-in refused because an admin
// deactivated the user; the code is EFORBIDDEN.
const ErrDeactivated = "This user is deactivated; ask an admin."

// CanManageUsers reports whether u may see and change users: admins.
func (u *User) CanManageUsers() bool { return u != nil && u.Role == RoleAdmin }

// UserAdmin carries out admins' changes to users: it checks the actor's
// rights and the change, and has the store record it with its audit
// entry.
type UserAdmin struct {
	Store UserAdminStore
	// KnownAdministration, when set, reports whether an administration id
	// exists; a membership of any other is EINVALID.
	KnownAdministration func(id string) bool
	// Now is the clock; the wall clock when nil.
	Now Clock
}

// NewUser is what an admin enters to create a user.
type NewUser struct {
	Name            string
	Role            Role
	Administrations []string
	Password        string
}

// List returns every user, by name.
func (s *UserAdmin) List(ctx context.Context, actor *User) ([]*UserAccount, error) {
	if err := manageUsers(actor); err != nil {
		return nil, err
	}
	return s.Store.FindUserAccounts(ctx)
}

// Get returns one user with their audit entries.
func (s *UserAdmin) Get(ctx context.Context, actor *User, id int64) (*UserAccount, []*AuditEntry, error) {
	if err := manageUsers(actor); err != nil {
		return nil, nil, err
	}
	u, err := s.Store.FindUserAccount(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	history, err := s.Store.FindUserAudit(ctx, id)
	return u, history, err
}

// Create stores a new user with an initial password.
func (s *UserAdmin) Create(ctx context.Context, actor *User, n NewUser) (*User, error) {
	if err := manageUsers(actor); err != nil {
		return nil, err
	}
	u := &User{Name: strings.TrimSpace(n.Name), Role: n.Role}
	setMemberships(u, n.Administrations)
	if err := s.checkUser(u); err != nil {
		return nil, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	if err := s.Store.CreateUserAccount(ctx, actor.ID, u); err != nil {
		return nil, err
	}
	return u, nil
}

// SetRole changes user id's role and administrations. Admins cannot take
// away their own admin role, so an admin always remains.
func (s *UserAdmin) SetRole(ctx context.Context, actor *User, id int64, role Role, administrations []string) (*User, error) {
	u, err := s.target(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if u.ID == actor.ID && role != RoleAdmin {
		return nil, Errorf(EINVALID, ErrOwnAdminRole)
	}
	u.Role = role
	setMemberships(u, administrations)
	if err := s.checkUser(u); err != nil {
		return nil, err
	}
	_, err = s.Store.UpdateUserAccount(ctx, actor.ID, ActionUserRole, u)
	return u, err
}

// ResetPassword sets a new password for user id.
func (s *UserAdmin) ResetPassword(ctx context.Context, actor *User, id int64, password string) error {
	u, err := s.target(ctx, actor, id)
	if err != nil {
		return err
	}
	if u.PasswordHash, err = HashPassword(password); err != nil {
		return err
	}
	_, err = s.Store.UpdateUserAccount(ctx, actor.ID, ActionUserPassword, u)
	return err
}

// SetActive deactivates or reactivates user id. A deactivated user cannot
// sign in, their sessions end and their API tokens are revoked. Admins
// cannot deactivate themselves.
func (s *UserAdmin) SetActive(ctx context.Context, actor *User, id int64, active bool) error {
	u, err := s.target(ctx, actor, id)
	if err != nil {
		return err
	}
	if u.Active() == active {
		return nil
	}
	action := ActionUserReactivate
	if active {
		u.DeactivatedAt = nil
	} else {
		if u.ID == actor.ID {
			return Errorf(EINVALID, ErrDeactivateSelf)
		}
		now := s.now()
		u.DeactivatedAt, action = &now, ActionUserDeactivate
	}
	u.PasswordHash = ""
	_, err = s.Store.UpdateUserAccount(ctx, actor.ID, action, u)
	return err
}

// Unlock lets user id sign in again at once after failed sign-ins locked
// their name.
func (s *UserAdmin) Unlock(ctx context.Context, actor *User, id int64) error {
	if _, err := s.target(ctx, actor, id); err != nil {
		return err
	}
	return s.Store.UnlockUserAccount(ctx, actor.ID, id)
}

// target checks that actor may change users and returns user id, without
// its password hash so that an update keeps the stored one.
func (s *UserAdmin) target(ctx context.Context, actor *User, id int64) (*User, error) {
	if err := manageUsers(actor); err != nil {
		return nil, err
	}
	a, err := s.Store.FindUserAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	u := a.User
	u.PasswordHash = ""
	return &u, nil
}

func (s *UserAdmin) checkUser(u *User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	for _, id := range u.MemberAdministrations() {
		if s.KnownAdministration != nil && !s.KnownAdministration(id) {
			return Errorf(EINVALID, "There is no administration %q.", id)
		}
	}
	return nil
}

func (s *UserAdmin) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now()
}

// setMemberships makes u a member of ids (the first one first), without
// empty ids or duplicates.
func setMemberships(u *User, ids []string) {
	var clean []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(clean, id) {
			clean = append(clean, id)
		}
	}
	u.AdministrationID, u.Administrations = "", clean
	if len(clean) > 0 {
		u.AdministrationID = clean[0]
	}
}

func manageUsers(actor *User) error {
	switch {
	case actor == nil:
		return Errorf(EUNAUTHORIZED, "Sign in to manage users.")
	case !actor.CanManageUsers():
		return Errorf(EFORBIDDEN, "Only an admin can manage users.")
	}
	return nil
}
