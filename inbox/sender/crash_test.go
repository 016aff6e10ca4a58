package sender_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/sender"
)

// crashOnce runs the sender on every published message with a store that
// panics between the Graph call and recording its outcome, as a process
// killed there would stop.
func crashOnce(t *testing.T, f *fixture, wrap *storeWrapper) {
	t.Helper()
	wrap.crash = true
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the sender did not reach the crash point")
			}
		}()
		f.deliver(t)
	}()
	wrap.crash = false
}

// crashedReply queues a direct reply with text to psid and crashes the
// sender right after Meta accepted it.
func crashedReply(t *testing.T, psid, text string) (*fixture, int64, *inbox.OutboundAction) {
	t.Helper()
	wrap := &storeWrapper{}
	f := newFixture(t, wrap)
	conv := f.messenger(t, psid, time.Hour)
	if _, err := f.svc.Reply(context.Background(), f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: text}); err != nil {
		t.Fatal(err)
	}
	crashOnce(t, f, wrap)
	return f, conv, f.actionOf(t, conv)
}

func TestCrashAfterCallNoDoublePost(t *testing.T) {
	f, conv, a := crashedReply(t, "psid-4", "Hej")
	if a.State != inbox.OutboundSending || len(f.succeeded()) != 1 {
		t.Fatalf("after the crash: state %s, %d sends; want sending and 1", a.State, len(f.succeeded()))
	}
	// Redelivered at once, it may still be in flight elsewhere: wait.
	if err := f.redeliver(t, a); err == nil {
		t.Fatal("redelivery of an action in flight succeeded; want it to come back later")
	}
	// Redelivered after the in-flight time, it is not sent again but
	// marked for an agent to check.
	f.clock.Add(sender.DefaultInFlight + time.Second)
	if err := f.redeliver(t, a); err != nil {
		t.Fatal(err)
	}
	a = f.actionOf(t, conv)
	if a.State != inbox.OutboundNeedsCheck || a.Failure == nil || a.Failure.Class != string(graph.Ambiguous) {
		t.Fatalf("state %s failure %+v, want needs_check, ambiguous", a.State, a.Failure)
	}
	if n := len(f.succeeded()); n != 1 {
		t.Fatalf("%d sends, want 1: an ambiguous send must not be repeated", n)
	}
	// The echo of the lost send settles it: sent, one message.
	sent := f.succeeded()[0]
	f.apply(t, echo(sent.ResultID, "psid-4", "Hej", a.Key))
	a = f.actionOf(t, conv)
	msgs := f.messages(t, conv)
	if a.State != inbox.OutboundSent || a.PlatformID != sent.ResultID || len(msgs) != 2 || msgs[1].ExternalID != sent.ResultID {
		t.Fatalf("after the echo: state %s id %s, %d messages; want sent %s and 2", a.State, a.PlatformID, len(msgs), sent.ResultID)
	}
}

func TestCrashEchoBeforeRedelivery(t *testing.T) {
	f, conv, a := crashedReply(t, "psid-5", "Hej igen")
	// The echo arrives while the action is still sending; without
	// metadata, it is matched by thread and text.
	f.apply(t, echo(f.succeeded()[0].ResultID, "psid-5", "Hej igen", ""))
	f.clock.Add(sender.DefaultInFlight + time.Second)
	if err := f.redeliver(t, a); err != nil {
		t.Fatal(err)
	}
	if a = f.actionOf(t, conv); a.State != inbox.OutboundSent || len(f.succeeded()) != 1 || len(f.messages(t, conv)) != 2 {
		t.Fatalf("state %s, %d sends, %d messages; want sent, 1, 2", a.State, len(f.succeeded()), len(f.messages(t, conv)))
	}
}

func TestCrashModerationIsRepeated(t *testing.T) {
	wrap := &storeWrapper{}
	f := newFixture(t, wrap)
	ctx := context.Background()
	_, comment := f.comment(t, inbox.PlatformFacebook, "post-1_200", time.Hour)
	a, err := f.svc.ModerateComment(ctx, f.anna, comment, inbox.CommentHide, "")
	if err != nil {
		t.Fatal(err)
	}
	crashOnce(t, f, wrap)
	f.clock.Add(sender.DefaultInFlight + time.Second)
	if err := f.redeliver(t, a); err != nil {
		t.Fatal(err)
	}
	a, _ = f.store.FindOutboundAction(ctx, a.ID)
	m, _ := f.store.FindMessageByID(ctx, comment)
	if a.State != inbox.OutboundSent || !m.Hidden || len(f.succeeded()) != 2 {
		t.Fatalf("state %s hidden %v calls %d; want sent, hidden, 2 (hiding is idempotent)", a.State, m.Hidden, len(f.succeeded()))
	}
}

func TestThrottlingBacksOff(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-6", time.Hour)
	usage := http.Header{graph.HeaderBusinessUsage: {`{"page-1":[{"type":"messenger","call_count":100,"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":5}]}`}}
	f.sandbox.FailNext(1, graph.Fault{Code: 80006, Header: usage})
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Första"}); err != nil {
		t.Fatal(err)
	}
	if errs := f.deliver(t); len(errs) != 0 {
		t.Fatalf("handler errors %v; a long wait is scheduled, not retried by the queue", errs)
	}
	a := f.actionOf(t, conv)
	if a.State != inbox.OutboundQueued || a.NextAttemptAt == nil || !a.NextAttemptAt.Equal(T.Add(5*time.Minute)) {
		t.Fatalf("state %s next attempt %v, want queued until %v", a.State, a.NextAttemptAt, T.Add(5*time.Minute))
	}
	// A second reply to the same account waits too: no call is made while
	// Meta throttles the page.
	conv2 := f.messenger(t, "psid-7", time.Hour)
	if _, err := f.svc.Reply(ctx, f.anna, conv2, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Andra"}); err != nil {
		t.Fatal(err)
	}
	f.deliver(t)
	if n := len(f.sandbox.Calls()); n != 1 {
		t.Fatalf("%d calls during the throttle, want 1", n)
	}
	if n, _ := f.sender.SweepOnce(ctx); n != 0 {
		t.Fatalf("sweep before the wait published %d", n)
	}
	f.clock.Add(5*time.Minute + time.Second)
	if n, err := f.sender.SweepOnce(ctx); err != nil || n != 2 {
		t.Fatalf("sweep after the wait published %d, %v; want 2", n, err)
	}
	// Usage above 80 %: the next call is spaced out.
	f.sandbox.FailNext(1, graph.Fault{Header: http.Header{graph.HeaderAppUsage: {`{"call_count":90,"total_time":10,"total_cputime":10}`}}})
	if errs := f.deliver(t); len(errs) != 0 {
		t.Fatal(errs)
	}
	if a := f.actionOf(t, conv); a.State != inbox.OutboundSent {
		t.Fatalf("first reply %s after the wait, want sent", a.State)
	}
	if a := f.actionOf(t, conv2); a.State != inbox.OutboundSent {
		t.Fatalf("second reply %s after the wait, want sent", a.State)
	}
	calls := f.sandbox.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls, want 3", len(calls))
	}
	if gap := calls[2].Time.Sub(calls[1].Time); gap < sender.DefaultSlowInterval {
		t.Fatalf("calls above 80 %% usage %v apart, want at least %v (slept %v)", gap, sender.DefaultSlowInterval, f.slept)
	}
}

func TestTransientRetriesThenFails(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-8", time.Hour)
	f.sandbox.FailNext(10, graph.Fault{Code: 2})
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej"}); err != nil {
		t.Fatal(err)
	}
	f.deliver(t)
	a := f.actionOf(t, conv)
	for range 2 {
		if err := f.redeliver(t, a); err == nil && f.actionOf(t, conv).State == inbox.OutboundQueued {
			t.Fatal("a transient failure before the last attempt returned nil")
		}
	}
	a = f.actionOf(t, conv)
	if a.State != inbox.OutboundFailed || a.Attempts != 3 || !a.Failure.Retryable {
		t.Fatalf("after 3 attempts: %s attempts %d failure %+v; want failed, retryable", a.State, a.Attempts, a.Failure)
	}
	// An agent retries it once Meta is back.
	f.sandbox.ClearFaults()
	if _, err := f.svc.RetryOutbound(ctx, f.anna, a.ID); err != nil {
		t.Fatal(err)
	}
	f.deliver(t)
	if a = f.actionOf(t, conv); a.State != inbox.OutboundSent {
		t.Fatalf("after the agent's retry: %s, want sent", a.State)
	}
	audit, _ := f.store.FindAudit(ctx, conv)
	if audit[len(audit)-1].Action != inbox.ActionRetryOutbound {
		t.Errorf("last audit %s, want %s", audit[len(audit)-1].Action, inbox.ActionRetryOutbound)
	}
}

func TestRetryRefusedWhenMetaWouldRefuse(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-9", time.Hour)
	f.sandbox.FailNext(1, graph.DocumentedError(10, 2018278))
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej"}); err != nil {
		t.Fatal(err)
	}
	f.deliver(t)
	a := f.actionOf(t, conv)
	_, err := f.svc.RetryOutbound(ctx, f.anna, a.ID)
	if inbox.ErrorCode(err) != inbox.EINVALID || !strings.Contains(inbox.ErrorMessage(err), "tiden") {
		t.Fatalf("retry: %v, want EINVALID explaining the window", err)
	}
}

func TestCollision(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-10", time.Hour)
	if _, err := f.svc.Claim(ctx, f.bo, conv, false); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej"})
	if h := inbox.HolderOf(err); inbox.ErrorCode(err) != inbox.ECONFLICT || h == nil || h.UserID != f.bo.ID {
		t.Fatalf("reply in bo's conversation: %v, want ECONFLICT held by bo", err)
	}
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej", Takeover: true}); err != nil {
		t.Fatal(err)
	}
	c, _ := f.store.FindConversationByID(ctx, conv)
	audit, _ := f.store.FindAudit(ctx, conv)
	last := audit[len(audit)-1]
	if c.AssigneeID != f.anna.ID || last.Action != inbox.ActionReply || !strings.Contains(last.Detail, `"takeover":true`) {
		t.Fatalf("assignee %d, audit %+v; want anna, a reply recorded as takeover", c.AssigneeID, last)
	}
}

func TestNoTokenInLogsOrRecords(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-11", time.Hour)
	f.sandbox.FailNext(1, graph.Fault{Code: 190, Message: "Invalid OAuth access token " + pageToken})
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej"}); err != nil {
		t.Fatal(err)
	}
	f.deliver(t)
	accounts, _ := f.store.FindAccounts(ctx)
	a := f.actionOf(t, conv)
	everything := f.logs.String()
	for _, v := range []any{accounts, a, f.sandbox.Calls(), f.live.Events()} {
		b, _ := json.Marshal(v)
		everything += string(b)
	}
	if !strings.Contains(f.logs.String(), "graph call failed") {
		t.Fatal("the failed call was not logged; the check below would prove nothing")
	}
	if strings.Contains(everything, pageToken) {
		t.Fatal("the access token appears in logs, records or events")
	}
}

// TestEchoOfEarlierReplyIsNotALaterOne: a standard answer sent an hour ago
// and read back by the reconciliation poll (an echo without the key) is
// not the send of the same text queued since, whose call never reached
// Meta: that reply stays for an agent to check, and the earlier one stays
// in the conversation.
func TestEchoOfEarlierReplyIsNotALaterOne(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-r1", time.Hour)
	text := "Tack för ditt meddelande! Vi återkommer."
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: text}); err != nil {
		t.Fatal(err)
	}
	if errs := f.deliver(t); len(errs) != 0 {
		t.Fatal(errs)
	}
	first := f.actionOf(t, conv)
	if first.State != inbox.OutboundSent {
		t.Fatalf("first reply: %s, want sent", first.State)
	}
	sentAt := f.clock.Now()
	f.clock.Add(time.Hour)
	// The same text again; its worker marks it sending and dies before
	// the call, and the redelivery finds the outcome unknown.
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: text}); err != nil {
		t.Fatal(err)
	}
	f.queue.take()
	second := f.actionOf(t, conv)
	if _, err := f.store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: second.ID, From: []inbox.OutboundState{inbox.OutboundQueued},
		State: inbox.OutboundSending, CountAttempt: true}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(sender.DefaultInFlight + time.Second)
	if err := f.redeliver(t, second); err != nil {
		t.Fatal(err)
	}
	if a, _ := f.store.FindOutboundAction(ctx, second.ID); a.State != inbox.OutboundNeedsCheck {
		t.Fatalf("second reply: %s, want needs_check", a.State)
	}
	// The poll reads the thread back: the first reply, as the
	// reconciliation builds its event.
	f.apply(t, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: "psid-r1", MessageExternalID: first.PlatformID, Direction: inbox.DirectionOutbound,
		Contact: inbox.Actor{ExternalID: "psid-r1"}, Author: inbox.Actor{ExternalID: "page-1"}, SentOutsideInkorg: true,
		Text: text, OccurredAt: sentAt,
	})
	if a, _ := f.store.FindOutboundAction(ctx, second.ID); a.State != inbox.OutboundNeedsCheck || a.PlatformID != "" {
		t.Errorf("second reply: %s with platform id %q after the poll read the first; want needs_check, no id", a.State, a.PlatformID)
	}
	if msgs := f.messages(t, conv); len(msgs) != 3 {
		t.Errorf("got %d messages, want 3 (the citizen's and both replies)", len(msgs))
	}
	if n := len(f.succeeded()); n != 1 {
		t.Errorf("got %d sends, want 1", n)
	}
}

// TestDeleteAnswerLost: a comment delete whose answer is lost is tried
// again, and Meta's "does not exist" to the second call means the first
// deleted it: the action is sent and the comment deleted in inkorg.
func TestDeleteAnswerLost(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	_, comment := f.comment(t, inbox.PlatformFacebook, "post-1_300", time.Hour)
	a, err := f.svc.ModerateComment(ctx, f.anna, comment, inbox.CommentDelete, "personnummer")
	if err != nil {
		t.Fatal(err)
	}
	f.sandbox.FailNext(1, graph.Fault{Hangup: true})
	f.deliver(t)
	if err := f.redeliver(t, a); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	if calls := f.sandbox.Calls(); len(calls) != 2 || calls[1].Code != 100 {
		t.Fatalf("got %d calls (%+v), want the delete and its repetition answered with code 100", len(calls), calls)
	}
	a, _ = f.store.FindOutboundAction(ctx, a.ID)
	m, err := f.store.FindMessageByID(ctx, comment)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != inbox.OutboundSent || !m.Deleted() {
		t.Errorf("got action %s (failure %+v), comment deleted %v; want sent and deleted", a.State, a.Failure, m.Deleted())
	}
}

// TestSweepResumesSendingWithoutQueueMessage: a reply whose handler died
// while sending, and whose queue message then went to the dead letters, is
// resumed by the sweep: marked for an agent to check, who can send it
// again, instead of showing "sending" for good.
func TestSweepResumesSendingWithoutQueueMessage(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-r5", time.Hour)
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej"}); err != nil {
		t.Fatal(err)
	}
	f.queue.take() // dead-lettered after the handler died
	a := f.actionOf(t, conv)
	net := f.clock.Now().Add(10 * time.Minute)
	if _, err := f.store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: a.ID, From: []inbox.OutboundState{inbox.OutboundQueued},
		State: inbox.OutboundSending, CountAttempt: true, NextAttemptAt: &net}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.sender.SweepOnce(ctx); err != nil || n != 0 {
		t.Fatalf("sweep while the call may still run: published %d, %v; want 0", n, err)
	}
	f.clock.Add(11 * time.Minute)
	if n, err := f.sender.SweepOnce(ctx); err != nil || n != 1 {
		t.Fatalf("sweep: published %d, %v; want 1", n, err)
	}
	if errs := f.deliver(t); len(errs) != 0 {
		t.Fatal(errs)
	}
	if a = f.actionOf(t, conv); a.State != inbox.OutboundNeedsCheck {
		t.Fatalf("after the sweep: %s, want needs_check", a.State)
	}
	if n, _ := f.sender.SweepOnce(ctx); n != 0 {
		t.Errorf("a later sweep published %d, want 0", n)
	}
	if _, err := f.svc.RetryOutbound(ctx, f.anna, a.ID); err != nil {
		t.Errorf("an agent sending it again: %v", err)
	}
}

// TestHumanAgentAtSendTime: a reply queued inside the 24-hour window on an
// account approved for the HUMAN_AGENT tag, held back by Meta's rate limit
// until the window closed, goes out with the tag instead of failing.
func TestHumanAgentAtSendTime(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if err := f.store.SetAccountHumanAgent(ctx, f.page.ID, true); err != nil {
		t.Fatal(err)
	}
	conv := f.messenger(t, "psid-r3", 23*time.Hour+50*time.Minute)
	usage := http.Header{graph.HeaderBusinessUsage: {`{"page-1":[{"type":"messenger","call_count":100,"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":15}]}`}}
	f.sandbox.FailNext(1, graph.Fault{Code: 80006, Header: usage})
	if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Svar"}); err != nil {
		t.Fatal(err)
	}
	if a := f.actionOf(t, conv); a.HumanAgent {
		t.Fatal("queued inside the window with the tag; the test needs one without")
	}
	f.deliver(t)
	f.clock.Add(15*time.Minute + time.Second)
	if _, err := f.sender.SweepOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if errs := f.deliver(t); len(errs) != 0 {
		t.Fatal(errs)
	}
	calls := f.sandbox.Calls()
	var body struct {
		MessagingType string `json:"messaging_type"`
		Tag           string `json:"tag"`
	}
	if err := json.Unmarshal(calls[len(calls)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.MessagingType != graph.MessagingTypeMessageTag || body.Tag != "HUMAN_AGENT" {
		t.Errorf("sent after the window closed as %q with tag %q; want %s with HUMAN_AGENT", body.MessagingType, body.Tag, graph.MessagingTypeMessageTag)
	}
	if a := f.actionOf(t, conv); a.State != inbox.OutboundSent {
		t.Errorf("action %s, want sent", a.State)
	}
}
