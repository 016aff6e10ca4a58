package main

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// TestSandboxCallsAcrossRoles runs the API and the workers as separate
// instances on one database: the reply the workers' sender makes through
// its sandbox is listed by the API instance's /api/v1/sandbox/calls.
func TestSandboxCallsAcrossRoles(t *testing.T) {
	env := baseEnv(t)
	env["META_GRAPH_URL"] = "sandbox"
	env["INKORG_SECRET_KEY"] = testKeyOld
	// Two instances share the database (and its queue); each has its own
	// data directory, since the embedded answer index is one process's.
	env["DATABASE_URL"] = inboxtest.PostgresURL(t)
	if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
		t.Fatalf("migrate: got exit %d, want 0", code)
	}
	if code, _ := runCmd(t, env, "sandbox-page-token\n", "accounts", "add", "--platform", "facebook", "--id", "1234567890321",
		"--name", "Göteborgs Stad", "--token-stdin"); code != exitOK {
		t.Fatalf("accounts add: exit %d", code)
	}
	api := startInkorg(t, env, "--roles=webhooks,api")
	workersEnv := maps.Clone(env)
	workersEnv["INKORG_DATA_DIR"] = t.TempDir()
	startServe(t, workersEnv, "--roles=workers")

	postComment(t, api, "901097836652708_777", "4456", "Var kan jag parkera?")
	conv := api.waitConversations(1)[0]
	api.reply(t, conv.ID, `{"kind":"public","text":"Se goteborg.se/parkering."}`)

	var out struct {
		Outbound []*inbox.OutboundAction `json:"outbound"`
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		api.getJSON(fmt.Sprintf("/api/v1/conversations/%d/outbound", conv.ID), &out)
		if len(out.Outbound) == 1 && out.Outbound[0].State == inbox.OutboundSent {
			break
		}
	}
	if len(out.Outbound) != 1 || out.Outbound[0].State != inbox.OutboundSent {
		t.Fatalf("outbound %+v, want one action sent by the workers instance", out.Outbound)
	}
	var calls struct {
		Calls []struct {
			Seq          int
			Method, Path string
			Status       int
			Body         map[string]any
		} `json:"calls"`
	}
	if code := api.getJSONAs(api.supToken, "/api/v1/sandbox/calls", &calls); code != http.StatusOK {
		t.Fatalf("sandbox calls: %d", code)
	}
	found := false
	for _, c := range calls.Calls {
		if c.Method == http.MethodPost && c.Path == "/901097836652708_777/comments" && c.Status == 200 &&
			c.Body["message"] == "Se goteborg.se/parkering." {
			found = true
		}
		if strings.Contains(fmt.Sprint(c.Body), "sandbox-page-token") {
			t.Error("a recorded call holds the access token")
		}
	}
	if !found {
		t.Fatalf("the API instance lists %+v, want the workers instance's reply", calls.Calls)
	}
}
