package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"inkorg/inbox"
)

// rawCall sends a request straight to the sandbox handler, as a client
// other than ours might.
func rawCall(sb *Sandbox, method, target, contentType, body string, auth bool) (int, map[string]any) {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if auth {
		r.Header.Set("Authorization", "Bearer t")
	}
	w := httptest.NewRecorder()
	sb.ServeHTTP(w, r)
	var m map[string]any
	json.Unmarshal(w.Body.Bytes(), &m)
	return w.Code, m
}

// errorCode returns the Graph error code of an answer, 0 for none.
func errorCode(m map[string]any) int {
	e, _ := m["error"].(map[string]any)
	code, _ := e["code"].(float64)
	return int(code)
}

func TestSandboxRequests(t *testing.T) {
	const js, form = "application/json", "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, target, ct, body string
		auth                           bool
		wantStatus, wantCode           int
	}{
		{"OK/SendJSON", "POST", "/v25.0/104/messages", js, `{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"Hej"}}`, true, 200, 0},
		{"OK/SendForm", "POST", "/v25.0/104/messages", form, `recipient={"id":"1"}&messaging_type=RESPONSE&message={"text":"Hej"}`, true, 200, 0},
		{"OK/SendTokenParam", "POST", "/v25.0/104/messages?access_token=abc", js, `{"recipient":{"comment_id":"1_2"},"message":{"text":"Hej"}}`, false, 200, 0},
		{"OK/NoVersion", "DELETE", "/1_2", "", "", true, 200, 0},
		{"OK/CommentQueryParam", "POST", "/v26.0/1_2/comments?message=Hej", "", "", true, 200, 0},
		{"ErrNoToken", "POST", "/v25.0/104/messages", js, `{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"Hej"}}`, false, 400, 190},
		{"ErrNoMessagingType", "POST", "/v25.0/104/messages", js, `{"recipient":{"id":"1"},"message":{"text":"Hej"}}`, true, 400, 100},
		{"ErrRetiredTag", "POST", "/v25.0/104/messages", js, `{"recipient":{"id":"1"},"messaging_type":"MESSAGE_TAG","tag":"ACCOUNT_UPDATE","message":{"text":"Hej"}}`, true, 400, 100},
		{"ErrNoRecipient", "POST", "/v25.0/104/messages", js, `{"messaging_type":"RESPONSE","message":{"text":"Hej"}}`, true, 400, 100},
		{"ErrNoText", "POST", "/v25.0/104/messages", js, `{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{}}`, true, 400, 100},
		{"ErrTextTooLong", "POST", "/v25.0/104/messages", js, `{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"` + strings.Repeat("a", 2000) + `"}}`, true, 400, 100},
		{"ErrNotJSON", "POST", "/v25.0/104/messages", js, `{`, true, 400, 100},
		{"ErrContentType", "POST", "/v25.0/104/messages", "text/plain", `hi`, true, 400, 100},
		{"ErrCommentNoMessage", "POST", "/v25.0/1_2/comments", form, ``, true, 400, 100},
		{"ErrHideNotBool", "POST", "/v25.0/1_2", form, `is_hidden=maybe`, true, 400, 100},
		{"ErrPostNoParam", "POST", "/v25.0/1_2", form, `foo=bar`, true, 400, 100},
		{"ErrUnknownEdge", "POST", "/v25.0/1_2/likes", form, ``, true, 400, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := NewSandbox(nil)
			status, m := rawCall(sb, tt.method, tt.target, tt.ct, tt.body, tt.auth)
			if status != tt.wantStatus || errorCode(m) != tt.wantCode {
				t.Errorf("status, code = %d, %d (%v), want %d, %d", status, errorCode(m), m, tt.wantStatus, tt.wantCode)
			}
			calls := sb.Calls()
			if len(calls) != 1 || calls[0].Status != status || strings.Contains(string(calls[0].Body), "access_token") {
				t.Errorf("calls = %+v, want one with status %d and no access_token", calls, status)
			}
		})
	}
}

func TestSandboxFailPath(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	if err := sb.FailPath(http.MethodPost, "/*/messages", 2, DocumentedError(551, 0)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Other paths are not affected.
	if _, err := c.DeleteComment(ctx, testToken, "1_2"); err != nil {
		t.Errorf("delete: %v, want success", err)
	}
	for i := range 2 {
		if got := ClassOf(sendOnce(c)); got != RecipientUnavailable {
			t.Errorf("send %d: class %q, want %q", i+1, got, RecipientUnavailable)
		}
	}
	if err := sendOnce(c); err != nil {
		t.Errorf("third send: %v, want success", err)
	}
	if got := len(sb.Calls()); got != 4 {
		t.Errorf("recorded %d calls, want 4", got)
	}
	t.Run("OK/Forever", func(t *testing.T) {
		sb.Reset()
		sb.FailPath("", "/1_2", -1, DocumentedError(4, 0))
		for range 3 {
			if _, err := c.DeleteComment(ctx, testToken, "1_2"); ClassOf(err) != Transient {
				t.Errorf("delete: %v, want throttled", err)
			}
		}
		sb.ClearFaults()
		if _, err := c.DeleteComment(ctx, testToken, "1_2"); err != nil {
			t.Errorf("after ClearFaults: %v, want success", err)
		}
	})
	t.Run("ErrBadPattern", func(t *testing.T) {
		if err := sb.FailPath("", "[", 1, Fault{}); err == nil {
			t.Error("FailPath with pattern [ succeeded, want an error")
		}
	})
}

func TestSandboxReset(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	sb.FailNext(5, DocumentedError(2, 0))
	sendOnce(c)
	sb.Reset()
	if n := len(sb.Calls()); n != 0 {
		t.Errorf("after Reset: %d calls, want 0", n)
	}
	if err := sendOnce(c); err != nil {
		t.Errorf("after Reset: %v, want success (faults cleared)", err)
	}
}

func TestSandboxStartURL(t *testing.T) {
	sb := NewSandbox(nil)
	srv, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	u, err := url.Parse(srv.URL)
	if err != nil || u.Hostname() != "127.0.0.1" || u.Path != "/v25.0" {
		t.Errorf("URL = %q, want http://127.0.0.1:<port>/v25.0", srv.URL)
	}
	c, err := New(Config{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetCommentHidden(context.Background(), testToken, inbox.PlatformFacebook, "1_2", false); err != nil {
		t.Errorf("hide via started sandbox: %v", err)
	}
}

func TestSandboxDeletedComment(t *testing.T) {
	c, _ := newTestClient(t, Config{})
	ctx := context.Background()
	if _, err := c.DeleteComment(ctx, testToken, "104_555"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
	}{
		{"ErrDeleteAgain", func() error { _, err := c.DeleteComment(ctx, testToken, "104_555"); return err }},
		{"ErrHide", func() error {
			_, err := c.SetCommentHidden(ctx, testToken, inbox.PlatformFacebook, "104_555", true)
			return err
		}},
		{"ErrReply", func() error { _, err := c.ReplyToFacebookComment(ctx, testToken, "104_555", "Hej"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			if err := tt.run(); !errors.As(err, &e) || e.Class != InvalidRequest || e.Code != 100 || e.Subcode != 33 {
				t.Errorf("err = %v, want invalid_request 100/33", err)
			}
		})
	}
	t.Run("OK/PrivateReplyStillAllowed", func(t *testing.T) {
		// The account's /messages edge is not the deleted comment.
		if _, err := c.PrivateReply(ctx, testToken, inbox.PlatformFacebook, "104", "104_556", "Hej", ""); err != nil {
			t.Errorf("private reply: %v, want success", err)
		}
	})
}
