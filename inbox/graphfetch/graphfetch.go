// Package graphfetch is what the background Graph API readers share (the
// post fetcher and the profile fetcher): running a batch on a ticker,
// pausing while Meta throttles, finding the access token of the account a
// call is made for, and holding an account's calls while Meta rejects its
// token. Neither throttling nor a rejected token is an item's fault, so
// neither spends one of its tries.
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
	// DefaultTokenBackoff is how long calls for an account wait after
	// Meta rejected its token, unless the token is replaced sooner.
	DefaultTokenBackoff = time.Hour
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
	// RetryAfter, ThrottleBackoff and TokenBackoff default to
	// DefaultRetryAfter, DefaultThrottleBackoff and DefaultTokenBackoff.
	RetryAfter      time.Duration
	ThrottleBackoff time.Duration
	TokenBackoff    time.Duration
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
		RetryAfter: c.RetryAfter, ThrottleBackoff: c.ThrottleBackoff, TokenBackoff: c.TokenBackoff}
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
	TokenBackoff    time.Duration
	// pausedUntil is when Meta lets calls through again.
	pausedUntil time.Time
	// rejected holds, per account, the token Meta rejected and until
	// when its calls wait.
	rejected map[account]rejection
}

// account names a managed account, or one that only the sandbox token
// stands in for.
type account struct {
	platform inbox.Platform
	id       string
}

// rejection is a token Meta rejected: sealed is the stored token as it
// was then (so a new one ends the wait), until when the wait ends anyway.
type rejection struct {
	sealed string
	until  time.Time
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
	if p.TokenBackoff <= 0 {
		p.TokenBackoff = DefaultTokenBackoff
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

// Credential is what a reader calls Meta with for one item.
type Credential struct {
	Token string
	// Missing says why there is no token to call with ("account not
	// managed", "no usable access token"); "" when there is one.
	Missing string
	// Wait, when not zero, is until when the item waits without a call:
	// Meta rejected the account's token, and it has not been replaced.
	Wait time.Time

	account account
	sealed  string
}

// Credential returns the access token of the account (platform, external
// id) among accounts, why there is none, or until when its calls wait for
// a new token; only a store failure is an error.
func (p *Pacer) Credential(ctx context.Context, accounts []*inbox.Account, platform inbox.Platform, accountExternalID string) (Credential, error) {
	c := Credential{account: account{platform: platform, id: accountExternalID}}
	var managed *inbox.Account
	for _, a := range accounts {
		if a.Platform == platform && a.ExternalID == accountExternalID {
			managed = a
		}
	}
	switch {
	case managed == nil && p.SandboxToken != "":
		c.Token = p.SandboxToken
	case managed == nil:
		c.Missing = "account not managed"
		return c, nil
	default:
		sealed, err := p.Store.FindAccountToken(ctx, managed.ID)
		switch {
		case err != nil:
			return Credential{}, err
		case sealed == "" && p.SandboxToken != "":
			c.Token = p.SandboxToken
		case sealed == "" || p.Sealer == nil:
			c.Missing = "no usable access token"
			return c, nil
		default:
			token, err := p.Sealer.Open(sealed)
			if err != nil {
				c.Missing = "token cannot be decrypted"
				return c, nil
			}
			c.Token, c.sealed = token, sealed
		}
	}
	c.Wait = p.tokenWait(c)
	return c, nil
}

// tokenWait returns until when an item of c's account waits for a new
// token; zero when it need not. The wait is at most RetryAfter at a time,
// so that a token replaced meanwhile is used soon.
func (p *Pacer) tokenWait(c Credential) time.Time {
	r, found := p.rejected[c.account]
	now := p.Now()
	if !found {
		return time.Time{}
	}
	if !now.Before(r.until) || r.sealed != c.sealed {
		delete(p.rejected, c.account)
		return time.Time{}
	}
	return minTime(r.until, now.Add(p.RetryAfter))
}

// Hold reports whether an item whose call with c failed with err should
// wait rather than spend one of its tries, and until when: Meta throttled
// (calls pause, see Observe, which is to be called first), or rejected the
// account's token, whose calls then wait until the token is replaced or
// TokenBackoff has passed.
func (p *Pacer) Hold(c Credential, now time.Time, err error) (until time.Time, held bool) {
	switch {
	case graph.ClassOf(err) == graph.Token:
		if p.rejected == nil {
			p.rejected = map[account]rejection{}
		}
		p.rejected[c.account] = rejection{sealed: c.sealed, until: now.Add(p.TokenBackoff)}
		return minTime(now.Add(p.TokenBackoff), now.Add(p.RetryAfter)), true
	case graph.Throttled(err):
		if p.pausedUntil.After(now) {
			return p.pausedUntil, true
		}
		return now.Add(p.ThrottleBackoff), true
	}
	return time.Time{}, false
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
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
