package main

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// TestAutoHideEndToEnd: with INKORG_AUTO_HIDE_PERSONAL_NUMBERS=1 a public
// comment holding a personal identity number is hidden by the system
// through the outbound queue, without an agent, and its triage says so.
func TestAutoHideEndToEnd(t *testing.T) {
	env := baseEnv(t)
	env["META_GRAPH_URL"] = "sandbox"
	env["INKORG_SECRET_KEY"] = testKeyOld
	env["INKORG_AUTO_HIDE_PERSONAL_NUMBERS"] = "1"
	if code, _ := runCmd(t, env, "sandbox-page-token\n", "accounts", "add", "--platform", "facebook", "--id", "1234567890321",
		"--name", "Göteborgs Stad", "--token-stdin"); code != exitOK {
		t.Fatalf("accounts add: exit %d", code)
	}
	in := startInkorg(t, env)
	body := []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":"1234567890321","time":%[1]d,"changes":[{"field":"feed","value":{
		"item":"comment","verb":"add","comment_id":"901097836652708_777","post_id":"1234567890321_901097836652708",
		"parent_id":"1234567890321_901097836652708","from":{"id":"4456","name":"Citizen"},"created_time":%[1]d,
		"message":"Mitt personnummer är 19821105-9954, när får jag mitt parkeringstillstånd?"}}]}]}`, time.Now().Unix()))
	if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
		t.Fatalf("POST webhook: %d", code)
	}
	conv := in.waitConversations(1)[0]

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
	if len(out.Outbound) != 1 || out.Outbound[0].Kind != inbox.OutboundHideComment || out.Outbound[0].State != inbox.OutboundSent {
		t.Fatalf("outbound %+v, want one hide_comment action sent", out.Outbound)
	}
	if a := out.Outbound[0]; a.ActorID != 0 || a.Reason == "" {
		t.Errorf("got actor %d, reason %q; want the system (0) with a reason", a.ActorID, a.Reason)
	}
	var detail struct {
		Conversation *inbox.Conversation `json:"conversation"`
	}
	in.getJSON(fmt.Sprintf("/api/v1/conversations/%d", conv.ID), &detail)
	if tr := detail.Conversation.Triage; tr == nil || !tr.AutoHidden || !tr.HideRecommended || tr.PrivateReply == "" {
		t.Errorf("got triage %+v, want auto_hidden with hide_recommended and the private reply", tr)
	}
}
