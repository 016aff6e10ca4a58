package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestAdminPollParts shows each part of the reconciliation poll per
// account on the administration page, the failing one with its reason,
// and an Instagram account's linked Page.
func TestAdminPollParts(t *testing.T) {
	s := newSite(t)
	s.addUser(t, "sara", inbox.RoleSupervisor, "")
	ctx := t.Context()
	a := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "ig-1", Name: "goteborgsstad", PageID: "104729385720000"}
	if err := s.store.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC()
	if err := s.store.RecordPollPart(ctx, a.ID, inbox.PollComments, at, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.store.RecordPollPart(ctx, a.ID, inbox.PollMessages, at, "token saknar behörighet hos Meta (pages_messaging)"); err != nil {
		t.Fatal(err)
	}
	code, body, _ := get(t, s.signedIn(t, "sara"), s.url+"/admin")
	if code != http.StatusOK {
		t.Fatalf("GET /admin: %d", code)
	}
	start := strings.Index(body, ">goteborgsstad<")
	if start < 0 {
		t.Fatal("no row for the account")
	}
	row := body[start : start+strings.Index(body[start:], "</tr>")]
	for _, want := range []string{
		"Via Facebooksida 104729385720000",
		"Kommentarer: <time datetime=\"" + at.Format(time.RFC3339)[:16],
		"Privata meddelanden: –",
		"Misslyckas: token saknar behörighet hos Meta (pages_messaging)",
	} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q, want %q", row, want)
		}
	}
	if strings.Count(row, "Misslyckas:") != 1 {
		t.Errorf("row %q: want only the messages part failing", row)
	}
}
