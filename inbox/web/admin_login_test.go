package web_test

import (
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
)

// TestAdminAccountLogin shows how each account signs in to Meta on the
// administration page.
func TestAdminAccountLogin(t *testing.T) {
	s := newSite(t)
	s.addUser(t, "sara", inbox.RoleSupervisor, "")
	for _, a := range []*inbox.Account{
		{Platform: inbox.PlatformFacebook, ExternalID: "104729385720000", Name: "Göteborgs Stad"},
		{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000001", Name: "goteborgsstad", Login: inbox.LoginInstagram},
		{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000002", Name: "kulturgbg", Login: inbox.LoginFacebook, PageID: "104729385720001"},
	} {
		if err := s.store.CreateAccount(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	code, body, _ := get(t, s.signedIn(t, "sara"), s.url+"/admin")
	if code != http.StatusOK {
		t.Fatalf("GET /admin: %d", code)
	}
	if !strings.Contains(body, ">Inloggning<") {
		t.Errorf("no login column on /admin")
	}
	// The platform is named as people write it, not as its code.
	for name, want := range map[string][]string{
		"Göteborgs Stad": {"<td>Facebook</td>", "Facebook-inloggning"},
		"goteborgsstad":  {"<td>Instagram</td>", "Instagram-inloggning"},
		"kulturgbg":      {"<td>Instagram</td>", "Facebook-inloggning"},
	} {
		start := strings.Index(body, ">"+name+"<")
		if start < 0 {
			t.Fatalf("no row for %s", name)
		}
		row := body[start : start+strings.Index(body[start:], "</tr>")]
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("row %s = %q, want %q", name, row, w)
			}
		}
	}
}
