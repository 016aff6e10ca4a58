package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"inkorg/webhooks/loadgen"
)

const loadgenUsage = "usage: inkorg loadgen [--url URL] [--rate N] [--concurrency N] [--duration D] [--count N] [--secret S] [--token T] [--json] [--allow-remote]"

// loadgenCmd sends realistic signed webhook load at a running inkorg and
// reports acknowledgements, latency and throughput.
func loadgenCmd(ctx context.Context, e *env, args []string) error {
	cfg, asJSON, err := loadgenConfig(e, args)
	if err != nil {
		return err
	}
	if cfg.AllowRemote {
		e.logger.Warn("load target may be another host: --allow-remote is set", "url", cfg.URL)
	}
	report, err := loadgen.Run(ctx, cfg)
	if errors.Is(err, loadgen.ErrRemoteTarget) || errors.Is(err, loadgen.ErrInvalidConfig) {
		return usagef("loadgen: %v", err)
	}
	if err != nil {
		return fmt.Errorf("loadgen: %w", err)
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		report.WriteText(e.stdout)
	}
	if report.Acknowledged == 0 {
		return errors.New("loadgen: no delivery was acknowledged")
	}
	return nil
}

// loadgenConfig reads the flags; the secret defaults to META_APP_SECRET
// and the target to this instance's INKORG_ADDR on loopback.
func loadgenConfig(e *env, args []string) (loadgen.Config, bool, error) {
	fs := newFlagSet("loadgen")
	cfg := loadgen.Config{}
	var asJSON bool
	fs.StringVar(&cfg.URL, "url", defaultLoadgenURL(e.cfg.Addr), "webhook endpoint")
	fs.StringVar(&cfg.Secret, "secret", e.cfg.MetaAppSecret, "Meta app secret to sign with")
	fs.Float64Var(&cfg.Rate, "rate", 0, "deliveries per second; 0 is as fast as possible")
	fs.IntVar(&cfg.Concurrency, "concurrency", loadgen.DefaultConcurrency, "requests in flight")
	fs.DurationVar(&cfg.Duration, "duration", 0, "how long to send (default 10s, or until --count)")
	fs.IntVar(&cfg.Count, "count", 0, "how many deliveries to send")
	fs.StringVar(&cfg.Token, "token", "", "API token: also measure send-to-visible latency")
	fs.StringVar(&cfg.APIURL, "api-url", "", "API base URL (default: the host of --url)")
	fs.IntVar(&cfg.Probe.Threads, "probes", 0, "end-to-end probe senders (default 2, at most 64)")
	fs.StringVar(&cfg.Generator.PageID, "page-id", loadgen.DefaultPageID, "Facebook Page id of the deliveries")
	fs.StringVar(&cfg.Generator.InstagramID, "instagram-id", loadgen.DefaultInstagramID, "Instagram account id of the deliveries")
	fs.Uint64Var(&cfg.Generator.Seed, "seed", uint64(time.Now().UnixNano()), "random seed of the mix")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow a target that is not on this machine")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	if err := parseFlags(fs, args); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return cfg, false, usagef("%v\n%s", err, loadgenUsage)
		}
		return cfg, false, err
	}
	if _, err := loadgen.CheckTarget(cfg.URL, cfg.AllowRemote); err != nil {
		return cfg, false, usagef("loadgen: %v", err)
	}
	if cfg.Secret == "" {
		return cfg, false, usagef("loadgen: no app secret to sign with: set META_APP_SECRET or pass --secret")
	}
	return cfg, asJSON, nil
}

// defaultLoadgenURL is the webhook endpoint of an instance listening on
// addr, reached over loopback.
func defaultLoadgenURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://127.0.0.1:8080/webhooks/meta"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return "http://" + host + ":" + port + "/webhooks/meta"
}
