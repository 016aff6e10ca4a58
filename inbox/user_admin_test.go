package inbox_test

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

func TestUserAdmin(t *testing.T) {
	w := newSessionWorld(t, sqlstoretest.SQLite(t))
	ctx := t.Context()
	admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	if err := w.store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	svc := &inbox.UserAdmin{Store: w.store, KnownAdministration: func(id string) bool { return id == "kultur" },
		Now: func() time.Time { return w.now }}

	t.Run("ErrForbidden", func(t *testing.T) {
		for _, actor := range []*inbox.User{w.user, {Name: "sune", Role: inbox.RoleSupervisor}} {
			if _, err := svc.List(ctx, actor); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
				t.Errorf("%s listing users: got %v, want forbidden", actor.Role, err)
			}
			if err := svc.SetActive(ctx, actor, w.user.ID, false); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
				t.Errorf("%s deactivating: got %v, want forbidden", actor.Role, err)
			}
		}
		if _, err := svc.List(ctx, nil); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("anonymous: got %v, want unauthorized", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for name, n := range map[string]inbox.NewUser{
			"SpecialistWithoutAdministration": {Name: "kim", Role: inbox.RoleSpecialist, Password: testPassword},
			"UnknownAdministration":           {Name: "kim", Role: inbox.RoleSpecialist, Administrations: []string{"okänd"}, Password: testPassword},
			"ShortPassword":                   {Name: "kim", Role: inbox.RoleAgent, Password: "kort"},
			"UnknownRole":                     {Name: "kim", Role: "chef", Password: testPassword},
		} {
			if _, err := svc.Create(ctx, admin, n); inbox.ErrorCode(err) != inbox.EINVALID {
				t.Errorf("%s: got %v, want invalid", name, err)
			}
		}
		if _, err := svc.SetRole(ctx, admin, admin.ID, inbox.RoleSupervisor, nil); inbox.ErrorMessage(err) != inbox.ErrOwnAdminRole {
			t.Errorf("own admin role: got %v, want %q", err, inbox.ErrOwnAdminRole)
		}
		if err := svc.SetActive(ctx, admin, admin.ID, false); inbox.ErrorMessage(err) != inbox.ErrDeactivateSelf {
			t.Errorf("deactivating oneself: got %v, want %q", err, inbox.ErrDeactivateSelf)
		}
	})
	t.Run("OKDeactivatedCannotSignIn", func(t *testing.T) {
		token, _, err := w.sessions.SignIn(ctx, "anna", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetActive(ctx, admin, w.user.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.sessions.Authenticate(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("session after deactivation: got %v, want unauthorized", err)
		}
		if _, _, err := w.sessions.SignIn(ctx, "anna", testPassword); inbox.ErrorMessage(err) != inbox.ErrDeactivated {
			t.Errorf("sign-in while deactivated: got %v, want %q", err, inbox.ErrDeactivated)
		}
		if _, _, err := w.sessions.SignIn(ctx, "anna", "fel lösenord 123"); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
			t.Errorf("wrong password while deactivated: got %v, want unauthorized (nothing told)", err)
		}
		if err := svc.SetActive(ctx, admin, w.user.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.sessions.SignIn(ctx, "anna", testPassword); err != nil {
			t.Errorf("sign-in after reactivation: %v", err)
		}
		a, _, err := svc.Get(ctx, admin, w.user.ID)
		if err != nil || a.LastSignInAt == nil || !a.LastSignInAt.Equal(w.now) {
			t.Errorf("last sign-in: got %v (%v), want %v", a.LastSignInAt, err, w.now)
		}
	})
}

// staleAccounts answers FindUserAccount with what it held before: as if
// another admin's change committed while this one was being made.
type staleAccounts struct {
	*sqlstore.Store
	stale *inbox.UserAccount
}

func (s *staleAccounts) FindUserAccount(context.Context, int64) (*inbox.UserAccount, error) {
	a := *s.stale
	return &a, nil
}

// TestUserAdminConcurrentChanges makes changes of different kinds to one
// user from reads taken before the other change: each keeps the other's.
func TestUserAdminConcurrentChanges(t *testing.T) {
	w := newSessionWorld(t, sqlstoretest.SQLite(t))
	ctx := t.Context()
	admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	if err := w.store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	svc := &inbox.UserAdmin{Store: w.store, Now: func() time.Time { return w.now }}
	kim, err := svc.Create(ctx, admin, inbox.NewUser{Name: "kim", Role: inbox.RoleAgent, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	active, err := w.store.FindUserAccount(ctx, kim.ID)
	if err != nil {
		t.Fatal(err)
	}
	stale := &inbox.UserAdmin{Store: &staleAccounts{Store: w.store, stale: active}, Now: func() time.Time { return w.now }}

	// Deactivated, then a password reset and a role change made from the
	// read before: kim stays deactivated.
	if err := svc.SetActive(ctx, admin, kim.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := stale.ResetPassword(ctx, admin, kim.ID, "ett nytt lösenord 456"); err != nil {
		t.Fatal(err)
	}
	if _, err := stale.SetRole(ctx, admin, kim.ID, inbox.RoleSupervisor, nil); err != nil {
		t.Fatal(err)
	}
	got, err := w.store.FindUserAccount(ctx, kim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Active() || got.Role != inbox.RoleSupervisor || got.PasswordHash == active.PasswordHash {
		t.Errorf("got active %v, role %s, password changed %v; want deactivated, supervisor, changed",
			got.Active(), got.Role, got.PasswordHash != active.PasswordHash)
	}

	// Reactivated, then deactivated from the read taken while kim was an
	// agent: the role change stays.
	if err := svc.SetActive(ctx, admin, kim.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := stale.SetActive(ctx, admin, kim.ID, false); err != nil {
		t.Fatal(err)
	}
	if got, _ = w.store.FindUserAccount(ctx, kim.ID); got.Active() || got.Role != inbox.RoleSupervisor {
		t.Errorf("after a deactivation from an old read: got active %v, role %s; want deactivated, supervisor", got.Active(), got.Role)
	}
}

// TestPasswordResetEndsAccess resets a password, say after a leak: the
// sessions and API tokens made with the old password stop working, and
// the new password signs in.
func TestPasswordResetEndsAccess(t *testing.T) { onBothDialects(t, testPasswordResetEndsAccess) }

func testPasswordResetEndsAccess(t *testing.T, db *sqlstore.DB) {
	w := newSessionWorld(t, db)
	ctx := t.Context()
	admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	if err := w.store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	token, _, err := w.sessions.SignIn(ctx, "anna", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, hash, err := inbox.NewAPITokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.CreateAPIToken(ctx, &inbox.APIToken{UserID: w.user.ID, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	svc := &inbox.UserAdmin{Store: w.store, Now: func() time.Time { return w.now }}
	const newPassword = "ett helt nytt lösenord"
	if err := svc.ResetPassword(ctx, admin, w.user.ID, newPassword); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.sessions.Authenticate(ctx, token); inbox.ErrorCode(err) != inbox.EUNAUTHORIZED {
		t.Errorf("session from before the reset: got %v, want unauthorized", err)
	}
	if _, err := w.store.FindUserByTokenHash(ctx, hash); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("API token from before the reset: got %v, want revoked", err)
	}
	if _, _, err := w.sessions.SignIn(ctx, "anna", newPassword); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}
	entries, err := w.store.FindUserAudit(ctx, w.user.ID)
	if err != nil || len(entries) != 1 || entries[0].Action != inbox.ActionUserPassword {
		t.Errorf("audit: got %d entries (%v), want one %s", len(entries), err, inbox.ActionUserPassword)
	}
}

// TestUserAdminMutualDemotion has two admins demote each other from
// requests authenticated before either change: the second is refused, as
// its actor is no longer an admin, and an admin remains.
func TestUserAdminMutualDemotion(t *testing.T) { onBothDialects(t, testUserAdminMutualDemotion) }

func testUserAdminMutualDemotion(t *testing.T, db *sqlstore.DB) {
	store := sqlstore.NewStore(db)
	ctx := t.Context()
	adam := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	berit := &inbox.User{Name: "berit", Role: inbox.RoleAdmin}
	for _, u := range []*inbox.User{adam, berit} {
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	svc := &inbox.UserAdmin{Store: store}
	adamAsAuthenticated, beritAsAuthenticated := *adam, *berit
	if _, err := svc.SetRole(ctx, &adamAsAuthenticated, berit.ID, inbox.RoleAgent, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetRole(ctx, &beritAsAuthenticated, adam.ID, inbox.RoleAgent, nil); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("demotion by an admin demoted meanwhile: got %v, want forbidden", err)
	}
	if err := svc.ResetPassword(ctx, &beritAsAuthenticated, adam.ID, "ett helt nytt lösenord"); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("password reset by an admin demoted meanwhile: got %v, want forbidden", err)
	}
	if got, err := store.FindUserAccount(ctx, adam.ID); err != nil || got.Role != inbox.RoleAdmin {
		t.Errorf("adam: got %v (%v), want still an admin", got.Role, err)
	}
}

// TestUserAdminLastAdmin takes the admin role and then activity away
// from the last active admin without an admin actor (the system): both
// are refused.
func TestUserAdminLastAdmin(t *testing.T) {
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	ctx := t.Context()
	adam := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	if err := store.CreateUser(ctx, adam); err != nil {
		t.Fatal(err)
	}
	demoted, deactivated := *adam, *adam
	demoted.Role = inbox.RoleAgent
	now := time.Now()
	deactivated.DeactivatedAt = &now
	for action, u := range map[string]*inbox.User{inbox.ActionUserRole: &demoted, inbox.ActionUserDeactivate: &deactivated} {
		if _, err := store.UpdateUserAccount(ctx, 0, action, u); inbox.ErrorMessage(err) != inbox.ErrLastAdmin {
			t.Errorf("%s of the last admin: got %v, want %q", action, err, inbox.ErrLastAdmin)
		}
	}
	if got, _ := store.FindUserAccount(ctx, adam.ID); got.Role != inbox.RoleAdmin || !got.Active() {
		t.Errorf("got %s, active %v; want an active admin", got.Role, got.Active())
	}
}

// TestUserAdminUpdateAllOrNothing makes several changes at once of which
// one is refused: none is made, whether the domain or the store refuses.
func TestUserAdminUpdateAllOrNothing(t *testing.T) {
	w := newSessionWorld(t, sqlstoretest.SQLite(t))
	ctx := t.Context()
	admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	if err := w.store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	svc := &inbox.UserAdmin{Store: w.store, Now: func() time.Time { return w.now }}
	role, short, inactive := inbox.RoleAdmin, "kort", false
	if err := svc.Update(ctx, admin, w.user.ID, inbox.UserUpdate{Role: &role, Password: &short}); inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("role and a short password: got %v, want invalid", err)
	}
	if got, _ := w.store.FindUserAccount(ctx, w.user.ID); got.Role != inbox.RoleAgent {
		t.Errorf("after a refused change: got role %s, want agent", got.Role)
	}

	// The store refuses the second change: the first is undone.
	password, err := inbox.HashPassword("ett helt nytt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	demoted := *admin
	demoted.Role = inbox.RoleAgent
	reset := *admin
	reset.PasswordHash = password
	_, err = w.store.UpdateUserAccounts(ctx, 0, []inbox.UserAccountChange{
		{Action: inbox.ActionUserPassword, User: &reset}, {Action: inbox.ActionUserRole, User: &demoted}})
	if inbox.ErrorMessage(err) != inbox.ErrLastAdmin {
		t.Fatalf("password and demotion of the last admin: got %v, want %q", err, inbox.ErrLastAdmin)
	}
	if got, _ := w.store.FindUserAccount(ctx, admin.ID); got.PasswordHash != "" {
		t.Errorf("after a refused demotion: the password set with it was kept")
	}
	if err := svc.Update(ctx, admin, w.user.ID, inbox.UserUpdate{Role: &role, Active: &inactive}); err != nil {
		t.Fatal(err)
	}
	entries, _ := w.store.FindUserAudit(ctx, w.user.ID)
	if len(entries) != 2 || entries[0].Action != inbox.ActionUserRole || entries[1].Action != inbox.ActionUserDeactivate {
		t.Errorf("audit of two changes at once: got %d entries, want role, deactivate", len(entries))
	}
}

// TestUserNamesLookAlike creates users whose names differ only in case
// or Unicode form from another's: refused, as they would look the same in
// every list, history and assign-by-name field.
func TestUserNamesLookAlike(t *testing.T) { onBothDialects(t, testUserNamesLookAlike) }

func testUserNamesLookAlike(t *testing.T, db *sqlstore.DB) {
	store := sqlstore.NewStore(db)
	ctx := t.Context()
	admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	if err := store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	svc := &inbox.UserAdmin{Store: store}
	for _, pair := range [][2]string{{"anna", "Anna"}, {"\u00c5sa", "A\u030asa"}, {"\u00d6rjan", "\u00f6RJAN"}, {"L\u00e5ng", "L\u212bng"}} {
		if _, err := svc.Create(ctx, admin, inbox.NewUser{Name: pair[0], Role: inbox.RoleAgent, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Create(ctx, admin, inbox.NewUser{Name: pair[1], Role: inbox.RoleAdmin, Password: testPassword})
		if inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Errorf("creating %q beside %q: got %v, want conflict", pair[1], pair[0], err)
		}
	}
	// Stored in normal form C, and found by either form.
	bjorn, err := svc.Create(ctx, admin, inbox.NewUser{Name: "Bjo\u0308rn", Role: inbox.RoleAgent, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if bjorn.Name != "Bj\u00f6rn" {
		t.Errorf("stored name: got %q, want %q", bjorn.Name, "Bj\u00f6rn")
	}
	for _, name := range []string{"Bj\u00f6rn", "Bjo\u0308rn"} {
		if got, err := store.FindUserByName(ctx, name); err != nil || got.ID != bjorn.ID {
			t.Errorf("FindUserByName(%q): got %v, %v; want Björn", name, got, err)
		}
	}
	if _, err := store.FindUserByName(ctx, "björn"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("FindUserByName in another case: got %v, want not found (sign-in names are exact)", err)
	}
}
