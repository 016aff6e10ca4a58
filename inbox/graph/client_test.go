package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

const testToken = "EAAGtestPAGEtoken0123456789"

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// newTestClient starts a sandbox and returns it with a client on it.
func newTestClient(t *testing.T, cfg Config) (*Client, *Sandbox) {
	t.Helper()
	sb := NewSandbox(func() time.Time { return testNow })
	srv, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg.BaseURL = srv.URL
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, sb
}

// lastCall returns the sandbox's only recorded call.
func lastCall(t *testing.T, sb *Sandbox) Call {
	t.Helper()
	calls := sb.Calls()
	if len(calls) != 1 {
		t.Fatalf("sandbox recorded %d calls, want 1", len(calls))
	}
	return calls[0]
}

// body decodes a recorded call's parameters.
func body(t *testing.T, c Call) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(c.Body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func checkCall(t *testing.T, c Call, method, path string) {
	t.Helper()
	if c.Method != method || c.Path != path || c.Status != http.StatusOK || !c.Time.Equal(testNow) {
		t.Errorf("call = %s %s %d at %v, want %s %s 200 at %v", c.Method, c.Path, c.Status, c.Time, method, path, testNow)
	}
}

func TestReplyToFacebookComment(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	got, err := c.ReplyToFacebookComment(context.Background(), testToken, "111_222", "Hej! Se goteborg.se/parkering")
	if err != nil {
		t.Fatal(err)
	}
	call := lastCall(t, sb)
	checkCall(t, call, http.MethodPost, "/111_222/comments")
	if got.ID == "" || got.ID != call.ResultID || !strings.HasPrefix(got.ID, "111_") {
		t.Errorf("id = %q, want the sandbox's %q with the post id prefix", got.ID, call.ResultID)
	}
	if m := body(t, call); m["message"] != "Hej! Se goteborg.se/parkering" {
		t.Errorf("message = %v, want the reply text", m["message"])
	}
}

func TestReplyToInstagramComment(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	got, err := c.ReplyToInstagramComment(context.Background(), testToken, "17858893269000001", "Tack för frågan!")
	if err != nil {
		t.Fatal(err)
	}
	call := lastCall(t, sb)
	checkCall(t, call, http.MethodPost, "/17858893269000001/replies")
	if got.ID == "" || got.ID != call.ResultID {
		t.Errorf("id = %q, want %q", got.ID, call.ResultID)
	}
	if m := body(t, call); m["message"] != "Tack för frågan!" {
		t.Errorf("message = %v, want the reply text", m["message"])
	}
}

func TestPrivateReply(t *testing.T) {
	for _, p := range []inbox.Platform{inbox.PlatformFacebook, inbox.PlatformInstagram} {
		t.Run(string(p), func(t *testing.T) {
			c, sb := newTestClient(t, Config{})
			got, err := c.PrivateReply(context.Background(), testToken, p, "104", "104_555", "Vi svarar här i stället.", "inkorg-k1")
			if err != nil {
				t.Fatal(err)
			}
			call := lastCall(t, sb)
			checkCall(t, call, http.MethodPost, "/104/messages")
			if got.MessageID == "" || got.MessageID != call.ResultID {
				t.Errorf("message id = %q, want %q", got.MessageID, call.ResultID)
			}
			m := body(t, call)
			if r, _ := m["recipient"].(map[string]any); r["comment_id"] != "104_555" || len(r) != 1 {
				t.Errorf("recipient = %v, want only comment_id 104_555", m["recipient"])
			}
			if msg, _ := m["message"].(map[string]any); msg["text"] != "Vi svarar här i stället." || msg["metadata"] != "inkorg-k1" {
				t.Errorf("message = %v, want the text and the metadata", m["message"])
			}
		})
	}
}

func TestSendMessage(t *testing.T) {
	tests := []struct {
		name     string
		m        Message
		wantType string
		wantTag  any
	}{
		{"OK/MessengerResponse", Message{Platform: inbox.PlatformFacebook, RecipientID: "1254444444682919", Text: "Hej!", Metadata: "out-42"}, "RESPONSE", nil},
		{"OK/MessengerHumanAgent", Message{Platform: inbox.PlatformFacebook, RecipientID: "1254444444682919", Text: "Hej igen!", HumanAgent: true}, "MESSAGE_TAG", "HUMAN_AGENT"},
		{"OK/InstagramDirect", Message{Platform: inbox.PlatformInstagram, RecipientID: "6543210987654321", Text: "Hej från staden"}, "RESPONSE", nil},
		{"OK/InstagramHumanAgent", Message{Platform: inbox.PlatformInstagram, RecipientID: "6543210987654321", Text: "Svar", HumanAgent: true}, "MESSAGE_TAG", "HUMAN_AGENT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sb := newTestClient(t, Config{})
			got, err := c.SendMessage(context.Background(), testToken, "104", tt.m)
			if err != nil {
				t.Fatal(err)
			}
			call := lastCall(t, sb)
			checkCall(t, call, http.MethodPost, "/104/messages")
			if got.MessageID != call.ResultID || got.RecipientID != tt.m.RecipientID {
				t.Errorf("sent = %+v, want message id %q to %q", got, call.ResultID, tt.m.RecipientID)
			}
			m := body(t, call)
			if m["messaging_type"] != tt.wantType || m["tag"] != tt.wantTag {
				t.Errorf("messaging_type, tag = %v, %v, want %v, %v", m["messaging_type"], m["tag"], tt.wantType, tt.wantTag)
			}
			msg, _ := m["message"].(map[string]any)
			if msg["text"] != tt.m.Text {
				t.Errorf("text = %v, want %q", msg["text"], tt.m.Text)
			}
			if want := tt.m.Metadata; want != "" && msg["metadata"] != want {
				t.Errorf("metadata = %v, want %q", msg["metadata"], want)
			}
		})
	}
}

func TestSetCommentHidden(t *testing.T) {
	tests := []struct {
		platform inbox.Platform
		hidden   bool
		param    string
		want     string
	}{
		{inbox.PlatformFacebook, true, "is_hidden", "true"},
		{inbox.PlatformFacebook, false, "is_hidden", "false"},
		{inbox.PlatformInstagram, true, "hide", "true"},
		{inbox.PlatformInstagram, false, "hide", "false"},
	}
	for _, tt := range tests {
		t.Run(string(tt.platform)+"/"+tt.want, func(t *testing.T) {
			c, sb := newTestClient(t, Config{})
			if _, err := c.SetCommentHidden(context.Background(), testToken, tt.platform, "104_555", tt.hidden); err != nil {
				t.Fatal(err)
			}
			call := lastCall(t, sb)
			checkCall(t, call, http.MethodPost, "/104_555")
			if m := body(t, call); m[tt.param] != tt.want || len(m) != 1 {
				t.Errorf("params = %v, want only %s=%s", m, tt.param, tt.want)
			}
		})
	}
}

func TestDeleteComment(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	if _, err := c.DeleteComment(context.Background(), testToken, "17858893269000001"); err != nil {
		t.Fatal(err)
	}
	checkCall(t, lastCall(t, sb), http.MethodDelete, "/17858893269000001")
}

func TestFetchProfile(t *testing.T) {
	t.Run("OK/Facebook", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		sb.SetProfile("1254444444682919", Profile{FirstName: "Anna", LastName: "Svensson"})
		got, err := c.FetchProfile(context.Background(), testToken, inbox.PlatformFacebook, "1254444444682919")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "1254444444682919" || got.Name != "Anna Svensson" {
			t.Errorf("profile = %+v, want id 1254444444682919 named Anna Svensson", got)
		}
		checkCall(t, lastCall(t, sb), http.MethodGet, "/1254444444682919")
	})
	t.Run("OK/Instagram", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		sb.SetProfile("6543210987654321", Profile{Name: "Erik", Username: "erik_gbg", FirstName: "not asked"})
		got, err := c.FetchProfile(context.Background(), testToken, inbox.PlatformInstagram, "6543210987654321")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Erik" || got.Username != "erik_gbg" || got.FirstName != "" {
			t.Errorf("profile = %+v, want Erik / erik_gbg and no first name (not asked for)", got)
		}
	})
	t.Run("ErrUnknownUser", func(t *testing.T) {
		c, _ := newTestClient(t, Config{})
		_, err := c.FetchProfile(context.Background(), testToken, inbox.PlatformFacebook, "999")
		var e *Error
		if !errors.As(err, &e) || e.Class != InvalidRequest || e.Code != 100 || e.Subcode != 33 {
			t.Errorf("err = %v, want invalid_request 100/33", err)
		}
	})
}

func TestUserAgentAndAuthorization(t *testing.T) {
	var gotUA, gotAuth, gotQuery string
	sb := NewSandbox(nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAuth, gotQuery = r.Header.Get("User-Agent"), r.Header.Get("Authorization"), r.URL.RawQuery
		sb.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL + "/v25.0", Version: "1.4.2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteComment(context.Background(), testToken, "104_555"); err != nil {
		t.Fatal(err)
	}
	if gotUA != "inkorg/1.4.2" || gotAuth != "Bearer "+testToken || strings.Contains(gotQuery, testToken) {
		t.Errorf("User-Agent, Authorization, query = %q, %q, %q, want inkorg/1.4.2, the bearer token, no token in the URL", gotUA, gotAuth, gotQuery)
	}
}

func TestNew(t *testing.T) {
	t.Run("OK/Default", func(t *testing.T) {
		c, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		if c.BaseURL() != DefaultBaseURL || c.UserAgent() != "inkorg/dev" {
			t.Errorf("base, user agent = %q, %q, want %q, inkorg/dev", c.BaseURL(), c.UserAgent(), DefaultBaseURL)
		}
	})
	for _, raw := range []string{"graph.facebook.com/v25.0", "ftp://graph.facebook.com", "https://"} {
		t.Run("ErrBaseURL/"+raw, func(t *testing.T) {
			if _, err := New(Config{BaseURL: raw}); err == nil {
				t.Errorf("New(%q) succeeded, want an error", raw)
			}
		})
	}
}

func TestRefusedBeforeCall(t *testing.T) {
	long := strings.Repeat("å", MaxMessengerRunes+1)
	tests := []struct {
		name string
		run  func(c *Client) error
		want Class
	}{
		{"ErrNoToken", func(c *Client) error { _, err := c.DeleteComment(context.Background(), "", "1"); return err }, Token},
		{"ErrTokenWithNewline", func(c *Client) error { _, err := c.DeleteComment(context.Background(), "abc\ndef", "1"); return err }, Token},
		{"ErrEmptyID", func(c *Client) error { _, err := c.DeleteComment(context.Background(), testToken, ""); return err }, InvalidRequest},
		{"ErrPathInID", func(c *Client) error {
			_, err := c.DeleteComment(context.Background(), testToken, "1/../me")
			return err
		}, InvalidRequest},
		{"ErrEmptyText", func(c *Client) error {
			_, err := c.ReplyToFacebookComment(context.Background(), testToken, "1_2", "  ")
			return err
		}, InvalidRequest},
		{"ErrMessengerTooLong", func(c *Client) error {
			_, err := c.SendMessage(context.Background(), testToken, "104", Message{Platform: inbox.PlatformFacebook, RecipientID: "1", Text: long})
			return err
		}, InvalidRequest},
		{"ErrInstagramTooManyBytes", func(c *Client) error {
			// 501 two-byte runes: short in characters, over 1000 bytes.
			_, err := c.SendMessage(context.Background(), testToken, "104", Message{Platform: inbox.PlatformInstagram, RecipientID: "1", Text: strings.Repeat("ö", 501)})
			return err
		}, InvalidRequest},
		{"ErrMetadataTooLong", func(c *Client) error {
			_, err := c.SendMessage(context.Background(), testToken, "104", Message{Platform: inbox.PlatformFacebook, RecipientID: "1", Text: "x", Metadata: strings.Repeat("m", 1000)})
			return err
		}, InvalidRequest},
		{"ErrUnknownPlatform", func(c *Client) error {
			_, err := c.SetCommentHidden(context.Background(), testToken, "myspace", "1", true)
			return err
		}, InvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, sb := newTestClient(t, Config{})
			err := tt.run(c)
			if got := ClassOf(err); got != tt.want {
				t.Errorf("class = %q (%v), want %q", got, err, tt.want)
			}
			if n := len(sb.Calls()); n != 0 {
				t.Errorf("sandbox recorded %d calls, want 0: bad input must not reach Meta", n)
			}
		})
	}
	t.Run("OK/InstagramAt1000Bytes", func(t *testing.T) {
		c, _ := newTestClient(t, Config{})
		_, err := c.SendMessage(context.Background(), testToken, "104", Message{Platform: inbox.PlatformInstagram, RecipientID: "1", Text: strings.Repeat("ö", 500)})
		if err != nil {
			t.Errorf("1000-byte text: %v, want it sent", err)
		}
	})
}

func BenchmarkSendMessageSandbox(b *testing.B) {
	sb := NewSandbox(nil)
	srv, err := sb.Start()
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	m := Message{Platform: inbox.PlatformFacebook, RecipientID: "1254444444682919", Text: "Hej! Se goteborg.se"}
	for b.Loop() {
		if _, err := c.SendMessage(context.Background(), testToken, "104", m); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReplyToComment(t *testing.T) {
	tests := []struct {
		platform inbox.Platform
		wantPath string
	}{
		{inbox.PlatformFacebook, "/104_555/comments"},
		{inbox.PlatformInstagram, "/104_555/replies"},
	}
	for _, tt := range tests {
		t.Run("OK/"+string(tt.platform), func(t *testing.T) {
			c, sb := newTestClient(t, Config{})
			if _, err := c.ReplyToComment(context.Background(), testToken, tt.platform, "104_555", "Hej"); err != nil {
				t.Fatal(err)
			}
			checkCall(t, lastCall(t, sb), http.MethodPost, tt.wantPath)
		})
	}
	t.Run("ErrPlatform", func(t *testing.T) {
		c, _ := newTestClient(t, Config{})
		_, err := c.ReplyToComment(context.Background(), testToken, "", "104_555", "Hej")
		if got := ClassOf(err); got != InvalidRequest {
			t.Errorf("class = %q, want %q", got, InvalidRequest)
		}
	})
}
