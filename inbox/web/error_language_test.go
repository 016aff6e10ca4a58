package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestErrorLanguage: the errors staff meet are said in the reader's
// language only: a conversation not found, one not routed to the
// specialist's administration, a question that no longer waits on the
// department, a form filled in wrongly. The Swedish UI shows no English
// message after its Swedish sentence, and the English UI no Swedish one.
func TestErrorLanguage(t *testing.T) {
	const dept = "stadsmiljoforvaltningen"
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	s.addUser(t, "sara", inbox.RoleSpecialist, dept)
	per := s.addUser(t, "per", inbox.RoleSpecialist, dept)
	svc := inbox.NewService(s.store, nil)
	notRouted := s.message(t, "psid_lang_open", time.Now().Add(-time.Hour))
	answered := s.message(t, "psid_lang_answered", time.Now().Add(-time.Hour))
	if _, err := svc.Route(t.Context(), anna, answered, dept, "Kan ni svara?"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AnswerBack(t.Context(), per, answered, "Felanmälan är gjord."); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"sv", "en"} {
		agent, specialist := s.signedIn(t, "anna"), s.signedIn(t, "sara")
		for _, c := range []*http.Client{agent, specialist} {
			_, _, token := get(t, c, s.url+"/")
			if code, _ := post(t, c, s.url+"/settings/language", url.Values{"lang": {lang}, "csrf": {token}}); code != http.StatusSeeOther {
				t.Fatalf("setting the language %s: got %d, want 303", lang, code)
			}
		}
		for _, tc := range []struct {
			name     string
			c        *http.Client
			path     string
			form     url.Values
			want     [2]string
			notWant  [2]string
			notFound bool
		}{
			{"ErrNotFound", agent, "/conversations/999999/claim", url.Values{}, [2]string{"Hittades inte. Ärendet finns inte.", "Not found. Conversation not found."},
				[2]string{"Conversation not found", "Ärendet finns inte"}, true},
			{"ErrNotRoutedToSpecialist", specialist, fmt.Sprintf("/conversations/%d/tags", notRouted), url.Values{"add": {"x"}},
				[2]string{"Ärendet är inte skickat till din förvaltning.", "This conversation is not routed to your administration."},
				[2]string{"not routed to your administration", "inte skickat till din förvaltning"}, false},
			{"ErrNoLongerWaiting", specialist, fmt.Sprintf("/conversations/%d/accept", answered), url.Values{},
				[2]string{"Ärendet väntar inte på någon förvaltning.", "The conversation is not waiting on a department."},
				[2]string{"not waiting on a department", "väntar inte på någon förvaltning"}, false},
			{"ErrInvalidForm", agent, fmt.Sprintf("/conversations/%d/tags", notRouted), url.Values{"add": {" , "}},
				[2]string{"Ange taggar att lägga till eller ta bort.", "Name tags to add or remove."},
				[2]string{"Name tags to add or remove", "Ange taggar"}, false},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				i := 0
				if lang == "en" {
					i = 1
				}
				_, _, token := get(t, tc.c, s.url+"/")
				tc.form.Set("csrf", token)
				resp, err := tc.c.PostForm(s.url+tc.path, tc.form)
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				// The error shows on the page shown again with what was
				// typed, or on the page the action leads back to: the
				// conversation's, or an error page when there is none to see.
				body := string(b)
				if resp.StatusCode == http.StatusSeeOther {
					_, body, _ = get(t, tc.c, s.url+resp.Header.Get("Location"))
				}
				body = html.UnescapeString(body)
				if !strings.Contains(body, tc.want[i]) || strings.Contains(body, tc.notWant[i]) || strings.Contains(body, " / ") {
					j := strings.Index(body, "flash-error")
					if tc.notFound {
						j = strings.Index(body, "<main")
					}
					t.Errorf("the page says %.250q, want %q and not %q", body[max(j, 0):], tc.want[i], tc.notWant[i])
				}
			})
		}
	}
}

// TestListErrorLanguage: a list asked for with a filter the reader may
// not use or a page start that is no id says so in the reader's language
// only: the inbox of an administration the specialist is not in, the
// moderation queue after something that is not a message id.
func TestListErrorLanguage(t *testing.T) {
	s := newSite(t)
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljo")
	sara := s.signedIn(t, "sara")
	for _, lang := range []string{"sv", "en"} {
		_, _, token := get(t, sara, s.url+"/")
		if code, _ := post(t, sara, s.url+"/settings/language", url.Values{"lang": {lang}, "csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("setting the language %s: got %d, want 303", lang, code)
		}
		for _, tc := range []struct {
			name, path string
			code       int
			want       [2]string
		}{
			{"ErrNotMember", "/?administration=kultur", http.StatusForbidden,
				[2]string{"Du tillhör inte den förvaltningen.", "You are not a member of that administration."}},
			{"ErrModerationAfter", "/moderation?after=abc", http.StatusBadRequest,
				[2]string{"Sidan ska börja efter ett meddelandes id (after).", "after must be a message id."}},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				i, other := 0, 1
				if lang == "en" {
					i, other = 1, 0
				}
				code, body, _ := get(t, sara, s.url+tc.path)
				if code != tc.code {
					t.Errorf("got %d, want %d", code, tc.code)
				}
				body = html.UnescapeString(body)
				if !strings.Contains(body, tc.want[i]) || strings.Contains(body, tc.want[other]) {
					t.Errorf("the page says %.200q, want %q and not %q", body[max(strings.Index(body, "<main"), 0):], tc.want[i], tc.want[other])
				}
			})
		}
	}
}
