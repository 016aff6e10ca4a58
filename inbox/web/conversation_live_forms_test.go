package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// livePart returns the element of id (a div with no div in it) in body.
func livePart(body, id string) string {
	return regexp.MustCompile(`(?s)<div id="` + id + `"[^>]*>.*?</div>`).FindString(body)
}

// liveButtons is a live part of the conversation page: its id, the action
// of the form around it on the page when it holds a form's buttons, and
// whether it is a list (ul or ol) rather than a div.
type liveButtons struct {
	id, form string
	list     bool
}

// checkedParts returns the parts named from the live parts (X-Partial:
// thread) c gets for conversation convID at path, by id, after checking
// that they hold no form, that the whole page shows the same parts, and
// that a part with a form sits inside that form, with c's CSRF token.
func checkedParts(t *testing.T, c *http.Client, path string, convID int64, parts []liveButtons) map[string]string {
	t.Helper()
	code, body := getPartial(t, c, path)
	if code != http.StatusOK {
		t.Fatalf("partial: got %d, want 200", code)
	}
	if strings.Contains(body, "<form") {
		t.Errorf("the partial has a form; want the buttons without their forms: %q", body)
	}
	_, page, token := get(t, c, path)
	out := map[string]string{}
	for _, part := range parts {
		got, want := livePart(body, part.id), livePart(page, part.id)
		if part.list {
			got, want = liveList(body, part.id), liveList(page, part.id)
		}
		if got == "" || got != want {
			t.Errorf("%s: the partial has %q, the page %q; want the same element in both", part.id, got, want)
		}
		out[part.id] = got
		if part.form == "" {
			continue
		}
		form := regexp.MustCompile(fmt.Sprintf(`(?s)<form method="post" action="/conversations/%d/%s"[^>]*>\s*<input type="hidden" name="csrf" value="%s">\s*<div id="%s"`,
			convID, part.form, regexp.QuoteMeta(token), part.id))
		if !form.MatchString(page) {
			t.Errorf("the page has no %s form with the CSRF token around #%s", part.form, part.id)
		}
	}
	return out
}

// liveList returns the list element (ul or ol) of id in body.
func liveList(body, id string) string {
	return regexp.MustCompile(`(?s)<(ul|ol) class="[a-z]+" id="` + id + `"[^>]*>.*?</(ul|ol)>`).FindString(body)
}

// TestConversationLiveForms: the live parts (X-Partial: thread) carry the
// claim button, the status buttons and the administration the
// conversation is routed to, as the whole page shows them, so that they
// change when a colleague claims the conversation, its status changes or
// it is routed; the forms around them, with their CSRF token, stay on the
// page only.
func TestConversationLiveForms(t *testing.T) {
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	bo := s.addUser(t, "bo", inbox.RoleAgent, "")
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	svc := inbox.NewService(s.store, nil)
	id := s.message(t, "psid_liveforms", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("%s/conversations/%d", s.url, id)
	agent, sara := s.signedIn(t, "anna"), s.signedIn(t, "sara")

	// parts returns anna's claim, status and routed parts from the partial.
	parts := func(t *testing.T) (claim, status, routed string) {
		t.Helper()
		p := checkedParts(t, agent, path, id, []liveButtons{{"claim-live", "claim", false}, {"status-live", "status", false},
			{"routed-live", "", false}, {"takeover-live", "", false}})
		return html.UnescapeString(p["claim-live"]), p["status-live"], html.UnescapeString(p["routed-live"])
	}
	// takeover returns the reply form's takeover part from the partial.
	takeover := func(t *testing.T) string {
		t.Helper()
		_, body := getPartial(t, agent, path)
		return html.UnescapeString(livePart(body, "takeover-live"))
	}
	statuses := func(part string) string {
		var out []string
		for _, m := range regexp.MustCompile(`name="status" value="([a-z_]+)"`).FindAllStringSubmatch(part, -1) {
			out = append(out, m[1])
		}
		return fmt.Sprint(out)
	}

	t.Run("OKNew", func(t *testing.T) {
		claim, status, routed := parts(t)
		if !strings.Contains(claim, `id="claim" data-shortcut="c">Ta ärendet<`) || strings.Contains(claim, "takeover") {
			t.Errorf("claim part %q, want the claim button", claim)
		}
		if got := statuses(status); got != "[resolved pending spam]" {
			t.Errorf("status buttons %s, want [resolved pending spam]", got)
		}
		if strings.Contains(routed, "Skickat till") {
			t.Errorf("routed part %q, want it empty before routing", routed)
		}
		if part := takeover(t); part == "" || strings.Contains(part, "<input") {
			t.Errorf("takeover part %q, want it there and empty while nobody holds it", part)
		}
	})
	t.Run("OKRouted", func(t *testing.T) {
		s.routeTo(t, anna, id, "stadsmiljoforvaltningen")
		_, status, routed := parts(t)
		if !strings.Contains(routed, "Skickat till: <strong>stadsmiljoforvaltningen</strong>") {
			t.Errorf("routed part %q, want Skickat till: stadsmiljoforvaltningen", routed)
		}
		if got := statuses(status); got != "[resolved spam]" {
			t.Errorf("status buttons %s after routing, want [resolved spam]", got)
		}
	})
	t.Run("OKStatusChanged", func(t *testing.T) {
		if _, err := svc.SetStatus(t.Context(), bo, id, inbox.StatusResolved); err != nil {
			t.Fatal(err)
		}
		_, status, _ := parts(t)
		if got := statuses(status); got != "[open]" {
			t.Errorf("status buttons %s after a colleague resolved it, want [open]", got)
		}
	})
	t.Run("OKClaimedByColleague", func(t *testing.T) {
		if _, err := svc.Claim(t.Context(), bo, id, false); err != nil {
			t.Fatal(err)
		}
		claim, status, _ := parts(t)
		if !strings.Contains(claim, `<input type="hidden" name="takeover" value="1">`) ||
			!strings.Contains(claim, `id="claim" data-shortcut="c">Ta över ärendet<`) {
			t.Errorf("claim part %q, want the takeover button", claim)
		}
		if got := statuses(status); got != "[]" {
			t.Errorf("status buttons %s while a colleague holds it, want none", got)
		}
		if part := takeover(t); !strings.Contains(part, `<input type="checkbox" name="takeover" value="1" id="reply-takeover"> Ta över från bo<`) {
			t.Errorf("takeover part %q, want the reply form's box to take over from bo", part)
		}
	})
	t.Run("OKHeldByMe", func(t *testing.T) {
		if _, err := svc.Claim(t.Context(), anna, id, true); err != nil {
			t.Fatal(err)
		}
		claim, status, _ := parts(t)
		if strings.Contains(claim, "<button") {
			t.Errorf("claim part %q, want no button for the holder", claim)
		}
		if part := takeover(t); strings.Contains(part, "<input") {
			t.Errorf("takeover part %q, want no box for the holder", part)
		}
		if got := statuses(status); got != "[open]" {
			t.Errorf("status buttons %s for the holder, want [open]", got)
		}
	})
	t.Run("OKSpecialist", func(t *testing.T) {
		if _, err := svc.SetStatus(t.Context(), anna, id, inbox.StatusOpen); err != nil {
			t.Fatal(err)
		}
		s.routeTo(t, anna, id, "stadsmiljoforvaltningen")
		code, body := getPartial(t, sara, path)
		_, page, _ := get(t, sara, path)
		if code != http.StatusOK || !strings.Contains(html.UnescapeString(body), "Skickat till: <strong>stadsmiljoforvaltningen</strong>") {
			t.Errorf("the specialist's partial: got %d, want 200 with where it is routed: %q", code, body)
		}
		for what, b := range map[string]string{"partial": body, "page": page} {
			if strings.Contains(b, `id="claim"`) || strings.Contains(b, `name="status"`) {
				t.Errorf("the specialist's %s offers claiming or a status; want neither", what)
			}
		}
	})
}
