// Package profilefetch fills in the public names of citizens whose
// webhooks name them only by id. Messenger and Instagram Direct webhooks
// carry the sender's page-scoped (PSID) or Instagram-scoped (IGSID) id and
// no name; this worker fetches each such contact's profile once through
// the Graph API, outside ingest, and stores the name (and Instagram
// username) without overwriting one a webhook set meanwhile. Meta often
// refuses profiles (the person blocked the Page, or the app lacks the
// permission); such a refusal is final and quiet.
package profilefetch

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/graphfetch"
)

// Defaults of Config.
const (
	DefaultInterval = 5 * time.Second
	DefaultBatch    = 10
)

// Store is what the fetcher reads and writes.
type Store interface {
	inbox.ContactProfileStore
	graphfetch.TokenStore
}

// Config configures a Fetcher.
type Config = graphfetch.Config[Store]

// Fetcher fetches the profiles of contacts only known by their id.
type Fetcher struct {
	cfg  Config
	pace graphfetch.Pacer
}

// New returns a Fetcher for cfg.
func New(cfg Config) *Fetcher {
	pace := cfg.Pacer(DefaultBatch)
	return &Fetcher{cfg: cfg, pace: pace}
}

// Run fetches due profiles every interval until ctx ends.
func (f *Fetcher) Run(ctx context.Context, interval time.Duration) {
	graphfetch.Run(ctx, interval, f.cfg.Logger, "profile", f.FetchDue)
}

// FetchDue fetches one batch of due profiles and returns how many it
// stored. It stops early, leaving the rest due, when Meta throttles.
func (f *Fetcher) FetchDue(ctx context.Context) (int, error) {
	return graphfetch.Batch(ctx, &f.pace, func(ctx context.Context, now time.Time) ([]inbox.ProfileFetch, error) {
		return f.cfg.Store.FindProfilesToFetch(ctx, now, f.cfg.Batch)
	}, f.fetch)
}

// fetch fetches one profile and records the outcome; only a store failure
// is an error.
func (f *Fetcher) fetch(ctx context.Context, accounts []*inbox.Account, p inbox.ProfileFetch) (bool, error) {
	token, missing, err := f.pace.Token(ctx, accounts, p.Platform, p.AccountExternalID)
	if err != nil {
		return false, err
	}
	if missing != "" {
		// Without an account or token there is nothing to retry with.
		f.cfg.Logger.Debug("profile not fetched", slog.Int64("contact_id", p.ContactID), slog.String("reason", missing))
		return false, f.cfg.Store.ProfileFetchFailed(ctx, p.ContactID, time.Time{})
	}
	profile, err := f.cfg.Graph.FetchProfile(ctx, token, p.Platform, p.ExternalID)
	now := f.cfg.Now()
	f.pace.Observe(now, profile.RateLimit, err)
	if err != nil {
		return false, f.failed(ctx, p, now, err)
	}
	if profile.Name == "" && profile.Username == "" {
		// Meta answered without a name: asking again gives the same.
		return false, f.cfg.Store.ProfileFetchFailed(ctx, p.ContactID, time.Time{})
	}
	return true, f.cfg.Store.SaveContactProfile(ctx, p.ContactID, profile.Name, profile.Username)
}

// retried tells whether a failure may pass: Meta's own failures, an
// answer that did not arrive (the call only reads), and a token that may
// be renewed. The others (the person is unavailable to the Page, no
// permission, a bad id) are final.
func retried(c graph.Class) bool {
	return c == graph.Transient || c == graph.Ambiguous || c == graph.Token
}

// failed records a failed fetch: failures that may pass are tried again
// later, with a doubling wait; the others are given up at once. Refusals
// are common and expected, so they are logged at debug level only, and
// never with Meta's message, which names the person's id.
func (f *Fetcher) failed(ctx context.Context, p inbox.ProfileFetch, now time.Time, err error) error {
	class := graph.ClassOf(err)
	attrs := []any{slog.Int64("contact_id", p.ContactID), slog.String("platform", string(p.Platform)), slog.String("class", string(class))}
	var gerr *graph.Error
	if errors.As(err, &gerr) {
		attrs = append(attrs, slog.Int("code", gerr.Code), slog.Int("subcode", gerr.Subcode), slog.Int("status", gerr.Status))
	}
	next := time.Time{}
	if retried(class) {
		next = f.pace.Retry(now, p.Attempts)
		f.cfg.Logger.Info("profile not fetched, retrying", attrs...)
	} else {
		f.cfg.Logger.Debug("profile not fetched, given up", attrs...)
	}
	return f.cfg.Store.ProfileFetchFailed(ctx, p.ContactID, next)
}
