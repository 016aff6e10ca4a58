package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestConversationAccount: the conversation page names the Page or
// account a conversation is on, and a conversation on an account that is
// not set up says so on its page and in the list, so staff see why.
func TestConversationAccount(t *testing.T) {
	s := newSite(t)
	if err := s.store.CreateAccount(t.Context(), &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad & Co"}); err != nil {
		t.Fatal(err)
	}
	managed := s.message(t, "psid_managed", time.Now().Add(-time.Hour))
	e := storetest.Event("psid_other", "m_psid_other", time.Now().Add(-time.Hour))
	e.AccountExternalID = "999000111"
	a, err := s.store.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	unknown := a.ConversationID
	browser := s.signedIn(t, "anna")
	const flag = "okänt konto: inte inställt i inkorg"

	_, body, _ := get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, managed))
	if want := "<dt>Konto</dt><dd><bdi>Göteborgs Stad &amp; Co</bdi></dd>"; !strings.Contains(body, want) {
		t.Errorf("managed account: want %s in the facts", want)
	}
	if strings.Contains(body, flag) {
		t.Errorf("managed account: got the unknown-account flag")
	}

	_, body, _ = get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, unknown))
	if want := `<dt>Konto</dt><dd>999000111 <strong class="bad" role="note">` + flag + `</strong></dd>`; !strings.Contains(body, want) {
		t.Errorf("unknown account: want %s in the facts", want)
	}

	_, body, _ = get(t, browser, s.url+"/?queue=unassigned")
	if n := strings.Count(body, flag); n != 1 {
		t.Errorf("list: got the unknown-account flag %d times, want once (for the one conversation)", n)
	}
}

// TestInboxAccountFilter: with several accounts the list can keep one
// account's conversations, the bulk form acts on what the filter keeps,
// and an account id that is none is refused.
func TestInboxAccountFilter(t *testing.T) {
	s := newSite(t)
	hub := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}
	culture := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "222333444", Name: "Kulturförvaltningen"}
	for _, a := range []*inbox.Account{hub, culture} {
		if err := s.store.CreateAccount(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	hubConv := s.message(t, "psid_hub", time.Now().Add(-time.Hour))
	e := storetest.Event("psid_culture", "m_psid_culture", time.Now().Add(-time.Hour))
	e.AccountExternalID = culture.ExternalID
	a, err := s.store.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	browser := s.signedIn(t, "anna")

	_, body, _ := get(t, browser, fmt.Sprintf("%s/?queue=unassigned&account=%d", s.url, culture.ID))
	if !strings.Contains(body, "(m_psid_culture)") || strings.Contains(body, "(m_psid_hub)") {
		t.Errorf("filtered by %s: want its conversation only", culture.Name)
	}
	if want := fmt.Sprintf(`<option value="%d" selected>Kulturförvaltningen (Facebook)</option>`, culture.ID); !strings.Contains(body, want) {
		t.Errorf("want the filter's choice %s", want)
	}
	if want := fmt.Sprintf(`<input type="hidden" name="account" value="%d">`, culture.ID); !strings.Contains(body, want) {
		t.Errorf("bulk form: want %s, so acting on the filter keeps to the account", want)
	}

	_, body, _ = get(t, browser, s.url+"/?queue=unassigned")
	if !strings.Contains(body, "(m_psid_culture)") || !strings.Contains(body, "(m_psid_hub)") {
		t.Errorf("no account filter: want both conversations")
	}

	// Tagging every conversation the filter keeps tags the account's only.
	body = s.postForm(t, browser, "/bulk", url.Values{"queue": {"unassigned"}, "account": {fmt.Sprint(culture.ID)},
		"action": {"tag"}, "scope": {"filter"}, "tags": {"kultur"}})
	if !strings.Contains(body, "1 av 1 ärenden klara") {
		t.Error("bulk by the account filter: the page does not say 1 of 1 was done")
	}
	if got := s.conv(t, a.ConversationID).Tags; !slices.Contains(got, "kultur") {
		t.Errorf("%s's conversation: got tags %v, want kultur", culture.Name, got)
	}
	if got := s.conv(t, hubConv).Tags; slices.Contains(got, "kultur") {
		t.Errorf("%s's conversation, outside the filter: got tags %v", hub.Name, got)
	}

	code, body, _ := get(t, browser, s.url+"/?queue=unassigned&account=kultur")
	if code != 400 || !strings.Contains(body, "Kontot i filtret är inget konto") {
		t.Errorf("account=kultur: got %d, want 400 saying the account is none", code)
	}
}

// TestAdminUnknownAccounts: the administration page lists the accounts
// that conversations are on but inkorg is not set up for, with how many
// conversations each has; none, no list.
func TestAdminUnknownAccounts(t *testing.T) {
	s := newSite(t)
	s.addUser(t, "lena", inbox.RoleSupervisor, "")
	browser := s.signedIn(t, "lena")
	const heading = "Konton som inte är inställda"
	if _, body, _ := get(t, browser, s.url+"/admin"); strings.Contains(body, heading) {
		t.Errorf("no unknown accounts: got the list %q", heading)
	}
	s.message(t, "psid_a", time.Now().Add(-2*time.Hour))
	s.message(t, "psid_b", time.Now().Add(-time.Hour))
	code, body, _ := get(t, browser, s.url+"/admin")
	if code != 200 || !strings.Contains(body, heading) {
		t.Fatalf("got %d without the list %q", code, heading)
	}
	if want := "<tr><th scope=\"row\">" + storetest.PageID + "</th><td>Facebook</td><td>2</td>"; !strings.Contains(body, want) {
		t.Errorf("want the row %s", want)
	}
}
