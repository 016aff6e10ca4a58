// Package graphfetch is what the background Graph API readers share (the
// post fetcher and the profile fetcher): running a batch on a ticker,
// pausing while Meta throttles, and finding the access token of the
// account a call is made for.
package graphfetch

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// Defaults of Pacer.
const (
	// DefaultRetryAfter is the first wait after a failed fetch (it doubles
	// with each attempt, see Retry) and the pause once usage is high.
	DefaultRetryAfter = time.Minute
	// DefaultThrottleBackoff is how long fetching pauses after Meta
	// throttled a call without saying for how long.
	DefaultThrottleBackoff = 5 * time.Minute
)

// TokenStore finds the accounts and their sealed access tokens.
type TokenStore interface {
	FindAccounts(ctx context.Context) ([]*inbox.Account, error)
	FindAccountToken(ctx context.Context, accountID int64) (string, error)
}

// Config configures a background reader whose store is S.
type Config[S TokenStore] struct {
	Store  S
	Graph  *graph.Client
	Sealer inbox.Sealer
	// SandboxToken stands in for missing tokens while the sandbox is the
	// Graph API.
	SandboxToken string
	Logger       *slog.Logger
	Now          func() time.Time
	Batch        int
	// RetryAfter and ThrottleBackoff default to DefaultRetryAfter and
	// DefaultThrottleBackoff.
	RetryAfter      time.Duration
	ThrottleBackoff time.Duration
}

// Pacer fills in c's zero fields, batch being the reader's own default
// batch size, and returns the Pacer for c.
func (c *Config[S]) Pacer(batch int) Pacer {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Batch <= 0 {
		c.Batch = batch
	}
	p := Pacer{Store: c.Store, Sealer: c.Sealer, SandboxToken: c.SandboxToken, Now: c.Now,
		RetryAfter: c.RetryAfter, ThrottleBackoff: c.ThrottleBackoff}
	p.SetDefaults()
	return p
}

// Pacer keeps a background reader within Meta's limits and finds the
// tokens it calls with. Not safe for concurrent use: each reader runs one
// batch at a time.
type Pacer struct {
	Store  TokenStore
	Sealer inbox.Sealer
	// SandboxToken stands in for missing tokens while the sandbox is the
	// Graph API.
	SandboxToken    string
	Now             func() time.Time
	RetryAfter      time.Duration
	ThrottleBackoff time.Duration
	// pausedUntil is when Meta lets calls through again.
	pausedUntil time.Time
}

// SetDefaults fills in the zero fields.
func (p *Pacer) SetDefaults() {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.RetryAfter <= 0 {
		p.RetryAfter = DefaultRetryAfter
	}
	if p.ThrottleBackoff <= 0 {
		p.ThrottleBackoff = DefaultThrottleBackoff
	}
}

// Paused reports whether calls wait for Meta now.
func (p *Pacer) Paused() bool { return p.Now().Before(p.pausedUntil) }

// Observe pauses calls while Meta says they are throttled, and for a while
// once usage is high (RateLimit.SlowDown): what background readers fetch
// is context, and the calls left are better spent on replies. rl is the
// answer's rate limit; a graph.Error's own takes its place.
func (p *Pacer) Observe(now time.Time, rl graph.RateLimit, err error) {
	var gerr *graph.Error
	if errors.As(err, &gerr) {
		rl = gerr.RateLimit
	}
	switch {
	case rl.Throttled(now):
		p.pausedUntil = now.Add(max(rl.Delay(now), p.RetryAfter))
	case graph.Throttled(err):
		p.pausedUntil = now.Add(p.ThrottleBackoff)
	case rl.SlowDown:
		p.pausedUntil = now.Add(p.RetryAfter)
	}
}

// Retry returns when to try again after attempts failed ones: RetryAfter,
// doubling with each attempt.
func (p *Pacer) Retry(now time.Time, attempts int) time.Time {
	return now.Add(p.RetryAfter << min(attempts, 10))
}

// Token returns the access token of the account (platform, external id)
// among accounts, or why there is none; only a store failure is an error.
func (p *Pacer) Token(ctx context.Context, accounts []*inbox.Account, platform inbox.Platform, accountExternalID string) (token, missing string, err error) {
	var account *inbox.Account
	for _, a := range accounts {
		if a.Platform == platform && a.ExternalID == accountExternalID {
			account = a
		}
	}
	if account == nil {
		if p.SandboxToken != "" {
			return p.SandboxToken, "", nil
		}
		return "", "account not managed", nil
	}
	sealed, err := p.Store.FindAccountToken(ctx, account.ID)
	switch {
	case err != nil:
		return "", "", err
	case sealed == "" && p.SandboxToken != "":
		return p.SandboxToken, "", nil
	case sealed == "" || p.Sealer == nil:
		return "", "no usable access token", nil
	}
	token, err = p.Sealer.Open(sealed)
	if err != nil {
		return "", "token cannot be decrypted", nil
	}
	return token, "", nil
}

// Run calls batch every interval until ctx ends, logging its failures as
// "<what> fetch failed".
func Run(ctx context.Context, interval time.Duration, logger *slog.Logger, what string, batch func(context.Context) (int, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := batch(ctx); err != nil && ctx.Err() == nil {
			logger.Warn(what+" fetch failed", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Batch fetches the items find returns as due now, one by one with fetch,
// and returns how many fetch filled in. It does nothing while paused and
// stops early, leaving the rest due, when Meta throttles; only a store
// failure is an error.
func Batch[T any](ctx context.Context, p *Pacer, find func(ctx context.Context, now time.Time) ([]T, error),
	fetch func(ctx context.Context, accounts []*inbox.Account, item T) (bool, error)) (int, error) {
	if p.Paused() {
		return 0, nil
	}
	due, err := find(ctx, p.Now())
	if err != nil || len(due) == 0 {
		return 0, err
	}
	accounts, err := p.Store.FindAccounts(ctx)
	if err != nil {
		return 0, err
	}
	filled := 0
	for _, item := range due {
		ok, err := fetch(ctx, accounts, item)
		if err != nil {
			return filled, err
		}
		if ok {
			filled++
		}
		if p.Paused() {
			break
		}
	}
	return filled, nil
}
