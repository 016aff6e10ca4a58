package main

import (
	"strings"
	"testing"
)

func TestAccountsPageID(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	pageID := func(id string) string {
		t.Helper()
		list, err := openTestStore(t, env).FindAccounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			if a.ExternalID == id {
				return a.PageID
			}
		}
		t.Fatalf("account %s not found", id)
		return ""
	}
	add := []string{"accounts", "add", "--platform", "instagram", "--id", "17841400000000000", "--name", "goteborgsstad", "--page-id", "104729385720000"}
	if code, out := runCmd(t, env, "", add...); code != exitOK || !strings.HasPrefix(out, "added ") {
		t.Fatalf("accounts add --page-id: exit %d, %q", code, out)
	}
	if got := pageID("17841400000000000"); got != "104729385720000" {
		t.Fatalf("page id %q after add, want 104729385720000", got)
	}
	if code, out := runCmd(t, env, "", "accounts", "page-id", "17841400000000000", "none"); code != exitOK || !strings.Contains(out, "no linked Page") {
		t.Fatalf("accounts page-id none: exit %d, %q", code, out)
	}
	if got := pageID("17841400000000000"); got != "" {
		t.Fatalf("page id %q after none, want none", got)
	}
	if code, _ := runCmd(t, env, "", "accounts", "page-id", "17841400000000000", "555"); code != exitOK {
		t.Fatalf("accounts page-id 555: exit %d", code)
	}
	if got := pageID("17841400000000000"); got != "555" {
		t.Fatalf("page id %q, want 555", got)
	}
	for _, args := range [][]string{
		{"accounts", "add", "--platform", "facebook", "--id", "1", "--name", "x", "--page-id", "2"},
		{"accounts", "add", "--platform", "instagram", "--id", "1", "--name", "x", "--page-id", "../me"},
		{"accounts", "page-id", "17841400000000000"},
		{"accounts", "page-id", "17841400000000000", "a/b"},
	} {
		if code, _ := runCmd(t, env, "", args...); code != exitUsage {
			t.Errorf("inkorg %s: exit %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
	// accounts add names its flag, not the API's field.
	for _, args := range [][]string{
		{"accounts", "add", "--platform", "facebook", "--id", "1", "--name", "x", "--page-id", "2"},
		{"accounts", "add", "--platform", "instagram", "--id", "1", "--name", "x", "--page-id", "../me"},
	} {
		code, _, errOut := runAll(t, env, "", args...)
		if code != exitUsage || !strings.Contains(errOut, "--page-id") || strings.Contains(errOut, "page_id") {
			t.Errorf("inkorg %s: got exit %d, %q; want %d naming --page-id, not page_id", strings.Join(args, " "), code, errOut, exitUsage)
		}
	}
	if code, _ := runCmd(t, env, "", "accounts", "page-id", "999", "555"); code != exitFailure {
		t.Errorf("page-id of an account not managed: exit %d, want %d", code, exitFailure)
	}
}
