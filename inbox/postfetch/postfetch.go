// Package postfetch fills in the posts comment threads hang under. Comment
// webhooks name only the post (or Instagram media) id; the ingest worker
// stores that id (inbox.PostHook) without any network call, and this
// worker later fetches each post's text, permalink and time once through
// the Graph API, outside ingest, pausing whenever Meta's usage headers or
// errors say it is throttled, and holding an account's posts while Meta
// rejects its token.
package postfetch

import (
	"context"
	"log/slog"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/graphfetch"
)

// Defaults of Config.
const (
	DefaultInterval = 5 * time.Second
	DefaultBatch    = 20
)

// Store is what the fetcher reads and writes.
type Store interface {
	inbox.PostStore
	graphfetch.TokenStore
}

// Deferrer is a Store that can put a post's next fetch off without
// counting a try; sqlstore.Store is one. With any other Store, a post held
// for Meta's limit or a rejected token stays due as it is.
type Deferrer interface {
	DeferPostFetch(ctx context.Context, platform inbox.Platform, id string, next time.Time) error
}

// Config configures a Fetcher.
type Config = graphfetch.Config[Store]

// Fetcher fetches posts that are only known by their id.
type Fetcher struct {
	cfg  Config
	pace graphfetch.Pacer
}

// New returns a Fetcher for cfg.
func New(cfg Config) *Fetcher {
	pace := cfg.Pacer(DefaultBatch)
	return &Fetcher{cfg: cfg, pace: pace}
}

// Run fetches due posts every interval until ctx ends.
func (f *Fetcher) Run(ctx context.Context, interval time.Duration) {
	graphfetch.Run(ctx, interval, f.cfg.Logger, "post", f.FetchDue)
}

// FetchDue fetches one batch of due posts and returns how many it filled
// in. It stops early, leaving the rest due, when Meta throttles.
func (f *Fetcher) FetchDue(ctx context.Context) (int, error) {
	return graphfetch.Batch(ctx, &f.pace, func(ctx context.Context, now time.Time) ([]inbox.PostFetch, error) {
		return f.cfg.Store.FindPostsToFetch(ctx, now, f.cfg.Batch)
	}, f.fetch)
}

// fetch fetches one post and records the outcome; only a store failure is
// an error.
func (f *Fetcher) fetch(ctx context.Context, accounts []*inbox.Account, p inbox.PostFetch) (bool, error) {
	cred, err := f.pace.Credential(ctx, accounts, p.Platform, p.AccountExternalID)
	switch {
	case err != nil:
		return false, err
	case cred.Missing != "":
		// Without an account or token there is nothing to retry with.
		return false, f.cfg.Store.PostFetchFailed(ctx, p.Platform, p.ExternalID, cred.Missing, time.Time{})
	case !cred.Wait.IsZero():
		return false, f.hold(ctx, p, cred.Wait)
	}
	content, err := f.cfg.Graph.FetchPost(ctx, cred.Token, p.Platform, p.ExternalID)
	now := f.cfg.Now()
	f.pace.Observe(now, content.RateLimit, err)
	if until, held := f.pace.Hold(cred, now, err); held {
		f.cfg.Logger.Info("post fetch held", slog.String("platform", string(p.Platform)),
			slog.String("account_id", p.AccountExternalID), slog.String("class", string(graph.ClassOf(err))),
			slog.Time("until", until), slog.Any("err", err))
		return false, f.hold(ctx, p, until)
	}
	if err != nil {
		return false, f.failed(ctx, p, now, err)
	}
	post := &inbox.Post{Platform: p.Platform, ExternalID: p.ExternalID, AccountExternalID: p.AccountExternalID,
		Text: content.Text, Permalink: content.Permalink, MediaType: content.MediaType, FetchedAt: &now}
	if !content.Created.IsZero() {
		post.PostedAt = &content.Created
	}
	return true, f.cfg.Store.SavePost(ctx, post)
}

// hold puts the post off until until without spending one of its tries.
func (f *Fetcher) hold(ctx context.Context, p inbox.PostFetch, until time.Time) error {
	if d, ok := f.cfg.Store.(Deferrer); ok {
		return d.DeferPostFetch(ctx, p.Platform, p.ExternalID, until)
	}
	return nil
}

// failed records a failed fetch: transient failures are tried again later,
// with a doubling wait; the others (the post is gone, no permission) are
// given up at once.
func (f *Fetcher) failed(ctx context.Context, p inbox.PostFetch, now time.Time, err error) error {
	f.cfg.Logger.Info("post not fetched", slog.String("platform", string(p.Platform)), slog.String("post_id", p.ExternalID),
		slog.String("class", string(graph.ClassOf(err))), slog.Any("err", err))
	next := time.Time{}
	if graph.ClassOf(err) == graph.Transient {
		next = f.pace.Retry(now, p.Attempts)
	}
	return f.cfg.Store.PostFetchFailed(ctx, p.Platform, p.ExternalID, string(graph.ClassOf(err)), next)
}
