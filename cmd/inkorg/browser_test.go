package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
	"inkorg/webhooks/demo"
)

// browser drives Chromium against a running inkorg.
type browser struct {
	t         *testing.T
	ctx       context.Context
	base      string
	axe       string
	artifacts string
}

// TestBrowser signs in as each role in a real Chromium and works one
// conversation from arrival to the department's answer, checking every
// page with axe-core and saving screenshots.
func TestBrowser(t *testing.T) {
	if raceEnabled {
		// The handlers are covered with the race detector by the tests of
		// inbox/web; driving a browser against a race build only repeats
		// the plain run several times as slowly.
		t.Skip("the plain go test run drives the browser")
	}
	chromium := inboxtest.Chromium(t)
	axe, err := os.ReadFile(filepath.Join("..", "..", "inbox", "web", "testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	env := baseEnv(t)
	env["INKORG_SLA_INTERVAL"] = "1s" // the dashboard's figures within a second
	in := startServe(t, env, "--demo")
	waitFor(t, func() bool { return strings.Contains(in.stdout.String(), "demo: replayed") })

	ctx := inboxtest.BrowserContext(t, chromium, 1280, 1000, 3*time.Minute)
	b := &browser{t: t, ctx: ctx, base: in.baseURL, axe: string(axe), artifacts: artifactsDir(t)}

	b.login("anna")
	b.check("inbox", `#conversation-list`)
	b.selectAll()
	// The page connects to the event stream; the new message must then
	// appear without a reload.
	mode := "sse"
	b.waitList(`document.getElementById("conversation-list").getAttribute("data-live-mode") === "sse"`, mode)
	// Opening the stream refreshes the list once: what changed since the
	// page was made comes in no event.
	b.waitList(`document.getElementById("conversation-list").hasAttribute("data-refreshed")`, mode)
	refreshed := b.text(`String(document.getElementById("conversation-list").getAttribute("data-refreshed"))`)
	b.bulkConfirm()
	focused := b.focusFirst()

	marker := fmt.Sprintf("Parkeringstillstånd %d", time.Now().UnixNano())
	hostile := marker + ` <script>window.__xss=1</script><img src=x onerror="window.__xss=2">`
	body := browserMessage(t, hostile)
	if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
		t.Fatalf("POST /webhooks/meta: got %d, want 200", code)
	}
	b.waitList(fmt.Sprintf(`document.getElementById("conversation-list").textContent.includes(%q)`, marker), mode)
	b.checkFocus(focused)
	if got := b.text(`String(document.getElementById("conversation-list").getAttribute("data-refreshed"))`); got == refreshed {
		t.Errorf("the list was not refreshed by the live script (data-refreshed still %s)", got)
	}
	if got := b.text(`String(window.__xss)`); got != "undefined" {
		t.Errorf("citizen script ran in the inbox: window.__xss = %s", got)
	}

	b.run(chromedp.Click(chromedp.Search(fmt.Sprintf(`//a[contains(., %q)]`, marker))))
	b.check("conversation", `#reply-form`)
	thread := b.text(`document.querySelector(".thread").textContent`)
	if !strings.Contains(thread, `<img src=x onerror="window.__xss=2">`) || !strings.Contains(thread, "<script>") {
		t.Errorf("citizen HTML is not shown as text; thread reads %q", thread)
	}
	if n := b.text(`String(document.querySelectorAll(".thread img, .thread script").length)`); n != "0" {
		t.Errorf("got %s img/script elements from citizen text, want 0", n)
	}
	if got := b.text(`String(window.__xss)`); got != "undefined" {
		t.Errorf("citizen script ran in the conversation: window.__xss = %s", got)
	}

	b.submit("claim", chromedp.Click(chromedp.CSS(`#claim`)))
	b.run(chromedp.Click(chromedp.CSS(`.js-insert`)))
	reply := b.text(`document.getElementById("reply-text").value`)
	if !strings.Contains(reply, "https://") {
		t.Fatalf("insert link: reply reads %q, want a goteborg.se link", reply)
	}
	b.submit("reply", chromedp.Submit(chromedp.CSS(`#reply-text`)))
	if got := b.text(`document.querySelector(".thread").textContent`); !strings.Contains(got, firstLine(reply)) {
		t.Errorf("the reply is not in the thread: %q", got)
	}

	b.run(chromedp.SetValue(chromedp.CSS(`#route-admin`), "stadsmiljo"),
		chromedp.SendKeys(chromedp.CSS(`#route-question`), "Kan ni svara om boendeparkering?"))
	b.submit("route", chromedp.Submit(chromedp.CSS(`#route-question`)))
	convURL := b.text(`location.pathname`)
	b.logout()

	b.login("sara")
	b.waitList(fmt.Sprintf(`document.querySelector('#conversation-list a[href=%q]') !== null`, convURL), "")
	b.check("department", `#conversation-list`)
	b.run(chromedp.Navigate(b.base + convURL))
	b.check("department-conversation", `#answer-form`)
	b.presence(convURL)
	b.run(chromedp.SendKeys(chromedp.CSS(`#answer-text`), "Boendeparkering söks i e-tjänsten."))
	b.submit("answer back", chromedp.Submit(chromedp.CSS(`#answer-text`)))
	b.logout()

	b.login("lena")
	// The SLA watcher measures the demo's conversations within a second
	// of their change; the dashboard reports what it measured.
	for deadline := time.Now().Add(15 * time.Second); ; {
		b.run(chromedp.Navigate(b.base + "/dashboard"))
		if b.text(`document.querySelector('[data-figure="conversations"]').textContent`) != "0" || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	b.check("dashboard", `.chart-svg`)
	if n := b.text(`document.querySelector('[data-figure="conversations"]').textContent`); n == "0" {
		t.Errorf("the dashboard counts no conversations in the period; want the demo's")
	}
	if n := b.text(`String(document.querySelectorAll(".chart-svg rect.bar").length)`); n != "14" {
		t.Errorf("got %s bars in the volume chart, want 14", n)
	}
	if n := b.text(`String(document.querySelectorAll(".chart-svg polyline").length)`); n != "2" {
		t.Errorf("got %s lines in the response chart, want 2", n)
	}
	b.run(chromedp.Navigate(b.base + "/moderation"))
	b.check("moderation", `#flags-heading`)
	b.run(chromedp.Click(chromedp.CSS(`a[href="/admin"]`)))
	b.check("admin", `#accounts-heading`)
	if got := b.text(`document.querySelector("table").textContent`); !strings.Contains(got, demo.PageID) {
		t.Errorf("the accounts table does not list the demo Page: %q", got)
	}
	b.adminPages([][3]string{{"rules", "/admin/rules", `h1`}, {"answers", "/admin/answers", `#articles-heading`},
		{"answer-form", "/admin/answers/new", `#article-title`}})
	b.run(chromedp.Navigate(b.base + "/admin"))
	b.run(chromedp.WaitVisible(chromedp.CSS(`#accounts-heading`)))
	evaluate[chromedp.Void](b, `document.body.dataset.stale = "1"`)
	b.run(chromedp.Click(chromedp.CSS(`form[action="/settings/language"] button`)))
	b.waitNewPage()
	b.run(chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #accounts-heading`)))
	if got := b.text(`document.querySelector("form[action='/logout'] button").textContent`); got != "Sign out" {
		t.Errorf("after the language switch: got %q, want the page in English", got)
	}
	b.logout()

	b.login("admin")
	b.adminPages([][3]string{{"users", "/admin/users", `a[href="/admin/users/new"]`}, {"user-form", "/admin/users/new", `#user-name`},
		{"rule-form", "/admin/rules/new", `#rule-name`}})
}

// adminPages opens each page (name, path, a selector on it) and checks it.
func (b *browser) adminPages(pages [][3]string) {
	b.t.Helper()
	for _, p := range pages {
		b.run(chromedp.Navigate(b.base + p[1]))
		b.check(p[0], p[2])
	}
}

// browserMessage is a Messenger text from a new citizen to
// the demo Page.
func browserMessage(t *testing.T, text string) []byte {
	ms := time.Now().UnixMilli()
	body, err := json.Marshal(map[string]any{"object": "page", "entry": []any{map[string]any{
		"id": demo.PageID, "time": ms,
		"messaging": []any{map[string]any{
			"sender": map[string]any{"id": fmt.Sprint(9100000000 + ms%100000)}, "recipient": map[string]any{"id": demo.PageID},
			"timestamp": ms, "message": map[string]any{"mid": fmt.Sprintf("m_browser_%d", ms), "text": text},
		}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func (b *browser) text(js string) string {
	b.t.Helper()
	return evaluate[string](b, js)
}

// evaluate runs js in the page and returns its value.
func evaluate[T any](b *browser, js string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		b.t.Fatalf("browser: evaluate %.60q: %v", js, err)
	}
	return v
}

func (b *browser) login(name string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.base + "/login"))
	if name == "anna" {
		b.check("login", `#name`)
	}
	b.run(chromedp.SendKeys(chromedp.CSS(`#name`), name),
		chromedp.SendKeys(chromedp.CSS(`#password`), demoPassword(name)))
	evaluate[chromedp.Void](b, `document.body.dataset.stale = "1"`)
	b.run(chromedp.Submit(chromedp.CSS(`#password`)))
	b.waitNewPage()
	b.run(chromedp.WaitVisible(chromedp.CSS(`#conversation-list`)))
}

func (b *browser) logout() {
	b.t.Helper()
	b.submit("sign out", chromedp.Submit(chromedp.CSS(`form[action="/logout"] button`)))
}

// waitNewPage waits until the page marked stale was replaced.
func (b *browser) waitNewPage() {
	b.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if evaluate[bool](b, `document.readyState !== "loading" && !!document.body && document.body.dataset.stale !== "1"`) {
			return
		}
	}
	b.t.Fatal("the page did not change within 30 s")
}

// submit runs actions that post a form, waits for the page after the
// redirect and fails unless it shows a success message.
func (b *browser) submit(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	evaluate[chromedp.Void](b, `document.body.dataset.stale = "1"`)
	b.run(actions...)
	b.waitNewPage()
	b.run(chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if msg := b.text(`document.querySelector(".flash-error") ? document.querySelector(".flash-error").textContent : ""`); msg != "" {
		b.t.Fatalf("%s: got error %q", what, msg)
	}
}

// waitList waits until js holds for the conversation list: without a
// reload when the page is connected to the event stream (mode "sse"),
// else reloading it.
func (b *browser) waitList(js, mode string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if evaluate[bool](b, js) {
			return
		}
		if mode != "sse" {
			b.run(chromedp.Reload())
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.t.Fatalf("%s: not so within 15 s (live mode %q); the list reads %q", js, mode,
		b.text(`document.getElementById("conversation-list").textContent`))
}

// check waits for sel, saves a screenshot as name and fails on serious or
// critical axe-core violations.
func (b *browser) check(name, sel string) {
	b.t.Helper()
	b.run(chromedp.WaitVisible(chromedp.CSS(sel)))
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.artifacts, name+".png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
	evaluate[chromedp.Void](b, b.axe)
	res := evaluate[axeResult](b, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => ({passes: r.passes.length, serious: r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.id + " (" + v.impact + "): " + v.nodes.map(n => n.target.join(" ")).join(", "))}))`, chromedp.EvalAwaitPromise)
	if res.Passes == 0 {
		b.t.Errorf("axe on %s: no rule passed; did axe run?", name)
	}
	for _, v := range res.Serious {
		b.t.Errorf("axe on %s: %s", name, v)
	}
}

// axeResult is what the tests take from an axe-core run.
type axeResult struct {
	Passes  int      `json:"passes"`
	Serious []string `json:"serious"`
}

// artifactsDir is INKORG_TEST_ARTIFACTS, or a new temporary directory
// that is kept, so screenshots can be looked at after the run.
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("INKORG_TEST_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "inkorg-browser-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("browser screenshots in %s", dir)
	return dir
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 20 s")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
