package sqlstore

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

func TestUserAdmin(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		t.Run("AuditedChanges", func(t *testing.T) { testUserAdminChanges(t, NewStore(openMigrated(t, url))) })
		t.Run("Access", func(t *testing.T) { testUserAdminAccess(t, NewStore(openMigrated(t, url))) })
	})
}

func testUserAdminChanges(t *testing.T, s *Store) {
	ctx := t.Context()
	admin := &inbox.User{Name: "adam", Role: inbox.RoleAdmin}
	if err := s.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	u := &inbox.User{Name: "kim", Role: inbox.RoleSpecialist, AdministrationID: "kultur", Administrations: []string{"kultur", "idrott"},
		PasswordHash: "hash-1"}
	if err := s.CreateUserAccount(ctx, admin.ID, "", u); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"kim", "Kim"} {
		if err := s.CreateUserAccount(ctx, admin.ID, "", &inbox.User{Name: name, Role: inbox.RoleAgent}); inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Errorf("a taken name %q: got %v, want conflict", name, err)
		}
	}
	changed := &inbox.User{ID: u.ID, Name: "kim", Role: inbox.RoleAgent}
	if _, err := s.UpdateUserAccount(ctx, admin.ID, inbox.ActionUserCreate, changed); inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("an update as %s: got %v, want invalid", inbox.ActionUserCreate, err)
	}
	before, err := s.UpdateUserAccount(ctx, admin.ID, inbox.ActionUserRole, changed)
	if err != nil {
		t.Fatal(err)
	}
	if before.Role != inbox.RoleSpecialist || strings.Join(before.MemberAdministrations(), ",") != "kultur,idrott" {
		t.Errorf("before: got %s in %v, want specialist in kultur,idrott", before.Role, before.MemberAdministrations())
	}
	got, err := s.FindUserAccount(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != inbox.RoleAgent || len(got.MemberAdministrations()) != 0 || got.PasswordHash != "hash-1" {
		t.Errorf("after: got %s in %v with hash %q, want an agent in none with the hash kept", got.Role, got.MemberAdministrations(), got.PasswordHash)
	}

	// A lock shows in the account and unlocking clears it.
	until := time.Now().Add(time.Hour).UTC()
	if _, err := s.RecordLoginFailure(ctx, "kim", func(f *inbox.LoginFailures) {
		f.Failures, f.LockedUntil, f.LastFailure = 5, &until, time.Now()
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUserAccount(ctx, u.ID); !got.Locked(time.Now()) {
		t.Error("the account is not locked after 5 failures")
	}
	if err := s.UnlockUserAccount(ctx, admin.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUserAccount(ctx, u.ID); got.Locked(time.Now()) {
		t.Error("the account is still locked after unlocking")
	}

	entries, err := s.FindUserAudit(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Action != inbox.ActionUserCreate || entries[1].Action != inbox.ActionUserRole ||
		entries[2].Action != inbox.ActionUserUnlock {
		t.Fatalf("audit: got %d entries, want create, role, unlock", len(entries))
	}
	var change inbox.UserChange
	if err := json.Unmarshal([]byte(entries[1].Detail), &change); err != nil {
		t.Fatal(err)
	}
	if change.UserID != u.ID || change.Before.Role != inbox.RoleSpecialist || change.After.Role != inbox.RoleAgent || change.PasswordChanged {
		t.Errorf("role audit: got %+v", change)
	}
	if strings.Contains(entries[0].Detail, "hash-1") {
		t.Error("the audit holds the password hash")
	}
	if other, _ := s.FindUserAudit(ctx, admin.ID); len(other) != 0 {
		t.Errorf("adam's audit holds %d entries of kim", len(other))
	}
	list, err := s.FindUserAccounts(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "adam" || list[1].Name != "kim" {
		t.Errorf("list: got %d users (%v), want adam and kim", len(list), err)
	}
}

func testUserAdminAccess(t *testing.T, s *Store) {
	ctx := t.Context()
	u := &inbox.User{Name: "kim", Role: inbox.RoleAgent}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	sess := &inbox.Session{UserID: u.ID, Hash: "session-hash", CSRFToken: "csrf", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAPIToken(ctx, &inbox.APIToken{UserID: u.ID, Hash: "token-hash"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUserAccount(ctx, u.ID); got.LastSignInAt == nil || !got.LastSignInAt.Equal(now.Truncate(time.Microsecond)) {
		t.Errorf("last sign-in: got %v, want %v", got.LastSignInAt, now)
	}
	u.DeactivatedAt = &now
	if _, err := s.UpdateUserAccount(ctx, 0, inbox.ActionUserDeactivate, u); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.FindSession(ctx, "session-hash"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("session of a deactivated user: got %v, want not found", err)
	}
	if _, err := s.FindUserByTokenHash(ctx, "token-hash"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("token of a deactivated user: got %v, want not found", err)
	}
	if err := s.CreateAPIToken(ctx, &inbox.APIToken{UserID: u.ID, Hash: "later-hash"}); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("new token for a deactivated user: got %v, want forbidden", err)
	}
	if err := s.SaveSignOnUser(ctx, &inbox.User{Name: "kim", Role: inbox.RoleAgent, SignOnIssuer: testIssuer, SignOnSubject: "sub-kim"}); inbox.ErrorCode(err) != inbox.EFORBIDDEN {
		t.Errorf("single sign-on of a deactivated user: got %v, want forbidden", err)
	}
	got, err := s.FindUserByName(ctx, "kim")
	if err != nil || got.Active() {
		t.Errorf("got %v active=%v, want kim deactivated", err, got != nil && got.Active())
	}
}
