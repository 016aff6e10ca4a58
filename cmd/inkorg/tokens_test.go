package main

import (
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

// TestTokensCommand creates, lists, uses and revokes a token from the
// command line: the token is printed once, its hash never, its last use is
// shown, and creation and revocation are audited.
func TestTokensCommand(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "anna", "--role", "agent"); code != exitOK {
		t.Fatalf("user add: got exit %d", code)
	}
	code, out := runCmd(t, env, "", "tokens", "create", "--user", "anna", "--name", "Power BI")
	token := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(token, "ink_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("tokens create: got exit %d, %q; want one line with a token", code, out)
	}
	hash := inbox.HashAPIToken(token)

	list := func() string {
		t.Helper()
		code, out := runCmd(t, env, "", "tokens", "list")
		if code != exitOK {
			t.Fatalf("tokens list: got exit %d", code)
		}
		if strings.Contains(out, hash) || strings.Contains(out, token) {
			t.Fatalf("tokens list shows the token or its hash:\n%s", out)
		}
		return out
	}
	if out := list(); !strings.Contains(out, "anna") || !strings.Contains(out, "Power BI") || !strings.Contains(out, "never") {
		t.Errorf("tokens list before use: got\n%s\nwant anna's token named Power BI, never used", out)
	}

	db, err := sqlstore.Open(t.Context(), env["INKORG_DATA_DIR"]+"/inkorg.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := sqlstore.NewStore(db)
	if _, err := store.FindUserByTokenHash(t.Context(), hash); err != nil {
		t.Fatalf("using the token: %v", err)
	}
	toks, err := store.FindAllAPITokens(t.Context())
	if err != nil || len(toks) != 1 || toks[0].LastUsedAt == nil {
		t.Fatalf("got %v, %v; want one used token", toks, err)
	}
	if out := list(); strings.Contains(out, "never") || !strings.Contains(out, toks[0].LastUsedAt.UTC().Format("2006-01-02T15:04:05Z")) {
		t.Errorf("tokens list after use: got\n%s\nwant the time of last use", out)
	}
	if code, out := runCmd(t, env, "", "tokens", "list", "--user", "anna"); code != exitOK || !strings.Contains(out, "Power BI") {
		t.Errorf("tokens list --user anna: got exit %d,\n%s", code, out)
	}

	id := toks[0].ID
	if code, out := runCmd(t, env, "", "tokens", "revoke", itoa(id)); code != exitOK || !strings.Contains(out, "revoked") {
		t.Fatalf("tokens revoke: got exit %d, %q", code, out)
	}
	if _, err := store.FindUserByTokenHash(t.Context(), hash); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("revoked token: got %v, want ENOTFOUND", err)
	}
	if out := list(); strings.Contains(out, "Power BI") {
		t.Errorf("tokens list after revoke: got\n%s", out)
	}

	var audit []struct{ Action, Detail string }
	if err := db.Gorm().Raw("SELECT action, detail FROM audit_entries WHERE action LIKE 'token%' ORDER BY id").Scan(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 || audit[0].Action != inbox.ActionTokenCreate || audit[1].Action != inbox.ActionTokenRevoke {
		t.Fatalf("got audit %+v, want token_create then token_revoke", audit)
	}
	for _, a := range audit {
		if !strings.Contains(a.Detail, `"name":"Power BI"`) || !strings.Contains(a.Detail, `"via":"cli"`) || strings.Contains(a.Detail, hash) {
			t.Errorf("audit detail %s: want the token's name and via cli, never its hash", a.Detail)
		}
	}
}

func TestTokensCommandErrors(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "anna", "--role", "agent"); code != exitOK {
		t.Fatalf("user add: got exit %d", code)
	}
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"tokens"}, exitUsage},
		{[]string{"tokens", "rotate"}, exitUsage},
		{[]string{"tokens", "create"}, exitUsage},
		{[]string{"tokens", "create", "--user", "anna", "--name", "two\nlines"}, exitUsage},
		{[]string{"tokens", "create", "--user", "anna", "--name", strings.Repeat("x", 101)}, exitUsage},
		{[]string{"tokens", "create", "--user", "nobody"}, exitFailure},
		{[]string{"tokens", "list", "--user", "nobody"}, exitUsage},
		{[]string{"tokens", "revoke"}, exitUsage},
		{[]string{"tokens", "revoke", "abc"}, exitUsage},
		{[]string{"tokens", "revoke", "1", "2"}, exitUsage},
		{[]string{"tokens", "revoke", "999"}, exitFailure},
	} {
		if code, _ := runCmd(t, env, "", tc.args...); code != tc.want {
			t.Errorf("inkorg %s: got exit %d, want %d", strings.Join(tc.args, " "), code, tc.want)
		}
	}
}
