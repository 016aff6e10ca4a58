package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/reconcile"
	"inkorg/inbox/secretbox"
	"inkorg/inbox/sender"
	"inkorg/webhooks"
	webdemo "inkorg/webhooks/demo"
)

// graphSandbox is the META_GRAPH_URL value that selects the built-in
// sandbox instead of Meta's Graph API.
const graphSandbox = "sandbox"

// sandboxToken stands in for a missing access token while the sandbox is
// the Graph API, so the demo can send without real tokens.
const sandboxToken = "sandbox-token"

// outboundGraph is the Graph API client of this process and, when the
// sandbox stands in for Meta, the sandbox.
type outboundGraph struct {
	client  *graph.Client
	sandbox *graph.Sandbox
	server  *graph.SandboxServer
	// log stores the sandbox's calls for every process (serve only).
	log graph.CallLog
	// logins tells the client which login a token's account has, so that
	// calls for Instagram Login accounts go to the Instagram host; it
	// knows the accounts once a worker gives it the store (useStore).
	logins *graph.TokenLogins
}

// useStore lets the client route each call by the login of the account
// whose token it carries, read from store.
func (g *outboundGraph) useStore(store inbox.Store, sealer inbox.Sealer) {
	g.logins.Use(store, sealer)
}

// close stops the sandbox's listener, if any.
func (g *outboundGraph) close() {
	if g.server != nil {
		g.server.Close()
	}
}

// openGraph returns the Graph API client: Meta's at META_GRAPH_URL (and
// META_INSTAGRAM_GRAPH_URL for Instagram Login accounts), or the built-in
// sandbox, for both, when META_GRAPH_URL=sandbox or in the demo. The
// sandbox is never chosen silently: it is logged at start.
func openGraph(e *env, demo bool) (*outboundGraph, error) {
	g := &outboundGraph{logins: &graph.TokenLogins{}}
	base, instagram := e.cfg.MetaGraphURL, e.cfg.MetaInstagramGraphURL
	if demo || base == graphSandbox {
		g.sandbox = graph.NewSandbox(nil)
		// A thousand ids per millisecond since the epoch: a start never
		// reuses an id an earlier start gave.
		g.sandbox.NumberFrom(int(time.Now().UnixMilli()) * 1000)
		srv, err := g.sandbox.Start()
		if err != nil {
			return nil, fmt.Errorf("start the Graph API sandbox: %w", err)
		}
		g.server, base, instagram = srv, srv.URL, srv.URL
		if demo {
			for _, p := range webdemo.Posts(time.Now()) {
				g.sandbox.SetPost(webdemo.PageID, false, graph.PostContent{ID: p.ID, Text: p.Text, Permalink: p.Permalink, Created: p.Created})
			}
			for _, p := range webdemo.Profiles() {
				g.sandbox.SetProfile(p.PSID, graph.Profile{FirstName: p.FirstName, LastName: p.LastName})
			}
		}
		e.logger.Warn("Graph API sandbox in use: replies and moderation are recorded, not sent to Meta",
			slog.String("calls", "/api/v1/sandbox/calls"))
	}
	client, err := graph.New(graph.Config{BaseURL: base, InstagramBaseURL: instagram, Logins: g.logins,
		Version: version, Logger: e.logger})
	if err != nil {
		g.close()
		return nil, fmt.Errorf("META_GRAPH_URL or META_INSTAGRAM_GRAPH_URL: %w", err)
	}
	g.client = client
	return g, nil
}

// openSealer returns the box that encrypts access tokens, nil when
// INKORG_SECRET_KEY is not set.
func openSealer(e *env) (*secretbox.Box, error) {
	if len(e.cfg.SecretKeys) == 0 {
		return nil, nil
	}
	return secretbox.New(e.cfg.SecretKeys...)
}

// tokenSource returns what opens stored access tokens (nil without
// INKORG_SECRET_KEY) and, only while the sandbox is the Graph API, the
// token used for accounts that have none.
func tokenSource(e *env, g *outboundGraph) (inbox.Sealer, string, error) {
	box, err := openSealer(e)
	if err != nil {
		return nil, "", err
	}
	fallback := ""
	if g.sandbox != nil {
		fallback = sandboxToken
	}
	if box == nil {
		// A nil *Box in the interface would not compare equal to nil.
		return nil, fallback, nil
	}
	return box, fallback, nil
}

// startSender runs the sender on the outbound queue, and the sweep that
// republishes due actions, until ctx ends.
func startSender(ctx context.Context, wg *sync.WaitGroup, e *env, store inbox.Store, queue inbox.Queue,
	g *outboundGraph, pub inbox.Publisher, reg prometheus.Registerer) error {
	sealer, fallback, err := tokenSource(e, g)
	if err != nil {
		return err
	}
	// The post and profile fetchers, started after the sender in the same
	// process, share the client and so its routing.
	g.useStore(store, sealer)
	s := sender.New(sender.Config{Store: store, Graph: g.client, Sealer: sealer, SandboxToken: fallback,
		Queue: queue, Publisher: pub, Metrics: sender.NewMetrics(reg), Logger: e.logger})
	wg.Add(2)
	go func() { defer wg.Done(); s.Sweep(ctx, sender.DefaultSweepInterval) }()
	go func() {
		defer wg.Done()
		if err := queue.Consume(ctx, inbox.QueueOutbound, outboundConcurrency, s.Handle); err != nil {
			e.logger.Error("outbound worker stopped", slog.Any("err", err))
		}
	}()
	return nil
}

// outboundConcurrency is how many outbound actions are sent at once per
// process; Meta's rate limits, not the CPU, bound the sender.
const outboundConcurrency = 4

// startReconcile records webhook activity per account and runs the poll
// that fetches what webhooks missed, until ctx ends.
func startReconcile(ctx context.Context, wg *sync.WaitGroup, e *env, store inbox.Store, ingester *webhooks.Ingester,
	g *outboundGraph, pub inbox.Publisher, reg prometheus.Registerer) error {
	sealer, fallback, err := tokenSource(e, g)
	if err != nil {
		return err
	}
	g.useStore(store, sealer)
	ingester.AddHook(reconcile.WebhookSeen(store, nil))
	r := reconcile.New(reconcile.Config{Store: store, Graph: g.client, Sealer: sealer, SandboxToken: fallback,
		Apply: ingester.ApplyEvents, Publisher: pub, Registerer: reg, Logger: e.logger,
		App: graph.App{ID: e.cfg.MetaAppID, Secret: e.cfg.MetaAppSecret}})
	wg.Add(1)
	go func() { defer wg.Done(); r.Run(ctx, reconcile.DefaultInterval) }()
	return nil
}
