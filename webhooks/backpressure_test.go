package webhooks_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// stallQueue is a queue whose Publish takes delay (or, with delay 0, waits
// until its context ends) and whose Ping returns pingErr.
type stallQueue struct {
	delay   time.Duration
	pingErr error
	// cancelled receives the error of a Publish whose context ended.
	cancelled chan error
}

func (q *stallQueue) Ping(context.Context) error { return q.pingErr }
func (q *stallQueue) Close() error               { return nil }

func (q *stallQueue) Publish(ctx context.Context, _ string, _ inbox.OutgoingMessage) (string, error) {
	if q.delay > 0 {
		time.Sleep(q.delay)
		return "1", nil
	}
	<-ctx.Done()
	q.cancelled <- ctx.Err()
	return "", ctx.Err()
}

func (q *stallQueue) Consume(ctx context.Context, _ string, _ int, _ inbox.Handler) error {
	<-ctx.Done()
	return nil
}

func TestReceiverBackpressure(t *testing.T) {
	body := fixture(t, "messenger_message_text.json")
	t.Run("OKSlowButReachable", func(t *testing.T) {
		// Slower than the reachability check: the ping answers, so the
		// receiver waits for the publish.
		q := &stallQueue{delay: time.Second}
		w := httptest.NewRecorder()
		newReceiver(q, nil).Receive(w, post(body, webhooks.Sign(testSecret, body)))
		if got, want := w.Code, http.StatusOK; got != want {
			t.Errorf("status: got %d, want %d", got, want)
		}
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		q := &stallQueue{pingErr: errors.New("dial tcp: i/o timeout"), cancelled: make(chan error, 1)}
		w := httptest.NewRecorder()
		newReceiver(q, nil).Receive(w, post(body, webhooks.Sign(testSecret, body)))
		if got, want := w.Code, http.StatusServiceUnavailable; got != want {
			t.Fatalf("status: got %d, want %d", got, want)
		}
		if got := w.Header().Get("Retry-After"); got == "" {
			t.Error("Retry-After: got none, want a delay")
		}
		assertJSONError(t, w, inbox.EUNAVAILABLE)
		// The publish given up on is cancelled, not left running.
		if err := <-q.cancelled; !errors.Is(err, context.Canceled) {
			t.Errorf("publish context: got %v, want %v", err, context.Canceled)
		}
	})
}
