package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// TestConversationDeptPanelLive: in a real Chromium, a specialist has a
// conversation open that no longer waits on the department (it was
// answered): the department panel is hidden; when the kontaktcenter routes
// it there again, the panel shows without a reload, with the question, the
// accept button and the answer form with its CSRF token, and what the
// specialist typed elsewhere stays.
func TestConversationDeptPanelLive(t *testing.T) {
	chromium := inboxtest.Chromium(t)
	s := newLiveSite(t)
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	per := s.addUser(t, "per", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	id := s.arrive(t, "psid_dept", "m_dept_1", "Hej! Gatlampan utanför porten är trasig.")
	svc := inbox.NewService(s.store, nil)
	svc.Publisher = s.broker
	if _, err := svc.Route(t.Context(), s.anna, id, "stadsmiljoforvaltningen", "Kan ni svara?"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AnswerBack(t.Context(), per, id, "Felanmälan är gjord."); err != nil {
		t.Fatal(err)
	}

	ctx := inboxtest.BrowserContext(t, chromium, 1280, 700, 2*time.Minute)
	b := &liveBrowser{t: t, ctx: ctx, url: s.url}
	b.signIn("sara", id)
	if got := b.eval(`document.getElementById("dept-panel").hidden + " " + getComputedStyle(document.getElementById("dept-panel")).display`); got != "true none" {
		t.Fatalf("the department panel is hidden, displayed: %s on a page made after the answer, want true none", got)
	}
	const typed = "Lampan byts"
	b.run(chromedp.SendKeys(chromedp.CSS(`#note-text`), typed))
	b.waitListening(s.broker, 1)

	if _, err := svc.Route(t.Context(), s.anna, id, "stadsmiljoforvaltningen", "Gäller det fler lampor?"); err != nil {
		t.Fatal(err)
	}
	b.waitJS(`!document.getElementById("dept-panel").hidden`, "the department panel did not show when the question came back")
	if got := b.eval(`document.querySelector("#dept-accept-live button").textContent`); got != "Ta emot" {
		t.Errorf("the panel's button reads %q, want Ta emot", got)
	}
	if got := b.eval(`document.getElementById("dept-accept-live").textContent`); !strings.Contains(got, "Gäller det fler lampor?") {
		t.Errorf("the panel reads %q, want the new question", got)
	}
	if got := b.eval(`document.getElementById("answer-text").form.querySelector('input[name="csrf"]').value`); got == "" {
		t.Error("the answer form has no CSRF token")
	}
	if got := b.eval(`String(document.getElementById("answer-text").offsetParent !== null)`); got != "true" {
		t.Error("the answer box is not shown")
	}
	if got := b.eval(`document.getElementById("note-text").value`); got != typed {
		t.Errorf("the note box reads %q after the update, want %q", got, typed)
	}
	if got := b.eval(`document.activeElement ? document.activeElement.id : ""`); got != "note-text" {
		t.Errorf("focus is on %q after the update, want note-text", got)
	}
}
