package main

import (
	"context"
	"sync"

	"inkorg/inbox"
	"inkorg/inbox/profilefetch"
)

// startProfileFetcher runs the worker that fetches the public names of
// Messenger and Instagram Direct contacts, whose webhooks carry only an
// id, from the Graph API, until ctx ends.
func startProfileFetcher(ctx context.Context, wg *sync.WaitGroup, e *env, store inbox.Store, g *outboundGraph) error {
	sealer, fallback, err := tokenSource(e, g)
	if err != nil {
		return err
	}
	f := profilefetch.New(profilefetch.Config{Store: store, Graph: g.client, Sealer: sealer, SandboxToken: fallback, Logger: e.logger})
	wg.Add(1)
	go func() { defer wg.Done(); f.Run(ctx, profilefetch.DefaultInterval) }()
	return nil
}
