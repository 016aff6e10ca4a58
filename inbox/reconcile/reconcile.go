// Package reconcile finds what Meta's webhooks did not deliver: a periodic
// poll per managed account lists the latest posts' newest comments
// (Instagram replies included) and the latest private conversations
// (Messenger or Instagram Direct) through the Graph API and applies what
// was written within its window (a week, and never before the account was
// added) through the same idempotent path as a webhook, so only what was
// missing is new: citizens' messages and the account's own messages sent
// outside inkorg whose echo was lost. Each part (comments, messages)
// records its own health. It backs off when Meta's usage headers or errors
// say so. It also keeps each channel's health (last webhook seen, last
// successful poll, token validity, expiry and permissions) and alerts
// supervisors when a channel goes quiet or its token fails, is about to
// expire or lacks a permission. Instances sharing a database claim each
// round of an account's poll in the store, so one of them polls it, and
// share Meta's throttling through it.
package reconcile

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
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
	// DefaultCommentPages bounds the pages of DefaultComments comments
	// read per post, newest first.
	DefaultCommentPages = 3
	// DefaultWindow is how far back the poll recovers what webhooks
	// missed: a week, as long as a private answer can still be sent
	// (with the human-agent tag).
	DefaultWindow = 7 * 24 * time.Hour
	// DefaultConversations and DefaultConversationMessages bound the
	// private conversations read per poll and the messages per
	// conversation.
	DefaultConversations        = 25
	DefaultConversationMessages = 10
	// DefaultTokenCheckEvery is how often the poll checks an account's
	// token with Meta.
	DefaultTokenCheckEvery = time.Hour
	// DefaultThrottleBackoff is how long an account is left alone after
	// Meta throttled a poll without saying for how long.
	DefaultThrottleBackoff = 15 * time.Minute
	// claimRounds is how many poll intervals an instance's claim on an
	// account lasts: the instance renews it every round, and another one
	// takes over only once it has missed a round.
	claimRounds = 2
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
	// Posts bounds the posts one poll reads per account; Comments the
	// comments per call and CommentPages the calls per post, which read
	// newest first and stop at the first comment older than the poll's
	// window; Conversations and ConversationMessages the private
	// conversations per account and the messages per conversation.
	Posts, Comments, CommentPages       int
	Conversations, ConversationMessages int
	// Window is how far back the poll recovers what webhooks missed;
	// never further back than when the account was added, whose earlier
	// history is not "missed".
	Window time.Duration
	// App, when configured, lets the token check use debug_token and so
	// learn the token's expiry and permissions.
	App graph.App
	// TokenCheckEvery is how often each account's token is checked.
	TokenCheckEvery time.Duration
	// ThrottleBackoff is how long to leave an account alone after Meta
	// throttled a poll without an estimate.
	ThrottleBackoff time.Duration
	// QuietAfter is how long without a webhook makes a channel quiet.
	QuietAfter time.Duration
	// Instance names this reconciler among the instances polling the same
	// database: each round of an account's poll is claimed in the store,
	// so one instance polls it (and raises its alerts) while the others
	// leave it alone. Empty means a random name.
	Instance string
	// ClaimFor is how long a claim on an account's poll lasts; zero means
	// two poll intervals.
	ClaimFor time.Duration
}

// Reconciler polls the Graph API for what webhooks missed.
type Reconciler struct {
	cfg   Config
	found *prometheus.CounterVec

	mu     sync.Mutex
	alerts map[int64]string // the last alert raised per account
	// tokenAlerts is the last token warning (expiring, permissions) raised
	// per account.
	tokenAlerts map[int64]string
	// partAlerts is the last failure alert raised per poll part and
	// account.
	partAlerts map[inbox.PollPart]map[int64]string
	// pageLookups remembers the Instagram accounts whose linked Page
	// lookup got a definite answer, so it is not made again.
	pageLookups map[int64]bool
	backoff     map[int64]time.Time // no poll of the account before
	// claimFor is how long a claim on an account's poll lasts.
	claimFor time.Duration
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
	cfg.CommentPages = cmpOr(cfg.CommentPages, DefaultCommentPages)
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	cfg.Conversations = cmpOr(cfg.Conversations, DefaultConversations)
	cfg.ConversationMessages = cmpOr(cfg.ConversationMessages, DefaultConversationMessages)
	if cfg.TokenCheckEvery <= 0 {
		cfg.TokenCheckEvery = DefaultTokenCheckEvery
	}
	if cfg.ThrottleBackoff <= 0 {
		cfg.ThrottleBackoff = DefaultThrottleBackoff
	}
	if cfg.QuietAfter <= 0 {
		cfg.QuietAfter = DefaultQuietAfter
	}
	if cfg.Instance == "" {
		cfg.Instance = rand.Text()
	}
	r := &Reconciler{cfg: cfg, alerts: map[int64]string{}, tokenAlerts: map[int64]string{}, backoff: map[int64]time.Time{},
		partAlerts:  map[inbox.PollPart]map[int64]string{inbox.PollComments: {}, inbox.PollMessages: {}},
		pageLookups: map[int64]bool{}, claimFor: cmp.Or(cfg.ClaimFor, claimRounds*DefaultInterval),
		found: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_reconcile_found_total",
			Help: "Comments and private messages the reconciliation poll found that no webhook had delivered, by platform and kind (comment, message, and outbound for the account's own messages sent outside inkorg).",
		}, []string{"platform", "kind"})}
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
	if r.cfg.ClaimFor <= 0 {
		r.claimFor = claimRounds * interval
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
// comments and messages it found. One account's failure does not stop the
// others.
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

// poll polls one account unless Meta's throttling pauses it or another
// instance has claimed its poll. A pause this instance learns is stored,
// so the other instances honour it too.
func (r *Reconciler) poll(ctx context.Context, a *inbox.Account) (int, error) {
	now := r.cfg.Now()
	paused := r.pausedUntil(a.ID)
	if paused.After(now) {
		return 0, nil
	}
	claimed, err := r.cfg.Store.ClaimAccountPoll(ctx, a.ID, r.cfg.Instance, now, now.Add(r.claimFor))
	if err != nil || !claimed {
		return 0, err
	}
	found, err := r.pollClaimed(ctx, a)
	if until := r.pausedUntil(a.ID); !until.Equal(paused) && until.After(r.cfg.Now()) {
		if perr := r.cfg.Store.PauseAccountPoll(ctx, a.ID, until); perr != nil {
			err = errors.Join(err, perr)
		}
	}
	return found, err
}

// pollClaimed checks one account's token when due, reads its latest posts'
// comments and its latest private conversations, and applies them. A poll
// Meta asks to slow down stops early and is not recorded as successful.
func (r *Reconciler) pollClaimed(ctx context.Context, a *inbox.Account) (int, error) {
	token, err := r.token(ctx, a)
	if err != nil {
		return 0, err
	}
	if err := r.checkToken(ctx, a, token); err != nil {
		return 0, err
	}
	// Each part is recorded on its own, so a part that fails (a missing
	// permission, say) does not hide that the other one works.
	found, cErr := r.pollComments(ctx, a, token)
	if !errors.Is(cErr, errPaused) {
		if err := r.recordPart(ctx, a, inbox.PollComments, cErr); err != nil {
			return found, err
		}
	}
	var mErr error
	if cErr == nil || !errors.Is(cErr, errPaused) && graph.ClassOf(cErr) != graph.Token {
		var n int
		n, mErr = r.pollConversations(ctx, a, token)
		found += n
		if !errors.Is(mErr, errPaused) {
			if err := r.recordPart(ctx, a, inbox.PollMessages, mErr); err != nil {
				return found, err
			}
		}
	}
	if errors.Is(cErr, errPaused) || errors.Is(mErr, errPaused) {
		r.cfg.Logger.InfoContext(ctx, "reconcile: account poll paused for Meta's rate limit", "account_id", a.ID,
			"until", r.pausedUntil(a.ID))
		return found, nil
	}
	if cErr == nil || mErr == nil {
		r.checkHealth(ctx, a, found)
	}
	return found, errors.Join(cErr, mErr)
}

// graph returns the Graph API client for a's calls, on the host of its
// login.
func (r *Reconciler) graph(a *inbox.Account) *graph.Client { return r.cfg.Graph.ForAccount(a) }

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
			"Webhooks från Meta har missat kommentarer eller meddelanden; de hämtades nu i efterhand. Kontrollera appens webhook-prenumeration.",
			"Meta's webhooks missed comments or messages; they were fetched now. Check the app's webhook subscription.")
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

// alert publishes a LiveAlert about a's channel, once per kind until it
// clears.
func (r *Reconciler) alert(ctx context.Context, a *inbox.Account, kind, sv, en string) {
	r.raise(ctx, r.alerts, a, kind, sv, en)
}

// raise publishes a LiveAlert about a unless last already holds kind for
// it.
func (r *Reconciler) raise(ctx context.Context, last map[int64]string, a *inbox.Account, kind, sv, en string) {
	r.mu.Lock()
	repeated := last[a.ID] == kind
	last[a.ID] = kind
	r.mu.Unlock()
	r.cfg.Logger.WarnContext(ctx, "reconcile: channel alert", "account_id", a.ID, "alert", kind)
	if repeated || r.cfg.Publisher == nil {
		return
	}
	data, _ := json.Marshal(map[string]any{"type": kind, "account_id": a.ID, "account_external_id": a.ExternalID,
		"platform": a.Platform, "sv": sv, "en": en})
	_ = r.cfg.Publisher.Publish(ctx, inbox.LiveEvent{Kind: inbox.LiveAlert, Data: data, At: r.cfg.Now().UTC()})
}
