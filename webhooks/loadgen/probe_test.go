package loadgen

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestProbeInterval: the probes of a thread are spread over the run's
// expected length, which a count at a rate can make shorter than its
// duration, so that a count-bound run gets more than one probe a thread.
func TestProbeInterval(t *testing.T) {
	tests := []struct {
		name     string
		count    int
		rate     float64
		duration time.Duration
		want     time.Duration
	}{
		{"CountAtRate", 20000, 500, 0, 40 * time.Second / MaxPerThread},
		{"CountAtRateShort", 100, 500, 0, 100 * time.Millisecond},
		{"DurationFirst", 20000, 100, 60 * time.Second, 60 * time.Second / MaxPerThread},
		{"DurationOnly", 0, 500, 60 * time.Second, 60 * time.Second / MaxPerThread},
		{"CountAsFastAsPossible", 20000, 0, 0, MaxDuration / MaxPerThread},
		{"Default", 0, 0, 0, 100 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{URL: "http://127.0.0.1:1/webhooks/meta", Secret: "s", Token: "t",
				Count: tc.count, Rate: tc.rate, Duration: tc.duration}
			if err := cfg.validate(); err != nil {
				t.Fatal(err)
			}
			if cfg.Probe.Interval != tc.want {
				t.Errorf("got probe interval %s, want %s", cfg.Probe.Interval, tc.want)
			}
		})
	}
}

// TestProbePollBacksOff: a probe whose message takes long to appear is
// looked for less and less often, so that the probes of a run where
// ingest lags do not load the API and the database with a read every
// 10 ms each; a fast one is still looked for every Poll.
func TestProbePollBacksOff(t *testing.T) {
	cfg := ProbeConfig{}
	cfg.defaults(time.Minute)
	for _, tc := range []struct{ waited, want time.Duration }{
		{0, 10 * time.Millisecond},
		{150 * time.Millisecond, 10 * time.Millisecond},
		{time.Second, 50 * time.Millisecond},
		{5 * time.Second, 250 * time.Millisecond},
		{20 * time.Second, 500 * time.Millisecond},
	} {
		if got := cfg.pollGap(tc.waited); got != tc.want {
			t.Errorf("after %s: poll gap %s, want %s", tc.waited, got, tc.want)
		}
	}
	slow := ProbeConfig{Poll: time.Second}
	if got := slow.pollGap(time.Minute); got != time.Second {
		t.Errorf("Poll 1s after a minute: poll gap %s, want Poll itself", got)
	}

	// A message that appears 2 s after it was sent, against an API that
	// counts the reads: every 10 ms that would be about 200 of them.
	const delay = 2 * time.Second
	var mu sync.Mutex
	var sent time.Time
	reads := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodPost {
			sent = time.Now()
			return
		}
		reads++
		msgs := "[]"
		if !sent.IsZero() && time.Since(sent) >= delay {
			msgs = `[{"external_id":"` + "m_probe_run_0_0_1" + `"}]`
		}
		_, _ = io.WriteString(w, `{"messages":`+msgs+`}`)
	}))
	defer srv.Close()
	run := Config{URL: srv.URL + "/webhooks/meta", Secret: "s", Token: "t", Duration: time.Minute}
	if err := run.validate(); err != nil {
		t.Fatal(err)
	}
	run.Generator.RunID = "run"
	p := &prober{cfg: run, client: srv.Client(), convs: [][]int64{{1}}, runID: "run", errors: map[string]int{}}
	p.probe(t.Context(), 0, 0)
	if len(p.latencies) != 1 || p.lost != 0 || len(p.errors) != 0 {
		t.Fatalf("probe: latencies %v, lost %d, errors %v; want one latency", p.latencies, p.lost, p.errors)
	}
	if p.latencies[0] < delay {
		t.Errorf("latency %s, want at least the %s the message took", p.latencies[0], delay)
	}
	if reads > 100 {
		t.Errorf("%d reads of the conversation for a message that took %s; want the polling to back off", reads, delay)
	}
}
