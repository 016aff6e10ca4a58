package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/webhooks"
)

// TestEndToEndEveryFixture posts every real Meta delivery signed at a
// running inkorg, one account configured, and checks through the API what
// they became; then that every delivery was kept for reparsing.
func TestEndToEndEveryFixture(t *testing.T) {
	onBothBackends(t, baseEnv, testEveryFixture)
}

// deliveryFixtureNames are the fixtures that are whole webhook deliveries.
func deliveryFixtureNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "webhooks", "testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "graph_") || strings.HasPrefix(name, "send_api") || name == "messenger_echo_event_captured.json" {
			continue
		}
		names = append(names, name)
	}
	return names
}

func testEveryFixture(t *testing.T, env map[string]string) {
	if code, _ := runCmd(t, env, "", "accounts", "add", "--platform", "facebook", "--id", "234554838031189", "--name", "Göteborgs Stad"); code != exitOK {
		t.Fatalf("accounts add: got exit %d, want 0", code)
	}
	in := startInkorg(t, env)
	names := deliveryFixtureNames(t)
	for _, name := range names {
		body := fixture(t, name)
		if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
			t.Fatalf("POST %s: got status %d, want 200", name, code)
		}
	}
	// Threads every order of processing makes (two sanitized fixtures share
	// a mid with others, so which of them stores it depends on the order).
	// fb_mention_comment_add.json makes none: it is a mention on the Page's
	// own post, which the feed change for the comment records.
	want := map[string]bool{
		"facebook_comment/1234567890321/901097836652708_903438993085259": true,
		"facebook_comment/1234567890321/1234567890321_7293787835232":     true,
		"messenger/12345654332/987654321432":                             true,
		"messenger/234554838031189/1739141089378194":                     false,
		"instagram_comment/0/987654321":                                  true,
		"instagram_comment/0/17887498072083520":                          true,
		"instagram_direct/17841452691600098/5614879045272581":            true,
	}
	found := waitThreads(t, in, want)
	for key, unknown := range want {
		c := found[key]
		if c == nil {
			t.Errorf("no conversation %s", key)
			continue
		}
		if c.UnknownAccount != unknown {
			t.Errorf("%s: got unknown_account %v, want %v", key, c.UnknownAccount, unknown)
		}
	}
	checkVisitorPost(t, in, found["facebook_comment/1234567890321/1234567890321_7293787835232"])
	waitKept(t, env, len(names))
	if code := in.stop(); code != exitOK {
		t.Errorf("serve after cancel: got exit %d, want 0", code)
	}
}

// waitThreads polls the API until every thread in want is listed, or 20 s
// pass: the workers apply deliveries in any order, so a count of
// conversations alone can be reached before the last expected one exists.
func waitThreads(t *testing.T, in *instance, want map[string]bool) map[string]*inbox.Conversation {
	t.Helper()
	found := map[string]*inbox.Conversation{}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var list httpapi.ConversationList
		if code := in.getJSON("/api/v1/conversations?limit=200", &list); code != http.StatusOK {
			t.Fatalf("GET /api/v1/conversations: got status %d, want 200", code)
		}
		found = map[string]*inbox.Conversation{}
		for _, c := range list.Conversations {
			found[string(c.Channel)+"/"+c.AccountExternalID+"/"+c.ThreadKey] = c
		}
		complete := true
		for key := range want {
			complete = complete && found[key] != nil
		}
		if complete {
			break
		}
	}
	return found
}

func checkVisitorPost(t *testing.T, in *instance, c *inbox.Conversation) {
	t.Helper()
	if c == nil {
		return
	}
	var detail httpapi.ConversationDetail
	if code := in.getJSON(fmt.Sprintf("/api/v1/conversations/%d", c.ID), &detail); code != http.StatusOK {
		t.Fatalf("GET conversation %d: got status %d, want 200", c.ID, code)
	}
	if len(detail.Messages) != 1 || detail.Messages[0].Text != "Let's check this" || detail.Messages[0].Direction != inbox.DirectionInbound {
		t.Errorf("visitor post: got %+v, want one inbound message %q", detail.Messages, "Let's check this")
	}
}

// waitKept reparses until every posted delivery is in the store: the
// ingest worker keeps each one before applying it.
func waitKept(t *testing.T, env map[string]string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var res webhooks.ReparseResult
	for time.Now().Before(deadline) {
		code, out := runCmd(t, env, "", "deliveries", "reparse", "--since", "2000-01-01", "--json")
		if code != exitOK {
			t.Fatalf("deliveries reparse: got exit %d, want 0", code)
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("deliveries reparse --json: %v in %q", err, out)
		}
		if res.Deliveries == n {
			if res.Malformed != 0 || res.Dropped != 0 {
				t.Errorf("reparse: got %+v, want nothing malformed or refused", res)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("deliveries kept: got %d after 20 s, want %d", res.Deliveries, n)
}
