package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox/inboxtest"
	"inkorg/inbox/queuetest"
	"inkorg/webhooks"
)

// outageSenders post webhooks at once, as Meta does under load.
const outageSenders = 4

// TestOutage runs inkorg on Redis through a proxy and cuts Redis off while
// webhooks keep coming: the receiver must answer 503 with Retry-After and
// never 200 while the queue is unreachable, /readyz must report it, and
// once Redis is back the workers must go on by themselves, with every
// accepted event stored exactly once.
func TestOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an outage under load; skipped with -short")
	}
	redisURL, prefix := inboxtest.RedisURL(t)
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	p := queuetest.NewProxy(t, u.Host)
	u.Host = p.Addr()
	env := baseEnv(t)
	env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = u.String(), prefix
	env["INKORG_QUEUE_LEASE"] = "2s"
	in := startServe(t, env)

	load := startLoad(in.baseURL)
	load.waitAccepted(t, 100)

	p.Down()
	waitReady(t, in.baseURL, http.StatusServiceUnavailable)
	cutAt := load.mark()
	load.waitRefused(t, cutAt, 20)
	upAt := time.Now()
	restoredAt := load.mark()
	p.Up()
	recovered := load.waitAccepted(t, restoredAt.accepted+100)
	waitReady(t, in.baseURL, http.StatusOK)
	sent := load.stop()

	load.mu.Lock()
	wrong, refused, slowest := load.check(cutAt.at, upAt)
	load.mu.Unlock()
	if wrong != "" {
		t.Error(wrong)
	}
	t.Logf("outage: %d events sent, %d answers 503 with Retry-After while Redis was cut (slowest %v); first 200 %v after Redis was back",
		sent, refused, slowest.Round(time.Millisecond), recovered.Sub(upAt).Round(time.Millisecond))

	b := openTestBackends(t, env)
	stored := func() int64 {
		var n int64
		if err := b.db.Gorm().Raw("SELECT COUNT(*) FROM messages WHERE external_id LIKE 'm_outage_%'").Scan(&n).Error; err != nil {
			t.Fatalf("count messages: %v", err)
		}
		return n
	}
	waitStored(t, stored, int64(sent))
	checkStoredOnce(t, b, "m_outage_", sent)
}

// answer is one response of the receiver.
type answer struct {
	start, end time.Time
	status     int
	retryAfter string
}

// load posts one-message deliveries from outageSenders goroutines. Each
// event is sent again until it is answered 200, as Meta does.
type load struct {
	url     string
	next    atomic.Int64
	stopped chan struct{}
	wg      sync.WaitGroup

	mu       sync.Mutex
	answers  []answer
	accepted int
}

// point is a moment of the run: its time and how many events were
// accepted by then.
type point struct {
	at       time.Time
	accepted int
}

func startLoad(baseURL string) *load {
	l := &load{url: baseURL + "/webhooks/meta", stopped: make(chan struct{})}
	for range outageSenders {
		l.wg.Go(l.send)
	}
	return l
}

func (l *load) send() {
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		select {
		case <-l.stopped:
			return
		default:
		}
		i := int(l.next.Add(1) - 1)
		body := messengerDelivery("m_outage_", i, 1)
		for !l.post(client, body) {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// post sends one delivery and reports whether it was accepted.
func (l *load) post(client *http.Client, body []byte) bool {
	req, _ := http.NewRequest(http.MethodPost, l.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhooks.SignatureHeader, webhooks.Sign(testAppSecret, body))
	a := answer{start: time.Now()}
	resp, err := client.Do(req)
	a.end = time.Now()
	if err == nil {
		a.status, a.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
		resp.Body.Close()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.answers = append(l.answers, a)
	if a.status == http.StatusOK {
		l.accepted++
	}
	return a.status == http.StatusOK
}

// mark returns now and the events accepted so far.
func (l *load) mark() point {
	l.mu.Lock()
	defer l.mu.Unlock()
	return point{time.Now(), l.accepted}
}

// waitAccepted waits until n events were accepted and returns when the
// last answer came.
func (l *load) waitAccepted(t *testing.T, n int) time.Time {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		l.mu.Lock()
		got, last := l.accepted, time.Time{}
		for _, a := range l.answers {
			if a.status == http.StatusOK && a.end.After(last) {
				last = a.end
			}
		}
		l.mu.Unlock()
		if got >= n {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("accepted events: got %d, want %d", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRefused waits for n answers to requests sent after from.
func (l *load) waitRefused(t *testing.T, from point, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		l.mu.Lock()
		got := 0
		for _, a := range l.answers {
			if a.start.After(from.at) && a.status != http.StatusOK {
				got++
			}
		}
		l.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("refused requests during the outage: got %d, want %d", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop stops the senders and returns how many events they sent, each
// accepted in the end.
func (l *load) stop() int {
	close(l.stopped)
	l.wg.Wait()
	return int(l.next.Load())
}

// check looks at the requests sent and answered while Redis was cut off,
// between down and up: each must be 503 with Retry-After. It returns what
// is wrong, how many there were and the slowest answer.
func (l *load) check(down, up time.Time) (wrong string, refused int, slowest time.Duration) {
	for _, a := range l.answers {
		if a.start.Before(down) || a.end.After(up) {
			continue
		}
		if a.status != http.StatusServiceUnavailable || a.retryAfter == "" {
			return "during the outage: got status " + http.StatusText(a.status) + ", Retry-After " + a.retryAfter +
				"; want 503 with Retry-After", refused, slowest
		}
		refused++
		slowest = max(slowest, a.end.Sub(a.start))
	}
	return "", refused, slowest
}

// waitReady waits until /readyz answers status, and for 503 that it names
// the queue.
func waitReady(t *testing.T, baseURL string, status int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(baseURL + "/readyz")
		if err == nil {
			var body struct{ Checks map[string]string }
			_ = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode == status && (status == http.StatusOK || body.Checks["queue"] == "unavailable") {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz: never answered %d (last %v)", status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
