package main

import (
	"strings"
	"testing"

	"inkorg/inbox"
)

func TestAccountsAddLogin(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
		adds := [][]string{
			{"--platform", "instagram", "--id", "17841400000000001", "--name", "goteborgsstad", "--login", "instagram"},
			{"--platform", "instagram", "--id", "17841400000000002", "--name", "kulturgbg", "--page-id", "104729385720001"},
			{"--platform", "facebook", "--id", "104729385720000", "--name", "Göteborgs Stad"},
		}
		for _, a := range adds {
			if code, out := runCmd(t, env, "", append([]string{"accounts", "add"}, a...)...); code != exitOK || !strings.HasPrefix(out, "added ") {
				t.Fatalf("accounts add %v: got exit %d, %q; want 0, added", a, code, out)
			}
		}
		want := map[string]inbox.AccountLogin{"17841400000000001": inbox.LoginInstagram,
			"17841400000000002": inbox.LoginFacebook, "104729385720000": inbox.LoginFacebook}
		accounts, err := openTestStore(t, env).FindAccounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accounts {
			if a.Login != want[a.ExternalID] {
				t.Errorf("account %s: got login %q, want %q", a.ExternalID, a.Login, want[a.ExternalID])
			}
		}
		if _, out := runCmd(t, env, "", "accounts", "list"); !strings.Contains(out, "LOGIN") || !strings.Contains(out, "instagram") {
			t.Errorf("accounts list: got %q, want the login column", out)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
		for _, a := range [][]string{
			{"--platform", "facebook", "--id", "1", "--name", "N", "--login", "instagram"},
			{"--platform", "instagram", "--id", "2", "--name", "N", "--login", "threads"},
			{"--platform", "instagram", "--id", "3", "--name", "N", "--login", "instagram", "--page-id", "104"},
		} {
			if code, _ := runCmd(t, env, "", append([]string{"accounts", "add"}, a...)...); code != exitUsage {
				t.Errorf("accounts add %v: got exit %d, want %d", a, code, exitUsage)
			}
		}
	})
}
