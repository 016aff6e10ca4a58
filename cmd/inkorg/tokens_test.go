package main

import (
	"strings"
	"testing"
	"time"

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
	if out := list(); !strings.Contains(out, "anna") || !strings.Contains(out, "Power BI") || strings.Count(out, "never") != 2 {
		t.Errorf("tokens list before use: got\n%s\nwant anna's token named Power BI, never used, never expiring", out)
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
	if out := list(); strings.Count(out, "never") != 1 || !strings.Contains(out, toks[0].LastUsedAt.UTC().Format("2006-01-02T15:04:05Z")) {
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
		{[]string{"tokens", "create", "--user", "anna", "--expires", ""}, exitUsage},
		{[]string{"tokens", "create", "--user", "anna", "--expires", "soon"}, exitUsage},
		{[]string{"token", "create", "--user", "anna", "--expires", "90"}, exitUsage},
		{[]string{"tokens", "list", "--user", "nobody"}, exitFailure}, // as for create: no bad usage
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

// TestTokensCreateExpires creates tokens with each form of --expires and
// lists them with their expiry: "never" when none, marked when it has
// passed. An expired token is refused as a revoked one is.
func TestTokensCreateExpires(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "anna", "--role", "admin"); code != exitOK {
		t.Fatalf("user add: got exit %d", code)
	}
	before := time.Now()
	for _, expires := range []string{"90d", "720h", "2099-06-30", "2099-01-01T12:00:00+01:00"} {
		code, out := runCmd(t, env, "", "tokens", "create", "--user", "anna", "--name", expires, "--expires", expires)
		if code != exitOK || !strings.HasPrefix(out, "ink_") {
			t.Fatalf("tokens create --expires %s: got exit %d, %q; want a token", expires, code, out)
		}
	}
	if code, _ := runCmd(t, env, "", "tokens", "create", "--user", "anna", "--name", "forever"); code != exitOK {
		t.Fatalf("tokens create without --expires: got exit %d", code)
	}

	db, err := sqlstore.Open(t.Context(), env["INKORG_DATA_DIR"]+"/inkorg.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := sqlstore.NewStore(db)
	toks, err := store.FindAllAPITokens(t.Context())
	if err != nil || len(toks) != 5 {
		t.Fatalf("got %d tokens, error %v; want 5", len(toks), err)
	}
	after := time.Now()
	for _, tok := range toks {
		var lo, hi time.Time
		switch tok.Name {
		case "90d":
			lo, hi = before.AddDate(0, 0, 90), after.AddDate(0, 0, 90)
		case "720h":
			lo, hi = before.Add(720*time.Hour), after.Add(720*time.Hour)
		case "2099-06-30":
			lo = time.Date(2099, 6, 30, 21, 59, 59, 999_999_000, time.UTC) // the end of the day in Stockholm, CEST
			hi = lo
		case "2099-01-01T12:00:00+01:00":
			lo = time.Date(2099, 1, 1, 11, 0, 0, 0, time.UTC)
			hi = lo
		case "forever":
			if tok.ExpiresAt != nil {
				t.Errorf("token without --expires: got ExpiresAt %s, want none", tok.ExpiresAt)
			}
			continue
		}
		if tok.ExpiresAt == nil || tok.ExpiresAt.Before(lo.Truncate(time.Microsecond)) || tok.ExpiresAt.After(hi) {
			t.Errorf("--expires %s: got ExpiresAt %v, want between %s and %s", tok.Name, tok.ExpiresAt, lo, hi)
		}
	}

	// A token that expired yesterday, made by a store whose clock is
	// a week behind.
	db.Now = func() time.Time { return time.Now().AddDate(0, 0, -7) }
	token, hash, err := inbox.NewAPITokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().AddDate(0, 0, -1).UTC().Truncate(time.Second)
	u, err := store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateAPIToken(t.Context(), &inbox.APIToken{UserID: u.ID, Name: "old report", Hash: hash, ExpiresAt: &yesterday}); err != nil {
		t.Fatalf("CreateAPIToken: %v", err)
	}
	db.Now = time.Now
	if _, err := store.FindUserByTokenHash(t.Context(), inbox.HashAPIToken(token)); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("the expired token: got %v, want ENOTFOUND", err)
	}

	code, out := runCmd(t, env, "", "tokens", "list")
	if code != exitOK {
		t.Fatalf("tokens list: got exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 || !strings.Contains(lines[0], "EXPIRES") {
		t.Fatalf("tokens list: got\n%s\nwant a header with EXPIRES and 6 tokens", out)
	}
	for _, want := range []struct{ name, expiry string }{
		{"old report", yesterday.Format(time.RFC3339) + " (expired)"},
		{"forever", "never"},
		{"2099-06-30", "2099-06-30T21:59:59Z"},
		{"2099-01-01T12:00:00+01:00", "2099-01-01T11:00:00Z"},
	} {
		found := false
		for _, line := range lines[1:] {
			if strings.Contains(line, " "+want.name+" ") {
				found = true
				if !strings.HasSuffix(line, want.expiry) {
					t.Errorf("tokens list: got line %q, want it to end in %q", line, want.expiry)
				}
			}
		}
		if !found {
			t.Errorf("tokens list: got\n%s\nwant a line for %q", out, want.name)
		}
	}
	if n := strings.Count(out, "(expired)"); n != 1 {
		t.Errorf("tokens list: got %d tokens marked expired, want 1:\n%s", n, out)
	}
}

// TestTokensCreateExpiresErrors: a malformed or past --expires is bad
// usage, says what is wrong and what is accepted, and makes no token.
func TestTokensCreateExpiresErrors(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "anna", "--role", "agent"); code != exitOK {
		t.Fatalf("user add: got exit %d", code)
	}
	for _, tc := range []struct{ name, expires, want string }{
		{"ErrPastDate", "2020-01-01", "in the past"},
		{"ErrPastTime", "2020-01-01T00:00:00Z", "in the past"},
		{"ErrZeroDays", "0d", "in the past"},
		{"ErrNegative", "-1h", "in the past"},
		{"ErrMalformed", "next year", "a number of days (90d)"},
		{"ErrBadDate", "2030-02-30", "a number of days (90d)"},
		{"ErrDaysFraction", "1.5d", "number of days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runAll(t, env, "", "tokens", "create", "--user", "anna", "--expires", tc.expires)
			if code != exitUsage || out != "" || !strings.Contains(errOut, "--expires") || !strings.Contains(errOut, tc.want) {
				t.Errorf("--expires %q: got exit %d, stdout %q, stderr %q; want %d, no token and a message with %q", tc.expires, code, out, errOut, exitUsage, tc.want)
			}
		})
	}
	if code, out := runCmd(t, env, "", "tokens", "list"); code != exitOK || strings.Count(out, "\n") != 1 {
		t.Errorf("tokens list: got exit %d,\n%s\nwant only the header", code, out)
	}
}
