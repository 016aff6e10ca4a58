// Package profilefetch fills in the public names of citizens whose
// webhooks name them only by id. Messenger and Instagram Direct webhooks
// carry the sender's page-scoped (PSID) or Instagram-scoped (IGSID) id and
// no name; this worker fetches each such contact's profile once through
// the Graph API, outside ingest, and stores the name (and Instagram
// username) without overwriting one a webhook set meanwhile. Meta often
// refuses profiles (the person blocked the Page, or the app lacks the
// permission); such a refusal is final and quiet. Meta's throttling and a
// rejected account token only hold contacts, without spending their tries.
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

// Deferrer is a Store that can put a contact's next fetch off without
// counting a try; sqlstore.Store is one. With any other Store, a contact
// held for Meta's limit or a rejected token stays due as it is.
type Deferrer interface {
	DeferProfileFetch(ctx context.Context, contactID int64, next time.Time) error
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
	cred, err := f.pace.Credential(ctx, accounts, p.Platform, p.AccountExternalID)
	switch {
	case err != nil:
		return false, err
	case cred.Missing != "":
		// Without an account or token there is nothing to retry with.
		f.cfg.Logger.Debug("profile not fetched", slog.Int64("contact_id", p.ContactID), slog.String("reason", cred.Missing))
		return false, f.cfg.Store.ProfileFetchFailed(ctx, p.ContactID, time.Time{})
	case !cred.Wait.IsZero():
		return false, f.hold(ctx, p, cred.Wait)
	}
	profile, err := f.cfg.Graph.FetchProfile(ctx, cred.Token, p.Platform, p.ExternalID)
	now := f.cfg.Now()
	f.pace.Observe(now, profile.RateLimit, err)
	if until, held := f.pace.Hold(cred, now, err); held {
		f.cfg.Logger.Info("profile fetch held", append(errorAttrs(p, err), slog.String("account_id", p.AccountExternalID),
			slog.Time("until", until))...)
		return false, f.hold(ctx, p, until)
	}
	if err != nil {
		return false, f.failed(ctx, p, now, err)
	}
	if profile.Name == "" && profile.Username == "" {
		// Meta answered without a name: asking again gives the same.
		return false, f.cfg.Store.ProfileFetchFailed(ctx, p.ContactID, time.Time{})
	}
	return true, f.cfg.Store.SaveContactProfile(ctx, p.ContactID, profile.Name, profile.Username)
}

// hold puts the contact off until until without spending one of its
// tries.
func (f *Fetcher) hold(ctx context.Context, p inbox.ProfileFetch, until time.Time) error {
	if d, ok := f.cfg.Store.(Deferrer); ok {
		return d.DeferProfileFetch(ctx, p.ContactID, until)
	}
	return nil
}

// retried tells whether a failure may pass: Meta's own failures and an
// answer that did not arrive (the call only reads). The others (the person
// is unavailable to the Page, no permission, a bad id) are final;
// throttling and a rejected token are held before they get here (see
// graphfetch.Pacer.Hold).
func retried(c graph.Class) bool {
	return c == graph.Transient || c == graph.Ambiguous
}

// failed records a failed fetch: failures that may pass are tried again
// later, with a doubling wait; the others are given up at once. Refusals
// are common and expected, so they are logged at debug level only.
func (f *Fetcher) failed(ctx context.Context, p inbox.ProfileFetch, now time.Time, err error) error {
	attrs := errorAttrs(p, err)
	next := time.Time{}
	if retried(graph.ClassOf(err)) {
		next = f.pace.Retry(now, p.Attempts)
		f.cfg.Logger.Info("profile not fetched, retrying", attrs...)
	} else {
		f.cfg.Logger.Debug("profile not fetched, given up", attrs...)
	}
	return f.cfg.Store.ProfileFetchFailed(ctx, p.ContactID, next)
}

// errorAttrs describe a failed profile fetch for the log: never with
// Meta's message, which names the person's id.
func errorAttrs(p inbox.ProfileFetch, err error) []any {
	attrs := []any{slog.Int64("contact_id", p.ContactID), slog.String("platform", string(p.Platform)),
		slog.String("class", string(graph.ClassOf(err)))}
	var gerr *graph.Error
	if errors.As(err, &gerr) {
		attrs = append(attrs, slog.Int("code", gerr.Code), slog.Int("subcode", gerr.Subcode), slog.Int("status", gerr.Status))
	}
	return attrs
}
