package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// outboundEndpoint is one outbound endpoint of the access matrix.
type outboundEndpoint struct {
	name   string
	path   string // with %d for the id
	doc    string // the path as openapi.json names it
	body   string
	action string
	ok     int
	schema string
	// target returns the id the path names, on a conversation routed to
	// admin.
	target func(t *testing.T, s *staff, admin string) (id, conv int64)
}

// comment stores a Facebook comment thread routed to admin and returns
// the conversation and the comment.
func (s *staff) comment(t *testing.T, admin string) (conv, msg int64) {
	t.Helper()
	s.seq++
	id := fmt.Sprintf("post-1_%d", s.seq)
	a, err := s.store.ApplyEvent(context.Background(), inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: id, PostExternalID: "post-1", MessageExternalID: id,
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "c" + id}, Author: inbox.Actor{ExternalID: "c" + id},
		Text: "När öppnar simhallen?", OccurredAt: time.Now().Add(-time.Hour).UTC(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.NewService(s.store, nil).Route(context.Background(), s.router, a.ConversationID, admin, "Kan ni svara?"); err != nil {
		t.Fatal(err)
	}
	return a.ConversationID, a.MessageID
}

func outboundEndpoints() []outboundEndpoint {
	recent := func(t *testing.T, s *staff, admin string) (int64, int64) {
		conv := s.conversation(t, admin)
		// The citizen wrote recently, inside the messaging window.
		_, err := s.store.ApplyEvent(context.Background(), inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: "page-1", ThreadKey: fmt.Sprintf("psid-work-%d", s.seq), MessageExternalID: fmt.Sprintf("mid-recent-%d", s.seq),
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: fmt.Sprintf("psid-work-%d", s.seq)},
			Text: "Hallå?", OccurredAt: time.Now().Add(-time.Minute).UTC(),
		})
		if err != nil {
			t.Fatal(err)
		}
		return conv, conv
	}
	comment := func(t *testing.T, s *staff, admin string) (int64, int64) {
		conv, msg := s.comment(t, admin)
		return msg, conv
	}
	hidden := func(t *testing.T, s *staff, admin string) (int64, int64) {
		msg, conv := comment(t, s, admin)
		m, _ := s.store.FindMessageByID(context.Background(), msg)
		_, err := s.store.ApplyEvent(context.Background(), inbox.Event{Kind: inbox.EventMessageHidden, Platform: inbox.PlatformFacebook,
			Channel: inbox.ChannelFacebookComment, AccountExternalID: "page-1", MessageExternalID: m.ExternalID,
			Author: inbox.Actor{ExternalID: "page-1"}, OccurredAt: time.Now().UTC()})
		if err != nil {
			t.Fatal(err)
		}
		return msg, conv
	}
	failed := func(t *testing.T, s *staff, admin string) (int64, int64) {
		conv, _ := recent(t, s, admin)
		svc := inbox.NewService(s.store, nil)
		if _, err := svc.Reply(context.Background(), s.sup, conv, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej", Takeover: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Unassign(context.Background(), s.sup, conv); err != nil {
			t.Fatal(err)
		}
		list, _ := s.store.FindOutboundActions(context.Background(), conv)
		_, err := s.store.UpdateOutbound(context.Background(), inbox.OutboundUpdate{ID: list[0].ID,
			From: []inbox.OutboundState{inbox.OutboundQueued}, State: inbox.OutboundFailed,
			Failure: &inbox.OutboundFailure{Class: "transient", SV: "Försök igen.", EN: "Try again.", Retryable: true}})
		if err != nil {
			t.Fatal(err)
		}
		return list[0].ID, conv
	}
	return []outboundEndpoint{
		{name: "reply", path: "/api/v1/conversations/%d/reply", doc: "/conversations/{id}/reply", body: `{"kind":"direct","text":"Hej! Boka på goteborg.se."}`,
			action: inbox.ActionReply, ok: 202, schema: "Message", target: recent},
		{name: "hide", path: "/api/v1/messages/%d/hide", doc: "/messages/{id}/hide", body: `{"reason":"personnummer"}`,
			action: inbox.ActionHideComment, ok: 202, schema: "OutboundAction", target: comment},
		{name: "unhide", path: "/api/v1/messages/%d/unhide", doc: "/messages/{id}/unhide",
			action: inbox.ActionUnhideComment, ok: 202, schema: "OutboundAction", target: hidden},
		{name: "delete", path: "/api/v1/messages/%d/delete", doc: "/messages/{id}/delete", body: `{"reason":"olaga hot"}`,
			action: inbox.ActionDeleteComment, ok: 202, schema: "OutboundAction", target: comment},
		{name: "retry", path: "/api/v1/outbound/%d/retry", doc: "/outbound/{id}/retry",
			action: inbox.ActionRetryOutbound, ok: 202, schema: "OutboundAction", target: failed},
	}
}

// TestOutboundAccessMatrix calls every outbound endpoint as every role on
// conversations routed to the user's own administration and to a foreign
// one: specialists act only on their own administration's, and never
// reply to the citizen, nor send a failed reply again (the department
// answers back with answer); only an allowed call is audited.
func TestOutboundAccessMatrix(t *testing.T) {
	s := newStaff(t)
	if err := s.store.CreateAccount(context.Background(), &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	const own, foreign = "idrott-och-forening", "kretslopp-och-vatten"
	for _, u := range []*inbox.User{s.agent, s.spec, s.sup, s.admin} {
		for _, admin := range []string{own, foreign} {
			allow := u.Role != inbox.RoleSpecialist || admin == own
			side := map[string]string{own: "Own", foreign: "Foreign"}[admin]
			for _, e := range outboundEndpoints() {
				allow := allow && (u.Role != inbox.RoleSpecialist || e.name != "reply" && e.name != "retry")
				name := fmt.Sprintf("%s/%s/%s/OK", u.Role, side, e.name)
				if !allow {
					name = fmt.Sprintf("%s/%s/%s/Err403", u.Role, side, e.name)
				}
				t.Run(name, func(t *testing.T) {
					id, conv := e.target(t, s, admin)
					before := len(s.audit(t, conv))
					var body map[string]any
					resp := s.post(t, fmt.Sprintf(e.path, id), u, e.body, &body)
					wantDocumented(t, e.doc, resp.StatusCode)
					entries := s.audit(t, conv)
					if !allow {
						if resp.StatusCode != http.StatusForbidden || len(entries) != before {
							t.Fatalf("got status %d %v and %d new audit entries, want 403 and none", resp.StatusCode, body, len(entries)-before)
						}
						return
					}
					if resp.StatusCode != e.ok {
						t.Fatalf("got status %d %v, want %d", resp.StatusCode, body, e.ok)
					}
					wantRequired(t, e.schema, body)
					if len(entries) != before+1 || entries[len(entries)-1].Action != e.action || entries[len(entries)-1].ActorID != u.ID {
						t.Fatalf("audit %+v, want one more %s by %d", entries, e.action, u.ID)
					}
				})
			}
		}
	}
	t.Run("anonymous/ErrUnauthorized", func(t *testing.T) {
		for _, e := range outboundEndpoints() {
			if resp := s.post(t, fmt.Sprintf(e.path, 1), nil, e.body, nil); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s: got status %d, want 401", e.name, resp.StatusCode)
			}
		}
	})
}

// TestReplyRuleErrors shows that a broken Meta rule reaches the client as
// a clear Swedish and English message.
func TestReplyRuleErrors(t *testing.T) {
	s := newStaff(t)
	if err := s.store.CreateAccount(context.Background(), &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	// The citizen wrote on 24 November 2026, long before now: the window
	// is closed.
	id := s.conversation(t, "")
	var body struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/reply", id), s.agent, `{"kind":"direct","text":"Hej"}`, &body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body.Error.Message, "24 timmar") || !strings.Contains(body.Error.Message, "24 hours") {
		t.Fatalf("got %d %q, want 400 explaining the 24-hour window in Swedish and English", resp.StatusCode, body.Error.Message)
	}
	resp = s.post(t, fmt.Sprintf("/api/v1/conversations/%d/reply", id), s.agent, `{"kind":"public","text":"Hej"}`, &body)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("public reply in a message thread: got %d, want 400", resp.StatusCode)
	}
}

// TestChannels shows the channels' health to supervisors and admins only,
// and never a token.
func TestChannels(t *testing.T) {
	s := newStaff(t)
	a := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}
	if err := s.store.CreateAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	const sealed = "v1:abcd:c2VhbGVkLXRva2Vu"
	if err := s.store.SetAccountToken(context.Background(), a.ID, sealed); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*inbox.User{s.agent, s.spec, s.sup, s.admin} {
		var body struct {
			Channels []map[string]any `json:"channels"`
		}
		resp := s.get(t, "/api/v1/channels", "Bearer "+s.tokens[u.ID], &body)
		want := http.StatusForbidden
		if u.Role == inbox.RoleSupervisor || u.Role == inbox.RoleAdmin {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Fatalf("%s: got %d, want %d", u.Role, resp.StatusCode, want)
		}
		if want == http.StatusOK {
			if len(body.Channels) != 1 || body.Channels[0]["can_send"] != true || body.Channels[0]["quiet"] != false {
				t.Fatalf("%s: channels %v, want one that can send and is not quiet (added just now)", u.Role, body.Channels)
			}
			wantRequired(t, "Account", body.Channels[0])
			raw, _ := json.Marshal(body)
			if strings.Contains(string(raw), sealed) || strings.Contains(string(raw), "c2VhbGVk") {
				t.Fatal("the stored token appears in the answer")
			}
		}
	}
}
