package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"inkorg/inbox"
)

// sendOnce sends a Messenger message, the call the classes matter most for.
func sendOnce(c *Client) error {
	_, err := c.SendMessage(context.Background(), testToken, "104",
		Message{Platform: inbox.PlatformFacebook, RecipientID: "1254444444682919", Text: "Hej!"})
	return err
}

// TestDocumentedErrorsThroughSandbox answers every documented error and
// checks the client's class and parsed fields.
func TestDocumentedErrorsThroughSandbox(t *testing.T) {
	want := map[[2]int]Class{
		{1, 0}: Transient, {1, 1357046}: Ambiguous, {2, 0}: Transient, {-1, 2018012}: Transient,
		{4, 0}: Transient, {17, 0}: Transient, {32, 0}: Transient, {613, 0}: Transient,
		{80001, 0}: Transient, {80002, 0}: Transient, {80006, 0}: Transient,
		{190, 463}: Token, {190, 460}: Token, {190, 0}: Token,
		{10, 2018278}: OutsideWindow, {10, 2018108}: RecipientUnavailable, {10, 1893063}: Permission,
		{10, 0}: Permission, {200, 1545041}: RecipientUnavailable, {200, 0}: Permission,
		{551, 0}: RecipientUnavailable, {100, 2018001}: RecipientUnavailable, {100, 0}: InvalidRequest,
		{368, 0}: Permission, {506, 0}: Permanent,
	}
	if len(want) != len(DocumentedErrors) {
		t.Fatalf("%d expectations for %d documented errors: add the new ones here", len(want), len(DocumentedErrors))
	}
	for _, f := range DocumentedErrors {
		t.Run(fmt.Sprintf("Err%d_%d", f.Code, f.Subcode), func(t *testing.T) {
			c, sb := newTestClient(t, Config{})
			sb.FailNext(1, f)
			err := sendOnce(c)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Class != want[[2]int{f.Code, f.Subcode}] || e.Code != f.Code || e.Subcode != f.Subcode || e.Status != f.Status {
				t.Errorf("class, code, subcode, status = %q, %d, %d, %d, want %q, %d, %d, %d",
					e.Class, e.Code, e.Subcode, e.Status, want[[2]int{f.Code, f.Subcode}], f.Code, f.Subcode, f.Status)
			}
			if e.Message != f.Message || e.Type != "OAuthException" || e.FBTraceID == "" || e.Op != "send_message" {
				t.Errorf("message, type, trace, op = %q, %q, %q, %q, want %q, OAuthException, a trace id, send_message",
					e.Message, e.Type, e.FBTraceID, e.Op, f.Message)
			}
			if x := e.Explain(); x.SV == "" || x.EN == "" {
				t.Errorf("Explain() = %+v, want both languages", x)
			}
			if calls := sb.Calls(); len(calls) != 1 || calls[0].Code != f.Code || calls[0].Succeeded() {
				t.Errorf("calls = %+v, want one failed call with code %d", calls, f.Code)
			}
			// The fault was for one call only.
			if err := sendOnce(c); err != nil {
				t.Errorf("second send: %v, want success", err)
			}
		})
	}
}

func TestNetworkFailures(t *testing.T) {
	send := func(c *Client) error { return sendOnce(c) }
	hide := func(c *Client) error {
		_, err := c.SetCommentHidden(context.Background(), testToken, inbox.PlatformFacebook, "104_555", true)
		return err
	}
	reply := func(c *Client) error {
		_, err := c.ReplyToInstagramComment(context.Background(), testToken, "178", "Hej")
		return err
	}
	tests := []struct {
		name  string
		fault Fault
		run   func(*Client) error
		want  Class
	}{
		{"ErrTimeoutAfterWriteSend", Fault{Delay: time.Hour}, send, Ambiguous},
		{"ErrTimeoutAfterWriteReply", Fault{Delay: time.Hour}, reply, Ambiguous},
		{"ErrTimeoutAfterWriteHide", Fault{Delay: time.Hour}, hide, Transient},
		{"ErrHangupSend", Fault{Hangup: true}, send, Ambiguous},
		{"ErrHangupHide", Fault{Hangup: true}, hide, Transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The timeout only needs to outlast writing the request on
			// loopback; the sandbox holds its answer back for an hour.
			c, sb := newTestClient(t, Config{Timeout: time.Second})
			sb.FailNext(1, tt.fault)
			err := tt.run(c)
			var e *Error
			if !errors.As(err, &e) || e.Class != tt.want || e.Status != 0 || e.Err == nil {
				t.Fatalf("err = %v, want %q with the network error wrapped", err, tt.want)
			}
			// The sandbox still handled the call: it "went through".
			calls := waitCalls(t, sb, 1)
			if !calls[0].Succeeded() {
				t.Errorf("call = %+v, want it recorded as taken effect", calls[0])
			}
		})
	}
	t.Run("ErrConnectionRefused", func(t *testing.T) {
		srv, err := NewSandbox(nil).Start()
		if err != nil {
			t.Fatal(err)
		}
		srv.Close()
		// The dialer is refused outright: the closed port itself could be
		// taken by another test's listener before the call.
		refused := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		}}
		c, err := New(Config{BaseURL: srv.URL, Transport: refused})
		if err != nil {
			t.Fatal(err)
		}
		// Nothing was written, so even a send is safely retryable.
		if got := ClassOf(sendOnce(c)); got != Transient {
			t.Errorf("class = %q, want %q", got, Transient)
		}
	})
}

// waitCalls waits until the sandbox recorded n calls: its handler may
// still be finishing after the client gave up.
func waitCalls(t *testing.T, sb *Sandbox, n int) []Call {
	t.Helper()
	for range 500 {
		if calls := sb.Calls(); len(calls) >= n {
			return calls
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("sandbox recorded %d calls, want %d", len(sb.Calls()), n)
	return nil
}

func TestMalformedSuccess(t *testing.T) {
	tests := []struct {
		name string
		body string
		run  func(*Client) error
		want Class
	}{
		{"ErrSendNotJSON", `<html>`, sendOnce, Ambiguous},
		{"ErrSendNoMessageID", `{"recipient_id":"1"}`, sendOnce, Ambiguous},
		{"ErrReplyNoID", `{}`, func(c *Client) error {
			_, err := c.ReplyToFacebookComment(context.Background(), testToken, "1_2", "Hej")
			return err
		}, Ambiguous},
		{"ErrDeleteNotSuccess", `{"success":false}`, func(c *Client) error {
			_, err := c.DeleteComment(context.Background(), testToken, "1_2")
			return err
		}, Permanent},
		{"ErrDeleteNotJSON", `nope`, func(c *Client) error {
			_, err := c.DeleteComment(context.Background(), testToken, "1_2")
			return err
		}, Transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, err := New(Config{BaseURL: srv.URL + "/v25.0"})
			if err != nil {
				t.Fatal(err)
			}
			if got := ClassOf(tt.run(c)); got != tt.want {
				t.Errorf("class = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRateLimitHints(t *testing.T) {
	usage := http.Header{}
	usage.Set(HeaderAppUsage, `{"call_count": 85, "total_time": 10, "total_cputime": 10}`)
	usage.Set(HeaderBusinessUsage, `{"104":[{"type":"messenger","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":15}]}`)
	t.Run("OK/OnSuccess", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		sb.FailNext(1, Fault{Header: http.Header{HeaderAppUsage: usage[HeaderAppUsage]}})
		got, err := c.SendMessage(context.Background(), testToken, "104", Message{Platform: inbox.PlatformFacebook, RecipientID: "1", Text: "Hej"})
		if err != nil {
			t.Fatal(err)
		}
		if got.RateLimit.Percent != 85 || !got.RateLimit.SlowDown || !got.RateLimit.WaitUntil.IsZero() {
			t.Errorf("rate limit = %+v, want 85 %%, slow down, no wait", got.RateLimit)
		}
	})
	t.Run("ErrThrottled", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		f := DocumentedError(80006, 0)
		f.Header = usage
		sb.FailNext(1, f)
		var e *Error
		if !errors.As(sendOnce(c), &e) {
			t.Fatal("want an *Error")
		}
		rl := e.RateLimit
		if e.Class != Transient || rl.Percent != 100 || !rl.WaitUntil.Equal(testNow.Add(15*time.Minute)) || !rl.Throttled(testNow) {
			t.Errorf("class %q, rate limit %+v, want transient, 100 %%, wait until %v", e.Class, rl, testNow.Add(15*time.Minute))
		}
	})
	t.Run("OK/NoHeaders", func(t *testing.T) {
		c, _ := newTestClient(t, Config{})
		rl, err := c.DeleteComment(context.Background(), testToken, "1_2")
		if err != nil {
			t.Fatal(err)
		}
		if rl.Percent != 0 || rl.SlowDown || rl.App != nil {
			t.Errorf("rate limit = %+v, want zero", rl)
		}
	})
}

// TestTokenNeverLeaks runs every call, succeeding and failing, with a
// debug logger and checks the token is nowhere: not in logs, errors,
// explanations or the sandbox's records.
func TestTokenNeverLeaks(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, sb := newTestClient(t, Config{Logger: logger, Timeout: 200 * time.Millisecond})
	sb.SetProfile("1", Profile{Name: "Anna"})
	ctx := context.Background()
	ops := []func() error{
		func() error { _, err := c.ReplyToFacebookComment(ctx, testToken, "1_2", "Hej"); return err },
		func() error { _, err := c.ReplyToInstagramComment(ctx, testToken, "3", "Hej"); return err },
		func() error {
			_, err := c.PrivateReply(ctx, testToken, inbox.PlatformInstagram, "104", "3", "Hej", "")
			return err
		},
		func() error { return sendOnce(c) },
		func() error {
			_, err := c.SetCommentHidden(ctx, testToken, inbox.PlatformInstagram, "3", true)
			return err
		},
		func() error { _, err := c.DeleteComment(ctx, testToken, "3"); return err },
		func() error { _, err := c.FetchProfile(ctx, testToken, inbox.PlatformFacebook, "1"); return err },
	}
	faults := []*Fault{
		nil,
		{Code: 190, Message: "Malformed access token " + testToken},
		{Code: 100, Message: "(#100) bad token " + testToken},
		{Delay: time.Hour},
		{Hangup: true},
	}
	var texts []string
	for _, f := range faults {
		for _, op := range ops {
			if f != nil {
				sb.FailNext(1, *f)
			}
			if err := op(); err != nil {
				var e *Error
				errors.As(err, &e)
				x := e.Explain()
				texts = append(texts, err.Error(), e.Message, e.UserMsg, x.SV, x.EN)
			}
		}
	}
	if len(texts) == 0 || !strings.Contains(logs.String(), "graph call failed") {
		t.Fatalf("no failures logged: the test did not exercise the error paths")
	}
	for _, c := range waitCalls(t, sb, len(ops)*len(faults)) {
		texts = append(texts, string(c.Body), c.Path)
	}
	texts = append(texts, logs.String())
	for _, s := range texts {
		if strings.Contains(s, testToken) {
			t.Errorf("token found in %q", s)
		}
	}
}
