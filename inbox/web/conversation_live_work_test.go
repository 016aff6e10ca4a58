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

// TestConversationLiveWork: a colleague's note, tags, snooze and claim
// reach the live parts of the conversation page (X-Partial: thread) as the
// whole page shows them: the notes, the history, the tags with their
// remove buttons, the snooze with its wake button, the unassign button and
// the assign form's takeover box. The buttons' forms, with the CSRF token,
// stay on the page only.
func TestConversationLiveWork(t *testing.T) {
	s := newSite(t)
	bo := s.addUser(t, "bo", inbox.RoleAgent, "")
	s.addUser(t, "vera", inbox.RoleSupervisor, "")
	svc := inbox.NewService(s.store, nil)
	id := s.message(t, "psid_livework", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("%s/conversations/%d", s.url, id)
	vera := s.signedIn(t, "vera")

	// parts returns vera's work parts from the partial, unescaped.
	parts := func(t *testing.T) map[string]string {
		t.Helper()
		p := checkedParts(t, vera, path, id, []liveButtons{{"tags-live", "tags", false}, {"snoozed-live", "snooze", false},
			{"unassign-live", "unassign", false}, {"assign-takeover-live", "", false}, {"notes-live", "", true},
			{"history-live", "", true}})
		for k, v := range p {
			p[k] = html.UnescapeString(v)
		}
		return p
	}
	// bosEntries counts bo's entries in the history part.
	bosEntries := func(p map[string]string) int { return strings.Count(p["history-live"], "bo: ") }

	var before map[string]string
	t.Run("OKBefore", func(t *testing.T) {
		before = parts(t)
		if !strings.Contains(before["tags-live"], "Inga taggar.") {
			t.Errorf("tags part %q, want Inga taggar.", before["tags-live"])
		}
		if strings.Contains(before["snoozed-live"], "<button") {
			t.Errorf("snooze part %q, want no wake button before a snooze", before["snoozed-live"])
		}
		if p := before["unassign-live"]; !strings.Contains(p, "Tilldelning") || strings.Contains(p, "<button") {
			t.Errorf("unassign part %q, want the heading and no button while nobody holds it", p)
		}
		if strings.Contains(before["assign-takeover-live"], "<input") {
			t.Errorf("assign takeover part %q, want it empty while nobody holds it", before["assign-takeover-live"])
		}
		if strings.Contains(before["notes-live"], "<li") {
			t.Errorf("notes part %q, want no note yet", before["notes-live"])
		}
	})
	t.Run("OKColleagueWorked", func(t *testing.T) {
		ctx := t.Context()
		if _, err := svc.Claim(ctx, bo, id, false); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddNote(ctx, bo, id, "Ringer upp i morgon."); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Tag(ctx, bo, id, []string{"parkering"}, nil); err != nil {
			t.Fatal(err)
		}
		until := time.Now().Add(48 * time.Hour)
		if _, err := svc.Snooze(ctx, bo, id, &until); err != nil {
			t.Fatal(err)
		}
		after := parts(t)
		if p := after["notes-live"]; !strings.Contains(p, "<strong>bo</strong>") || !strings.Contains(p, "Ringer upp i morgon.") {
			t.Errorf("notes part %q, want bo's note", p)
		}
		if got, was := bosEntries(after), bosEntries(before); got != was+4 {
			t.Errorf("history part has %d entries by bo, want %d (claim, note, tag, snooze): %q", got, was+4, after["history-live"])
		}
		// While bo holds it, vera's tag and snooze changes would be
		// refused: she sees them without their buttons, and takes the
		// conversation over (or lets it go) first.
		if p := after["tags-live"]; !strings.Contains(p, `<span class="tag" dir="auto">parkering</span>`) ||
			strings.Contains(p, `<button`) {
			t.Errorf("tags part %q, want the tag without a button removing it while bo holds it", p)
		}
		if p := after["snoozed-live"]; !strings.Contains(p, "Pausat till") || strings.Contains(p, `<button`) {
			t.Errorf("snooze part %q, want the snooze without a wake button while bo holds it", p)
		}
		if p := after["unassign-live"]; !strings.Contains(p, `<button type="submit">Ta bort tilldelningen</button>`) {
			t.Errorf("unassign part %q, want the unassign button while bo holds it", p)
		}
		if p := after["assign-takeover-live"]; !strings.Contains(p, `id="assign-takeover"`) || !strings.Contains(p, "Ta över från bo") {
			t.Errorf("assign takeover part %q, want the box to take over from bo", p)
		}
	})
	// The buttons post what the forms they replace posted: vera lets bo's
	// hold go first, as work on a conversation a colleague holds is his.
	t.Run("OKButtonsWork", func(t *testing.T) {
		_, _, token := get(t, vera, path)
		for _, form := range []struct{ action, field, value string }{
			{"unassign", "", ""}, {"tags", "remove", "parkering"}, {"snooze", "wake", "1"},
		} {
			v := map[string][]string{"csrf": {token}}
			if form.field != "" {
				v[form.field] = []string{form.value}
			}
			resp, err := vera.PostForm(path+"/"+form.action, v)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
				t.Errorf("POST %s: got %d", form.action, resp.StatusCode)
			}
		}
		c := s.conv(t, id)
		if len(c.Tags) != 0 || c.SnoozedUntil != nil || c.AssigneeID != 0 {
			t.Errorf("after the buttons: tags %v, snoozed until %v, assignee %d; want none of them", c.Tags, c.SnoozedUntil, c.AssigneeID)
		}
		after := parts(t)
		if !strings.Contains(after["tags-live"], "Inga taggar.") || strings.Contains(after["snoozed-live"], "<button") ||
			strings.Contains(after["unassign-live"], "<button") {
			t.Errorf("parts after the buttons: %q", after)
		}
	})
}

// TestConversationLiveDepartment: the department panel of a specialist's
// open page follows the question: the accept button gives way to who
// accepted it when a colleague does, and the answer buttons go with it;
// once the question no longer waits on the department, the panel says so
// and offers no button. The answer box stays as it was, forms and all.
func TestConversationLiveDepartment(t *testing.T) {
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	per := s.addUser(t, "per", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	svc := inbox.NewService(s.store, nil)
	id := s.message(t, "psid_livedept", time.Now().Add(-time.Hour))
	s.routeTo(t, anna, id, "stadsmiljoforvaltningen")
	path := fmt.Sprintf("%s/conversations/%d", s.url, id)
	sara := s.signedIn(t, "sara")

	parts := func(t *testing.T) (accept, answer string) {
		t.Helper()
		p := checkedParts(t, sara, path, id, []liveButtons{{"dept-accept-live", "accept", false}, {"dept-answer-live", "", false}})
		_, page, token := get(t, sara, path)
		answerForm := regexp.MustCompile(fmt.Sprintf(`(?s)<form method="post" action="/conversations/%d/answer" id="answer-form">\s*<input type="hidden" name="csrf" value="%s">.*?<textarea id="answer-text"[^>]*>.*?</textarea>\s*<div id="dept-answer-live"`,
			id, regexp.QuoteMeta(token)))
		if !answerForm.MatchString(page) {
			t.Error("the page has no answer form with the CSRF token and the answer box around #dept-answer-live")
		}
		return html.UnescapeString(p["dept-accept-live"]), p["dept-answer-live"]
	}
	const returnButton = `formaction="/conversations/%d/return"`

	t.Run("OKWaiting", func(t *testing.T) {
		accept, answer := parts(t)
		if !strings.Contains(accept, "Kan ni svara?") || !strings.Contains(accept, `<button type="submit">Ta emot</button>`) {
			t.Errorf("accept part %q, want the question and the accept button", accept)
		}
		if !strings.Contains(answer, "Svara kontaktcenter") || !strings.Contains(answer, fmt.Sprintf(returnButton, id)) {
			t.Errorf("answer part %q, want the answer and return buttons", answer)
		}
	})
	t.Run("OKColleagueAccepted", func(t *testing.T) {
		if _, err := svc.Accept(t.Context(), per, id); err != nil {
			t.Fatal(err)
		}
		accept, answer := parts(t)
		if !strings.Contains(accept, "per har tagit emot frågan.") || strings.Contains(accept, "<button") {
			t.Errorf("accept part %q, want who accepted it and no button", accept)
		}
		if strings.Contains(answer, "<button") {
			t.Errorf("answer part %q, want no button while per holds it", answer)
		}
	})
	t.Run("OKAnswered", func(t *testing.T) {
		if _, err := svc.AnswerBack(t.Context(), per, id, "Felanmälan är gjord."); err != nil {
			t.Fatal(err)
		}
		code, body := getPartial(t, sara, path)
		if code != http.StatusOK {
			t.Fatalf("partial after the answer: got %d, want 200", code)
		}
		accept := html.UnescapeString(livePart(body, "dept-accept-live"))
		if !strings.Contains(accept, "Frågan väntar inte längre på förvaltningen") || strings.Contains(accept, "<button") {
			t.Errorf("accept part %q, want it to say the question no longer waits on the department", accept)
		}
		if answer := livePart(body, "dept-answer-live"); answer == "" || strings.Contains(answer, "<button") {
			t.Errorf("answer part %q, want it there without buttons", answer)
		}
	})
	// A page made while the question does not wait on the department has
	// the panel hidden, forms and all, so that it can show when the
	// question comes back; an agent's page has none.
	t.Run("OKRoutedAgain", func(t *testing.T) {
		panel := regexp.MustCompile(`<section [^>]*id="dept-panel"[^>]*>`)
		_, page, _ := get(t, sara, path)
		if tag := panel.FindString(page); !strings.Contains(tag, `data-reveal=".dept-open"`) || !strings.Contains(tag, " hidden") {
			t.Errorf("the page made after the answer has the department panel %q, want it hidden, to show with .dept-open", tag)
		}
		if _, page, _ := get(t, s.signedIn(t, "anna"), path); panel.MatchString(page) {
			t.Error("an agent's page has the department panel")
		}
		s.routeTo(t, anna, id, "stadsmiljoforvaltningen")
		accept, answer := parts(t)
		if !strings.Contains(accept, `<div class="dept-open">`) || !strings.Contains(accept, `<button type="submit">Ta emot</button>`) {
			t.Errorf("accept part %q, want it open with the accept button", accept)
		}
		if !strings.Contains(answer, fmt.Sprintf(returnButton, id)) {
			t.Errorf("answer part %q, want the answer and return buttons", answer)
		}
		_, page, _ = get(t, sara, path)
		if tag := panel.FindString(page); tag == "" || strings.Contains(tag, " hidden") {
			t.Errorf("the page made while it waits on the department has the panel %q, want it shown", tag)
		}
	})
}
