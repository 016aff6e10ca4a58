package sender_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

func TestDirectReplySentOnce(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-1", time.Hour)
	m, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej! Tömning sker på tisdagar."})
	if err != nil {
		t.Fatal(err)
	}
	if m.Delivery != inbox.DeliveryQueued || m.Published() {
		t.Fatalf("queued message: delivery %q external id %q, want queued and unpublished", m.Delivery, m.ExternalID)
	}
	if errs := f.deliver(t); len(errs) != 0 {
		t.Fatal(errs)
	}
	calls := f.succeeded()
	if len(calls) != 1 || calls[0].Path != "/page-1/messages" {
		t.Fatalf("sandbox calls = %+v, want one send to /page-1/messages", calls)
	}
	var body struct {
		Recipient     map[string]string `json:"recipient"`
		MessagingType string            `json:"messaging_type"`
		Message       map[string]string `json:"message"`
	}
	_ = json.Unmarshal(calls[0].Body, &body)
	a := f.actionOf(t, conv)
	if body.Recipient["id"] != "psid-1" || body.MessagingType != graph.MessagingTypeResponse || body.Message["metadata"] != a.Key {
		t.Errorf("send body = %s, want recipient psid-1, RESPONSE and metadata %s", calls[0].Body, a.Key)
	}
	if a.State != inbox.OutboundSent || a.PlatformID != calls[0].ResultID || a.Attempts != 1 {
		t.Fatalf("action = %+v, want sent with platform id %s after 1 attempt", a, calls[0].ResultID)
	}
	// The echo webhook of the send is the same message, not a second one.
	f.apply(t, echo(calls[0].ResultID, "psid-1", "Hej! Tömning sker på tisdagar.", ""))
	msgs := f.messages(t, conv)
	if len(msgs) != 2 || msgs[1].ExternalID != a.PlatformID || msgs[1].Delivery != inbox.DeliverySent || msgs[1].SentOutsideInkorg {
		t.Fatalf("messages = %+v, want the citizen's and one sent reply", msgs)
	}
	c, _ := f.store.FindConversationByID(ctx, conv)
	if c.AssigneeID != f.anna.ID || c.FirstResponseAt == nil || c.MessageCount != 2 {
		t.Errorf("conversation assignee %d first response %v count %d, want anna, set, 2", c.AssigneeID, c.FirstResponseAt, c.MessageCount)
	}
	audit, _ := f.store.FindAudit(ctx, conv)
	if len(audit) != 1 || audit[0].Action != inbox.ActionReply || audit[0].ActorID != f.anna.ID {
		t.Errorf("audit = %+v, want one reply entry by anna", audit)
	}
	if k := liveKinds(f.live); len(k) != 2 || k[0] != inbox.LiveOutbound {
		t.Errorf("live events = %v, want outbound queued and sent", k)
	}
	// A duplicate delivery after success does nothing.
	if err := f.redeliver(t, a); err != nil || len(f.sandbox.Calls()) != 1 {
		t.Fatalf("redelivery: %v, %d calls, want nil and still 1", err, len(f.sandbox.Calls()))
	}
}

// echo is the echo webhook of a message the page sent to psid.
func echo(mid, psid, text, metadata string) inbox.Event {
	return inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: psid, MessageExternalID: mid, Direction: inbox.DirectionOutbound,
		Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: "page-1"}, Text: text,
		Metadata: metadata, SentOutsideInkorg: true, OccurredAt: T.Add(time.Second),
	}
}

func TestEveryEndpoint(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	fbConv, fbComment := f.comment(t, inbox.PlatformFacebook, "post-1_100", time.Hour)
	igConv, igComment := f.comment(t, inbox.PlatformInstagram, "17900000000000001", time.Hour)
	dm := f.messenger(t, "psid-2", 30*time.Hour) // outside 24 h: needs HUMAN_AGENT
	if err := f.store.SetAccountHumanAgent(ctx, f.page.ID, true); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name       string
		do         func() error
		wantMethod string
		wantPath   string
		wantParam  string
	}{
		{"FacebookPublicReply", func() error {
			_, err := f.svc.Reply(ctx, f.anna, fbConv, inbox.ReplyRequest{Kind: inbox.ReplyPublic, Text: "Badhuset öppnar i morgon."})
			return err
		}, "POST", "/post-1_100/comments", `"message":"Badhuset öppnar i morgon."`},
		{"FacebookPrivateReply", func() error {
			_, err := f.svc.Reply(ctx, f.anna, fbConv, inbox.ReplyRequest{Kind: inbox.ReplyPrivate, Text: "Vi skriver privat."})
			return err
		}, "POST", "/page-1/messages", `"comment_id":"post-1_100"`},
		{"InstagramPublicReply", func() error {
			_, err := f.svc.Reply(ctx, f.anna, igConv, inbox.ReplyRequest{Kind: inbox.ReplyPublic, Text: "Tack!"})
			return err
		}, "POST", "/17900000000000001/replies", `"message":"Tack!"`},
		{"InstagramPrivateReply", func() error {
			_, err := f.svc.Reply(ctx, f.anna, igConv, inbox.ReplyRequest{Kind: inbox.ReplyPrivate, Text: "Privat svar."})
			return err
		}, "POST", "/ig-1/messages", `"comment_id":"17900000000000001"`},
		{"MessengerHumanAgent", func() error {
			_, err := f.svc.Reply(ctx, f.anna, dm, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Ursäkta dröjsmålet."})
			return err
		}, "POST", "/page-1/messages", `"tag":"HUMAN_AGENT"`},
		{"FacebookHide", func() error {
			_, err := f.svc.ModerateComment(ctx, f.anna, fbComment, inbox.CommentHide, "personnummer i kommentaren")
			return err
		}, "POST", "/post-1_100", `"is_hidden":"true"`},
		{"FacebookUnhide", func() error {
			_, err := f.svc.ModerateComment(ctx, f.anna, fbComment, inbox.CommentUnhide, "")
			return err
		}, "POST", "/post-1_100", `"is_hidden":"false"`},
		{"InstagramHide", func() error {
			_, err := f.svc.ModerateComment(ctx, f.anna, igComment, inbox.CommentHide, "")
			return err
		}, "POST", "/17900000000000001", `"hide":"true"`},
		{"InstagramDelete", func() error {
			_, err := f.svc.ModerateComment(ctx, f.anna, igComment, inbox.CommentDelete, "olaga hot")
			return err
		}, "DELETE", "/17900000000000001", ``},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := len(f.sandbox.Calls())
			if err := st.do(); err != nil {
				t.Fatal(err)
			}
			if errs := f.deliver(t); len(errs) != 0 {
				t.Fatal(errs)
			}
			calls := f.sandbox.Calls()[before:]
			if len(calls) != 1 || !calls[0].Succeeded() || calls[0].Method != st.wantMethod || calls[0].Path != st.wantPath {
				t.Fatalf("calls = %+v, want one %s %s", calls, st.wantMethod, st.wantPath)
			}
			if !strings.Contains(string(calls[0].Body), st.wantParam) {
				t.Errorf("body %s does not contain %s", calls[0].Body, st.wantParam)
			}
			if strings.HasSuffix(st.wantPath, "/messages") && !strings.Contains(string(calls[0].Body), `"metadata":"inkorg-`) {
				// The echo of a private reply opens the author's message
				// thread; the key tells inkorg it is this reply.
				t.Errorf("body %s carries no idempotency key as metadata", calls[0].Body)
			}
		})
	}
	msg, _ := f.store.FindMessageByID(ctx, fbComment)
	if msg.Hidden {
		t.Error("Facebook comment still hidden after unhide")
	}
	msg, _ = f.store.FindMessageByID(ctx, igComment)
	if !msg.Hidden || !msg.Deleted() {
		t.Errorf("Instagram comment hidden %v deleted %v, want both", msg.Hidden, msg.Deleted())
	}
	for _, a := range append(mustActions(t, f, fbConv), mustActions(t, f, igConv)...) {
		if a.State != inbox.OutboundSent {
			t.Errorf("action %d %s is %s, want sent", a.ID, a.Kind, a.State)
		}
	}
	// One private reply per comment.
	_, err := f.svc.Reply(ctx, f.anna, fbConv, inbox.ReplyRequest{Kind: inbox.ReplyPrivate, Text: "Igen."})
	if inbox.ErrorCode(err) != inbox.ECONFLICT {
		t.Errorf("second private reply: %v, want ECONFLICT", err)
	}
}

func mustActions(t *testing.T, f *fixture, conv int64) []*inbox.OutboundAction {
	t.Helper()
	list, err := f.store.FindOutboundActions(context.Background(), conv)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestErrorClasses(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	conv := f.messenger(t, "psid-3", time.Hour)
	seen := map[[2]int]graph.Class{}
	for _, fault := range graph.DocumentedErrors {
		name := strings.ReplaceAll(fault.Message, " ", "_")
		t.Run(name, func(t *testing.T) {
			if err := f.store.SetAccountNeedsToken(ctx, f.page.ID, false); err != nil {
				t.Fatal(err)
			}
			f.sandbox.FailNext(1, fault)
			if _, err := f.svc.Reply(ctx, f.anna, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Svar"}); err != nil {
				t.Fatal(err)
			}
			errs := f.deliver(t)
			a := f.actionOf(t, conv)
			if a.Failure == nil || a.Failure.Code != fault.Code || a.Failure.SV == "" || a.Failure.EN == "" {
				t.Fatalf("failure = %+v, want code %d explained in Swedish and English", a.Failure, fault.Code)
			}
			class := graph.Class(a.Failure.Class)
			seen[[2]int{fault.Code, fault.Subcode}] = class
			want := map[graph.Class]inbox.OutboundState{graph.Transient: inbox.OutboundQueued, graph.Ambiguous: inbox.OutboundNeedsCheck}[class]
			if want == "" {
				want = inbox.OutboundFailed
			}
			if a.State != want {
				t.Errorf("class %s: state %s, want %s", class, a.State, want)
			}
			if (class == graph.Transient) != (len(errs) == 1) {
				t.Errorf("class %s: handler errors %v; only a transient failure asks the queue to retry", class, errs)
			}
			acc := findAccount(t, f, f.page.ID)
			if acc.NeedsToken != (class == graph.Token) {
				t.Errorf("class %s: account needs token = %v", class, acc.NeedsToken)
			}
			if class == graph.Transient {
				// Let the retry through so the next case starts clean.
				if err := f.redeliver(t, a); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	wantClass := map[[2]int]graph.Class{{190, 0}: graph.Token, {10, 2018278}: graph.OutsideWindow,
		{551, 0}: graph.RecipientUnavailable, {100, 0}: graph.InvalidRequest, {32, 0}: graph.Transient, {1, 1357046}: graph.Ambiguous}
	for k, want := range wantClass {
		if seen[k] != want {
			t.Errorf("code %v: class %q, want %q", k, seen[k], want)
		}
	}
	if !containsKind(liveKinds(f.live), inbox.LiveAlert) {
		t.Error("no live alert after a token failure")
	}
}

func containsKind(ks []inbox.LiveKind, k inbox.LiveKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func findAccount(t *testing.T, f *fixture, id int64) *inbox.Account {
	t.Helper()
	list, err := f.store.FindAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("account %d not found", id)
	return nil
}
