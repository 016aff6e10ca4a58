package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/sqlstore"
	"inkorg/webhooks"
)

// TestTokensReadOnly creates a read-only and a full token from the command
// line, lists them with their access, audits the scope, and uses them on a
// running inkorg, on both databases: the read-only token reads (200, also
// the event stream) and is refused a change (403); the full one makes it.
func TestTokensReadOnly(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testTokensReadOnly(t, baseEnv(t)) })
	t.Run("Postgres", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
			t.Fatalf("migrate: got exit %d, want 0", code)
		}
		testTokensReadOnly(t, env)
	})
}

func testTokensReadOnly(t *testing.T, env map[string]string) {
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "anna", "--role", "agent"); code != exitOK {
		t.Fatalf("user add: got exit %d", code)
	}
	code, out := runCmd(t, env, "", "tokens", "create", "--user", "anna", "--name", "Grafana", "--read-only")
	readOnly := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(readOnly, "ink_") {
		t.Fatalf("tokens create --read-only: got exit %d, %q; want a token", code, out)
	}
	code, out = runCmd(t, env, "", "token", "create", "--user", "anna", "--name", "arbete")
	full := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(full, "ink_") {
		t.Fatalf("token create: got exit %d, %q; want a token", code, out)
	}

	code, out = runCmd(t, env, "", "tokens", "list")
	if code != exitOK || !strings.Contains(out, "ACCESS") {
		t.Fatalf("tokens list: got exit %d,\n%s\nwant an ACCESS column", code, out)
	}
	for _, want := range []struct{ name, access string }{{"Grafana", "read-only"}, {"arbete", "full"}} {
		found := false
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 3 && f[2] == want.name {
				found = f[3] == want.access
			}
		}
		if !found {
			t.Errorf("tokens list: got\n%s\nwant %s listed as %s", out, want.name, want.access)
		}
	}
	checkTokenAudit(t, env)

	in := startServe(t, env)
	in.token = full
	body := fixture(t, "messenger_message_text.json")
	if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
		t.Fatalf("POST signed fixture: got status %d, want 200", code)
	}
	conv := in.waitConversations(1)[0]
	var list httpapi.ConversationList
	if code := in.getJSONAs(readOnly, "/api/v1/conversations", &list); code != http.StatusOK || len(list.Conversations) != 1 {
		t.Errorf("GET /api/v1/conversations with the read-only token: got %d, %d conversations; want 200 and 1", code, len(list.Conversations))
	}
	if code, ctype := openStream(t, in, readOnly); code != http.StatusOK || !strings.HasPrefix(ctype, "text/event-stream") {
		t.Errorf("GET /api/v1/events with the read-only token: got %d %q, want 200 text/event-stream", code, ctype)
	}

	tags := "/api/v1/conversations/" + strconv.FormatInt(conv.ID, 10) + "/tags"
	if code, body := requestAs(t, in, http.MethodPost, tags, readOnly, `{"add":["vinter"]}`); code != http.StatusForbidden || !strings.Contains(body, "read-only") {
		t.Errorf("POST %s with the read-only token: got %d %s, want 403 saying the token is read-only", tags, code, body)
	}
	if code, body := requestAs(t, in, http.MethodPost, tags, full, `{"add":["vinter"]}`); code != http.StatusOK || !strings.Contains(body, `"vinter"`) {
		t.Errorf("POST %s with the full token: got %d %s, want 200 with the tag", tags, code, body)
	}
}

// checkTokenAudit wants each token_create audit entry to name the
// token's scope: Grafana read-only, arbete not.
func checkTokenAudit(t *testing.T, env map[string]string) {
	t.Helper()
	url := env["DATABASE_URL"]
	if url == "" {
		url = env["INKORG_DATA_DIR"] + "/inkorg.db"
	}
	db, err := sqlstore.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var audit []struct{ Detail string }
	if err := db.Gorm().Raw("SELECT detail FROM audit_entries WHERE action = ? ORDER BY id", inbox.ActionTokenCreate).Scan(&audit).Error; err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 || !strings.Contains(audit[0].Detail, `"name":"Grafana"`) || !strings.Contains(audit[0].Detail, `"read_only":true`) ||
		!strings.Contains(audit[1].Detail, `"name":"arbete"`) || !strings.Contains(audit[1].Detail, `"read_only":false`) {
		t.Errorf("got token_create audit %+v, want Grafana with read_only true, then arbete with read_only false", audit)
	}
}

// requestAs sends body with method to path as the token and returns the
// status and body.
func requestAs(t *testing.T, in *instance, method, path, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, in.baseURL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// openStream opens the event stream as the token, returns its status and
// content type, and closes it.
func openStream(t *testing.T, in *instance, token string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, in.baseURL+"/api/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /api/v1/events: %v", err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Content-Type")
}
