package main

import (
	"encoding/json"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

// TestUserAddAudited creates users from the command line: each gets a
// user_create audit entry by the system via the command line, like an
// admin's creation; a password breaking the shared rules and a name
// another user has in another case are refused.
func TestUserAddAudited(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	if code, _ := runCmd(t, env, "ett långt lösenord\n", "user", "add", "--name", "adam", "--role", "admin"); code != exitOK {
		t.Fatalf("user add: got exit %d, want 0", code)
	}
	for name, c := range map[string]struct {
		stdin string
		args  []string
		want  int
	}{
		// Eleven characters, though more than twelve bytes.
		"ErrShortPassword": {"åäöåäöåäöåä\n", []string{"--name", "kim", "--role", "agent"}, exitUsage},
		"ErrNameTaken":     {"", []string{"--name", "Adam", "--role", "agent"}, exitFailure},
	} {
		if code, _ := runCmd(t, env, c.stdin, append([]string{"user", "add"}, c.args...)...); code != c.want {
			t.Errorf("%s: got exit %d, want %d", name, code, c.want)
		}
	}
	store := openStore(t, env)
	adam, err := store.FindUserByName(t.Context(), "adam")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := store.FindUserAudit(t.Context(), adam.ID)
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit of adam: got %d entries (%v), want one user_create", len(entries), err)
	}
	var change inbox.UserChange
	if err := json.Unmarshal([]byte(entries[0].Detail), &change); err != nil {
		t.Fatal(err)
	}
	if entries[0].Action != inbox.ActionUserCreate || entries[0].ActorID != 0 || change.Via != inbox.ViaCommandLine ||
		change.After == nil || change.After.Role != inbox.RoleAdmin || !change.PasswordChanged {
		t.Errorf("audit: got %s by %d, %+v; want user_create of an admin with a password by the system via %s",
			entries[0].Action, entries[0].ActorID, change, inbox.ViaCommandLine)
	}
	if _, err := store.FindUserByName(t.Context(), "kim"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("kim after a refused password: got %v, want no user", err)
	}
}

// TestTokensCreateDeactivated asks for a token for a deactivated user:
// refused, with a message saying why, and no token is stored (it would
// start working on reactivation).
func TestTokensCreateDeactivated(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	for _, args := range [][]string{{"--name", "adam", "--role", "admin"}, {"--name", "anna", "--role", "agent"}} {
		if code, _ := runCmd(t, env, "", append([]string{"user", "add"}, args...)...); code != exitOK {
			t.Fatalf("user add %v: got exit %d, want 0", args, code)
		}
	}
	store := openStore(t, env)
	ctx := t.Context()
	adam, _ := store.FindUserByName(ctx, "adam")
	anna, _ := store.FindUserByName(ctx, "anna")
	if err := (&inbox.UserAdmin{Store: store}).SetActive(ctx, adam, anna.ID, false); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	code := run(ctx, []string{"tokens", "create", "--user", "anna"}, envFrom(env), strings.NewReader(""), &stdout, &stderr)
	if code != exitFailure || stdout.Len() != 0 || !strings.Contains(stderr.String(), "deactivated") {
		t.Errorf("tokens create for a deactivated user: got exit %d, stdout %q, stderr %q; want exit 1 saying the user is deactivated",
			code, stdout.String(), stderr.String())
	}
	if tokens, err := store.FindAPITokens(ctx, anna.ID); err != nil || len(tokens) != 0 {
		t.Errorf("tokens of anna: got %d (%v), want none", len(tokens), err)
	}
}

// openStore opens the embedded database of env, closed when the test ends.
func openStore(t *testing.T, env map[string]string) *sqlstore.Store {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), env["INKORG_DATA_DIR"]+"/inkorg.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqlstore.NewStore(db)
}
