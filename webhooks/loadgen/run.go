package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"inkorg/webhooks"
)

// Limits that keep every run bounded.
const (
	DefaultDuration    = 10 * time.Second
	MaxDuration        = time.Hour
	MaxCount           = 10_000_000
	DefaultConcurrency = 16
	MaxConcurrency     = 1024
	MaxRate            = 1_000_000
)

// Config is one load run.
type Config struct {
	// URL is the webhook endpoint, such as http://127.0.0.1:8080/webhooks/meta.
	URL string
	// Secret is the Meta app secret the target verifies signatures with.
	Secret string
	// Rate is deliveries per second; 0 sends as fast as the target
	// acknowledges.
	Rate float64
	// Concurrency is how many requests may be in flight.
	Concurrency int
	// Duration and Count bound the run: it stops at whichever comes
	// first. With neither, it runs for DefaultDuration; without a count,
	// it stops at MaxCount.
	Duration time.Duration
	Count    int
	// AllowRemote permits a target that is not on this machine.
	AllowRemote bool
	// Token, when set, is an API token: the run then measures how soon
	// messages are visible in the inbox API (see Probe).
	Token string
	// APIURL is the base of the API; default the scheme and host of URL.
	APIURL string
	// Probe configures the end-to-end measurement.
	Probe ProbeConfig
	// Generator says whose deliveries to make; Stream is set per sender.
	Generator GeneratorConfig
}

// validate fills defaults and checks cfg.
func (cfg *Config) validate() error {
	u, err := CheckTarget(cfg.URL, cfg.AllowRemote)
	if err != nil {
		return err
	}
	if cfg.APIURL == "" {
		cfg.APIURL = u.Scheme + "://" + u.Host
	} else if _, err := CheckTarget(cfg.APIURL, cfg.AllowRemote); err != nil {
		return err
	}
	if err := cfg.checkBounds(); err != nil {
		return err
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Duration == 0 {
		cfg.Duration = MaxDuration
		if cfg.Count == 0 {
			cfg.Duration = DefaultDuration
		}
	}
	if cfg.Count == 0 {
		// Every latency is kept until the report, so the count is
		// bounded even when the duration is what ends the run.
		cfg.Count = MaxCount
	}
	if cfg.Generator.RunID == "" {
		cfg.Generator.RunID = NewRunID(time.Now())
	}
	cfg.Probe.defaults(cfg.expectedLength())
	return nil
}

// expectedLength is how long the run is expected to last: its duration,
// or less when a count at a rate ends it sooner.
func (cfg *Config) expectedLength() time.Duration {
	if cfg.Rate > 0 {
		if secs := float64(cfg.Count) / cfg.Rate; secs < cfg.Duration.Seconds() {
			return time.Duration(secs * float64(time.Second))
		}
	}
	return cfg.Duration
}

// ErrInvalidConfig is what Run's error is when it refuses a Config: no
// secret, or a number out of bounds.
var ErrInvalidConfig = errors.New("loadgen: invalid configuration")

// invalidConfig is a Config out of bounds; it is ErrInvalidConfig.
type invalidConfig struct{ msg string }

func (e *invalidConfig) Error() string { return e.msg }

func (e *invalidConfig) Is(target error) bool { return target == ErrInvalidConfig }

func invalidf(format string, args ...any) error {
	return &invalidConfig{msg: fmt.Sprintf(format, args...)}
}

// checkBounds checks the secret and the numbers; zero means the default.
func (cfg *Config) checkBounds() error {
	switch {
	case cfg.Secret == "":
		return invalidf("no app secret to sign with: set META_APP_SECRET or pass --secret")
	case !(cfg.Rate >= 0 && cfg.Rate <= MaxRate): // NaN too
		return invalidf("rate must be positive, at most %d per second, or 0 for as fast as possible; got %g", MaxRate, cfg.Rate)
	case cfg.Concurrency < 0 || cfg.Concurrency > MaxConcurrency:
		return invalidf("concurrency must be positive, at most %d, or 0 for the default; got %d", MaxConcurrency, cfg.Concurrency)
	case cfg.Duration < 0 || cfg.Duration > MaxDuration:
		return invalidf("duration must be positive, at most %s, or 0 for the default; got %s", MaxDuration, cfg.Duration)
	case cfg.Count < 0 || cfg.Count > MaxCount:
		return invalidf("count must be positive, at most %d, or 0 for no count; got %d", MaxCount, cfg.Count)
	case cfg.Probe.Threads < 0 || cfg.Probe.Threads > MaxProbes:
		return invalidf("probes must be positive, at most %d, or 0 for the default; got %d", MaxProbes, cfg.Probe.Threads)
	}
	return nil
}

// Run sends load as cfg says and reports what happened. It returns once
// the count is sent or the duration is over (or ctx is done), and every
// request has finished.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	client := newClient(cfg.Concurrency+cfg.Probe.Threads+2, cfg.AllowRemote)
	defer client.CloseIdleConnections()

	var probes *prober
	if cfg.Token != "" {
		p, err := newProber(ctx, cfg, client)
		if err != nil {
			return nil, err
		}
		probes = p
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()

	probeDone := make(chan struct{})
	if probes != nil {
		go func() { probes.run(ctx); close(probeDone) }()
	} else {
		close(probeDone)
	}
	start := time.Now()
	senders := sendAll(ctx, cfg, client)
	elapsed := time.Since(start)
	cancel() // the load is over: probes send no more
	r := newReport(cfg, senders, elapsed)
	if n, ok := backlog(client, cfg.APIURL); ok {
		r.Backlog = &n
	}
	<-probeDone
	if probes != nil {
		r.EndToEnd = probes.report()
	}
	return r, nil
}

// sender is one connection's worth of load and what it saw.
type sender struct {
	gen       *Generator
	latencies []time.Duration
	sent      int
	acked     int
	events    int
	kinds     map[Kind]int
	errors    map[string]int
}

// sendAll runs the senders until the load is done.
func sendAll(ctx context.Context, cfg Config, client *http.Client) []*sender {
	var next func() bool
	var issued atomic.Int64
	if cfg.Rate > 0 {
		ticks := pace(ctx, cfg.Rate, cfg.Count, cfg.Duration)
		next = func() bool { _, ok := <-ticks; return ok }
	} else {
		next = func() bool {
			return ctx.Err() == nil && issued.Add(1) <= int64(cfg.Count)
		}
	}
	senders := make([]*sender, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range senders {
		gc := cfg.Generator
		gc.Stream = i
		s := &sender{gen: NewGenerator(gc), kinds: map[Kind]int{}, errors: map[string]int{}}
		senders[i] = s
		wg.Go(func() {
			for next() {
				s.send(client, cfg)
			}
		})
	}
	wg.Wait()
	return senders
}

// pace emits one tick per delivery at rate per second until count (when
// set), the run's duration or ctx ends. Ticks are due at fixed times from
// the start, so a slow moment is caught up rather than lowering the rate.
func pace(ctx context.Context, rate float64, count int, duration time.Duration) <-chan struct{} {
	ticks := make(chan struct{})
	go func() {
		defer close(ticks)
		start := time.Now()
		interval := float64(time.Second) / rate
		for i := range count {
			due := start.Add(time.Duration(float64(i) * interval))
			if due.Sub(start) >= duration {
				return
			}
			if wait := time.Until(due); wait > 0 {
				select {
				case <-time.After(wait):
				case <-ctx.Done():
					return
				}
			}
			select {
			case ticks <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ticks
}

// send posts one signed delivery and records the answer. Requests are
// not tied to the run's context: one that has started is let finish (the
// client's timeout bounds it), so that nothing sent is miscounted.
func (s *sender) send(client *http.Client, cfg Config) {
	d := s.gen.Next(time.Now())
	s.sent++
	start := time.Now()
	status, err := post(client, cfg.URL, cfg.Secret, d.Body)
	took := time.Since(start)
	switch {
	case err != nil:
		s.errors["transport"]++
	case status != http.StatusOK:
		s.errors[strconv.Itoa(status)]++
	default:
		s.acked++
		s.events += d.Events
		s.kinds[d.Kind]++
		s.latencies = append(s.latencies, took)
	}
}

// post sends body signed with secret and returns the status.
func post(client *http.Client, url, secret string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhooks.SignatureHeader, webhooks.Sign(secret, body))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body) // so the connection is reused
	return resp.StatusCode, nil
}
