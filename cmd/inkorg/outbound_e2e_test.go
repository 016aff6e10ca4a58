package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// TestOutboundEndToEnd replies to a webhook comment through the API of a
// running inkorg whose Graph API is the sandbox, and sees the call the
// sender made, the action sent and the metric counted.
func TestOutboundEndToEnd(t *testing.T) {
	in := startSandboxed(t, nil)
	postComment(t, in, "901097836652708_555", "4455", "När öppnar biblioteket?")
	conv := in.waitConversations(1)[0]

	in.reply(t, conv.ID, `{"kind":"public","text":"Biblioteket öppnar klockan 10."}`)

	var out struct {
		Outbound []*inbox.OutboundAction `json:"outbound"`
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		in.getJSON(fmt.Sprintf("/api/v1/conversations/%d/outbound", conv.ID), &out)
		if len(out.Outbound) == 1 && out.Outbound[0].State == inbox.OutboundSent {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(out.Outbound) != 1 || out.Outbound[0].State != inbox.OutboundSent {
		t.Fatalf("outbound %+v, want one sent action", out.Outbound)
	}
	var calls struct {
		Calls []struct {
			Method, Path string
			Status       int
		} `json:"calls"`
	}
	in.getJSONAs(in.supToken, "/api/v1/sandbox/calls", &calls)
	// The reconcile job polls the Page in the background, so the reply
	// need not be the last call.
	replies := 0
	for _, c := range calls.Calls {
		if c.Method == http.MethodPost && c.Path == "/901097836652708_555/comments" && c.Status == http.StatusOK {
			replies++
		}
	}
	if replies != 1 {
		t.Fatalf("sandbox calls %+v, want one reply to the comment", calls.Calls)
	}
	if m := httpGet(t, in.baseURL+"/metrics"); !strings.Contains(m, `inkorg_outbound_sent_total{kind="public_reply"} 1`) {
		t.Error("/metrics does not count the sent reply")
	}
	var channels map[string]any
	if code := in.getJSON("/api/v1/channels", &channels); code != http.StatusForbidden {
		t.Errorf("channels as an agent: %d, want 403", code)
	}
	raw, _ := json.Marshal(out)
	if strings.Contains(raw2s(raw)+in.stdout.String(), "sandbox-page-token") {
		t.Error("the access token appears in an answer or the output")
	}
}

func raw2s(b []byte) string { return string(b) }

// startSandboxed starts inkorg on the Graph API sandbox with the city's
// test Page connected (its token sealed with testKeyOld); extra adds to
// the environment.
func startSandboxed(t *testing.T, extra map[string]string) *instance {
	t.Helper()
	env := baseEnv(t)
	env["META_GRAPH_URL"] = "sandbox"
	env["INKORG_SECRET_KEY"] = testKeyOld
	for k, v := range extra {
		env[k] = v
	}
	if code, _ := runCmd(t, env, "sandbox-page-token\n", "accounts", "add", "--platform", "facebook", "--id", "1234567890321",
		"--name", "Göteborgs Stad", "--token-stdin"); code != exitOK {
		t.Fatalf("accounts add: exit %d", code)
	}
	return startInkorg(t, env)
}

// reply sends a reply to conversation id through the API and fails unless
// it is accepted for the outbound queue.
func (in *instance) reply(t *testing.T, id int64, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/conversations/%d/reply", in.baseURL, id), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+in.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("reply: %d %s", resp.StatusCode, buf.String())
	}
}

// postComment posts a signed webhook with a new top-level comment on the
// test Page's post.
func postComment(t *testing.T, in *instance, commentID, fromID, text string) {
	t.Helper()
	postCommentChange(t, in, "add", commentID, fromID, text)
}

// postCommentChange posts a signed webhook with verb (add, edited …) of a
// top-level comment on the test Page's post.
func postCommentChange(t *testing.T, in *instance, verb, commentID, fromID, text string) {
	t.Helper()
	msg, _ := json.Marshal(text)
	body := []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":"1234567890321","time":%[1]d,"changes":[{"field":"feed","value":{
		"item":"comment","verb":%[5]q,"comment_id":%[2]q,"post_id":"1234567890321_901097836652708",
		"parent_id":"1234567890321_901097836652708","from":{"id":%[3]q,"name":"Citizen"},"created_time":%[1]d,
		"message":%[4]s}}]}]}`, time.Now().Unix(), commentID, fromID, msg, verb))
	if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
		t.Fatalf("POST webhook: %d", code)
	}
}
