package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestAdminTokenExpiry shows what the last token check found for each
// account on the administration page.
func TestAdminTokenExpiry(t *testing.T) {
	s := newSite(t)
	s.addUser(t, "sara", inbox.RoleSupervisor, "")
	ctx := t.Context()
	now := time.Now().UTC()
	soon, later := now.Add(3*24*time.Hour), now.Add(60*24*time.Hour)
	checks := map[string]*inbox.TokenCheck{
		"Ej kontrollerad": nil,
		"Via me":          {CheckedAt: now},
		"Går snart ut":    {CheckedAt: now, ExpiryKnown: true, ExpiresAt: &soon, MissingScopes: []string{"pages_messaging"}},
		"Aldrig":          {CheckedAt: now, ExpiryKnown: true},
		"Om två månader":  {CheckedAt: now, ExpiryKnown: true, ExpiresAt: &later},
	}
	i := 0
	for name, check := range checks {
		i++
		a := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-" + string(rune('0'+i)), Name: name}
		if err := s.store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		if check != nil {
			if err := s.store.RecordTokenCheck(ctx, a.ID, *check); err != nil {
				t.Fatal(err)
			}
		}
	}
	code, body, _ := get(t, s.signedIn(t, "sara"), s.url+"/admin")
	if code != http.StatusOK {
		t.Fatalf("GET /admin: %d", code)
	}
	row := func(name string) string {
		start := strings.Index(body, ">"+name+"<")
		if start < 0 {
			t.Fatalf("no row for %s", name)
		}
		end := strings.Index(body[start:], "</tr>")
		return body[start : start+end]
	}
	for name, want := range map[string][]string{
		"Ej kontrollerad": {"Inte kontrollerad än"},
		"Via me":          {"Okänt (META_APP_ID saknas)"},
		"Går snart ut":    {soon.Format(time.RFC3339)[:16], "Går ut inom en vecka", "Saknar behörigheter: pages_messaging"},
		"Aldrig":          {"Aldrig"},
		"Om två månader":  {later.Format(time.RFC3339)[:16]},
	} {
		r := row(name)
		for _, w := range want {
			if !strings.Contains(r, w) {
				t.Errorf("row %s = %q, want %q", name, r, w)
			}
		}
		if name != "Går snart ut" && strings.Contains(r, "Går ut inom en vecka") {
			t.Errorf("row %s flagged as expiring soon", name)
		}
	}
}
