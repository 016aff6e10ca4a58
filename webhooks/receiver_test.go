package webhooks_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

const (
	testSecret = "test-app-secret"
	testToken  = "test-verify-token"
)

var testNow = time.Date(2026, 3, 14, 9, 26, 53, 589793000, time.UTC)

func newReceiver(q inbox.Queue, mod func(*webhooks.ReceiverConfig)) *webhooks.Receiver {
	cfg := webhooks.ReceiverConfig{
		AppSecret:   testSecret,
		VerifyToken: testToken,
		Queue:       q,
		Now:         func() time.Time { return testNow },
	}
	if mod != nil {
		mod(&cfg)
	}
	return webhooks.NewReceiver(cfg)
}

func TestReceiverVerify(t *testing.T) {
	query := func(mode, token, challenge string) string {
		v := url.Values{}
		for k, s := range map[string]string{"hub.mode": mode, "hub.verify_token": token, "hub.challenge": challenge} {
			if s != "" {
				v.Set(k, s)
			}
		}
		return v.Encode()
	}
	tests := []struct {
		name       string
		token      string // configured verify token
		query      string
		wantStatus int
		wantBody   string
	}{
		{"OK", testToken, query("subscribe", testToken, "1158201444"), http.StatusOK, "1158201444"},
		{"ErrWrongToken", testToken, query("subscribe", "meatyhamhock", "1158201444"), http.StatusForbidden, ""},
		{"ErrTokenPrefix", testToken, query("subscribe", testToken[:4], "1158201444"), http.StatusForbidden, ""},
		{"ErrWrongMode", testToken, query("unsubscribe", testToken, "1158201444"), http.StatusForbidden, ""},
		{"ErrMissingMode", testToken, query("", testToken, "1158201444"), http.StatusForbidden, ""},
		{"ErrMissingToken", testToken, query("subscribe", "", "1158201444"), http.StatusForbidden, ""},
		{"ErrMissingChallenge", testToken, query("subscribe", testToken, ""), http.StatusForbidden, ""},
		{"ErrNoParameters", testToken, "", http.StatusForbidden, ""},
		{"ErrNoTokenConfigured", "", query("subscribe", "", "1158201444"), http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			r := newReceiver(&memQueue{}, func(c *webhooks.ReceiverConfig) {
				c.VerifyToken = tt.token
				c.Metrics = webhooks.NewMetrics(reg)
			})
			w := httptest.NewRecorder()
			r.Verify(w, httptest.NewRequest(http.MethodGet, "/webhooks/meta?"+tt.query, nil))
			if got := w.Code; got != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", got, tt.wantStatus)
			}
			if tt.wantStatus != http.StatusOK {
				assertJSONError(t, w, inbox.EFORBIDDEN)
				if got := metricValue(t, reg, "inkorg_webhook_requests_total", "result", "forbidden"); got != 1 {
					t.Errorf("forbidden requests: got %v, want 1", got)
				}
				return
			}
			if got := w.Body.String(); got != tt.wantBody {
				t.Errorf("body: got %q, want %q", got, tt.wantBody)
			}
			if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, "text/plain") {
				t.Errorf("content type: got %q, want text/plain", got)
			}
		})
	}
}

func TestReceiverVerifyLogsMissingTokenOnce(t *testing.T) {
	var logs inboxtest.SyncBuffer
	r := newReceiver(&memQueue{}, func(c *webhooks.ReceiverConfig) {
		c.VerifyToken = ""
		c.Logger = newLogger(&logs)
	})
	for range 3 {
		r.Verify(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/webhooks/meta?hub.mode=subscribe&hub.challenge=1", nil))
	}
	if got := strings.Count(logs.String(), "no verify token is configured"); got != 1 {
		t.Errorf("log lines about the missing token: got %d, want 1", got)
	}
}

// post makes a delivery request; sig "" sends no signature header.
func post(body []byte, sig string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/meta", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set(webhooks.SignatureHeader, sig)
	}
	return req
}

func TestReceiverReceive(t *testing.T) {
	body := fixture(t, "messenger_message_text.json")
	t.Run("OK", func(t *testing.T) {
		q := &memQueue{}
		reg := prometheus.NewRegistry()
		r := newReceiver(q, func(c *webhooks.ReceiverConfig) { c.Metrics = webhooks.NewMetrics(reg) })
		sig := webhooks.Sign(testSecret, body)
		w := httptest.NewRecorder()
		r.Receive(w, post(body, sig))
		if got, want := w.Code, http.StatusOK; got != want {
			t.Fatalf("status: got %d, want %d (%s)", got, want, w.Body)
		}
		if got, want := w.Body.String(), "EVENT_RECEIVED"; got != want {
			t.Errorf("body: got %q, want %q", got, want)
		}
		pub := q.all()
		if got := len(pub); got != 1 {
			t.Fatalf("published: got %d, want 1", got)
		}
		if got, want := pub[0].queue, inbox.QueueDeliveries; got != want {
			t.Errorf("queue: got %q, want %q", got, want)
		}
		if !bytes.Equal(pub[0].msg.Body, body) {
			t.Errorf("published body differs from the raw request body:\ngot  %q\nwant %q", pub[0].msg.Body, body)
		}
		wantHeaders := map[string]string{
			webhooks.HeaderReceivedAt:  "2026-03-14T09:26:53.589793Z",
			webhooks.HeaderSignature:   sig,
			webhooks.HeaderContentType: "application/json",
		}
		for k, want := range wantHeaders {
			if got := pub[0].msg.Headers[k]; got != want {
				t.Errorf("header %s: got %q, want %q", k, got, want)
			}
		}
		if got := metricValue(t, reg, "inkorg_webhook_requests_total", "result", "accepted"); got != 1 {
			t.Errorf("accepted requests: got %v, want 1", got)
		}
		if got, want := metricValue(t, reg, "inkorg_webhook_bytes_total"), float64(len(body)); got != want {
			t.Errorf("bytes: got %v, want %v", got, want)
		}
		if got := metricValue(t, reg, "inkorg_webhook_request_duration_seconds"); got != 1 {
			t.Errorf("observed durations: got %v, want 1", got)
		}
	})
	t.Run("OKBodyAtLimit", func(t *testing.T) {
		q := &memQueue{}
		r := newReceiver(q, func(c *webhooks.ReceiverConfig) { c.MaxBodyBytes = int64(len(body)) })
		w := httptest.NewRecorder()
		r.Receive(w, post(body, webhooks.Sign(testSecret, body)))
		if got, want := w.Code, http.StatusOK; got != want {
			t.Fatalf("status: got %d, want %d", got, want)
		}
	})
	t.Run("OKSwedishEscapes", func(t *testing.T) {
		// Meta signs the body as sent, with non-ASCII escaped; the receiver
		// must sign exactly those bytes and publish them unchanged.
		raw := []byte(`{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m","text":"V\u00e4lkommen till G\u00f6teborg"}}]}]}`)
		q := &memQueue{}
		w := httptest.NewRecorder()
		newReceiver(q, nil).Receive(w, post(raw, webhooks.Sign(testSecret, raw)))
		if got, want := w.Code, http.StatusOK; got != want {
			t.Fatalf("status: got %d, want %d", got, want)
		}
		if got := q.all()[0].msg.Body; !bytes.Equal(got, raw) {
			t.Errorf("published body: got %q, want %q", got, raw)
		}
	})
}

func TestReceiverReceiveRefused(t *testing.T) {
	body := fixture(t, "fb_feed_comment_add.json")
	good := webhooks.Sign(testSecret, body)
	tests := []struct {
		name       string
		secret     string
		maxBytes   int64
		body       []byte
		sig        string
		chunked    bool // hide the length, so only reading finds the size
		wantStatus int
		wantCode   string
		wantResult string
	}{
		{"ErrMissingSignature", testSecret, 0, body, "", false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrWrongSecret", testSecret, 0, body, webhooks.Sign("other-secret", body), false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrBodyChanged", testSecret, 0, append(bytes.Clone(body), ' '), good, false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrNoPrefix", testSecret, 0, body, strings.TrimPrefix(good, "sha256="), false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrSHA1Prefix", testSecret, 0, body, "sha1=" + strings.TrimPrefix(good, "sha256="), false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrNotHex", testSecret, 0, body, "sha256=" + strings.Repeat("zz", 32), false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrShortSignature", testSecret, 0, body, good[:len(good)-2], false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrEmptyDigest", testSecret, 0, body, "sha256=", false, 401, inbox.EUNAUTHORIZED, "bad_signature"},
		{"ErrNoAppSecret", "", 0, body, webhooks.Sign("", body), false, 503, inbox.EUNAVAILABLE, "unconfigured"},
		{"ErrTooLarge", testSecret, 64, body, good, false, 413, inbox.ETOOLARGE, "too_large"},
		{"ErrTooLargeChunked", testSecret, 64, body, good, true, 413, inbox.ETOOLARGE, "too_large"},
		// Signed bodies that are not a delivery are queued: see
		// TestReceiverQueuesSignedNonDelivery.
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &memQueue{}
			reg := prometheus.NewRegistry()
			r := newReceiver(q, func(c *webhooks.ReceiverConfig) {
				c.AppSecret, c.MaxBodyBytes, c.Metrics = tt.secret, tt.maxBytes, webhooks.NewMetrics(reg)
			})
			req := post(tt.body, tt.sig)
			if tt.chunked {
				req.ContentLength = -1
				req.Body = io.NopCloser(bytes.NewReader(tt.body))
			}
			w := httptest.NewRecorder()
			r.Receive(w, req)
			if got := w.Code; got != tt.wantStatus {
				t.Errorf("status: got %d, want %d", got, tt.wantStatus)
			}
			assertJSONError(t, w, tt.wantCode)
			if got := len(q.all()); got != 0 {
				t.Errorf("published: got %d, want 0", got)
			}
			if got := metricValue(t, reg, "inkorg_webhook_requests_total", "result", tt.wantResult); got != 1 {
				t.Errorf("requests with result %s: got %v, want 1", tt.wantResult, got)
			}
		})
	}
}

func TestReceiverReceiveQueueDown(t *testing.T) {
	body := fixture(t, "messenger_message_text.json")
	q := &memQueue{err: errors.New("connection refused")}
	reg := prometheus.NewRegistry()
	r := newReceiver(q, func(c *webhooks.ReceiverConfig) { c.Metrics = webhooks.NewMetrics(reg) })
	w := httptest.NewRecorder()
	r.Receive(w, post(body, webhooks.Sign(testSecret, body)))
	if got, want := w.Code, http.StatusServiceUnavailable; got != want {
		t.Fatalf("status: got %d, want %d", got, want)
	}
	if got, want := w.Header().Get("Retry-After"), "5"; got != want {
		t.Errorf("Retry-After: got %q, want %q", got, want)
	}
	assertJSONError(t, w, inbox.EUNAVAILABLE)
	if got := metricValue(t, reg, "inkorg_webhook_requests_total", "result", "unavailable"); got != 1 {
		t.Errorf("unavailable requests: got %v, want 1", got)
	}
	if got := metricValue(t, reg, "inkorg_webhook_bytes_total"); got != 0 {
		t.Errorf("accepted bytes: got %v, want 0", got)
	}
}

func TestReceiverLogs(t *testing.T) {
	const citizenText = "hello, world!"
	body := fixture(t, "messenger_message_text.json")
	var logs inboxtest.SyncBuffer
	r := newReceiver(&memQueue{}, func(c *webhooks.ReceiverConfig) { c.Logger = newLogger(&logs) })
	r.Receive(httptest.NewRecorder(), post(body, webhooks.Sign(testSecret, body)))
	r.Receive(httptest.NewRecorder(), post(body, webhooks.Sign("wrong", body)))
	out := logs.String()
	for _, secret := range []string{testSecret, citizenText, "987654321432"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"delivery_id=1", "object=page", "reason=mismatch"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}

	logs = inboxtest.SyncBuffer{}
	r = newReceiver(&memQueue{}, func(c *webhooks.ReceiverConfig) { c.AppSecret, c.Logger = "", newLogger(&logs) })
	for range 3 {
		r.Receive(httptest.NewRecorder(), post(body, webhooks.Sign("", body)))
	}
	if got := strings.Count(logs.String(), "no app secret is configured"); got != 1 {
		t.Errorf("log lines about the missing secret: got %d, want 1", got)
	}
}

func TestNewReceiverNeedsQueue(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewReceiver without a queue: got no panic, want one")
		}
	}()
	webhooks.NewReceiver(webhooks.ReceiverConfig{AppSecret: testSecret})
}

func assertJSONError(t *testing.T, w *httptest.ResponseRecorder, wantCode string) {
	t.Helper()
	if got := w.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("content type: got %q, want application/json", got)
	}
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	if b.Error.Code != wantCode {
		t.Errorf("error code: got %q, want %q", b.Error.Code, wantCode)
	}
	if b.Error.Message == "" {
		t.Error("error message: got empty, want a message")
	}
}
