package loadgen

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"time"
)

// Report is what a run measured. Latencies are in milliseconds.
type Report struct {
	Target string `json:"target"`
	// Rate is the rate asked for; 0 means as fast as possible.
	Rate        float64 `json:"rate"`
	Concurrency int     `json:"concurrency"`
	// Seconds is how long the load took, from the first request to the
	// last answer.
	Seconds float64 `json:"seconds"`
	Sent    int     `json:"sent"`
	// Acknowledged deliveries were answered 200; Events is how many
	// events they held.
	Acknowledged int `json:"acknowledged"`
	Events       int `json:"events"`
	// Errors counts the other answers by status ("503", …), or
	// "transport" when there was none.
	Errors              map[string]int `json:"errors"`
	Kinds               map[Kind]int   `json:"kinds"`
	DeliveriesPerSecond float64        `json:"deliveries_per_second"`
	EventsPerSecond     float64        `json:"events_per_second"`
	Ack                 Latency        `json:"ack_latency_ms"`
	// Backlog is how many deliveries still waited for the ingest workers
	// when the load ended, from the target's /metrics; nil when it does
	// not say. A backlog that grows from run to run means ingest does not
	// keep up with the rate.
	Backlog *int64 `json:"deliveries_backlog,omitempty"`
	// EndToEnd is set when the run was given an API token.
	EndToEnd *EndToEnd `json:"end_to_end,omitempty"`
}

// Latency summarises a set of latencies, in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// EndToEnd is the time from sending a message to seeing it in the API.
type EndToEnd struct {
	// Sent probes were acknowledged; Visible ones appeared in the API,
	// Lost ones not within the timeout.
	Sent    int            `json:"sent"`
	Visible int            `json:"visible"`
	Lost    int            `json:"lost"`
	Errors  map[string]int `json:"errors"`
	Latency Latency        `json:"latency_ms"`
}

func newReport(cfg Config, senders []*sender, elapsed time.Duration) *Report {
	r := &Report{
		Target: cfg.URL, Rate: cfg.Rate, Concurrency: cfg.Concurrency,
		Seconds: elapsed.Seconds(), Errors: map[string]int{}, Kinds: map[Kind]int{},
	}
	var all []time.Duration
	for _, s := range senders {
		r.Sent += s.sent
		r.Acknowledged += s.acked
		r.Events += s.events
		addCounts(r.Errors, s.errors)
		addCounts(r.Kinds, s.kinds)
		all = append(all, s.latencies...)
	}
	if r.Seconds > 0 {
		r.DeliveriesPerSecond = float64(r.Acknowledged) / r.Seconds
		r.EventsPerSecond = float64(r.Events) / r.Seconds
	}
	r.Ack = summarise(all)
	return r
}

func addCounts[K comparable](to, from map[K]int) {
	for k, n := range from {
		to[k] += n
	}
}

func (p *prober) report() *EndToEnd {
	p.mu.Lock()
	defer p.mu.Unlock()
	return &EndToEnd{
		Sent: p.sent, Visible: len(p.latencies), Lost: p.lost,
		Errors: maps.Clone(p.errors), Latency: summarise(p.latencies),
	}
}

// summarise returns the percentiles of ds (nearest rank); it sorts ds.
func summarise(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := int(q*float64(len(ds))+0.999999) - 1
		return ms(ds[max(0, min(i, len(ds)-1))])
	}
	return Latency{P50: at(0.50), P95: at(0.95), P99: at(0.99), Max: ms(ds[len(ds)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// WriteText writes r for people.
func (r *Report) WriteText(w io.Writer) {
	rate := "as fast as possible"
	if r.Rate > 0 {
		rate = fmt.Sprintf("%g/s", r.Rate)
	}
	fmt.Fprintf(w, "target        %s\n", r.Target)
	fmt.Fprintf(w, "load          %s, %d concurrent, %.1f s\n", rate, r.Concurrency, r.Seconds)
	fmt.Fprintf(w, "sent          %d deliveries\n", r.Sent)
	fmt.Fprintf(w, "acknowledged  %d deliveries (%d events)\n", r.Acknowledged, r.Events)
	fmt.Fprintf(w, "throughput    %.0f deliveries/s, %.0f events/s\n", r.DeliveriesPerSecond, r.EventsPerSecond)
	fmt.Fprintf(w, "ack latency   %s\n", r.Ack)
	fmt.Fprintf(w, "errors        %s\n", counts(r.Errors))
	fmt.Fprintf(w, "mix           %s\n", counts(r.Kinds))
	if r.Backlog != nil {
		fmt.Fprintf(w, "backlog       %d deliveries queued for ingest when the load ended\n", *r.Backlog)
	}
	if e := r.EndToEnd; e != nil {
		fmt.Fprintf(w, "end to end    %d probes sent, %d visible, %d not visible within the timeout\n", e.Sent, e.Visible, e.Lost)
		fmt.Fprintf(w, "e2e latency   %s\n", e.Latency)
		if len(e.Errors) > 0 {
			fmt.Fprintf(w, "probe errors  %s\n", counts(e.Errors))
		}
	}
}

// String formats l as "p50 … p95 … p99 … max …".
func (l Latency) String() string {
	return fmt.Sprintf("p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms", l.P50, l.P95, l.P99, l.Max)
}

// counts formats a count map sorted by key, or "none".
func counts[K ~string](m map[K]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	out := ""
	for i, k := range keys {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %d", k, m[K(k)])
	}
	return out
}
