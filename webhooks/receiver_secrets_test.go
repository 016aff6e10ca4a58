package webhooks_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

// TestReceiverSecrets checks that deliveries signed with any configured
// secret are accepted, counted by the secret that matched, and that the
// others are refused.
func TestReceiverSecrets(t *testing.T) {
	const previous, instagram = "previous-app-secret", "instagram-app-secret"
	body := fixture(t, "ig_comment.json")
	tests := []struct {
		name       string
		previous   string
		instagram  string
		signWith   string
		wantStatus int
		wantSecret string
	}{
		{"OKCurrent", previous, instagram, testSecret, http.StatusOK, "app"},
		{"OKPrevious", previous, instagram, previous, http.StatusOK, "app_previous"},
		{"OKInstagram", previous, instagram, instagram, http.StatusOK, "instagram"},
		{"OKInstagramOnly", "", instagram, instagram, http.StatusOK, "instagram"},
		{"ErrPreviousNotConfigured", "", instagram, previous, http.StatusUnauthorized, ""},
		{"ErrOther", previous, instagram, "other", http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &memQueue{}
			reg := prometheus.NewRegistry()
			var logs inboxtest.SyncBuffer
			r := newReceiver(q, func(c *webhooks.ReceiverConfig) {
				c.PreviousAppSecret, c.InstagramAppSecret = tt.previous, tt.instagram
				c.Metrics, c.Logger = webhooks.NewMetrics(reg), newLogger(&logs)
			})
			w := httptest.NewRecorder()
			r.Receive(w, post(body, webhooks.Sign(tt.signWith, body)))
			if got := w.Code; got != tt.wantStatus {
				t.Fatalf("status: got %d, want %d", got, tt.wantStatus)
			}
			for _, s := range []string{"app", "app_previous", "instagram"} {
				want := 0.0
				if s == tt.wantSecret {
					want = 1
				}
				if got := metricValue(t, reg, "inkorg_webhook_signatures_total", "secret", s); got != want {
					t.Errorf("signatures with %s: got %v, want %v", s, got, want)
				}
			}
			for _, secret := range []string{testSecret, previous, instagram} {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("log contains secret %q", secret)
				}
			}
		})
	}
	t.Run("ErrNoneConfigured", func(t *testing.T) {
		r := newReceiver(&memQueue{}, func(c *webhooks.ReceiverConfig) { c.AppSecret = "" })
		w := httptest.NewRecorder()
		r.Receive(w, post(body, webhooks.Sign("", body)))
		if got, want := w.Code, http.StatusServiceUnavailable; got != want {
			t.Errorf("status: got %d, want %d", got, want)
		}
	})
}
