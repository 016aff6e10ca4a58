package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// presence opens the conversation at convURL as lena in a second browser
// session of her own and checks that b's page shows her there, first
// viewing, then typing a note.
func (b *browser) presence(convURL string) {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	lena := &browser{t: b.t, ctx: ctx, base: b.base, axe: b.axe, artifacts: b.artifacts}
	lena.login("lena")
	lena.run(chromedp.Navigate(b.base + convURL))
	lena.run(chromedp.WaitVisible(chromedp.CSS(`#note-text`)))
	b.waitPresence("lena tittar på den här")
	lena.run(chromedp.SendKeys(chromedp.CSS(`#note-text`), "Jag läser också"))
	b.waitPresence("lena skriver…")
	b.check("presence", `#presence`)
}

// waitPresence waits until the presence line of b's page reads want.
func (b *browser) waitPresence(want string) {
	b.t.Helper()
	js := `document.getElementById("presence").textContent`
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if strings.Contains(b.text(js), want) {
			return
		}
	}
	b.t.Fatalf("presence: got %q within 15 s, want %s", b.text(js), fmt.Sprintf("%q", want))
}

// selectAll opens the inbox's bulk actions and ticks every conversation
// on the page with "Markera alla på sidan", which the script shows.
func (b *browser) selectAll() {
	b.t.Helper()
	b.run(chromedp.Click(chromedp.CSS(`details.bulk summary`)), chromedp.Click(chromedp.CSS(`#select-all`)))
	js := `[document.querySelectorAll('#conversation-list input[name="id"]:checked').length,
		document.querySelectorAll('#conversation-list input[name="id"]').length].join("/")`
	got := b.text(js)
	if n, all, _ := strings.Cut(got, "/"); n != all || n == "0" {
		b.t.Errorf("select all: %s conversations ticked, want all", got)
	}
	b.run(chromedp.Click(chromedp.CSS(`#select-all`)), chromedp.Click(chromedp.CSS(`details.bulk summary`)))
}
