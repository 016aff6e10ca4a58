package webhooks_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// TestReceiverQueuesSignedNonDelivery checks that a correctly signed body
// that is not a delivery is queued and answered 200, so that Meta does not
// retry it for hours (and disable messaging webhooks), and that the ingest
// worker then keeps it for reparse and counts it as malformed.
func TestReceiverQueuesSignedNonDelivery(t *testing.T) {
	tests := []struct {
		name  string
		body  []byte
		shape string
	}{
		{"OKEmptyArray", []byte(`[]`), "array"},
		{"OKArrayOfNoDelivery", []byte(`[{"entry":[]},"page",null]`), "array"},
		{"OKNotJSON", []byte("hello"), "not_json"},
		{"OKTruncatedJSON", fixture(t, "fb_feed_comment_add.json")[:40], "not_json"},
		{"OKNoObject", []byte(`{"entry":[]}`), "object"},
		{"OKString", []byte(`"page"`), "string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			metrics := webhooks.NewMetrics(reg)
			d := receiveSigned(t, metrics, tt.body)
			if got := metricValue(t, reg, "inkorg_webhook_requests_total", "result", "malformed"); got != 1 {
				t.Errorf("malformed requests: got %v, want 1", got)
			}

			store := &memStore{}
			ing := webhooks.NewIngester(store, nil, metrics)
			if err := ing.Handle(context.Background(), d); err != nil {
				t.Fatalf("Handle: got %v, want nil (kept, not retried)", err)
			}
			if got := len(store.raw); got != 1 {
				t.Errorf("kept deliveries: got %d, want 1", got)
			}
			if got := metricValue(t, reg, "inkorg_ingest_deliveries_total", "result", "malformed"); got != 1 {
				t.Errorf("malformed deliveries: got %v, want 1", got)
			}
			if got := metricValue(t, reg, "inkorg_ingest_malformed_deliveries_total", "shape", tt.shape); got != 1 {
				t.Errorf("malformed deliveries of shape %s: got %v, want 1", tt.shape, got)
			}
		})
	}
	t.Run("OKEmpty", func(t *testing.T) {
		// Nothing to keep, and no queue takes an empty message.
		q := &memQueue{}
		w := httptest.NewRecorder()
		newReceiver(q, nil).Receive(w, post(nil, webhooks.Sign(testSecret, nil)))
		if got, want := w.Code, http.StatusOK; got != want {
			t.Fatalf("status: got %d, want %d", got, want)
		}
		if got := len(q.all()); got != 0 {
			t.Errorf("published: got %d, want 0", got)
		}
	})
}

// receiveSigned posts body, signed, to a receiver counting in metrics,
// checks that it is answered 200 and queued once as it came, and returns
// the queued delivery.
func receiveSigned(t *testing.T, metrics *webhooks.Metrics, body []byte) *inbox.Delivery {
	t.Helper()
	q := &memQueue{}
	r := newReceiver(q, func(c *webhooks.ReceiverConfig) { c.Metrics = metrics })
	w := httptest.NewRecorder()
	r.Receive(w, post(body, webhooks.Sign(testSecret, body)))
	if got, want := w.Code, http.StatusOK; got != want {
		t.Fatalf("status: got %d, want %d (%s)", got, want, w.Body)
	}
	pub := q.all()
	if len(pub) != 1 || !bytes.Equal(pub[0].msg.Body, body) {
		t.Fatalf("published: got %d messages, want the body once", len(pub))
	}
	return &inbox.Delivery{ID: "1", Queue: inbox.QueueDeliveries, Body: pub[0].msg.Body, Headers: pub[0].msg.Headers, Attempt: 1}
}

// TestReceiverBodyLimit checks that the default limit takes a full batch
// of long, escaped Swedish comments.
func TestReceiverBodyLimit(t *testing.T) {
	comment := strings.Repeat(`G\u00f6teborg \u00e4r en fin stad, `, 100) // about 2,700 bytes
	var b strings.Builder
	b.WriteString(`{"object":"page","entry":[{"id":"1","time":1,"changes":[`)
	for i := range 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"2_3","post_id":"1_2","from":{"id":"4"},"message":"` + comment + comment + `"}}`)
	}
	b.WriteString(`]}]}`)
	body := []byte(b.String())
	if len(body) <= 4<<20 {
		t.Fatalf("test body: %d bytes, want more than 4 MiB", len(body))
	}
	q := &memQueue{}
	w := httptest.NewRecorder()
	newReceiver(q, nil).Receive(w, post(body, webhooks.Sign(testSecret, body)))
	if got, want := w.Code, http.StatusOK; got != want {
		t.Fatalf("status for %d bytes: got %d, want %d", len(body), got, want)
	}
}
