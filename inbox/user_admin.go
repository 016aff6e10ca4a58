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

// Ways a user is changed other than by an admin in the web UI or the
// API, as a user's audit entry records them.
const (
	ViaCommandLine = "cli"
	ViaSignOn      = "sso"
)

// UserChange is the detail of a user's audit entry: the user before and
// after (Before nil when created). Password hashes are never part of it;
// PasswordChanged says that the password was set. Via is ViaCommandLine
// or ViaSignOn when the change was made there, empty for an admin's.
type UserChange struct {
	UserID          int64        `json:"user_id"`
	Before          *UserAccount `json:"before"`
	After           *UserAccount `json:"after"`
	PasswordChanged bool         `json:"password_changed,omitempty"`
	Via             string       `json:"via,omitempty"`
}

// UserAccountChange is one change of a user: the action, and the user as
// the action leaves it.
type UserAccountChange struct {
	Action string
	User   *User
}

// UserAdminStore keeps users as admins change them. Every change is
// stored together with its audit entry (action, actor, and a UserChange as
// detail), in one transaction. The actor is 0 for the system (the command
// line); any other must be an active admin when the change is stored, or
// it is EFORBIDDEN: a request authenticated before another admin took the
// actor's role away changes nothing.
type UserAdminStore interface {
	// FindUserAccounts returns every user, by name.
	FindUserAccounts(ctx context.Context) ([]*UserAccount, error)
	// FindUserAccount returns the user, or ENOTFOUND.
	FindUserAccount(ctx context.Context, id int64) (*UserAccount, error)
	// CreateUserAccount stores u (with its PasswordHash, and its name in
	// normal form C) and sets its ID; a name another user has, whatever
	// the case, is ECONFLICT. via is ViaCommandLine or empty.
	CreateUserAccount(ctx context.Context, actorID int64, via string, u *User) error
	// UpdateUserAccounts makes changes of one user, in order, each with
	// its audit entry, all in one transaction: all or none. Each stores
	// what its action changes of the user and nothing else, so that two
	// admins changing one user at once keep both changes: ActionUserRole
	// its role and administrations, ActionUserDeactivate and
	// ActionUserReactivate its DeactivatedAt, ActionUserPassword its
	// PasswordHash, ActionUserUnlock forgets its failed sign-ins. Setting a
	// password and deactivating end the user's sessions and revoke their
	// API tokens. Deactivating, and a role change after which the user no
	// longer sees a conversation they hold, release it (ReleaseClaim):
	// unassigned, audited as ActionUnassign by the actor; the
	// conversations released are returned as they are after the change.
	// A change that leaves no active admin is EINVALID (ErrLastAdmin); an
	// unknown user ENOTFOUND; another action EINVALID.
	UpdateUserAccounts(ctx context.Context, actorID int64, changes []UserAccountChange) ([]*Conversation, error)
	// FindUserAudit returns the audit entries of a user, oldest first.
	FindUserAudit(ctx context.Context, id int64) ([]*AuditEntry, error)
}

// Messages of refused user changes, all EINVALID, so that the UI can say
// them in the user's language.
const (
	ErrOwnAdminRole   = "You cannot remove your own admin role; ask another admin."
	ErrDeactivateSelf = "You cannot deactivate yourself; ask another admin."
	ErrLastAdmin      = "No active admin would remain; make another user admin first."
)

// ErrDeactivated is the message of a sign-in refused because an admin
// deactivated the user; the code is EFORBIDDEN.
const ErrDeactivated = "This user is deactivated; ask an admin."

// ErrSignOnNotLinked is the message of a single sign-on refused because a
// user of that name exists who is not linked to the provider's account:
// one with a password, or one linked to another account (EFORBIDDEN).
const ErrSignOnNotLinked = "A user with this name exists in inkorg and is not linked to this single sign-on account; ask an admin."

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
	// Publisher, when set, tells staff about the conversations a change
	// released, so that their queues show them without a reload.
	Publisher Publisher
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
	u := &User{Name: NormalizeName(strings.TrimSpace(n.Name)), Role: n.Role}
	setMemberships(u, n.Administrations)
	if err := s.checkUser(u); err != nil {
		return nil, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	if err := s.Store.CreateUserAccount(ctx, actor.ID, "", u); err != nil {
		return nil, err
	}
	return u, nil
}

// UserUpdate is what an admin changes of a user at once; nil fields are
// left as they are.
type UserUpdate struct {
	// Role and Administrations are set together: Role alone keeps the
	// administrations, Administrations alone keeps the role.
	Role            *Role
	Administrations *[]string
	Password        *string
	Active          *bool
	Unlock          bool
}

// Update checks every part of upd first and then makes them all, each
// audited, in one transaction: a part that is refused leaves the user as
// it was. Admins cannot take away their own admin role or deactivate
// themselves, and no change may leave no active admin. A new password
// ends the user's sessions and revokes their API tokens, as after a leak
// it must.
func (s *UserAdmin) Update(ctx context.Context, actor *User, id int64, upd UserUpdate) error {
	u, err := s.target(ctx, actor, id)
	if err != nil {
		return err
	}
	var changes []UserAccountChange
	if upd.Role != nil || upd.Administrations != nil {
		c, err := s.roleChange(actor, u, upd)
		if err != nil {
			return err
		}
		changes = append(changes, c)
	}
	if upd.Password != nil {
		c := *u
		if c.PasswordHash, err = HashPassword(*upd.Password); err != nil {
			return err
		}
		changes = append(changes, UserAccountChange{Action: ActionUserPassword, User: &c})
	}
	if upd.Active != nil && *upd.Active != u.Active() {
		c := *u
		action := ActionUserReactivate
		if *upd.Active {
			c.DeactivatedAt = nil
		} else {
			if u.ID == actor.ID {
				return Errorf(EINVALID, ErrDeactivateSelf)
			}
			now := s.now()
			c.DeactivatedAt, action = &now, ActionUserDeactivate
		}
		changes = append(changes, UserAccountChange{Action: action, User: &c})
	}
	if upd.Unlock {
		changes = append(changes, UserAccountChange{Action: ActionUserUnlock, User: u})
	}
	if len(changes) == 0 {
		return nil
	}
	released, err := s.Store.UpdateUserAccounts(ctx, actor.ID, changes)
	if err != nil {
		return err
	}
	// A release keeps the conversation's administration: no one is told
	// it left.
	for _, c := range released {
		publishWork(ctx, s.Publisher, s.now(), ActionUnassign, c, c)
	}
	return nil
}

// roleChange is the change of u's role and administrations upd asks for.
func (s *UserAdmin) roleChange(actor, u *User, upd UserUpdate) (UserAccountChange, error) {
	c := *u
	role, admins := u.Role, u.MemberAdministrations()
	if upd.Role != nil {
		role = *upd.Role
	}
	if upd.Administrations != nil {
		admins = *upd.Administrations
	}
	if u.ID == actor.ID && role != RoleAdmin {
		return UserAccountChange{}, Errorf(EINVALID, ErrOwnAdminRole)
	}
	c.Role = role
	setMemberships(&c, admins)
	if err := s.checkUser(&c); err != nil {
		return UserAccountChange{}, err
	}
	return UserAccountChange{Action: ActionUserRole, User: &c}, nil
}

// SetRole changes user id's role and administrations and returns the
// user as changed. Admins cannot take away their own admin role, and the
// last active admin cannot lose theirs, so an admin always remains.
func (s *UserAdmin) SetRole(ctx context.Context, actor *User, id int64, role Role, administrations []string) (*User, error) {
	if err := s.Update(ctx, actor, id, UserUpdate{Role: &role, Administrations: &administrations}); err != nil {
		return nil, err
	}
	a, err := s.Store.FindUserAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	return &a.User, nil
}

// ResetPassword sets a new password for user id, ends their sessions and
// revokes their API tokens: a reset is what follows a leaked password.
func (s *UserAdmin) ResetPassword(ctx context.Context, actor *User, id int64, password string) error {
	return s.Update(ctx, actor, id, UserUpdate{Password: &password})
}

// SetActive deactivates or reactivates user id. A deactivated user cannot
// sign in, their sessions end and their API tokens are revoked. Admins
// cannot deactivate themselves.
func (s *UserAdmin) SetActive(ctx context.Context, actor *User, id int64, active bool) error {
	return s.Update(ctx, actor, id, UserUpdate{Active: &active})
}

// Unlock lets user id sign in again at once after failed sign-ins locked
// their name.
func (s *UserAdmin) Unlock(ctx context.Context, actor *User, id int64) error {
	return s.Update(ctx, actor, id, UserUpdate{Unlock: true})
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
			return ruleError(EINVALID, "Det finns ingen förvaltning %q.", "There is no administration %q.", id)
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
		return ruleError(EUNAUTHORIZED, "Logga in för att hantera användare.", "Sign in to manage users.")
	case !actor.CanManageUsers():
		return ruleError(EFORBIDDEN, "Bara en administratör kan hantera användare.", "Only an admin can manage users.")
	}
	return nil
}
