package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/slawatch"
)

// loadSLAConfig reads the file INKORG_SLA_CONFIG names, or the bundled
// default when it is unset.
func loadSLAConfig(path string) (*businesstime.SLA, error) {
	sla, err := businesstime.LoadSLA(path)
	if err != nil {
		return nil, configErrorf("INKORG_SLA_CONFIG: %s", inbox.ErrorMessage(err))
	}
	return sla, nil
}

// parseSLAInterval reads INKORG_SLA_INTERVAL; empty is the watcher's
// default.
func parseSLAInterval(v string) (time.Duration, error) {
	if v == "" {
		return slawatch.DefaultInterval, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second || d > time.Hour {
		return 0, configErrorf("INKORG_SLA_INTERVAL: %q must be a duration from 1s to 1h, such as 30s", v)
	}
	return d, nil
}

// reportService returns the service behind /api/v1/reports.
func reportService(store inbox.Store, sla *businesstime.SLA) *inbox.ReportService {
	return &inbox.ReportService{Store: store, Location: sla.Calendar.Location(), Now: time.Now}
}

// startSLAWatcher measures conversations and raises SLA notifications
// until ctx is done. pub may be nil.
func startSLAWatcher(ctx context.Context, wg *sync.WaitGroup, e *env, store inbox.Store, pub inbox.Publisher, reg prometheus.Registerer) {
	var policies []string
	for _, r := range e.cfg.SLA.Rules {
		policies = append(policies, r.Name)
	}
	w := &slawatch.Watcher{
		Store: store, SLA: e.cfg.SLA, Publisher: pub, Metrics: slawatch.NewMetrics(reg, policies...),
		Logger: e.logger.With(slog.String("component", "sla")), Now: time.Now,
	}
	wg.Add(1)
	go func() { defer wg.Done(); w.Run(ctx, e.cfg.SLAInterval) }()
}
