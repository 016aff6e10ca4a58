package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

const apibenchUsage = "usage: inkorg apibench --token T [--url URL] [--clients N] [--duration D] [--think D]"

// benchLists are the queue views agents open most: each work queue, the
// oldest waiting first, and typical filters.
var benchLists = []string{
	"?queue=unassigned&sort=oldest_waiting",
	"?queue=unassigned",
	"?queue=mine",
	"?queue=department&sort=oldest_waiting",
	"?status=new,open&channel=messenger,instagram_direct",
	"?queue=unassigned&language=ar,so,fa",
	"?queue=unassigned&priority=urgent",
	"?tag=kris_storm&status=new,open",
	"?administration=kretslopp-vatten&sort=oldest_waiting",
	"",
}

// apibenchCmd measures the inbox API of a running instance: clients in
// parallel alternate between a queue list and a conversation detail, and
// it reports the latency percentiles of each.
func apibenchCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("apibench")
	base := fs.String("url", "http://localhost:8080", "the instance's base URL")
	token := fs.String("token", "", "an API token (inkorg token create)")
	clients := fs.Int("clients", 50, "concurrent clients")
	duration := fs.Duration("duration", 20*time.Second, "how long to measure")
	think := fs.Duration("think", 0, "each client's pause between requests, jittered ±50% (0: none, every client sends as fast as it can)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *token == "" || *clients < 1 || *duration <= 0 || *think < 0 {
		return usagef("apibench: --token is required, --clients and --duration positive, --think not negative\n%s", apibenchUsage)
	}
	if err := checkHTTPURL(*base, false); err != nil {
		return usagef("apibench: --url %v, like http://localhost:8080", err)
	}
	b := &apiBench{base: strings.TrimRight(*base, "/") + "/api/v1", token: *token,
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}}
	ids, err := b.conversationIDs(ctx)
	if err != nil {
		return fmt.Errorf("apibench: %w", err)
	}
	lists, details, failures := b.run(ctx, *clients, *duration, *think, ids)
	fmt.Fprintf(e.stdout, "clients %d, think %s, %s, %d conversations sampled, %.0f requests/s, load average %s\n",
		*clients, *think, *duration, len(ids), float64(len(lists)+len(details))/duration.Seconds(), loadAverage())
	fmt.Fprintf(e.stdout, "queue list: %s\n", summarize(lists))
	fmt.Fprintf(e.stdout, "detail:     %s\n", summarize(details))
	if failures > 0 {
		return fmt.Errorf("apibench: %d requests failed", failures)
	}
	return nil
}

type apiBench struct {
	base, token string
	client      *http.Client
}

// get requests path and returns the body; any answer but 200 is an error.
func (b *apiBench) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d: %.200s", path, resp.StatusCode, body)
	}
	return body, err
}

// conversationIDs samples conversations to open, across the whole list.
func (b *apiBench) conversationIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	for _, q := range []string{"?limit=200", "?limit=200&sort=oldest_waiting", "?limit=200&status=resolved", "?limit=200&queue=department"} {
		body, err := b.get(ctx, "/conversations"+q)
		if err != nil {
			return nil, err
		}
		var page struct {
			Conversations []struct {
				ID int64 `json:"id"`
			} `json:"conversations"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		for _, c := range page.Conversations {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no conversations to open; seed some with inkorg seed")
	}
	return ids, nil
}

// run lets clients work until the duration is over, each pausing about
// think between requests, and returns the latencies of lists and details
// and the number of failures.
func (b *apiBench) run(ctx context.Context, clients int, d, think time.Duration, ids []int64) (lists, details []time.Duration, failures int) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 42))
			// Clients start on alternate kinds, so that a short run on a
			// slow machine measures details as well as lists.
			for i := c; ctx.Err() == nil; i++ {
				if think > 0 {
					pause := think/2 + time.Duration(rng.Int64N(int64(think)+1))
					select {
					case <-ctx.Done():
						return
					case <-time.After(pause):
					}
				}
				path, isList := fmt.Sprintf("/conversations/%d", ids[rng.IntN(len(ids))]), i%2 == 0
				if isList {
					path = "/conversations" + benchLists[rng.IntN(len(benchLists))]
				}
				start := time.Now()
				_, err := b.get(ctx, path)
				took := time.Since(start)
				if ctx.Err() != nil {
					return // cut off by the end of the run: not a measurement
				}
				mu.Lock()
				switch {
				case err != nil:
					failures++
				case isList:
					lists = append(lists, took)
				default:
					details = append(details, took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return lists, details, failures
}

// summarize formats the count and nearest-rank percentiles of ds.
func summarize(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no requests"
	}
	slices.Sort(ds)
	p := func(q float64) time.Duration {
		return ds[max(0, int(q*float64(len(ds))+0.999999)-1)].Round(100 * time.Microsecond)
	}
	return fmt.Sprintf("%d requests, p50 %s, p95 %s, p99 %s, max %s", len(ds), p(0.50), p(0.95), p(0.99), ds[len(ds)-1].Round(100*time.Microsecond))
}

// loadAverage returns the machine's 1, 5 and 15 minute load averages, or
// "unknown" where /proc/loadavg is missing.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
