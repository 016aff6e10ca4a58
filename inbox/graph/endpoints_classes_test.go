package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// documentedClasses is the class every documented error must get on a
// call that is not idempotent (a send); idempotent calls get Transient
// for Meta's "sent, but the reply was invalid".
var documentedClasses = map[[2]int]Class{
	{1, 0}: Transient, {1, 1357046}: Ambiguous, {2, 0}: Transient, {-1, 2018012}: Transient,
	{4, 0}: Transient, {17, 0}: Transient, {32, 0}: Transient, {613, 0}: Transient,
	{80001, 0}: Transient, {80002, 0}: Transient, {80006, 0}: Transient,
	{190, 463}: Token, {190, 460}: Token, {190, 0}: Token,
	{10, 2018278}: OutsideWindow, {10, 2018108}: RecipientUnavailable, {10, 1893063}: Permission,
	{10, 0}: Permission, {200, 1545041}: RecipientUnavailable, {200, 0}: Permission,
	{551, 0}: RecipientUnavailable, {100, 2018001}: RecipientUnavailable, {100, 0}: InvalidRequest,
	{368, 0}: Permission, {506, 0}: Permanent,
}

var testApp = App{ID: "1234567890", Secret: "appsecret0123456789abcdef"}

// endpoint is one client method called with valid arguments.
type endpoint struct {
	op         string
	idempotent bool
	call       func(c *Client) error
}

// everyEndpoint lists every Graph endpoint the client calls.
func everyEndpoint() []endpoint {
	ctx := context.Background()
	fb, ig := inbox.PlatformFacebook, inbox.PlatformInstagram
	return []endpoint{
		{"reply_facebook_comment", false, func(c *Client) error { _, err := c.ReplyToFacebookComment(ctx, testToken, "1_2", "Hej"); return err }},
		{"reply_instagram_comment", false, func(c *Client) error { _, err := c.ReplyToInstagramComment(ctx, testToken, "3", "Hej"); return err }},
		{"private_reply", false, func(c *Client) error {
			_, err := c.PrivateReply(ctx, testToken, fb, "104", "1_2", "Hej", "")
			return err
		}},
		{"private_reply", false, func(c *Client) error { _, err := c.PrivateReply(ctx, testToken, ig, "104", "3", "Hej", ""); return err }},
		{"send_message", false, sendOnce},
		{"send_message", false, func(c *Client) error {
			_, err := c.SendMessage(ctx, testToken, "178", Message{Platform: ig, RecipientID: "9", Text: "Hej", HumanAgent: true})
			return err
		}},
		{"hide_comment", true, func(c *Client) error { _, err := c.SetCommentHidden(ctx, testToken, fb, "1_2", true); return err }},
		{"hide_comment", true, func(c *Client) error { _, err := c.SetCommentHidden(ctx, testToken, ig, "3", false); return err }},
		{"delete_comment", true, func(c *Client) error { _, err := c.DeleteComment(ctx, testToken, "3"); return err }},
		{"fetch_profile", true, func(c *Client) error { _, err := c.FetchProfile(ctx, testToken, fb, "1"); return err }},
		{"list_posts", true, func(c *Client) error { _, _, err := c.RecentPosts(ctx, testToken, fb, "104", 5); return err }},
		{"list_live_media", true, func(c *Client) error { _, _, err := c.LiveMedia(ctx, testToken, "178"); return err }},
		{"list_comments", true, func(c *Client) error { _, _, err := c.Comments(ctx, testToken, ig, "17900", "", 5); return err }},
		{"list_conversations", true, func(c *Client) error {
			_, _, err := c.Conversations(ctx, testToken, fb, "104", 5, 5)
			return err
		}},
		{"list_conversations", true, func(c *Client) error {
			_, _, err := c.Conversations(ctx, testToken, ig, "178", 5, 5)
			return err
		}},
		{"check_token", true, func(c *Client) error { _, err := c.CheckToken(ctx, testToken); return err }},
		{"debug_token", true, func(c *Client) error { _, err := c.DebugToken(ctx, testApp, testToken); return err }},
	}
}

// TestEveryEndpointEveryErrorClass calls every endpoint against the
// sandbox, once answered normally and once with each documented error.
func TestEveryEndpointEveryErrorClass(t *testing.T) {
	if len(documentedClasses) != len(DocumentedErrors) {
		t.Fatalf("%d expectations for %d documented errors: add the new ones here", len(documentedClasses), len(DocumentedErrors))
	}
	c, sb := newTestClient(t, Config{})
	sb.SetProfile("1", Profile{Name: "Anna"})
	for i, ep := range everyEndpoint() {
		t.Run(fmt.Sprintf("%s_%d", ep.op, i), func(t *testing.T) {
			sb.Reset()
			if err := ep.call(c); err != nil {
				t.Fatalf("without a fault: %v", err)
			}
			for _, f := range DocumentedErrors {
				want := documentedClasses[[2]int{f.Code, f.Subcode}]
				switch {
				case ep.idempotent && want == Ambiguous:
					want = Transient
				case ep.op == "debug_token" && want == Token:
					// The rejected token is the app's, not the account's.
					want = Permission
				}
				sb.FailNext(1, f)
				err := ep.call(c)
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%d/%d: err = %v, want *Error", f.Code, f.Subcode, err)
				}
				if e.Class != want || e.Code != f.Code || e.Subcode != f.Subcode || e.Status != f.Status || e.Op != ep.op {
					t.Errorf("%d/%d: class, code, subcode, status, op = %q, %d, %d, %d, %q; want %q, %d, %d, %d, %q",
						f.Code, f.Subcode, e.Class, e.Code, e.Subcode, e.Status, e.Op, want, f.Code, f.Subcode, f.Status, ep.op)
				}
			}
			if n := len(sb.Calls()); n != 1+len(DocumentedErrors) {
				t.Errorf("sandbox recorded %d calls, want %d", n, 1+len(DocumentedErrors))
			}
		})
	}
}

func TestDebugToken(t *testing.T) {
	ctx := context.Background()
	c, sb := newTestClient(t, Config{})
	expires := testNow.Add(3 * 24 * time.Hour).Truncate(time.Second)
	sb.SetTokenAnswer("expiring", TokenAnswer{ExpiresAt: expires, DataAccessExpiresAt: expires.Add(time.Hour),
		Scopes: []string{"instagram_business_basic", "instagram_manage_comments"}, ProfileID: "178"})
	sb.SetTokenAnswer("revoked", TokenAnswer{Invalid: true, ErrorCode: 190, ErrorSubcode: 460})

	t.Run("OK", func(t *testing.T) {
		info, err := c.DebugToken(ctx, testApp, testToken)
		if err != nil {
			t.Fatal(err)
		}
		if !info.Valid || !info.ExpiresAt.IsZero() || !info.DataAccessExpiresAt.IsZero() || info.AppID != testApp.ID ||
			info.Type != "PAGE" || info.ProfileID != SandboxPageID || info.Error != nil {
			t.Errorf("info = %+v, want a valid page token that never expires", info)
		}
		if m := MissingScopes(inbox.PlatformFacebook, info.Scopes); m != nil {
			t.Errorf("missing %v, want none", m)
		}
		call := lastCall(t, sb)
		checkCall(t, call, "GET", "/debug_token")
		if b := body(t, call); b["input_token"] != "[redacted]" {
			t.Errorf("recorded input_token %v, want it redacted", b["input_token"])
		}
	})
	t.Run("Expiring", func(t *testing.T) {
		info, err := c.DebugToken(ctx, testApp, "expiring")
		if err != nil {
			t.Fatal(err)
		}
		if !info.Valid || !info.ExpiresAt.Equal(expires) || !info.DataAccessExpiresAt.Equal(expires.Add(time.Hour)) || info.ProfileID != "178" {
			t.Errorf("info = %+v, want valid until %v", info, expires)
		}
		// Instagram Login and Facebook Login names both count; what is
		// missing is named as Instagram Login, which granted the token,
		// names it.
		if got := MissingScopes(inbox.PlatformInstagram, info.Scopes); len(got) != 1 || got[0] != "instagram_business_manage_messages" {
			t.Errorf("missing %v, want [instagram_business_manage_messages]", got)
		}
	})
	t.Run("ErrInvalidToken", func(t *testing.T) {
		info, err := c.DebugToken(ctx, testApp, "revoked")
		if err != nil {
			t.Fatal(err)
		}
		if info.Valid || info.Error == nil || info.Error.Code != 190 || info.Error.Subcode != 460 || info.Error.Message == "" {
			t.Errorf("info = %+v, want invalid with 190/460", info)
		}
	})
	t.Run("ErrNoApp", func(t *testing.T) {
		sb.Reset()
		_, err := c.DebugToken(ctx, App{ID: testApp.ID}, testToken)
		if ClassOf(err) != InvalidRequest || len(sb.Calls()) != 0 {
			t.Errorf("err = %v after %d calls, want InvalidRequest before any call", err, len(sb.Calls()))
		}
	})
	t.Run("ErrAppTokenRejected", func(t *testing.T) {
		sb.Reset()
		_, err := c.DebugToken(ctx, App{ID: "1", Secret: "x y"}, testToken)
		if ClassOf(err) != Permission || len(sb.Calls()) != 0 {
			t.Errorf("malformed app token: err = %v, want Permission before any call", err)
		}
		sb.FailNext(1, Fault{Code: 190, Message: "Invalid OAuth access token signature " + testApp.Secret})
		_, err = c.DebugToken(ctx, testApp, testToken)
		if ClassOf(err) != Permission || strings.Contains(err.Error(), testApp.Secret) {
			t.Errorf("err = %v, want Permission without the secret", err)
		}
	})
}

func TestSandboxDebugTokenNeedsAppToken(t *testing.T) {
	c, _ := newTestClient(t, Config{})
	// A Page token where the app token belongs: Meta cannot parse it.
	_, err := c.do(context.Background(), testToken, call{op: "debug_token", method: "GET", path: []string{"debug_token"},
		query: map[string][]string{"input_token": {"x"}}, idempotent: true}, &struct{}{})
	if ClassOf(err) != Token {
		t.Errorf("err = %v, want the sandbox's 190", err)
	}
}

func TestConversations(t *testing.T) {
	ctx := context.Background()
	c, sb := newTestClient(t, Config{})
	at := testNow.Add(-time.Hour).Truncate(time.Second)
	sb.AddConversationMessage("104", inbox.PlatformFacebook, "t_1", ConversationMessage{ID: "m_1", Created: at, FromID: "psid_1",
		FromName: "Anna Andersson", ToID: "104", Text: "Hej, när töms soporna?"})
	sb.AddConversationMessage("104", inbox.PlatformFacebook, "t_1", ConversationMessage{ID: "m_2", Created: at.Add(time.Minute),
		FromID: "104", ToID: "psid_1", Text: "Hej Anna!"})
	sb.AddConversationMessage("104", inbox.PlatformFacebook, "t_2", ConversationMessage{ID: "m_3", Created: at.Add(2 * time.Minute),
		FromID: "psid_2", ToID: "104", Attachments: []inbox.Attachment{{Type: inbox.AttachmentImage, URL: "https://cdn.example/p.jpg"}}})
	sb.AddConversationMessage("178", inbox.PlatformInstagram, "ig_t", ConversationMessage{ID: "aWdf1", Created: at, FromID: "igsid_1",
		FromName: "anna.a", ToID: "178", Text: "Hej"})

	convs, _, err := c.Conversations(ctx, testToken, inbox.PlatformFacebook, "104", 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 2 || convs[0].ID != "t_2" || convs[1].ID != "t_1" || !convs[1].Updated.Equal(at.Add(time.Minute)) {
		t.Fatalf("conversations %+v, want t_2 then t_1", convs)
	}
	// messages.limit(1): only the newest message of t_1, the page's own.
	if m := convs[1].Messages; len(m) != 1 || m[0].ID != "m_2" || m[0].FromID != "104" || m[0].ToID != "psid_1" {
		t.Errorf("t_1 messages %+v, want only m_2", m)
	}
	if m := convs[0].Messages; len(m) != 1 || len(m[0].Attachments) != 1 ||
		m[0].Attachments[0].Type != inbox.AttachmentImage || m[0].Attachments[0].URL != "https://cdn.example/p.jpg" {
		t.Errorf("t_2 messages %+v, want the image", m)
	}
	b := body(t, lastCall(t, sb))
	if b["platform"] != "messenger" || !strings.Contains(b["fields"].(string), "messages.limit(1){id,created_time,from,to,message,attachments}") {
		t.Errorf("parameters %v", b)
	}
	sb.Reset()
	convs, _, err = c.Conversations(ctx, testToken, inbox.PlatformInstagram, "178", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 1 || len(convs[0].Messages) != 1 {
		t.Fatalf("instagram conversations %+v", convs)
	}
	if m := convs[0].Messages[0]; m.FromName != "anna.a" || m.Text != "Hej" || !m.Created.Equal(at) {
		t.Errorf("instagram message %+v, want anna.a's Hej at %v", m, at)
	}
	if b := body(t, lastCall(t, sb)); b["platform"] != "instagram" {
		t.Errorf("platform %v, want instagram", b["platform"])
	}
}

// TestListingsNeverLeakSecrets covers the reading endpoints and
// debug_token, whose input token travels in the query: neither it nor the
// app secret may reach a log, an error or a sandbox record, even when the
// call times out.
func TestListingsNeverLeakSecrets(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, sb := newTestClient(t, Config{Logger: logger, Timeout: 200 * time.Millisecond})
	var ops []func(c *Client) error
	for _, ep := range everyEndpoint() {
		if ep.idempotent {
			ops = append(ops, ep.call)
		}
	}
	faults := []*Fault{nil, {Code: 190, Message: "Malformed access token " + testToken},
		{Code: 100, Message: "(#100) bad " + testToken}, {Delay: time.Hour}, {Hangup: true}}
	sb.SetProfile("1", Profile{Name: "Anna"})
	var texts []string
	for _, f := range faults {
		for _, op := range ops {
			if f != nil {
				sb.FailNext(1, *f)
			}
			if err := op(c); err != nil {
				var e *Error
				errors.As(err, &e)
				x := e.Explain()
				texts = append(texts, err.Error(), e.Message, e.UserMsg, x.SV, x.EN)
			}
		}
	}
	// Only debug_token is given the app secret, which Meta may quote back.
	sb.FailNext(1, Fault{Code: 190, Message: "Invalid signature " + testApp.Secret + " for " + testToken})
	if _, err := c.DebugToken(context.Background(), testApp, testToken); err != nil {
		texts = append(texts, err.Error())
	}
	if len(texts) < 3*len(ops) {
		t.Fatalf("%d failures for %d faulty calls: the test did not exercise the error paths", len(texts)/5, 4*len(ops))
	}
	for _, c := range waitCalls(t, sb, len(ops)*len(faults)+1) {
		texts = append(texts, string(c.Body), c.Path)
	}
	texts = append(texts, logs.String())
	for _, s := range texts {
		for _, secret := range []string{testToken, testApp.Secret} {
			if strings.Contains(s, secret) {
				t.Errorf("secret %q found in %q", secret[:6], s)
			}
		}
	}
}
