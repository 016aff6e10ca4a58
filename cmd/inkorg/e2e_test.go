package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

const (
	testAppSecret   = "e2e-app-secret"
	testVerifyToken = "e2e-verify-token"
)

// instance is an inkorg started by run() in the test process.
type instance struct {
	t       *testing.T
	baseURL string
	token   string // an agent's
	// supToken is a supervisor's, for what agents may not see.
	supToken string
	stdout   *inboxtest.SyncBuffer
	stderr   *inboxtest.SyncBuffer // the log
	stop     func() int
}

var listeningRE = regexp.MustCompile(`inkorg listening on (http://\S+)`)

// runCmd runs one inkorg command to completion and returns its exit status
// and stdout.
func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(t.Context(), args, envFrom(env), strings.NewReader(stdin), &stdout, &stderr)
	if code != exitOK {
		t.Logf("inkorg %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	return code, stdout.String()
}

// startInkorg creates an agent with a token and starts `inkorg serve` with
// env on a free port.
func startInkorg(t *testing.T, env map[string]string, serveArgs ...string) *instance {
	t.Helper()
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "agent-e2e", "--role", "agent"); code != exitOK {
		t.Fatalf("user add: got exit %d, want 0", code)
	}
	code, out := runCmd(t, env, "", "token", "create", "--user", "agent-e2e")
	if code != exitOK {
		t.Fatalf("token create: got exit %d, want 0", code)
	}
	token := strings.TrimSpace(out)
	if !strings.HasPrefix(token, "ink_") || strings.Contains(token, "\n") {
		t.Fatalf("token create: got %q, want one ink_ token line", out)
	}
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "supervisor-e2e", "--role", "supervisor"); code != exitOK {
		t.Fatalf("user add: got exit %d, want 0", code)
	}
	code, out = runCmd(t, env, "", "token", "create", "--user", "supervisor-e2e")
	if code != exitOK {
		t.Fatalf("token create: got exit %d, want 0", code)
	}

	in := startServe(t, env, serveArgs...)
	in.token, in.supToken = token, strings.TrimSpace(out)
	return in
}

// startServe starts `inkorg serve` with env and args and waits until it
// prints its address. It is stopped when the test ends.
func startServe(t *testing.T, env map[string]string, serveArgs ...string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &inboxtest.SyncBuffer{}, &inboxtest.SyncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, serveArgs...), envFrom(env), strings.NewReader(""), stdout, stderr)
	}()
	inst := &instance{t: t, stdout: stdout, stderr: stderr}
	stopped := false
	inst.stop = func() int {
		if stopped {
			return exitOK
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(10 * time.Second):
			t.Fatalf("serve did not stop within 10 s after cancel; stderr:\n%s", stderr.String())
			return -1
		}
	}
	t.Cleanup(func() { inst.stop() })
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if m := listeningRE.FindStringSubmatch(stdout.String()); m != nil {
			inst.baseURL = m[1]
			return inst
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before listening; stderr:\n%s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not print its address within 15 s; stderr:\n%s", stderr.String())
	return nil
}

func (in *instance) postWebhook(body []byte, signature string) int {
	in.t.Helper()
	req, err := http.NewRequest(http.MethodPost, in.baseURL+"/webhooks/meta", bytes.NewReader(body))
	if err != nil {
		in.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("X-Hub-Signature-256", signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatalf("POST /webhooks/meta: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// getJSON gets path with the agent's token and decodes the body into v.
func (in *instance) getJSON(path string, v any) int {
	in.t.Helper()
	return in.getJSONAs(in.token, path, v)
}

// postJSON posts body to path with the agent's token and returns the
// status.
func (in *instance) postJSON(path, body string) int {
	in.t.Helper()
	req, err := http.NewRequest(http.MethodPost, in.baseURL+path, strings.NewReader(body))
	if err != nil {
		in.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+in.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatalf("POST %s: %v", path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// getJSONAs is getJSON with another API token.
func (in *instance) getJSONAs(token, path string, v any) int {
	in.t.Helper()
	req, err := http.NewRequest(http.MethodGet, in.baseURL+path, nil)
	if err != nil {
		in.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			in.t.Fatalf("GET %s: decode %q: %v", path, body, err)
		}
	}
	return resp.StatusCode
}

// waitConversations polls the API until n conversations are listed.
func (in *instance) waitConversations(n int) []*inbox.Conversation {
	in.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var list httpapi.ConversationList
	for time.Now().Before(deadline) {
		list = httpapi.ConversationList{}
		if code := in.getJSON("/api/v1/conversations", &list); code != http.StatusOK {
			in.t.Fatalf("GET /api/v1/conversations: got status %d, want 200", code)
		}
		if len(list.Conversations) >= n {
			return list.Conversations
		}
		time.Sleep(50 * time.Millisecond)
	}
	in.t.Fatalf("got %d conversations after 20 s, want %d", len(list.Conversations), n)
	return nil
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "webhooks", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEndToEnd posts signed real Meta payloads at a running inkorg and
// reads the conversations back through the API, on both backend sets.
func TestEndToEnd(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		env := baseEnv(t)
		testEndToEnd(t, env)
	})
	t.Run("PostgresRedis", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		redisURL, prefix := inboxtest.RedisURL(t)
		env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = redisURL, prefix

		var stderr strings.Builder
		if code := run(t.Context(), []string{"serve"}, envFrom(env), nil, io.Discard, &stderr); code != exitFailure {
			t.Fatalf("serve on an unmigrated PostgreSQL: got exit %d, want %d", code, exitFailure)
		}
		if !strings.Contains(stderr.String(), "inkorg migrate") {
			t.Errorf("got %q, want a hint to run inkorg migrate", stderr.String())
		}
		if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
			t.Fatalf("migrate: got exit %d, want 0", code)
		}
		testEndToEnd(t, env)
	})
}

func baseEnv(t *testing.T) map[string]string {
	return map[string]string{
		"INKORG_ADDR":       "127.0.0.1:0",
		"INKORG_DATA_DIR":   t.TempDir(),
		"META_APP_SECRET":   testAppSecret,
		"META_VERIFY_TOKEN": testVerifyToken,
	}
}

func testEndToEnd(t *testing.T, env map[string]string) {
	in := startInkorg(t, env)

	comment := fixture(t, "fb_feed_comment_add.json")
	message := fixture(t, "messenger_message_text.json")
	for _, body := range [][]byte{comment, message, comment, message} {
		if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
			t.Fatalf("POST signed fixture: got status %d, want 200", code)
		}
	}
	if code := in.postWebhook(comment, webhooks.Sign("wrong-secret", comment)); code != http.StatusUnauthorized {
		t.Errorf("POST with a wrong signature: got status %d, want 401", code)
	}

	convs := in.waitConversations(2)
	byChannel := map[inbox.Channel]*inbox.Conversation{}
	for _, c := range convs {
		byChannel[c.Channel] = c
	}
	checkConversation(t, in, byChannel[inbox.ChannelFacebookComment], "and the next one", "Tester")
	checkConversation(t, in, byChannel[inbox.ChannelMessenger], "hello, world!", "")
	if m := byChannel[inbox.ChannelMessenger]; m != nil && m.Contact != nil && m.Contact.ExternalID != "987654321432" {
		t.Errorf("messenger contact: got %q, want 987654321432", m.Contact.ExternalID)
	}

	// The duplicates were processed after the first copies; give the queue
	// time to drain and check that nothing was doubled.
	time.Sleep(500 * time.Millisecond)
	if got := in.waitConversations(2); len(got) != 2 {
		t.Errorf("got %d conversations, want 2", len(got))
	}

	for _, path := range []string{"/healthz", "/readyz", "/api/v1/openapi.json"} {
		httpGet(t, in.baseURL+path)
	}
	metrics := httpGet(t, in.baseURL+"/metrics")
	for _, name := range []string{"inkorg_webhook_requests_total", "inkorg_queue_published_total"} {
		if !strings.Contains(metrics, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if code := in.stop(); code != exitOK {
		t.Errorf("serve after cancel: got exit %d, want 0", code)
	}
}

func checkConversation(t *testing.T, in *instance, c *inbox.Conversation, text, author string) {
	t.Helper()
	if c == nil {
		t.Errorf("no conversation with text %q", text)
		return
	}
	var detail httpapi.ConversationDetail
	if code := in.getJSON(fmt.Sprintf("/api/v1/conversations/%d", c.ID), &detail); code != http.StatusOK {
		t.Fatalf("GET conversation %d: got status %d, want 200", c.ID, code)
	}
	if len(detail.Messages) != 1 {
		t.Fatalf("conversation %d: got %d messages, want 1 (a redelivery must not duplicate)", c.ID, len(detail.Messages))
	}
	m := detail.Messages[0]
	if m.Text != text {
		t.Errorf("got text %q, want %q", m.Text, text)
	}
	if author != "" && m.AuthorName != author {
		t.Errorf("got author %q, want %q", m.AuthorName, author)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: got status %d, want 200", url, resp.StatusCode)
	}
	return string(b)
}

// onBothBackends runs test on the embedded backends (SQLite, SQL queue)
// and on a migrated PostgreSQL with Redis, each with an environment from
// newEnv.
func onBothBackends(t *testing.T, newEnv func(*testing.T) map[string]string, test func(*testing.T, map[string]string)) {
	t.Run("SQLite", func(t *testing.T) { test(t, newEnv(t)) })
	t.Run("PostgresRedis", func(t *testing.T) {
		env := newEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		redisURL, prefix := inboxtest.RedisURL(t)
		env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = redisURL, prefix
		if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
			t.Fatalf("migrate: got exit %d, want 0", code)
		}
		test(t, env)
	})
}
