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
