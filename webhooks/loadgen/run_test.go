package loadgen

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlq"
	"inkorg/inbox/sqlstore"
	"inkorg/webhooks"
)

const testSecret = "loadgen-test-secret"

// receiverServer is a real webhooks.Receiver on a SQLite queue that
// answers every failEvery-th request 503 instead (0: never), and the queue
// it publishes to.
func receiverServer(t *testing.T, failEvery int64) (*httptest.Server, inbox.Queue) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "inkorg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	q := sqlq.New(db, sqlq.Options{})
	recv := webhooks.NewReceiver(webhooks.ReceiverConfig{AppSecret: testSecret, Queue: q})
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failEvery > 0 && n.Add(1)%failEvery == 0 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		recv.Receive(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, q
}

// queued consumes the deliveries queue until want messages arrived or a
// while passed, and returns how many did.
func queued(t *testing.T, q inbox.Queue, want int) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var mu sync.Mutex
	got := 0
	_ = q.Consume(ctx, inbox.QueueDeliveries, 4, func(_ context.Context, d *inbox.Delivery) error {
		if _, err := webhooks.Parse(d.Body); err != nil {
			t.Errorf("queued delivery %s: Parse: %v", d.ID, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if got++; got == want {
			cancel()
		}
		return nil
	})
	mu.Lock()
	defer mu.Unlock()
	return got
}

func TestRun(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv, q := receiverServer(t, 10)
		r, err := Run(t.Context(), Config{URL: srv.URL + "/webhooks/meta", Secret: testSecret, Count: 200, Concurrency: 4})
		if err != nil {
			t.Fatal(err)
		}
		if r.Sent != 200 || r.Acknowledged != 180 || r.Errors["503"] != 20 || len(r.Errors) != 1 {
			t.Fatalf("got sent %d acknowledged %d errors %v, want 200, 180, map[503:20]", r.Sent, r.Acknowledged, r.Errors)
		}
		kinds := 0
		for _, n := range r.Kinds {
			kinds += n
		}
		if kinds != r.Acknowledged || r.Events < r.Acknowledged {
			t.Errorf("got %d by kind and %d events, want %d and at least as many events", kinds, r.Events, r.Acknowledged)
		}
		if r.Ack.P50 <= 0 || r.Ack.P50 > r.Ack.P95 || r.Ack.P95 > r.Ack.P99 || r.Ack.P99 > r.Ack.Max {
			t.Errorf("got ack latency %s, want 0 < p50 <= p95 <= p99 <= max", r.Ack)
		}
		if got := queued(t, q, r.Acknowledged); got != r.Acknowledged {
			t.Errorf("got %d deliveries on the queue, want %d", got, r.Acknowledged)
		}
	})
	t.Run("OKRate", func(t *testing.T) {
		srv, _ := receiverServer(t, 0)
		r, err := Run(t.Context(), Config{URL: srv.URL, Secret: testSecret, Count: 30, Rate: 1000, Concurrency: 2})
		if err != nil {
			t.Fatal(err)
		}
		if r.Sent != 30 || r.Acknowledged != 30 || len(r.Errors) != 0 {
			t.Errorf("got sent %d acknowledged %d errors %v, want 30, 30, none", r.Sent, r.Acknowledged, r.Errors)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		srv, _ := receiverServer(t, 0)
		r, err := Run(t.Context(), Config{URL: srv.URL, Secret: "not-the-secret", Count: 10, Concurrency: 2})
		if err != nil {
			t.Fatal(err)
		}
		if r.Acknowledged != 0 || r.Errors["401"] != 10 {
			t.Errorf("got acknowledged %d errors %v, want 0 and map[401:10]", r.Acknowledged, r.Errors)
		}
	})
	t.Run("ErrRemote", func(t *testing.T) {
		_, err := Run(t.Context(), Config{URL: "http://192.0.2.1/webhooks/meta", Secret: testSecret, Count: 1})
		if !errors.Is(err, ErrRemoteTarget) {
			t.Errorf("got %v, want ErrRemoteTarget", err)
		}
	})
}

func TestConfigValidate(t *testing.T) {
	ok := Config{URL: "http://127.0.0.1:1/webhooks/meta", Secret: "s"}
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"ErrNoSecret", func(c *Config) { c.Secret = "" }},
		{"ErrNegativeRate", func(c *Config) { c.Rate = -1 }},
		{"ErrConcurrency", func(c *Config) { c.Concurrency = MaxConcurrency + 1 }},
		{"ErrDuration", func(c *Config) { c.Duration = MaxDuration + time.Second }},
		{"ErrCount", func(c *Config) { c.Count = MaxCount + 1 }},
		{"ErrRemoteAPI", func(c *Config) { c.APIURL = "http://example.org" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			if err := c.validate(); err == nil {
				t.Errorf("got nil, want an error")
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		c := ok
		if err := c.validate(); err != nil {
			t.Fatal(err)
		}
		if c.Duration != DefaultDuration || c.Count != MaxCount || c.Concurrency != DefaultConcurrency || c.APIURL != "http://127.0.0.1:1" {
			t.Errorf("got duration %s count %d concurrency %d API %s, want %s, %d, %d, http://127.0.0.1:1",
				c.Duration, c.Count, c.Concurrency, c.APIURL, DefaultDuration, MaxCount, DefaultConcurrency)
		}
		c = ok
		c.Count = 5
		if err := c.validate(); err != nil || c.Duration != MaxDuration {
			t.Errorf("with a count: got duration %s, %v, want %s", c.Duration, err, MaxDuration)
		}
	})
}

func TestCheckTarget(t *testing.T) {
	tests := []struct {
		url         string
		allowRemote bool
		ok          bool
	}{
		{"http://127.0.0.1:8080/webhooks/meta", false, true},
		{"http://127.9.9.9/webhooks/meta", false, true},
		{"http://[::1]:8080/webhooks/meta", false, true},
		{"https://localhost/webhooks/meta", false, true},
		{"http://10.0.0.5/webhooks/meta", false, false},
		{"http://inkorg.goteborg.se/webhooks/meta", false, false},
		{"http://[::ffff:10.0.0.1]/", false, false},
		{"http://inkorg.goteborg.se/webhooks/meta", true, true},
		{"ftp://127.0.0.1/", false, false},
		{"127.0.0.1:8080", false, false},
	}
	for _, tc := range tests {
		_, err := CheckTarget(tc.url, tc.allowRemote)
		if (err == nil) != tc.ok {
			t.Errorf("CheckTarget(%q, %v): got %v, want ok %v", tc.url, tc.allowRemote, err, tc.ok)
		}
	}
}

// TestClientRefusesRemote checks that a name that resolves off the
// machine is refused at connect time, not only by its spelling.
func TestClientRefusesRemote(t *testing.T) {
	c := newClient(1, false)
	_, err := c.Get("http://192.0.2.1:9/")
	if !errors.Is(err, ErrRemoteTarget) {
		t.Errorf("got %v, want ErrRemoteTarget", err)
	}
}

func TestParseBacklog(t *testing.T) {
	tests := []struct {
		name, metrics string
		want          int64
		ok            bool
	}{
		{"OK", "# TYPE inkorg_queue_length gauge\ninkorg_queue_length{queue=\"deliveries\"} 4749\ninkorg_queue_length{queue=\"outbound\"} 3\n", 4749, true},
		{"OKFloat", "inkorg_queue_length{queue=\"deliveries\"} 1.2e+06\n", 1200000, true},
		{"ErrAbsent", "inkorg_queue_length{queue=\"outbound\"} 3\n", 0, false},
		{"ErrValue", "inkorg_queue_length{queue=\"deliveries\"} many\n", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseBacklog(bufio.NewScanner(strings.NewReader(tc.metrics)))
			if got != tc.want || ok != tc.ok {
				t.Errorf("got %d, %v, want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
