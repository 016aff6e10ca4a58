package web_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/livebus"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
	"inkorg/inbox/storetest"
	"inkorg/inbox/web"
)

// getPartial fetches u as the live update script does, with the header
// X-Partial: thread.
func getPartial(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Partial", "thread")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestConversationThreadPartial: with X-Partial: thread the conversation
// page renders only its live parts (facts, thread, messaging window,
// outbound list), never the forms, for exactly those who may see the
// page.
func TestConversationThreadPartial(t *testing.T) {
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	id := s.message(t, "psid_partial", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("%s/conversations/%d", s.url, id)
	agent, sara := s.signedIn(t, "anna"), s.signedIn(t, "sara")

	t.Run("OK", func(t *testing.T) {
		code, body := getPartial(t, agent, path)
		if code != http.StatusOK {
			t.Fatalf("got %d, want 200", code)
		}
		for _, want := range []string{`id="conv-facts"`, `id="thread-live"`, `id="window-info"`, `id="outbound-live"`, "Valhallabadet"} {
			if !strings.Contains(body, want) {
				t.Errorf("the partial lacks %s: %q", want, body)
			}
		}
		for _, form := range []string{"<html", "<form", `id="reply-text"`, `id="note-text"`, `id="thread-status"`} {
			if strings.Contains(body, form) {
				t.Errorf("the partial has %s; want the live parts only", form)
			}
		}
	})
	t.Run("ErrForeignSpecialist", func(t *testing.T) {
		page, _, _ := get(t, sara, path)
		code, body := getPartial(t, sara, path)
		if page != http.StatusForbidden || code != http.StatusForbidden || strings.Contains(body, "Valhallabadet") {
			t.Errorf("a specialist of no administration of it: page %d, partial %d; want 403 for both, without the thread", page, code)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		page, _, _ := get(t, agent, fmt.Sprintf("%s/conversations/%d", s.url, id+1000))
		code, _ := getPartial(t, agent, fmt.Sprintf("%s/conversations/%d", s.url, id+1000))
		if page != http.StatusNotFound || code != http.StatusNotFound {
			t.Errorf("a missing conversation: page %d, partial %d; want 404 for both", page, code)
		}
	})
	t.Run("OKOwnSpecialist", func(t *testing.T) {
		s.routeTo(t, anna, id, "stadsmiljoforvaltningen")
		code, body := getPartial(t, sara, path)
		if code != http.StatusOK || !strings.Contains(body, "Valhallabadet") || strings.Contains(body, `id="window-info"`) {
			t.Errorf("the specialist it is routed to: got %d; want 200 with the thread and no reply window: %q", code, body)
		}
	})
}

// liveSite is inkorg's HTTP surface with the web UI and live updates
// through an in-process broker.
type liveSite struct {
	*site
	broker *subscribeCounter
	anna   *inbox.User
}

// subscribeCounter is a broker that counts the event streams opened on
// it, so a test knows when a page listens.
type subscribeCounter struct {
	*livebus.Memory
	opened atomic.Int64
}

func (b *subscribeCounter) Subscribe(ctx context.Context, lastID string) (*inbox.LiveSubscription, error) {
	sub, err := b.Memory.Subscribe(ctx, lastID)
	if err == nil {
		b.opened.Add(1)
	}
	return sub, err
}

func newLiveSite(t *testing.T) *liveSite {
	t.Helper()
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	anna := &inbox.User{Name: "anna", Role: inbox.RoleAgent, PasswordHash: string(hash)}
	if err := store.CreateUser(t.Context(), anna); err != nil {
		t.Fatal(err)
	}
	sessions := inbox.NewSessions(store, nil)
	ui, err := web.New(web.Config{Store: store, Service: inbox.NewService(store, nil), Sessions: sessions})
	if err != nil {
		t.Fatal(err)
	}
	broker := &subscribeCounter{Memory: livebus.NewMemory(0, nil)}
	ts := httptest.NewServer(httpapi.New(httpapi.Config{Store: store, Web: ui, Sessions: sessions, Live: broker}))
	t.Cleanup(func() {
		// The browser's event stream would keep Close waiting.
		ts.CloseClientConnections()
		ts.Close()
	})
	return &liveSite{site: &site{url: ts.URL, store: store}, broker: broker, anna: anna}
}

// arrive stores a citizen message in thread and publishes its live event
// as the ingest worker does.
func (s *liveSite) arrive(t *testing.T, thread, mid, text string) int64 {
	t.Helper()
	e := storetest.Event(thread, mid, time.Now().Add(-time.Second).UTC())
	e.Text = text
	a, err := s.store.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	if err := inbox.LiveMessageHook(s.broker)(t.Context(), e, a); err != nil {
		t.Fatal(err)
	}
	return a.ConversationID
}

// liveBrowser is one Chromium session against a liveSite.
type liveBrowser struct {
	t   *testing.T
	ctx context.Context
	url string
}

func (b *liveBrowser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func (b *liveBrowser) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("browser: evaluate %.60q: %v", js, err)
	}
	return v
}

func evalFloat(b *liveBrowser, js string) float64 {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](js))
	if err != nil {
		b.t.Fatalf("browser: evaluate %.60q: %v", js, err)
	}
	return v
}

// waitJS waits until js is "true" in the page, or fails saying what.
func (b *liveBrowser) waitJS(js, what string) {
	b.t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b.eval(`String(`+js+`)`) == "true" {
			return
		}
	}
	b.t.Fatalf("%s: not so within 15 s; the thread reads %q", what, b.eval(`document.getElementById("main").textContent`))
}

// signIn signs in as name and opens the conversation id.
func (b *liveBrowser) signIn(name string, id int64) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.url+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#name`), name), chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Submit(chromedp.CSS(`#password`)))
	b.run(chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
	b.run(chromedp.Navigate(fmt.Sprintf("%s/conversations/%d", b.url, id)), chromedp.WaitVisible(chromedp.CSS(`#note-text`)))
}

// waitListening waits until the page has opened its event stream (the
// opened-th on the broker) and has brought its thread up to date once,
// so that what changes next can only reach it through an event.
func (b *liveBrowser) waitListening(broker *subscribeCounter, opened int64) {
	b.t.Helper()
	for deadline := time.Now().Add(15 * time.Second); broker.opened.Load() < opened; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.t.Fatal("the page opened no event stream within 15 s")
		}
	}
	// A page without live parts has no first refresh to wait for.
	b.waitJS(`(function () { var box = document.getElementById("thread-live"); return !box || box.hasAttribute("data-refreshed"); })()`,
		"the page did not bring its thread up to date when the stream opened")
}

// TestConversationThreadLive: in a real Chromium, a citizen's new message
// appears on the open conversation page without a reload and is announced,
// while the reply being typed, its reply-to choice and the focus stay;
// a specialist whose administration the conversation is routed away from
// is told so.
func TestConversationThreadLive(t *testing.T) {
	chromium := inboxtest.Chromium(t)
	axe, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	s := newLiveSite(t)
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	id := s.arrive(t, "psid_live", "m_live_1", "Hej! När öppnar Valhallabadet?")

	ctx := inboxtest.BrowserContext(t, chromium, 1280, 700, 2*time.Minute)
	b := &liveBrowser{t: t, ctx: ctx, url: s.url}

	t.Run("OKNewMessage", func(t *testing.T) {
		b.t = t
		b.signIn("anna", id)
		const typed = "Hej! Badet öppnar"
		b.run(chromedp.SendKeys(chromedp.CSS(`#reply-text`), typed))
		b.eval(`document.getElementById("reply-to").value = "77"; ""`)
		b.waitListening(s.broker, 1)
		top := evalFloat(b, `document.getElementById("reply-text").scrollIntoView({block: "center"}); document.getElementById("reply-text").getBoundingClientRect().top`)

		s.arrive(t, "psid_live", "m_live_2", "Förlåt, jag menade Frihamnsbadet!")
		b.waitJS(`document.querySelector(".thread").textContent.includes("Frihamnsbadet")`, "the new message did not appear")
		if got := b.eval(`document.getElementById("reply-text").value`); got != typed {
			t.Errorf("the reply box reads %q after the update, want %q", got, typed)
		}
		// The thread above it grew: the reply box stays where it was on the
		// screen (within rounding to whole pixels).
		if got := evalFloat(b, `document.getElementById("reply-text").getBoundingClientRect().top`); math.Abs(got-top) > 1.5 {
			t.Errorf("the reply box moved on the screen from %.1f px to %.1f px, want it to stay where it was", top, got)
		}
		if got := b.eval(`document.activeElement ? document.activeElement.id : ""`); got != "reply-text" {
			t.Errorf("focus is on %q after the update, want reply-text", got)
		}
		if got := b.eval(`document.getElementById("reply-to").value`); got != "77" {
			t.Errorf("reply_to is %q after the update, want 77", got)
		}
		b.waitJS(`document.getElementById("thread-status").textContent === "Nytt meddelande i tråden"`, "the new message was not announced")
		if n := b.eval(`String(document.querySelectorAll(".thread li.msg").length)`); n != "2" {
			t.Errorf("got %s messages in the thread, want 2", n)
		}
		checkAxe(t, b, string(axe))
	})

	t.Run("OKRoutedAway", func(t *testing.T) {
		svc := inbox.NewService(s.store, nil)
		if _, err := svc.Route(t.Context(), s.anna, id, "stadsmiljoforvaltningen", "Kan ni svara?"); err != nil {
			t.Fatal(err)
		}
		sctx, scancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		defer scancel()
		sara := &liveBrowser{t: t, ctx: sctx, url: s.url}
		opened := s.broker.opened.Load()
		sara.signIn("sara", id)
		sara.run(chromedp.SendKeys(chromedp.CSS(`#note-text`), "Jag tittar på det"))
		sara.waitListening(s.broker, opened+1)
		svc.Publisher = s.broker
		if _, err := svc.Route(t.Context(), s.anna, id, "kulturforvaltningen", "Gäller det er?"); err != nil {
			t.Fatal(err)
		}
		sara.waitJS(`(document.getElementById("conv-notice") || document.body).textContent.includes("annan förvaltning")`,
			"no notice that the conversation was routed away")
		if got := sara.eval(`document.getElementById("note-text").value`); got != "Jag tittar på det" {
			t.Errorf("the note box reads %q after the notice, want what was typed", got)
		}
	})
}

// checkAxe fails on serious or critical axe-core violations of the page.
func checkAxe(t *testing.T, b *liveBrowser, axe string) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		t.Fatal(err)
	}
	js := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")).join("; "))`
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got != "" {
		t.Errorf("axe: %s", got)
	}
}
