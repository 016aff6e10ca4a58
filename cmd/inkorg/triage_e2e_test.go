package main

import (
	"fmt"
	"net/http"
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

	// An agent judges it a false positive and shows it again: the same
	// comment read again, or edited with the number still in it, is not
	// hidden again.
	msg := out.Outbound[0].TargetMessageID
	if code := in.postJSON(fmt.Sprintf("/api/v1/messages/%d/unhide", msg), `{}`); code != http.StatusAccepted {
		t.Fatalf("unhide: %d", code)
	}
	postComment(t, in, "901097836652708_777", "4456", "Mitt personnummer är 19821105-9954, när får jag mitt parkeringstillstånd?")
	const edited = "Mitt personnummer är 19821105-9954. När får jag mitt parkeringstillstånd?"
	postCommentChange(t, in, "edited", "901097836652708_777", "4456", edited)
	var thread struct {
		Messages []*inbox.Message `json:"messages"`
	}
	deadline = time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		in.getJSON(fmt.Sprintf("/api/v1/conversations/%d", conv.ID), &thread)
		if len(thread.Messages) > 0 && thread.Messages[0].Text == edited {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(thread.Messages) == 0 || thread.Messages[0].Text != edited {
		t.Fatalf("the edit was not applied: %+v", thread.Messages)
	}
	time.Sleep(time.Second) // the hooks after the edit, and a hide they might queue
	in.getJSON(fmt.Sprintf("/api/v1/conversations/%d/outbound", conv.ID), &out)
	if len(out.Outbound) != 2 || out.Outbound[1].Kind != inbox.OutboundUnhideComment {
		for _, a := range out.Outbound {
			t.Logf("outbound %d %s %s actor %d", a.ID, a.Kind, a.State, a.ActorID)
		}
		t.Errorf("got %d outbound actions, want the hide and the agent's unhide only", len(out.Outbound))
	}
}
