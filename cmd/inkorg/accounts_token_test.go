package main

import (
	"context"
	"strings"
	"testing"

	"inkorg/inbox/secretbox"
)

const (
	testKeyOld = "0101010101010101010101010101010101010101010101010101010101010101"
	testKeyNew = "0202020202020202020202020202020202020202020202020202020202020202"
	testToken  = "EAAGcliTestPageToken987654321"
)

// runAll runs inkorg and returns the exit code, stdout and stderr.
func runAll(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(t.Context(), args, envFrom(env), strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestAccountsTokens(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir(), "INKORG_SECRET_KEY": testKeyOld, "META_GRAPH_URL": "sandbox"}
	var seen strings.Builder
	step := func(wantCode int, stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := runAll(t, env, stdin, args...)
		seen.WriteString(out + errOut)
		if code != wantCode {
			t.Fatalf("inkorg %s: exit %d (%s%s), want %d", strings.Join(args, " "), code, out, errOut, wantCode)
		}
		return out
	}
	step(exitOK, testToken+"\n", "accounts", "add", "--platform", "facebook", "--id", "104729385720000", "--name", "Göteborgs Stad", "--token-stdin")
	step(exitOK, "", "accounts", "add", "--platform", "instagram", "--id", "17841400000000000", "--name", "goteborgsstad")
	// One account has no token: check fails and says so.
	out := step(exitFailure, "", "accounts", "check")
	if !strings.Contains(out, "valid") || !strings.Contains(out, "missing") {
		t.Fatalf("accounts check: %q, want one valid and one missing", out)
	}
	step(exitOK, testToken+"\n", "accounts", "token", "17841400000000000")
	if out = step(exitOK, "", "accounts", "check"); strings.Count(out, "valid") != 2 {
		t.Fatalf("accounts check: %q, want both valid", out)
	}
	if out = step(exitOK, "", "accounts", "list"); !strings.Contains(out, "stored") {
		t.Fatalf("accounts list: %q, want the token state", out)
	}
	step(exitOK, "", "accounts", "human-agent", "104729385720000", "on")

	// Rotation: the new key first, the old one still listed.
	env["INKORG_SECRET_KEY"] = testKeyNew + "," + testKeyOld
	if out = step(exitOK, "", "accounts", "rotate-key"); !strings.Contains(out, "re-encrypted 2") {
		t.Fatalf("rotate-key: %q, want 2 re-encrypted", out)
	}
	env["INKORG_SECRET_KEY"] = testKeyNew
	step(exitOK, "", "accounts", "check")
	store := openTestStore(t, env)
	accounts, _ := store.FindAccounts(context.Background())
	box, _ := secretbox.Parse(testKeyNew)
	for _, a := range accounts {
		sealed, _ := store.FindAccountToken(context.Background(), a.ID)
		if strings.Contains(sealed, testToken) || !box.Current(sealed) {
			t.Errorf("%s: stored token is plain or not sealed with the new key", a.ExternalID)
		}
		if a.Platform == "facebook" && !a.HumanAgent {
			t.Error("human-agent on did not stick")
		}
	}
	if strings.Contains(seen.String(), testToken) {
		t.Fatal("the access token appears in the commands' output or logs")
	}
}

func TestAccountsTokenErrors(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	runAll(t, env, "", "accounts", "add", "--platform", "facebook", "--id", "1", "--name", "x")
	if code, _, errOut := runAll(t, env, testToken+"\n", "accounts", "token", "1"); code != exitUsage || !strings.Contains(errOut, "INKORG_SECRET_KEY") {
		t.Errorf("token without a key: exit %d %q, want usage naming INKORG_SECRET_KEY", code, errOut)
	}
	env["INKORG_SECRET_KEY"] = testKeyOld
	if code, _, _ := runAll(t, env, "", "accounts", "token", "1"); code != exitUsage {
		t.Errorf("token with empty stdin: exit %d, want usage", code)
	}
	if code, _, _ := runAll(t, env, "", "accounts", "human-agent", "1", "maybe"); code != exitUsage {
		t.Errorf("human-agent maybe: exit %d, want usage", code)
	}
	env["INKORG_SECRET_KEY"] = "short"
	if code, _, errOut := runAll(t, env, "", "accounts", "list"); code != exitUsage || !strings.Contains(errOut, "INKORG_SECRET_KEY") {
		t.Errorf("bad key: exit %d %q, want usage naming INKORG_SECRET_KEY", code, errOut)
	}
}
