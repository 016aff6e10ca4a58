// Package postfetch fills in the posts comment threads hang under. Comment
// webhooks name only the post (or Instagram media) id; the ingest worker
// stores that id (inbox.PostHook) without any network call, and this
// worker later fetches each post's text, permalink and time once through
// the Graph API, outside ingest, pausing whenever Meta's usage headers or
// errors say it is throttled.
package postfetch

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// Defaults of Config.
const (
	DefaultInterval = 5 * time.Second
	DefaultBatch    = 20
	// DefaultRetryAfter is the first wait after a failed fetch; it doubles
	// with each attempt.
	DefaultRetryAfter = time.Minute
	// DefaultThrottleBackoff is how long fetching pauses after Meta
	// throttled a call without saying for how long.
	DefaultThrottleBackoff = 5 * time.Minute
)

// Store is what the fetcher reads and writes.
type Store interface {
	inbox.PostStore
	FindAccounts(ctx context.Context) ([]*inbox.Account, error)
	FindAccountToken(ctx context.Context, accountID int64) (string, error)
}

// Config configures a Fetcher.
type Config struct {
	Store  Store
	Graph  *graph.Client
	Sealer inbox.Sealer
	// SandboxToken stands in for missing tokens while the sandbox is the
	// Graph API.
	SandboxToken    string
	Logger          *slog.Logger
	Now             func() time.Time
	Batch           int
	RetryAfter      time.Duration
	ThrottleBackoff time.Duration
}

// Fetcher fetches posts that are only known by their id.
type Fetcher struct {
	cfg Config
	// pausedUntil is when Meta lets calls through again.
	pausedUntil time.Time
}

// New returns a Fetcher for cfg.
func New(cfg Config) *Fetcher {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = DefaultRetryAfter
	}
	if cfg.ThrottleBackoff <= 0 {
		cfg.ThrottleBackoff = DefaultThrottleBackoff
	}
	return &Fetcher{cfg: cfg}
}

// Run fetches due posts every interval until ctx ends.
func (f *Fetcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := f.FetchDue(ctx); err != nil && ctx.Err() == nil {
			f.cfg.Logger.Warn("post fetch failed", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// FetchDue fetches one batch of due posts and returns how many it filled
// in. It stops early, leaving the rest due, when Meta throttles.
func (f *Fetcher) FetchDue(ctx context.Context) (int, error) {
	now := f.cfg.Now()
	if now.Before(f.pausedUntil) {
		return 0, nil
	}
	due, err := f.cfg.Store.FindPostsToFetch(ctx, now, f.cfg.Batch)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	accounts, err := f.cfg.Store.FindAccounts(ctx)
	if err != nil {
		return 0, err
	}
	filled := 0
	for _, p := range due {
		ok, err := f.fetch(ctx, accounts, p)
		if err != nil {
			return filled, err
		}
		if ok {
			filled++
		}
		if f.cfg.Now().Before(f.pausedUntil) {
			break
		}
	}
	return filled, nil
}

// fetch fetches one post and records the outcome; only a store failure is
// an error.
func (f *Fetcher) fetch(ctx context.Context, accounts []*inbox.Account, p inbox.PostFetch) (bool, error) {
	token, missing, err := f.token(ctx, accounts, p)
	if err != nil {
		return false, err
	}
	if missing != "" {
		// Without an account or token there is nothing to retry with.
		return false, f.cfg.Store.PostFetchFailed(ctx, p.Platform, p.ExternalID, missing, time.Time{})
	}
	content, err := f.cfg.Graph.FetchPost(ctx, token, p.Platform, p.ExternalID)
	now := f.cfg.Now()
	f.pause(now, content.RateLimit, err)
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

// pause stops fetching while Meta says calls are throttled, and for a
// while once usage is high (RateLimit.SlowDown): posts are context, and the
// calls left are better spent on replies.
func (f *Fetcher) pause(now time.Time, rl graph.RateLimit, err error) {
	var gerr *graph.Error
	if errors.As(err, &gerr) {
		rl = gerr.RateLimit
	}
	switch {
	case rl.Throttled(now):
		f.pausedUntil = now.Add(max(rl.Delay(now), f.cfg.RetryAfter))
	case graph.Throttled(err):
		f.pausedUntil = now.Add(f.cfg.ThrottleBackoff)
	case rl.SlowDown:
		f.pausedUntil = now.Add(f.cfg.RetryAfter)
	}
}

// failed records a failed fetch: transient failures are tried again later,
// with a doubling wait; the others (the post is gone, no permission) are
// given up at once.
func (f *Fetcher) failed(ctx context.Context, p inbox.PostFetch, now time.Time, err error) error {
	f.cfg.Logger.Info("post not fetched", slog.String("platform", string(p.Platform)), slog.String("post_id", p.ExternalID),
		slog.String("class", string(graph.ClassOf(err))), slog.Any("err", err))
	next := time.Time{}
	if graph.ClassOf(err) == graph.Transient {
		next = now.Add(f.cfg.RetryAfter << min(p.Attempts, 10))
	}
	return f.cfg.Store.PostFetchFailed(ctx, p.Platform, p.ExternalID, string(graph.ClassOf(err)), next)
}

// token returns the access token of the account the post belongs to, or
// why there is none.
func (f *Fetcher) token(ctx context.Context, accounts []*inbox.Account, p inbox.PostFetch) (token, missing string, err error) {
	var account *inbox.Account
	for _, a := range accounts {
		if a.Platform == p.Platform && a.ExternalID == p.AccountExternalID {
			account = a
		}
	}
	if account == nil {
		if f.cfg.SandboxToken != "" {
			return f.cfg.SandboxToken, "", nil
		}
		return "", "account not managed", nil
	}
	sealed, err := f.cfg.Store.FindAccountToken(ctx, account.ID)
	switch {
	case err != nil:
		return "", "", err
	case sealed == "" && f.cfg.SandboxToken != "":
		return f.cfg.SandboxToken, "", nil
	case sealed == "" || f.cfg.Sealer == nil:
		return "", "no usable access token", nil
	}
	token, err = f.cfg.Sealer.Open(sealed)
	if err != nil {
		return "", "token cannot be decrypted", nil
	}
	return token, "", nil
}
