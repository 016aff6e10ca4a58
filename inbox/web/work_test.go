package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/storetest"
)

// message stores a citizen's Messenger message in a thread of its own,
// sent at, and returns its conversation.
func (s *site) message(t *testing.T, thread string, at time.Time) int64 {
	t.Helper()
	a, err := s.store.ApplyEvent(t.Context(), storetest.Event(thread, "m_"+thread, at))
	if err != nil {
		t.Fatal(err)
	}
	return a.ConversationID
}

// conv reads a conversation from the store.
func (s *site) conv(t *testing.T, id int64) *inbox.Conversation {
	t.Helper()
	c, err := s.store.FindConversationByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// audited returns the audit actions of a conversation, oldest first.
func (s *site) audited(t *testing.T, id int64) []string {
	t.Helper()
	entries, err := s.store.FindAudit(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

// postForm posts form to path with the page's CSRF token, then follows the
// redirect and returns the page it leads to.
func (s *site) postForm(t *testing.T, c *http.Client, path string, form url.Values) string {
	t.Helper()
	_, _, token := get(t, c, s.url+"/")
	form.Set("csrf", token)
	resp, err := c.PostForm(s.url+path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: got %d, want 303", path, resp.StatusCode)
	}
	_, body, _ := get(t, c, s.url+resp.Header.Get("Location"))
	return html.UnescapeString(body)
}

// postFormAgain posts form to path with the page's CSRF token, expects
// the page shown again with status want (a refused form keeps what was
// typed) and returns it.
func (s *site) postFormAgain(t *testing.T, c *http.Client, path string, form url.Values, want int) string {
	t.Helper()
	_, _, token := get(t, c, s.url+"/")
	form.Set("csrf", token)
	code, body := post(t, c, s.url+path, form)
	if code != want {
		t.Fatalf("POST %s: got %d, want %d with the page shown again", path, code, want)
	}
	return html.UnescapeString(body)
}

func TestConversationForms(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	anna, err := s.store.FindUserByName(ctx, "anna")
	if err != nil {
		t.Fatal(err)
	}
	rut := s.addUser(t, "rut", inbox.RoleAgent, "")
	s.addUser(t, "sune", inbox.RoleSupervisor, "")
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	svc := inbox.NewService(s.store, nil)
	browser := s.signedIn(t, "anna")
	id := s.message(t, "psid_forms", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("/conversations/%d", id)

	t.Run("OKPresenceRegion", func(t *testing.T) {
		_, body, _ := get(t, browser, s.url+path)
		want := fmt.Sprintf(`<div id="presence" class="presence" aria-live="polite" data-conversation="%d" data-user="%d"`, id, anna.ID)
		if !strings.Contains(body, want) || !strings.Contains(body, `data-viewing="%s tittar på den här"`) {
			t.Error("the conversation page has no polite live region for presence with its texts")
		}
	})
	t.Run("OKTags", func(t *testing.T) {
		body := s.postForm(t, browser, path+"/tags", url.Values{"add": {"badhus, Kris:Storm"}})
		if !strings.Contains(body, "Taggarna är sparade") {
			t.Error("no flash saying the tags were saved")
		}
		if got := s.conv(t, id).Tags; !slices.Equal(got, []string{"badhus", "kris:storm"}) {
			t.Errorf("got tags %v, want [badhus kris:storm]", got)
		}
		s.postForm(t, browser, path+"/tags", url.Values{"remove": {"badhus"}})
		if got := s.conv(t, id).Tags; !slices.Equal(got, []string{"kris:storm"}) {
			t.Errorf("after removing: got tags %v, want [kris:storm]", got)
		}
		if got := s.audited(t, id); !slices.Equal(got, []string{inbox.ActionTags, inbox.ActionTags}) {
			t.Errorf("got audit %v, want two tags entries", got)
		}
	})
	// A refused action says why in Swedish first; a very long tag is not
	// repeated whole, so the message still fits the flash cookie.
	t.Run("ErrInSwedish", func(t *testing.T) {
		for _, tc := range []struct {
			action string
			form   url.Values
			want   string
		}{
			{"tags", url.Values{"add": {" , ,"}}, "Ange taggar att lägga till eller ta bort."},
			{"notes", url.Values{"text": {"   "}}, "Det finns ingen text i anteckningen."},
			{"tags", url.Values{"add": {strings.Repeat("lång", 1500)}}, `Taggen "långlånglånglånglång…" är längre än 50 tecken.`},
		} {
			var body string
			if tc.action == "notes" || tc.action == "tags" {
				// Shown again at once with what was typed (422).
				_, _, token := get(t, browser, s.url+path)
				tc.form.Set("csrf", token)
				_, page := post(t, browser, s.url+path+"/"+tc.action, tc.form)
				body = html.UnescapeString(page)
			} else {
				body = s.postForm(t, browser, path+"/"+tc.action, tc.form)
			}
			if !strings.Contains(body, "flash-error") || !strings.Contains(body, tc.want) {
				i := strings.Index(body, "flash-error")
				t.Errorf("%s: the page does not say %q as an error; it says %.300q", tc.action, tc.want, body[max(i, 0):])
			}
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		for _, action := range []string{"tags", "snooze", "unassign", "assign"} {
			code, _ := post(t, browser, s.url+path+"/"+action, url.Values{"add": {"x"}, "until": {"2099-01-01T08:00"}, "user": {"rut"}})
			if code != http.StatusForbidden {
				t.Errorf("%s without the form token: got %d, want 403", action, code)
			}
		}
		if got := s.conv(t, id).Tags; slices.Contains(got, "x") {
			t.Error("a form without its token changed the tags")
		}
	})
	t.Run("OKSnooze", func(t *testing.T) {
		loc := businesstime.Default().Location()
		until := time.Now().In(loc).Add(48 * time.Hour).Truncate(time.Minute)
		body := s.postForm(t, browser, path+"/snooze", url.Values{"until": {until.Format("2006-01-02T15:04")}})
		if !strings.Contains(body, "Ärendet är pausat") || !strings.Contains(body, until.Format("2006-01-02 15:04")) {
			t.Error("the page does not say the conversation is snoozed until the Stockholm time entered")
		}
		got := s.conv(t, id).SnoozedUntil
		if got == nil || !got.Equal(until) {
			t.Fatalf("got snoozed until %v, want %v", got, until.UTC())
		}
		s.postForm(t, browser, path+"/snooze", url.Values{"wake": {"1"}})
		if got := s.conv(t, id).SnoozedUntil; got != nil {
			t.Errorf("after waking: got snoozed until %v, want none", got)
		}
		if got := s.audited(t, id); len(got) < 2 || got[len(got)-1] != inbox.ActionSnooze || got[len(got)-2] != inbox.ActionSnooze {
			t.Errorf("got audit %v, want snooze entries last", got)
		}
		// Typed by hand as the error message asks (a browser without the
		// date-time picker), with a space.
		typed := until.Add(time.Hour)
		s.postForm(t, browser, path+"/snooze", url.Values{"until": {typed.Format("2006-01-02 15:04")}})
		if got := s.conv(t, id).SnoozedUntil; got == nil || !got.Equal(typed) {
			t.Errorf("typed %q: got snoozed until %v, want %v", typed.Format("2006-01-02 15:04"), got, typed.UTC())
		}
		s.postForm(t, browser, path+"/snooze", url.Values{"wake": {"1"}})
	})
	t.Run("ErrSnoozeTime", func(t *testing.T) {
		for _, tc := range []struct{ until, want string }{
			{time.Now().In(businesstime.Default().Location()).Add(-time.Hour).Format("2006-01-02T15:04"), "Tiden har redan varit"},
			{"i morgon bitti", "Tiden gick inte att läsa"},
			{"", "Ange datum och tid"},
			{time.Now().AddDate(0, 0, 200).Format("2006-01-02T15:04"), "högst 90 dagar"},
		} {
			_, _, token := get(t, browser, s.url+path)
			code, body := post(t, browser, s.url+path+"/snooze", url.Values{"csrf": {token}, "until": {tc.until}})
			if code != http.StatusUnprocessableEntity {
				t.Errorf("until %q: got %d, want 422 with the page shown again", tc.until, code)
			}
			body = html.UnescapeString(body)
			if !strings.Contains(body, tc.want) || !strings.Contains(body, "flash-error") {
				t.Errorf("until %q: the page does not say %q as an error", tc.until, tc.want)
			}
			// What was asked for stays in the form, to correct.
			if tc.until != "" && !regexp.MustCompile(`<input id="snooze-until" name="until" type="datetime-local" required min="[^"]*" value="`+regexp.QuoteMeta(tc.until)+`"`).MatchString(body) {
				t.Errorf("until %q: the snooze form does not hold it", tc.until)
			}
		}
		if got := s.conv(t, id).SnoozedUntil; got != nil {
			t.Errorf("got snoozed until %v, want none", got)
		}
	})
	t.Run("OKUnassign", func(t *testing.T) {
		if _, err := svc.Claim(ctx, anna, id, false); err != nil {
			t.Fatal(err)
		}
		body := s.postForm(t, browser, path+"/unassign", url.Values{})
		if !strings.Contains(body, "inte längre tilldelat") {
			t.Error("no flash saying the conversation is unassigned")
		}
		if got := s.conv(t, id).AssigneeID; got != 0 {
			t.Errorf("got assignee %d, want none", got)
		}
		if got := s.audited(t, id); got[len(got)-1] != inbox.ActionUnassign {
			t.Errorf("got audit %v, want unassign last", got)
		}
	})
	t.Run("OKAssignTakeoverExplicit", func(t *testing.T) {
		if _, err := svc.Claim(ctx, rut, id, false); err != nil {
			t.Fatal(err)
		}
		sune := s.signedIn(t, "sune")
		body := s.postFormAgain(t, sune, path+"/assign", url.Values{"user": {"anna"}}, http.StatusConflict)
		if !strings.Contains(body, "rut arbetar med ärendet") {
			t.Error("assigning without ticking take over does not say rut holds it")
		}
		if got := s.conv(t, id).AssigneeID; got != rut.ID {
			t.Fatalf("without take over: got assignee %d, want rut %d", got, rut.ID)
		}
		body = s.postForm(t, sune, path+"/assign", url.Values{"user": {"anna"}, "takeover": {"1"}})
		if !strings.Contains(body, "Ärendet är tilldelat") {
			t.Error("no flash saying the conversation is assigned")
		}
		if got := s.conv(t, id).AssigneeID; got != anna.ID {
			t.Errorf("got assignee %d, want anna %d", got, anna.ID)
		}
		if got := s.audited(t, id); got[len(got)-1] != inbox.ActionAssign {
			t.Errorf("got audit %v, want assign last", got)
		}
		body = s.postFormAgain(t, sune, path+"/assign", url.Values{"user": {"ingen-sadan"}, "takeover": {"1"}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `Det finns ingen användare som heter "ingen-sadan"`) || strings.Contains(body, "There is no user named") {
			t.Error("assigning to an unknown name does not say so in Swedish only")
		}
	})
	t.Run("ErrAgentAssigns", func(t *testing.T) {
		body := s.postForm(t, browser, path+"/assign", url.Values{"user": {"rut"}, "takeover": {"1"}})
		if !strings.Contains(body, "Du har inte behörighet") {
			t.Error("an agent assigning to someone else is not told it is forbidden")
		}
		if got := s.conv(t, id).AssigneeID; got != anna.ID {
			t.Errorf("got assignee %d, want anna %d still", got, anna.ID)
		}
	})
	t.Run("ErrSpecialistForeignAdministration", func(t *testing.T) {
		sara := s.signedIn(t, "sara")
		before := len(s.audited(t, id))
		s.postForm(t, sara, path+"/tags", url.Values{"add": {"obehorig"}})
		s.postForm(t, sara, path+"/unassign", url.Values{})
		c := s.conv(t, id)
		if slices.Contains(c.Tags, "obehorig") || c.AssigneeID != anna.ID || len(s.audited(t, id)) != before {
			t.Errorf("a specialist changed a conversation outside her administration: %+v", c)
		}
	})
}
