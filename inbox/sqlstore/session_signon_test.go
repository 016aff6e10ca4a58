package sqlstore

import (
	"encoding/json"
	"testing"

	"inkorg/inbox"
)

// testIssuer is the identity provider of the sign-on tests.
const testIssuer = "https://login.example.se"

func TestSignOn(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		t.Run("OKAudited", func(t *testing.T) { testSignOnAudited(t, NewStore(openMigrated(t, url))) })
		t.Run("ErrTakeover", func(t *testing.T) { testSignOnTakeover(t, NewStore(openMigrated(t, url))) })
	})
}

// signOn is a user as the provider's claims describe them.
func signOn(name string, role inbox.Role, subject string) *inbox.User {
	return &inbox.User{Name: name, Role: role, SignOnIssuer: testIssuer, SignOnSubject: subject}
}

// testSignOnAudited signs on a new user and changes their role by the
// provider's claims: each is audited with the user as actor, via single
// sign-on, with before and after; a sign-on that changes nothing is not.
func testSignOnAudited(t *testing.T, s *Store) {
	ctx := t.Context()
	u := signOn("adam", inbox.RoleAdmin, "sub-adam")
	if err := s.SaveSignOnUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for _, role := range []inbox.Role{inbox.RoleAdmin, inbox.RoleAgent, inbox.RoleAgent} {
		if err := s.SaveSignOnUser(ctx, signOn("adam", role, "sub-adam")); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FindUserByID(ctx, u.ID)
	if err != nil || got.Role != inbox.RoleAgent {
		t.Fatalf("got %v, %v; want adam an agent", got, err)
	}
	entries, err := s.FindUserAudit(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != inbox.ActionUserCreate || entries[1].Action != inbox.ActionUserRole {
		t.Fatalf("audit: got %d entries, want create, role", len(entries))
	}
	var change inbox.UserChange
	if err := json.Unmarshal([]byte(entries[1].Detail), &change); err != nil {
		t.Fatal(err)
	}
	if entries[1].ActorID != u.ID || change.Via != inbox.ViaSignOn || change.Before.Role != inbox.RoleAdmin || change.After.Role != inbox.RoleAgent {
		t.Errorf("role audit: got actor %d, %+v; want adam via %s, admin to agent", entries[1].ActorID, change, inbox.ViaSignOn)
	}
}

// testSignOnTakeover signs on with the name of a user who has a password,
// of one linked to another account and, in another case, of another user:
// each is refused and leaves the user as they were. A user without a
// password, made ahead of single sign-on, is linked.
func testSignOnTakeover(t *testing.T, s *Store) {
	ctx := t.Context()
	local := &inbox.User{Name: "adam", Role: inbox.RoleAdmin, PasswordHash: "hash"}
	if err := s.CreateUser(ctx, local); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSignOnUser(ctx, signOn("sara", inbox.RoleAgent, "sub-sara")); err != nil {
		t.Fatal(err)
	}
	for name, u := range map[string]*inbox.User{
		"Password":      signOn("adam", inbox.RoleAgent, "sub-adam"),
		"LinkedToOther": signOn("sara", inbox.RoleAdmin, "sub-other"),
	} {
		if err := s.SaveSignOnUser(ctx, u); inbox.ErrorMessage(err) != inbox.ErrSignOnNotLinked {
			t.Errorf("%s: got %v, want %q", name, err, inbox.ErrSignOnNotLinked)
		}
	}
	if err := s.SaveSignOnUser(ctx, signOn("Adam", inbox.RoleAgent, "sub-adam")); inbox.ErrorCode(err) != inbox.ECONFLICT {
		t.Errorf("another case: got %v, want conflict", err)
	}
	if got, _ := s.FindUserByName(ctx, "adam"); got.Role != inbox.RoleAdmin || got.SignOnSubject != "" {
		t.Errorf("adam after refused sign-ons: got %s linked to %q, want an unlinked admin", got.Role, got.SignOnSubject)
	}
	if got, _ := s.FindUserByName(ctx, "sara"); got.Role != inbox.RoleAgent || got.SignOnSubject != "sub-sara" {
		t.Errorf("sara after a refused sign-on: got %s linked to %q, want an agent linked to sub-sara", got.Role, got.SignOnSubject)
	}
	if entries, _ := s.FindUserAudit(ctx, local.ID); len(entries) != 0 {
		t.Errorf("audit of refused sign-ons: got %d entries, want none", len(entries))
	}

	ahead := &inbox.User{Name: "kim", Role: inbox.RoleAgent}
	if err := s.CreateUser(ctx, ahead); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSignOnUser(ctx, signOn("kim", inbox.RoleSupervisor, "sub-kim")); err != nil {
		t.Fatalf("user made ahead of single sign-on: %v", err)
	}
	got, _ := s.FindUserByName(ctx, "kim")
	if got.ID != ahead.ID || got.Role != inbox.RoleSupervisor || got.SignOnSubject != "sub-kim" {
		t.Errorf("kim: got %s linked to %q, want the same user, a supervisor linked to sub-kim", got.Role, got.SignOnSubject)
	}
	// The link, not the name, says who signs on: a new name at the
	// provider keeps the user.
	renamed := signOn("kim.larsson", inbox.RoleSupervisor, "sub-kim")
	if err := s.SaveSignOnUser(ctx, renamed); err != nil || renamed.ID != ahead.ID {
		t.Errorf("renamed at the provider: got user %d, %v; want %d", renamed.ID, err, ahead.ID)
	}
}
