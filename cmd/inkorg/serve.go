package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/queuemetrics"
	"inkorg/inbox/sqlstore"
	"inkorg/routing"
	"inkorg/webhooks"
)

// roles says which parts of inkorg this process runs.
type roles struct{ webhooks, workers, api bool }

func parseRoles(raw string) (roles, error) {
	var r roles
	for _, name := range strings.Split(raw, ",") {
		switch strings.TrimSpace(name) {
		case "webhooks":
			r.webhooks = true
		case "workers":
			r.workers = true
		case "api":
			r.api = true
		default:
			return r, usagef("--roles: unknown role %q; use webhooks, workers and api, comma-separated", name)
		}
	}
	return r, nil
}

// Timeouts of a graceful shutdown: stop accepting, finish in-flight work.
const shutdownTimeout = 8 * time.Second

// signInCleanupInterval is how often the workers delete ended sessions
// and old failed sign-ins.
const signInCleanupInterval = time.Hour

// ingestConcurrency is how many deliveries one process applies at once.
// On PostgreSQL applying one is mostly waiting for round trips and
// commits, so many more than the cores: more than the store's 20
// connections, too, so that parsing and triage go on while others wait
// for one (32 kept up with 500 deliveries/s more steadily than 16 in
// alternating runs); SQLite has one connection, which more would only
// queue on.
func ingestConcurrency(b *backends) int {
	if b.db.Dialect() == sqlstore.DialectPostgres {
		return 32
	}
	return 4
}

func serve(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("serve")
	demoMode := fs.Bool("demo", false, "seed demo users and replay sample webhooks")
	rolesFlag := fs.String("roles", "webhooks,workers,api", "roles this process runs")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	r, err := parseRoles(*rolesFlag)
	if err != nil {
		return err
	}
	b, err := openBackends(ctx, e)
	if err != nil {
		return err
	}
	defer b.close(e.logger)
	var search answers.Search
	var answerRefresher *answers.Refresher
	if r.api || r.workers {
		if search, answerRefresher, err = openAnswerBank(ctx, e, b.store); err != nil {
			return err
		}
		defer search.Close()
	}
	var links routing.Suggester
	if search != nil {
		links = answerLinks(search)
	}
	triager, admins, err := newServeTriager(e, links)
	if err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	queue := queuemetrics.Wrap(b.queue, reg)
	queuemetrics.RegisterStats(b.queue, reg, inbox.QueueDeliveries, inbox.QueueOutbound)
	whMetrics := webhooks.NewMetrics(reg)
	outGraph, err := openGraph(e, *demoMode)
	if err != nil {
		return err
	}
	defer outGraph.close()
	if outGraph.sandbox != nil {
		// With roles in separate processes, the sender's calls are seen by
		// the API process through the database.
		outGraph.log = sqlstore.NewSandboxCallLog(b.store)
		outGraph.sandbox.SetCallLog(outGraph.log, e.logger)
	}

	appSecret := e.cfg.MetaAppSecret
	if *demoMode && appSecret == "" {
		// The demo signs its sample webhooks itself; a per-process secret
		// keeps the endpoint closed to anyone else.
		appSecret = randomSecret()
	}
	if appSecret == "" && e.cfg.MetaInstagramAppSecret == "" && r.webhooks {
		e.logger.Warn("META_APP_SECRET is not set: every webhook POST is refused until it is")
	}

	live, err := openLive(e)
	if err != nil {
		return err
	}
	defer live.close()
	srvCfg := httpapi.Config{
		Live:                live.broker,
		Presence:            live.presence,
		KnownAdministration: func(id string) bool { _, ok := admins.Get(id); return ok },
		Metrics:             promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}),
		Checks:              readyChecks(r, b),
		Logger:              e.logger,
		TrustedProxies:      e.cfg.TrustedProxies,
	}
	if r.webhooks {
		rcv := webhooks.NewReceiver(webhooks.ReceiverConfig{
			AppSecret:          appSecret,
			PreviousAppSecret:  e.cfg.MetaAppSecretPrevious,
			InstagramAppSecret: e.cfg.MetaInstagramAppSecret,
			VerifyToken:        e.cfg.MetaVerifyToken,
			Queue:              queue, Logger: e.logger, Metrics: whMetrics,
		})
		srvCfg.Webhooks = &httpapi.WebhookHandlers{Verify: rcv.Verify, Receive: rcv.Receive}
	}
	if r.api {
		srvCfg.Store = b.store
		srvCfg.Answers = search
		srvCfg.AnswerEditor = &answers.Editor{Store: b.store, Search: search, Domains: answerDomains(e),
			KnownAdministration: srvCfg.KnownAdministration, Logger: e.logger}
		srvCfg.AnswerUses = b.store
		srvCfg.ReplyHooks = append(srvCfg.ReplyHooks, (&answers.UseRecorder{Store: b.store, Logger: e.logger}).ReplyHook)
		srvCfg.Reports = reportService(b.store, e.cfg.SLA)
		srvCfg.Sessions = inbox.NewSessions(b.store, nil)
		srvCfg.Outbound, srvCfg.Sandbox, srvCfg.SandboxLog = queue, outGraph.sandbox, outGraph.log
		srvCfg.DeadLetters, _ = b.queue.(inbox.DeadLetters)
		if srvCfg.Web, err = newWebUI(ctx, e, b.store, search, admins, srvCfg); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on INKORG_ADDR %s: %w", e.cfg.Addr, err)
	}
	httpSrv := httpapi.NewHTTPServer(e.cfg.Addr, httpapi.New(srvCfg))
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	baseURL := "http://" + displayAddr(e.cfg.Addr, ln.Addr())
	fmt.Fprintf(e.stdout, "inkorg listening on %s (%s, %s)\n", baseURL, b.storeKind(), b.queueKind)

	var workers sync.WaitGroup
	if answerRefresher != nil {
		workers.Add(1)
		go func() { defer workers.Done(); answerRefresher.Run(ctx, e.cfg.Answers.Refresh) }()
	}
	if r.workers {
		startSLAWatcher(ctx, &workers, e, b.store, live.broker, reg)
		if err := startSender(ctx, &workers, e, b.store, queue, outGraph, live.broker, reg); err != nil {
			return err
		}
		ingester := webhooks.NewIngester(b.store, e.logger, whMetrics)
		if err := startReconcile(ctx, &workers, e, b.store, ingester, outGraph, live.broker, reg); err != nil {
			return err
		}
		if err := startPostFetcher(ctx, &workers, e, b.store, ingester, outGraph); err != nil {
			return err
		}
		if err := startProfileFetcher(ctx, &workers, e, b.store, outGraph); err != nil {
			return err
		}
		hookOpts := triageHookOptions(e, b.store, queue, live.broker)
		if triager.HasSuggester() {
			filler := routing.NewSuggestionFiller(triager, b.store, routing.DefaultSuggestionQueue, reg, e.logger)
			// Links are looked up while fewer than half the ingest
			// workers are busy: ingest comes first.
			busyAt := max(ingestConcurrency(b)/2, 1)
			filler.GiveWayTo(func() bool { return ingester.InFlight() >= busyAt })
			hookOpts = append(hookOpts, routing.WithSuggestionsLater(filler))
			workers.Go(func() { filler.Run(ctx) })
		}
		ingester.SetPretriage(routing.Pretriager(triager, hookOpts...))
		addIngestHooks(ingester, b.store, e.logger, triager, hookOpts...)
		ingester.AddHook(inbox.LiveMessageHook(live.broker))
		startArchiveSchedule(ctx, &workers, e, b.store)
		workers.Go(func() {
			inbox.NewSessions(b.store, nil).CleanUpEvery(ctx, signInCleanupInterval, e.logger.With(slog.String("worker", "sign-in")))
		})
		startRouting(ctx, &workers, e, b.store, triager, live.broker, reg)
		workers.Add(1)
		go func() { defer workers.Done(); triager.RetrainEvery(ctx, b.store, retrainInterval, e.logger) }()
		workers.Add(1)
		go func() {
			defer workers.Done()
			if err := queue.Consume(ctx, inbox.QueueDeliveries, ingestConcurrency(b), ingester.Handle); err != nil {
				e.logger.Error("ingest worker stopped", slog.Any("err", err))
			}
		}()
	}

	if *demoMode {
		if err := runDemo(ctx, e, b.store, baseURL, appSecret, r); err != nil {
			e.logger.Error("demo set-up failed", slog.Any("err", err))
		}
	}

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	}
	e.logger.Info("shutting down: finishing in-flight work")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		e.logger.Warn("http shutdown", slog.Any("err", err))
	}
	if !waitTimeout(&workers, shutdownCtx) {
		// Whatever is still running was not acknowledged and will be
		// delivered again.
		e.logger.Warn("workers did not finish in time; their deliveries will be redelivered")
	}
	e.logger.Info("stopped")
	return nil
}

// waitTimeout waits for wg until ctx is done and reports whether wg was done.
func waitTimeout(wg *sync.WaitGroup, ctx context.Context) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// displayAddr is the address to print: the host of INKORG_ADDR, or
// localhost when it listens on every interface, with the bound port.
func displayAddr(configured string, bound net.Addr) string {
	host, _, _ := net.SplitHostPort(configured)
	_, port, _ := net.SplitHostPort(bound.String())
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
