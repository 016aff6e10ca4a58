package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// TestConversationClaimLive: in a real Chromium, when a colleague claims
// the open conversation, the page's claim button becomes the takeover one
// without a reload while the reply being typed stays; a button with the
// keyboard focus is replaced only once the focus has left it; the reply
// form's box to take over comes and goes with the colleague, and stays
// ticked through later updates; the c shortcut works on the replaced
// button; and a colleague's note and a new tag show while a note is typed.
func TestConversationClaimLive(t *testing.T) {
	chromium := inboxtest.Chromium(t)
	s := newLiveSite(t)
	bo := s.addUser(t, "bo", inbox.RoleAgent, "")
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	id := s.arrive(t, "psid_claim", "m_claim_1", "Hej! När öppnar Valhallabadet?")
	svc := inbox.NewService(s.store, nil)
	svc.Publisher = s.broker

	ctx := inboxtest.BrowserContext(t, chromium, 1280, 700, 2*time.Minute)
	b := &liveBrowser{t: t, ctx: ctx, url: s.url}
	const (
		claimText = `document.getElementById("claim").textContent`
		assignee  = `Array.from(document.querySelectorAll("#conv-facts dt")).filter(function (d) { return d.textContent === "Handläggare"; })[0].nextElementSibling.textContent`
	)

	t.Run("OKClaimedByColleague", func(t *testing.T) {
		b.t = t
		b.signIn("anna", id)
		if got := b.eval(claimText); got != "Ta ärendet" {
			t.Fatalf("the claim button reads %q, want Ta ärendet", got)
		}
		const typed = "Hej! Badet öppnar"
		b.run(chromedp.SendKeys(chromedp.CSS(`#reply-text`), typed))
		b.waitListening(s.broker, 1)

		if _, err := svc.Claim(t.Context(), bo, id, false); err != nil {
			t.Fatal(err)
		}
		b.waitJS(claimText+` === "Ta över ärendet"`, "the claim button did not become the takeover one")
		if got := b.eval(`document.querySelector('#claim-live input[name="takeover"]') ? "takeover" : ""`); got != "takeover" {
			t.Error("the takeover button is not sent with takeover=1")
		}
		if got := b.eval(`document.getElementById("claim").form.querySelector('input[name="csrf"]').value`); got == "" {
			t.Error("the claim form lost its CSRF token")
		}
		if got := b.eval(`String(document.querySelectorAll('#status-live button').length)`); got != "0" {
			t.Errorf("the page offers %s status buttons while a colleague holds it, want none", got)
		}
		if got := b.eval(`document.getElementById("reply-text").value`); got != typed {
			t.Errorf("the reply box reads %q after the update, want %q", got, typed)
		}
		if got := b.eval(`document.activeElement ? document.activeElement.id : ""`); got != "reply-text" {
			t.Errorf("focus is on %q after the update, want reply-text", got)
		}
		// The reply form offers to take over from bo, and keeps the box
		// ticked when the parts come again (a new message).
		b.waitJS(`document.getElementById("reply-takeover") !== null`, "the reply form got no box to take over")
		if got := b.eval(`document.getElementById("reply-takeover").form.id + " " + getComputedStyle(document.getElementById("reply-form")).display`); got != "reply-form block" {
			t.Errorf("the takeover box is in %q, want in the reply form, shown", got)
		}
		if got := b.eval(`document.getElementById("reply-takeover").parentElement.textContent.trim()`); got != "Ta över från bo" {
			t.Errorf("the takeover box reads %q, want Ta över från bo", got)
		}
		b.eval(`document.getElementById("reply-takeover").click(); document.getElementById("reply-text").focus(); ""`)
		s.arrive(t, "psid_claim", "m_claim_2", "Och på lördagar?")
		b.waitJS(`document.querySelectorAll(".thread li.msg").length === 2`, "the new message did not show")
		if got := b.eval(`String(document.getElementById("reply-takeover").checked)`); got != "true" {
			t.Error("the takeover box was unticked by the update")
		}
	})

	t.Run("OKFocusedWaits", func(t *testing.T) {
		b.t = t
		b.eval(`document.getElementById("claim").focus(); ""`)
		if _, err := svc.Unassign(t.Context(), bo, id); err != nil {
			t.Fatal(err)
		}
		// The facts come in the same answer as the claim button.
		b.waitJS(assignee+` === "Ingen"`, "the facts did not show that nobody holds it")
		if got := b.eval(claimText); got != "Ta över ärendet" {
			t.Errorf("the focused claim button reads %q, want it left as it was while focused", got)
		}
		if got := b.eval(`document.activeElement ? document.activeElement.id : ""`); got != "claim" {
			t.Errorf("focus is on %q, want it still on the claim button", got)
		}
		b.eval(`document.getElementById("reply-text").focus(); ""`)
		b.waitJS(claimText+` === "Ta ärendet"`, "the claim button was not replaced once the focus left it")
		if got := b.eval(`document.querySelector('#claim-live input[name="takeover"]') ? "takeover" : ""`); got != "" {
			t.Error("the claim button still takes over")
		}
		if got := b.eval(`document.getElementById("reply-takeover") ? "box" : ""`); got != "" {
			t.Error("the reply form still offers to take over while nobody holds it")
		}
		if got := b.eval(`getComputedStyle(document.getElementById("reply-form")).display`); got == "none" {
			t.Error("the reply form is hidden without its takeover box")
		}
		if got := b.eval(`document.activeElement ? document.activeElement.id : ""`); got != "reply-text" {
			t.Errorf("focus is on %q after the replacement, want reply-text", got)
		}
	})

	t.Run("OKShortcut", func(t *testing.T) {
		b.t = t
		b.eval(`document.activeElement.blur(); ""`)
		b.run(chromedp.KeyEvent("c"))
		b.waitJS(`!document.getElementById("claim") && document.getElementById("conv-facts") !== null && `+assignee+` === "anna"`,
			"the c shortcut did not claim the conversation")
	})

	// A colleague's note and tag show while anna writes a note of her own,
	// which stays as she typed it; the history lists them.
	t.Run("OKColleagueNoteAndTag", func(t *testing.T) {
		b.t = t
		const typed = "Jag ringer"
		b.run(chromedp.SendKeys(chromedp.CSS(`#note-text`), typed))
		if _, err := svc.AddNote(t.Context(), bo, id, "Badet har stängt för renovering."); err != nil {
			t.Fatal(err)
		}
		b.waitJS(`document.querySelectorAll("#notes-live li").length === 1`, "bo's note did not show")
		if got := b.eval(`document.querySelector("#notes-live li").textContent`); !strings.Contains(got, "bo") ||
			!strings.Contains(got, "Badet har stängt för renovering.") {
			t.Errorf("the note reads %q, want bo's note", got)
		}
		if _, err := svc.Tag(t.Context(), anna, id, []string{"bad"}, nil); err != nil {
			t.Fatal(err)
		}
		b.waitJS(`document.querySelector('#tags-live button[name="remove"][value="bad"]') !== null`, "the tag did not show with its remove button")
		if got := b.eval(`document.querySelector('#tags-live button[name="remove"]').form.querySelector('input[name="csrf"]').value`); got == "" {
			t.Error("the tag's remove button has no form with the CSRF token")
		}
		if got := b.eval(`document.getElementById("note-text").value`); got != typed {
			t.Errorf("the note box reads %q after the updates, want %q", got, typed)
		}
		if got := b.eval(`document.activeElement ? document.activeElement.id : ""`); got != "note-text" {
			t.Errorf("focus is on %q after the updates, want note-text", got)
		}
		if got := b.eval(`document.getElementById("history-live").textContent`); !strings.Contains(got, "bo: antecknade") {
			t.Errorf("the history reads %q, want bo's note in it", got)
		}
	})
}
