package webhooks_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

// TestReceiverArrayOfDeliveries checks that a signed body that is a
// top-level JSON array of deliveries, as some senders batch them, is
// accepted, kept as it came, and has every element's events applied; an
// element that is no delivery is counted and logged by its shape, without
// its content, and holds back none of the others.
func TestReceiverArrayOfDeliveries(t *testing.T) {
	ig, fb := fixture(t, "ig_comment.json"), fixture(t, "fb_feed_comment_add.json")
	secret := []byte(`{"object":"page","entry":{"text":"personnummer 19121212-1212"}}`)
	tests := []struct {
		name     string
		body     []byte
		channels []inbox.Channel
		skipped  float64
	}{
		{"OKOne", join(ig), []inbox.Channel{inbox.ChannelInstagramComment}, 0},
		{"OKTwo", join(ig, fb), []inbox.Channel{inbox.ChannelInstagramComment, inbox.ChannelFacebookComment}, 0},
		{"OKSpaced", []byte(" [\n" + string(fb) + " ,\n" + string(ig) + "\n] "), []inbox.Channel{inbox.ChannelFacebookComment, inbox.ChannelInstagramComment}, 0},
		{"OKNoDeliveryElementSkipped", join([]byte(`"x"`), fb, secret, []byte(`{"entry":[]}`)), []inbox.Channel{inbox.ChannelFacebookComment}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			metrics := webhooks.NewMetrics(reg)
			d := receiveSigned(t, metrics, tt.body)
			if got := metricValue(t, reg, "inkorg_webhook_requests_total", "result", "accepted"); got != 1 {
				t.Errorf("accepted requests: got %v, want 1", got)
			}

			store := &memStore{}
			var logs inboxtest.SyncBuffer
			ing := webhooks.NewIngester(store, newLogger(&logs), metrics)
			if err := ing.Handle(context.Background(), d); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if len(store.raw) != 1 || !bytes.Equal(store.raw[0].Body, tt.body) {
				t.Errorf("kept: got %d deliveries, want the body once as it came", len(store.raw))
			}
			var got []inbox.Channel
			for _, e := range store.events() {
				got = append(got, e.Channel)
			}
			if !slices.Equal(got, tt.channels) {
				t.Errorf("events: got %v, want %v", got, tt.channels)
			}
			if got := metricValue(t, reg, "inkorg_ingest_deliveries_total", "result", "applied"); got != 1 {
				t.Errorf("applied deliveries: got %v, want 1", got)
			}
			if got := skippedElements(t, reg); got != tt.skipped {
				t.Errorf("skipped elements: got %v, want %v", got, tt.skipped)
			}
			out := logs.String()
			if !strings.Contains(out, "shape=array") {
				t.Errorf("log does not name the array:\n%s", out)
			}
			if strings.Contains(out, "19121212") {
				t.Errorf("log holds an element's text:\n%s", out)
			}
		})
	}
}

// join makes a top-level JSON array of the bodies.
func join(bodies ...[]byte) []byte {
	return append(append([]byte("["), bytes.Join(bodies, []byte(","))...), ']')
}

// skippedElements sums the array elements counted as malformed, of any
// object.
func skippedElements(t *testing.T, reg *prometheus.Registry) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0.0
	for _, f := range families {
		if f.GetName() != "inkorg_ingest_skipped_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["reason"] == "malformed" && labels["field"] == "delivery" {
				n += m.GetCounter().GetValue()
			}
		}
	}
	return n
}
