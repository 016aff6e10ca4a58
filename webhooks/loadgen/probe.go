package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ProbeConfig configures the end-to-end measurement. While the load runs,
// each of Threads probe senders posts a Messenger message with a unique
// mid into a conversation of its own, polls GET
// /api/v1/conversations/{id} until the message is listed, and records the
// time from send to visible; then waits Interval and sends the next. The
// probe conversations are created and found before the load starts, so
// measuring needs no search through the load's conversations, and each
// holds at most PerConversation probes so that polling it stays cheap.
type ProbeConfig struct {
	// Threads is how many probes are in flight at once; default 2.
	Threads int
	// Interval is the pause between one probe being visible and the next;
	// default 100 ms, longer when needed to spread MaxPerThread probes
	// over the run's expected length.
	Interval time.Duration
	// Poll is how often a pending probe is looked for at first; default
	// 10 ms. A probe that takes longer is looked for less often (see
	// pollGap).
	Poll time.Duration
	// Timeout is how long a probe may take to appear before it counts as
	// not visible; default 30 s.
	Timeout time.Duration
}

// Probe bounds.
const (
	// MaxProbes bounds Threads.
	MaxProbes = 64
	// MaxPerThread bounds the probes one thread sends in a run.
	MaxPerThread = 100
	// PerConversation bounds the probes sent into one conversation.
	PerConversation = 25
	// probeBase is the first scoped id of the probe senders.
	probeBase = 9900000000000000
	// pollShare and maxPollGap slow down the polling of a probe that
	// takes long (see pollGap).
	pollShare  = 20
	maxPollGap = 500 * time.Millisecond
)

// pollGap is how long a probe that has waited for its message for
// waited lets pass before it looks again: Poll, or a twentieth of the
// wait once that is longer, up to half a second. Each poll reads a whole conversation from the API, on
// the database ingest writes to; polling every 10 ms while ingest lags
// seconds behind would put as much load on it as the deliveries
// themselves do, and slow ingest further. The latency measured is off by
// at most the gap: 5 % of it, or Poll for the fast probes the p95 goal is
// about.
func (p ProbeConfig) pollGap(waited time.Duration) time.Duration {
	return min(max(p.Poll, waited/pollShare), max(p.Poll, maxPollGap))
}

func (p *ProbeConfig) defaults(run time.Duration) {
	if p.Threads <= 0 {
		p.Threads = 2
	}
	if p.Interval <= 0 {
		p.Interval = 100 * time.Millisecond
	}
	if spread := run / MaxPerThread; p.Interval < spread {
		p.Interval = spread
	}
	if p.Poll <= 0 {
		p.Poll = 10 * time.Millisecond
	}
	if p.Timeout <= 0 {
		p.Timeout = 30 * time.Second
	}
}

// prober runs the probes and collects their latencies.
type prober struct {
	cfg    Config
	client *http.Client
	convs  [][]int64 // per thread, the conversations to probe in
	runID  string

	mu        sync.Mutex
	latencies []time.Duration
	sent      int
	lost      int
	errors    map[string]int
}

// newProber creates the probe conversations and finds their ids.
// cfg is validated, so its Probe has its defaults.
func newProber(ctx context.Context, cfg Config, client *http.Client) (*prober, error) {
	p := &prober{cfg: cfg, client: client, runID: cfg.Generator.RunID, errors: map[string]int{}}
	perThread := (MaxPerThread + PerConversation - 1) / PerConversation
	if cfg.Count > 0 {
		perThread = min(perThread, cfg.Count/PerConversation+1)
	}
	// A token the API refuses is reported before anything is sent.
	var probe struct{}
	if err := p.get(ctx, "/api/v1/conversations?limit=1", &probe); err != nil {
		return nil, err
	}
	want, err := p.open(perThread)
	if err != nil {
		return nil, err
	}
	if err := p.find(ctx, want); err != nil {
		return nil, err
	}
	return p, nil
}

// open posts the first message of every probe conversation and returns
// the senders to look for, with the thread and slot of each.
func (p *prober) open(perThread int) (map[string][2]int, error) {
	want := map[string][2]int{}
	now := time.Now()
	for t := range p.cfg.Probe.Threads {
		p.convs = append(p.convs, make([]int64, perThread))
		for c := range perThread {
			sender := p.sender(t, c)
			want[sender] = [2]int{t, c}
			body := ProbeDelivery(p.cfg.Generator.PageID, sender, p.mid(t, c, 0), "Hej! Provmeddelande från lasttest 🔎", now)
			if status, err := post(p.client, p.cfg.URL, p.cfg.Secret, body); err != nil || status != http.StatusOK {
				return nil, fmt.Errorf("probe conversation not accepted by %s: status %d, %v", p.cfg.URL, status, err)
			}
		}
	}
	return want, nil
}

func (p *prober) sender(thread, conv int) string {
	return fmt.Sprintf("%d", probeBase+int64(thread)*1000+int64(conv)) + p.runID
}

func (p *prober) mid(thread, conv, n int) string {
	return fmt.Sprintf("m_probe_%s_%d_%d_%d", p.runID, thread, conv, n)
}

// find pages through the Messenger conversations, newest first, until
// every probe sender's conversation is found.
func (p *prober) find(ctx context.Context, want map[string][2]int) error {
	deadline := time.Now().Add(p.cfg.Probe.Timeout)
	for len(want) > 0 {
		if err := p.findPage(ctx, want); err != nil {
			return err
		}
		if len(want) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d probe conversations did not appear in the API within %s: is the workers role running, and is the deliveries queue empty (inkorg_queue_length in /metrics)?", len(want), p.cfg.Probe.Timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// findPage reads up to five pages of the conversation list.
func (p *prober) findPage(ctx context.Context, want map[string][2]int) error {
	cursor := ""
	for range 5 {
		var list struct {
			Conversations []struct {
				ID        int64  `json:"id"`
				ThreadKey string `json:"thread_key"`
			} `json:"conversations"`
			NextCursor string `json:"next_cursor"`
		}
		path := "/api/v1/conversations?channel=messenger&limit=200&cursor=" + url.QueryEscape(cursor)
		if err := p.get(ctx, path, &list); err != nil {
			return err
		}
		for _, c := range list.Conversations {
			if at, ok := want[c.ThreadKey]; ok {
				p.convs[at[0]][at[1]] = c.ID
				delete(want, c.ThreadKey)
			}
		}
		if cursor = list.NextCursor; cursor == "" || len(want) == 0 {
			return nil
		}
	}
	return nil
}

// errAPIStatus is an API answer other than 200.
type errAPIStatus int

func (e errAPIStatus) Error() string { return fmt.Sprintf("API answered %d", int(e)) }

// get reads path from the API with the token into v.
func (p *prober) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(p.cfg.APIURL, "/")+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+p.cfg.Token)
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return errors.New("the API refused the token (401): create one with inkorg token create")
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return errAPIStatus(resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// run sends probes on every thread until ctx is done.
func (p *prober) run(ctx context.Context) {
	var wg sync.WaitGroup
	for t := range p.convs {
		wg.Go(func() { p.thread(ctx, t) })
	}
	wg.Wait()
}

func (p *prober) thread(ctx context.Context, t int) {
	for n := range len(p.convs[t]) * PerConversation {
		if ctx.Err() != nil {
			return
		}
		p.probe(ctx, t, n)
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.cfg.Probe.Interval):
		}
	}
}

// probe sends probe n of thread t and waits until it is visible. A probe
// once sent is waited for even when the load ends, up to Timeout.
func (p *prober) probe(ctx context.Context, t, n int) {
	conv := p.convs[t][n/PerConversation]
	sender := p.sender(t, n/PerConversation)
	mid := p.mid(t, n/PerConversation, n+1)
	text := fmt.Sprintf("Provmeddelande %s-%d-%d från lasttest 🔎", p.runID, t, n)
	start := time.Now()
	status, err := post(p.client, p.cfg.URL, p.cfg.Secret, ProbeDelivery(p.cfg.Generator.PageID, sender, mid, text, start))
	if err != nil || status != http.StatusOK {
		p.count(func() { p.errors[statusLabel(status, err)]++ })
		return
	}
	p.count(func() { p.sent++ })
	wait, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.Probe.Timeout)
	defer cancel()
	for {
		visible, err := p.visible(wait, conv, mid)
		switch {
		case visible:
			took := time.Since(start)
			p.count(func() { p.latencies = append(p.latencies, took) })
			return
		case wait.Err() != nil:
			p.count(func() { p.lost++ })
			return
		case err != nil:
			p.count(func() { p.errors[apiLabel(err)]++ })
		}
		select {
		case <-wait.Done():
		case <-time.After(p.cfg.Probe.pollGap(time.Since(start))):
		}
	}
}

// visible reports whether the message mid is listed in conversation id.
func (p *prober) visible(ctx context.Context, id int64, mid string) (bool, error) {
	var detail struct {
		Messages []struct {
			ExternalID string `json:"external_id"`
		} `json:"messages"`
	}
	if err := p.get(ctx, fmt.Sprintf("/api/v1/conversations/%d", id), &detail); err != nil {
		return false, err
	}
	for _, m := range detail.Messages {
		if m.ExternalID == mid {
			return true, nil
		}
	}
	return false, nil
}

func (p *prober) count(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f()
}

// statusLabel names a failed request for the error counts.
func statusLabel(status int, err error) string {
	if err != nil {
		return "transport"
	}
	return fmt.Sprintf("%d", status)
}

// apiLabel names a failed API read for the error counts.
func apiLabel(err error) string {
	var st errAPIStatus
	if errors.As(err, &st) {
		return fmt.Sprintf("api_%d", int(st))
	}
	return "api_error"
}
