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

func TestAccountsLoginChange(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	account := func(id string) *inbox.Account {
		t.Helper()
		accounts, err := openTestStore(t, env).FindAccounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accounts {
			if a.ExternalID == id {
				return a
			}
		}
		t.Fatalf("account %s not found", id)
		return nil
	}
	for _, a := range [][]string{
		{"--platform", "instagram", "--id", "17841400000000002", "--name", "kulturgbg", "--page-id", "104729385720001"},
		{"--platform", "facebook", "--id", "104729385720000", "--name", "Göteborgs Stad"},
	} {
		if code, out := runCmd(t, env, "", append([]string{"accounts", "add"}, a...)...); code != exitOK {
			t.Fatalf("accounts add %v: got exit %d, %q", a, code, out)
		}
	}
	t.Run("OK", func(t *testing.T) {
		code, out := runCmd(t, env, "", "accounts", "login", "17841400000000002", "instagram")
		if code != exitOK || !strings.Contains(out, "now uses instagram login") || !strings.Contains(out, "104729385720001") {
			t.Fatalf("accounts login instagram: got exit %d, %q; want 0 and the forgotten Page", code, out)
		}
		if a := account("17841400000000002"); a.Login != inbox.LoginInstagram || a.PageID != "" {
			t.Errorf("after login instagram: got login %q, page %q; want instagram and no Page", a.Login, a.PageID)
		}
		if code, _ := runCmd(t, env, "", "accounts", "page-id", "17841400000000002", "555"); code != exitFailure {
			t.Errorf("page-id of an Instagram Login account: got exit %d, want %d", code, exitFailure)
		}
		if code, out := runCmd(t, env, "", "accounts", "login", "--platform", "instagram", "17841400000000002", "facebook"); code != exitOK || !strings.Contains(out, "now uses facebook login") {
			t.Fatalf("accounts login facebook: got exit %d, %q", code, out)
		}
		if a := account("17841400000000002"); a.Login != inbox.LoginFacebook {
			t.Errorf("after login facebook: got login %q", a.Login)
		}
		if code, out := runCmd(t, env, "", "accounts", "login", "17841400000000002", "facebook"); code != exitOK || !strings.Contains(out, "already") {
			t.Errorf("accounts login unchanged: got exit %d, %q", code, out)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		for _, a := range [][]string{
			{"104729385720000", "instagram"},
			{"17841400000000002", "threads"},
			{"17841400000000002"},
			{"17841400000000002", "instagram", "--platform", "facebook"},
			{"17841400000000002", "instagram", "--platform", "myspace"},
		} {
			if code, _ := runCmd(t, env, "", append([]string{"accounts", "login"}, a...)...); code != exitUsage {
				t.Errorf("accounts login %v: got exit %d, want %d", a, code, exitUsage)
			}
		}
		if a := account("104729385720000"); a.Login != inbox.LoginFacebook {
			t.Errorf("refused change stored login %q", a.Login)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if code, _ := runCmd(t, env, "", "accounts", "login", "999", "facebook"); code != exitFailure {
			t.Errorf("accounts login of an account not managed: got exit %d, want %d", code, exitFailure)
		}
	})
}
