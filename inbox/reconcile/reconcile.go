// Package reconcile finds what Meta's webhooks did not deliver: a periodic
// poll per managed account lists the latest posts' comments through the
// Graph API and applies every one through the same idempotent path as a
// webhook, so only what was missing is new. It also keeps each channel's
// health (last webhook seen, last successful poll, token validity) and
// alerts supervisors when a channel goes quiet or its token fails.
package reconcile

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// Defaults of Config.
const (
	DefaultInterval   = 10 * time.Minute
	DefaultPosts      = 10
	DefaultComments   = 100
	DefaultQuietAfter = inbox.DefaultChannelQuietAfter
)

// Applier applies events as a webhook delivery's are, returning how many
// were new; webhooks.Ingester.ApplyEvents is one.
type Applier func(ctx context.Context, source string, events []inbox.Event) (int, error)

// Config configures a Reconciler.
type Config struct {
	Store  inbox.Store
	Graph  *graph.Client
	Sealer inbox.Sealer
	// SandboxToken stands in for missing tokens while the sandbox is the
	// Graph API.
	SandboxToken string
	Apply        Applier
	Publisher    inbox.Publisher
	// Registerer, when set, registers inkorg_reconcile_found_total.
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
	// Posts and Comments bound what one poll reads per account and post.
	Posts, Comments int
	// QuietAfter is how long without a webhook makes a channel quiet.
	QuietAfter time.Duration
}

// Reconciler polls the Graph API for what webhooks missed.
type Reconciler struct {
	cfg   Config
	found *prometheus.CounterVec

	mu     sync.Mutex
	alerts map[int64]string // the last alert raised per account
}

// New returns a Reconciler for cfg.
func New(cfg Config) *Reconciler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Posts = cmpOr(cfg.Posts, DefaultPosts)
	cfg.Comments = cmpOr(cfg.Comments, DefaultComments)
	if cfg.QuietAfter <= 0 {
		cfg.QuietAfter = DefaultQuietAfter
	}
	r := &Reconciler{cfg: cfg, alerts: map[int64]string{}, found: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "inkorg_reconcile_found_total",
		Help: "Comments the reconciliation poll found that no webhook had delivered, by platform.",
	}, []string{"platform"})}
	if cfg.Registerer != nil {
		cfg.Registerer.MustRegister(r.found)
	}
	return r
}

func cmpOr(v, d int) int {
	if v <= 0 {
		return d
	}
	return v
}

// Run polls every interval until ctx ends.
func (r *Reconciler) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := r.PollOnce(ctx); err != nil {
			r.cfg.Logger.WarnContext(ctx, "reconcile: poll failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PollOnce polls every managed account once and returns how many missing
// comments it found. One account's failure does not stop the others.
func (r *Reconciler) PollOnce(ctx context.Context) (int, error) {
	accounts, err := r.cfg.Store.FindAccounts(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, a := range accounts {
		n, err := r.poll(ctx, a)
		total += n
		if err != nil {
			r.cfg.Logger.WarnContext(ctx, "reconcile: account poll failed", "account_id", a.ID, "err", err)
		}
	}
	return total, nil
}

// poll reads one account's latest posts and their comments and applies
// them.
func (r *Reconciler) poll(ctx context.Context, a *inbox.Account) (int, error) {
	token, err := r.token(ctx, a)
	if err != nil {
		return 0, err
	}
	posts, _, err := r.cfg.Graph.RecentPosts(ctx, token, a.Platform, a.ExternalID, r.cfg.Posts)
	if err != nil {
		return 0, r.failed(ctx, a, err)
	}
	found := 0
	for _, p := range posts {
		comments, _, err := r.cfg.Graph.Comments(ctx, token, a.Platform, p.ID, r.cfg.Comments)
		if err != nil {
			return found, r.failed(ctx, a, err)
		}
		events := make([]inbox.Event, 0, len(comments))
		for _, c := range comments {
			if citizenComment(a, c) {
				events = append(events, commentEvent(a, p.ID, c))
			}
		}
		n, err := r.cfg.Apply(withPolled(ctx), "reconcile", events)
		found += n
		if err != nil {
			return found, err
		}
	}
	r.found.WithLabelValues(string(a.Platform)).Add(float64(found))
	now := r.cfg.Now().UTC()
	if err := r.cfg.Store.RecordChannelActivity(ctx, a.ID, nil, &now); err != nil {
		return found, err
	}
	r.checkHealth(ctx, a, found)
	return found, nil
}

// token returns the account's access token.
func (r *Reconciler) token(ctx context.Context, a *inbox.Account) (string, error) {
	sealed, err := r.cfg.Store.FindAccountToken(ctx, a.ID)
	switch {
	case err != nil:
		return "", err
	case sealed == "" && r.cfg.SandboxToken != "":
		return r.cfg.SandboxToken, nil
	case sealed == "" || r.cfg.Sealer == nil:
		return "", r.failed(ctx, a, &graph.Error{Class: graph.Token, Op: "token", Message: "no usable access token"})
	}
	token, err := r.cfg.Sealer.Open(sealed)
	if err != nil {
		return "", r.failed(ctx, a, &graph.Error{Class: graph.Token, Op: "token", Message: "token cannot be decrypted"})
	}
	return token, nil
}

// failed records a failed poll; a rejected token marks the account and
// alerts supervisors.
func (r *Reconciler) failed(ctx context.Context, a *inbox.Account, err error) error {
	if graph.ClassOf(err) == graph.Token {
		_ = r.cfg.Store.SetAccountNeedsToken(ctx, a.ID, true)
		r.alert(ctx, a, "token_invalid",
			"Kontots åtkomsttoken fungerar inte: inget kan skickas eller hämtas förrän en administratör har kopplat kontot på nytt.",
			"The account's access token does not work: nothing can be sent or fetched until an administrator reconnects the account.")
	}
	return err
}

// checkHealth alerts when webhooks missed something or the channel has
// been quiet too long.
func (r *Reconciler) checkHealth(ctx context.Context, a *inbox.Account, found int) {
	switch {
	case found > 0:
		r.alert(ctx, a, "webhooks_missed",
			"Webhooks från Meta har missat kommentarer; de hämtades nu i efterhand. Kontrollera appens webhook-prenumeration.",
			"Meta's webhooks missed comments; they were fetched now. Check the app's webhook subscription.")
	case a.Quiet(r.cfg.Now(), r.cfg.QuietAfter):
		r.alert(ctx, a, "channel_quiet",
			"Kanalen är tyst: inga webhooks från Meta på länge. Kontrollera prenumerationen och kontots token.",
			"The channel is quiet: no webhooks from Meta for a long time. Check the subscription and the account's token.")
	default:
		r.mu.Lock()
		delete(r.alerts, a.ID)
		r.mu.Unlock()
	}
}

// alert publishes a LiveAlert about a, once per kind until it clears.
func (r *Reconciler) alert(ctx context.Context, a *inbox.Account, kind, sv, en string) {
	r.mu.Lock()
	repeated := r.alerts[a.ID] == kind
	r.alerts[a.ID] = kind
	r.mu.Unlock()
	r.cfg.Logger.WarnContext(ctx, "reconcile: channel alert", "account_id", a.ID, "alert", kind)
	if repeated || r.cfg.Publisher == nil {
		return
	}
	data, _ := json.Marshal(map[string]any{"type": kind, "account_id": a.ID, "account_external_id": a.ExternalID,
		"platform": a.Platform, "sv": sv, "en": en})
	_ = r.cfg.Publisher.Publish(ctx, inbox.LiveEvent{Kind: inbox.LiveAlert, Data: data, At: r.cfg.Now().UTC()})
}
