package main

import (
	"strings"
	"testing"
	"time"

	"inkorg/inbox/graph"
)

// TestAccountsCheckExpiry runs accounts check against a sandbox that
// answers debug_token per token: one never expires, one expires in three
// days and lacks a permission, one was revoked.
func TestAccountsCheckExpiry(t *testing.T) {
	const (
		appSecret   = "metaappsecret0123456789abcdef"
		tokenNever  = "EAAGneverExpiringPageToken0001"
		tokenSoon   = "EAAGsoonExpiringPageToken00002"
		tokenRevoke = "EAAGrevokedPageToken0000000003"
	)
	sb := graph.NewSandbox(nil)
	srv, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	soon := time.Now().Add(3 * 24 * time.Hour).Truncate(time.Second)
	sb.SetTokenAnswer(tokenSoon, graph.TokenAnswer{ExpiresAt: soon,
		Scopes: []string{"instagram_basic", "instagram_manage_comments"}, ProfileID: "17841400000000000"})
	sb.SetTokenAnswer(tokenRevoke, graph.TokenAnswer{Invalid: true, ErrorCode: 190, ErrorSubcode: 460})

	env := map[string]string{"INKORG_DATA_DIR": t.TempDir(), "INKORG_SECRET_KEY": testKeyOld, "META_GRAPH_URL": srv.URL}
	var seen strings.Builder
	step := func(wantCode int, stdin string, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := runAll(t, env, stdin, args...)
		seen.WriteString(out + errOut)
		if code != wantCode {
			t.Fatalf("inkorg %s: exit %d (%s%s), want %d", strings.Join(args, " "), code, out, errOut, wantCode)
		}
		return out, errOut
	}
	step(exitOK, tokenNever+"\n", "accounts", "add", "--platform", "facebook", "--id", "104729385720000", "--name", "Göteborgs Stad", "--token-stdin")
	step(exitOK, tokenSoon+"\n", "accounts", "add", "--platform", "instagram", "--id", "17841400000000000", "--name", "goteborgsstad", "--token-stdin")

	t.Run("WithoutAppID", func(t *testing.T) {
		out, _ := step(exitOK, "", "accounts", "check")
		if strings.Count(out, "unknown (META_APP_ID not set)") != 2 || strings.Count(out, "valid") != 2 {
			t.Errorf("accounts check:\n%s\nwant both valid with expiry unknown", out)
		}
	})
	env["META_APP_ID"], env["META_APP_SECRET"] = "1234567890", appSecret
	t.Run("OK", func(t *testing.T) {
		out, errOut := step(exitOK, "", "accounts", "check")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.Contains(lines[0], "EXPIRES") {
			t.Fatalf("accounts check:\n%s\nwant a header and two accounts", out)
		}
		fb, ig := lines[1], lines[2]
		if !strings.Contains(fb, "valid") || !strings.Contains(fb, "never") || strings.Contains(fb, "missing permissions") {
			t.Errorf("facebook line %q, want valid, never expires, no missing permissions", fb)
		}
		wantDate := soon.In(stockholm).Format("2006-01-02 15:04 MST")
		if !strings.Contains(ig, wantDate) || !strings.Contains(ig, "WARNING: expires within 7 days") ||
			!strings.Contains(ig, "missing permissions: instagram_manage_messages") {
			t.Errorf("instagram line %q, want expiry %s, a warning and the missing permission", ig, wantDate)
		}
		if !strings.Contains(errOut, "warning: 1 of 2 accounts") {
			t.Errorf("stderr %q, want the warning summary", errOut)
		}
		// The check is recorded for the channel health.
		store := openTestStore(t, env)
		accounts, _ := store.FindAccounts(t.Context())
		for _, a := range accounts {
			if a.TokenCheckedAt == nil || !a.TokenExpiryKnown {
				t.Errorf("%s: check not recorded: %+v", a.ExternalID, a)
			}
			if a.Platform == "instagram" && (a.TokenExpiresAt == nil || !a.TokenExpiresAt.Equal(soon)) {
				t.Errorf("instagram expiry %v, want %v", a.TokenExpiresAt, soon)
			}
		}
	})
	t.Run("ErrRevoked", func(t *testing.T) {
		step(exitOK, tokenRevoke+"\n", "accounts", "token", "104729385720000")
		out, _ := step(exitFailure, "", "accounts", "check")
		if !strings.Contains(out, "invalid") {
			t.Errorf("accounts check:\n%s\nwant the revoked token invalid", out)
		}
		store := openTestStore(t, env)
		accounts, _ := store.FindAccounts(t.Context())
		for _, a := range accounts {
			if a.Platform == "facebook" && !a.NeedsToken {
				t.Error("the revoked token did not mark the account")
			}
		}
	})
	t.Run("ErrAppSecretRejected", func(t *testing.T) {
		sb.FailNext(2, graph.Fault{Code: 190, Message: "Invalid OAuth access token signature"})
		out, _ := step(exitFailure, "", "accounts", "check")
		if strings.Count(out, "Meta rejected META_APP_ID or META_APP_SECRET") != 2 {
			t.Errorf("accounts check:\n%s\nwant the app credentials blamed on both lines", out)
		}
	})
	for _, secret := range []string{appSecret, tokenNever, tokenSoon, tokenRevoke} {
		if strings.Contains(seen.String(), secret) {
			t.Errorf("secret %s… appears in the commands' output or logs", secret[:8])
		}
		for _, c := range sb.Calls() {
			if strings.Contains(string(c.Body), secret) || strings.Contains(c.Path, secret) {
				t.Errorf("secret %s… recorded by the sandbox in %s %s", secret[:8], c.Path, c.Body)
			}
		}
	}
}

func TestAccountsCheckBadAppID(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir(), "META_APP_ID": "my-app"}
	if code, _, errOut := runAll(t, env, "", "accounts", "check"); code != exitUsage || !strings.Contains(errOut, "META_APP_ID") {
		t.Errorf("exit %d %q, want usage naming META_APP_ID", code, errOut)
	}
}

// TestAccountsCheckMissingTokenHint checks that the command accounts check
// gives for a missing token works as printed when a Page and an Instagram
// account share the id, which accounts token refuses without --platform.
func TestAccountsCheckMissingTokenHint(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir(), "INKORG_SECRET_KEY": testKeyOld, "META_GRAPH_URL": "sandbox"}
	for _, platform := range []string{"facebook", "instagram"} {
		if code, _ := runCmd(t, env, "", "accounts", "add", "--platform", platform, "--id", "104729385720000", "--name", platform); code != exitOK {
			t.Fatalf("accounts add --platform %s: exit %d", platform, code)
		}
	}
	_, out := runCmd(t, env, "", "accounts", "check")
	var hints []string
	for _, line := range strings.Split(out, "\n") {
		if _, hint, ok := strings.Cut(line, "store one with: inkorg "); ok {
			hints = append(hints, strings.TrimSuffix(strings.TrimSpace(hint), " < token.txt"))
		}
	}
	if len(hints) != 2 {
		t.Fatalf("accounts check:\n%s\nwant a hint for each of the two accounts", out)
	}
	for _, hint := range hints {
		if code, _, errOut := runAll(t, env, "EAAtoken\n", strings.Fields(hint)...); code != exitOK {
			t.Errorf("inkorg %s < token.txt, as accounts check says: exit %d %q, want 0", hint, code, errOut)
		}
	}
	if _, out := runCmd(t, env, "", "accounts", "list"); strings.Count(out, "stored") != 2 {
		t.Errorf("accounts list after following the hints:\n%s\nwant both tokens stored", out)
	}
	// accounts login asks for a token of the new login the same way.
	_, out = runCmd(t, env, "", "accounts", "login", "104729385720000", "instagram", "--platform", "instagram")
	if want := "inkorg accounts token 104729385720000 --platform instagram"; !strings.Contains(out, want) {
		t.Errorf("accounts login: %q, want it to name %q", out, want)
	}
}
