package main

import (
	"context"
	"sync"

	"inkorg/inbox"
	"inkorg/inbox/postfetch"
	"inkorg/webhooks"
)

// startPostFetcher makes ingest note the post each new comment hangs under
// (a database write, no network call) and runs the worker that fetches
// those posts from the Graph API, until ctx ends.
func startPostFetcher(ctx context.Context, wg *sync.WaitGroup, e *env, store inbox.Store, ingester *webhooks.Ingester, g *outboundGraph) error {
	sealer, fallback, err := tokenSource(e, g)
	if err != nil {
		return err
	}
	f := postfetch.New(postfetch.Config{Store: store, Graph: g.client, Sealer: sealer, SandboxToken: fallback, Logger: e.logger})
	wg.Add(1)
	go func() { defer wg.Done(); f.Run(ctx, postfetch.DefaultInterval) }()
	return nil
}
