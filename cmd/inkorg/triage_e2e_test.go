package main

import (
	"fmt"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestAutoHideEndToEnd: with INKORG_AUTO_HIDE_PERSONAL_NUMBERS=1 a public
// comment holding a personal identity number is hidden by the system
// through the outbound queue, without an agent, and its triage says so.
func TestAutoHideEndToEnd(t *testing.T) {
	in := startSandboxed(t, map[string]string{"INKORG_AUTO_HIDE_PERSONAL_NUMBERS": "1"})
	postComment(t, in, "901097836652708_777", "4456", "Mitt personnummer är 19821105-9954, när får jag mitt parkeringstillstånd?")
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
