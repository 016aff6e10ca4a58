package web_test

import (
	"fmt"
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
