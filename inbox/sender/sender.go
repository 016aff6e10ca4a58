// Package sender is the worker that carries outbound actions (replies and
// comment moderation) from inbox.QueueOutbound to the Graph API, exactly
// once or with a clear reason why not.
//
// Every action moves queued → sending → sent / failed / needs_check in the
// store. "Sending" is committed before the Graph call, so a delivery that
// finds an action still sending after a crash knows the call may have gone
// through: a reply is then never resent blindly but left to the echo
// webhook (which marks it sent) or marked needs_check for an agent.
// Hiding, unhiding and deleting are idempotent and simply done again.
package sender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// Defaults of Config.
const (
	// DefaultMaxAttempts is how often a transiently failing action is
	// tried before it is failed for an agent to retry.
	DefaultMaxAttempts = 6
	// DefaultInFlight is how long an action may stay sending before a
	// delivery that finds it so takes its sender for dead: longer than one
	// Graph call may take.
	DefaultInFlight = 2 * graph.DefaultTimeout
	// DefaultMaxInlineWait is the longest the sender waits in a handler
	// for Meta's rate limit to lift; longer waits are scheduled instead.
	DefaultMaxInlineWait = 5 * time.Second
	// DefaultSlowInterval spaces calls to an account whose usage is above
	// graph.SlowDownPercent.
	DefaultSlowInterval = 2 * time.Second
	// safetyNet is when a queued action whose queue message was lost is
	// published again by the sweep.
	safetyNet = 10 * time.Minute
)

// Config configures a Sender.
type Config struct {
	Store inbox.Store
	// Moderation keeps the moderation queue in step with the outcome of
	// hides, unhides and deletes; nil means Store's, which the SQL store
	// has.
	Moderation inbox.ModerationOutcomeStore
	Graph      *graph.Client
	Sealer     inbox.Sealer
	// Queue republishes due actions in Sweep; nil disables Sweep.
	Queue     inbox.QueuePublisher
	Publisher inbox.Publisher
	Metrics   *Metrics
	Logger    *slog.Logger
	Now       func() time.Time
	// Sleep waits d or until ctx ends; nil means a timer. Tests replace it
	// to see the back-off without waiting.
	Sleep func(ctx context.Context, d time.Duration)
	// SandboxToken, set only while the sandbox stands in for the Graph
	// API, is used for accounts that have no token stored.
	SandboxToken  string
	MaxAttempts   int
	InFlight      time.Duration
	MaxInlineWait time.Duration
	SlowInterval  time.Duration
}

// Sender handles deliveries of inbox.QueueOutbound.
type Sender struct {
	cfg   Config
	log   *slog.Logger
	pacer *pacer
}

// New returns a Sender for cfg, with defaults for what cfg leaves zero.
func New(cfg Config) *Sender {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	if cfg.Moderation == nil {
		cfg.Moderation, _ = cfg.Store.(inbox.ModerationOutcomeStore)
	}
	if cfg.Moderation == nil {
		cfg.Logger.Warn("outbound: the store keeps no moderation queue; flags will not follow hides and deletes")
	}
	cfg.MaxAttempts = orDefault(cfg.MaxAttempts, DefaultMaxAttempts)
	cfg.InFlight = orDefault(cfg.InFlight, DefaultInFlight)
	cfg.MaxInlineWait = orDefault(cfg.MaxInlineWait, DefaultMaxInlineWait)
	cfg.SlowInterval = orDefault(cfg.SlowInterval, DefaultSlowInterval)
	return &Sender{cfg: cfg, log: cfg.Logger, pacer: newPacer()}
}

func orDefault[T int | time.Duration](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Handle is the inbox.Handler of QueueOutbound. It returns nil once the
// action has an outcome (or is scheduled for later), and an error when the
// delivery should come again.
func (s *Sender) Handle(ctx context.Context, d *inbox.Delivery) error {
	var body inbox.OutboundQueueBody
	if err := json.Unmarshal(d.Body, &body); err != nil || body.ActionID == 0 {
		return inbox.Permanent(fmt.Errorf("outbound: malformed queue message: %v", err))
	}
	a, err := s.cfg.Store.FindOutboundAction(ctx, body.ActionID)
	if inbox.ErrorCode(err) == inbox.ENOTFOUND {
		return inbox.Permanent(fmt.Errorf("outbound: action %d not found", body.ActionID))
	} else if err != nil {
		return err
	}
	switch a.State {
	case inbox.OutboundQueued:
		return s.send(ctx, a)
	case inbox.OutboundSending:
		return s.resume(ctx, a)
	}
	// Sent, failed or needs checking: a duplicate delivery.
	return nil
}

// resume handles an action found sending: another handler is still at
// it, or one died between marking it sending and recording the outcome.
func (s *Sender) resume(ctx context.Context, a *inbox.OutboundAction) error {
	if s.cfg.Now().Sub(a.UpdatedAt) < s.cfg.InFlight {
		return fmt.Errorf("outbound: action %d is being sent by another handler", a.ID)
	}
	if !a.Kind.Reply() {
		// Hiding, unhiding and deleting come out the same however often
		// they are done.
		return s.call(ctx, a, []inbox.OutboundState{inbox.OutboundSending})
	}
	s.log.WarnContext(ctx, "outbound: send interrupted; an agent must check it", "outbound_id", a.ID, "kind", a.Kind)
	s.cfg.Metrics.failed(a, string(graph.Ambiguous))
	f := failure(&graph.Error{Class: graph.Ambiguous})
	return s.finish(ctx, a, inbox.OutboundUpdate{ID: a.ID, From: []inbox.OutboundState{inbox.OutboundSending},
		State: inbox.OutboundNeedsCheck, Failure: f})
}

// send makes the Graph call of a queued action, pacing it by the
// account's rate limit.
func (s *Sender) send(ctx context.Context, a *inbox.OutboundAction) error {
	wait := s.pacer.wait(a.AccountID, s.cfg.Now(), s.cfg.SlowInterval)
	if wait > s.cfg.MaxInlineWait {
		// Meta said to stay away for a while: come back then, through the
		// sweep, without holding the queue message or using an attempt.
		s.cfg.Metrics.deferred.Inc()
		at := s.cfg.Now().Add(wait)
		_, err := s.cfg.Store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: a.ID, From: []inbox.OutboundState{inbox.OutboundQueued},
			State: inbox.OutboundQueued, NextAttemptAt: &at, Failure: a.Failure})
		return ignoreConflict(err)
	}
	if wait > 0 {
		s.cfg.Metrics.waited.Add(wait.Seconds())
		s.cfg.Sleep(ctx, wait)
	}
	return s.call(ctx, a, []inbox.OutboundState{inbox.OutboundQueued})
}

// call marks a sending, calls the Graph API and records the outcome.
func (s *Sender) call(ctx context.Context, a *inbox.OutboundAction, from []inbox.OutboundState) error {
	net := s.cfg.Now().Add(safetyNet)
	a, err := s.cfg.Store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: a.ID, From: from,
		State: inbox.OutboundSending, CountAttempt: true, NextAttemptAt: &net})
	if inbox.ErrorCode(err) == inbox.ECONFLICT {
		return nil // another delivery took it
	} else if err != nil {
		return err
	}
	start := time.Now()
	platformID, rl, err := s.graphCall(ctx, a)
	s.cfg.Metrics.latency.WithLabelValues(string(a.Kind)).Observe(time.Since(start).Seconds())
	s.pacer.learn(a.AccountID, rl, s.cfg.Now())
	if err != nil {
		return s.failed(ctx, a, err)
	}
	return s.sent(ctx, a, platformID)
}

// graphCall makes the one Graph API call of a.
func (s *Sender) graphCall(ctx context.Context, a *inbox.OutboundAction) (string, graph.RateLimit, error) {
	token, err := s.token(ctx, a.AccountID)
	if err != nil {
		return "", graph.RateLimit{}, err
	}
	g := s.cfg.Graph
	switch a.Kind {
	case inbox.OutboundPublicReply:
		c, err := g.ReplyToComment(ctx, token, a.Platform, a.TargetExternalID, a.Text)
		return c.ID, c.RateLimit, err
	case inbox.OutboundPrivateReply:
		m, err := g.PrivateReply(ctx, token, a.Platform, a.AccountExternalID, a.TargetExternalID, a.Text, a.Key)
		return m.MessageID, m.RateLimit, err
	case inbox.OutboundDirectMessage:
		m, err := g.SendMessage(ctx, token, a.AccountExternalID, graph.Message{Platform: a.Platform,
			RecipientID: a.TargetExternalID, Text: a.Text, HumanAgent: s.humanAgent(ctx, a), Metadata: a.Key})
		return m.MessageID, m.RateLimit, err
	case inbox.OutboundHideComment, inbox.OutboundUnhideComment:
		rl, err := g.SetCommentHidden(ctx, token, a.Platform, a.TargetExternalID, a.Kind == inbox.OutboundHideComment)
		return "", rl, err
	case inbox.OutboundDeleteComment:
		rl, err := g.DeleteComment(ctx, token, a.TargetExternalID)
		return "", rl, err
	}
	return "", graph.RateLimit{}, &graph.Error{Class: graph.Permanent, Op: string(a.Kind), Message: "unknown outbound kind"}
}

// humanAgent reports whether the direct message a goes out with the
// HUMAN_AGENT tag: as decided when it was queued, or because the 24-hour
// window closed while it waited (for Meta's rate limit, or a retry) and
// the account is approved for the tag, which keeps it open for 7 days. A
// look-up that fails leaves the decision as it was.
func (s *Sender) humanAgent(ctx context.Context, a *inbox.OutboundAction) bool {
	if a.HumanAgent {
		return true
	}
	c, err := s.cfg.Store.FindConversationByID(ctx, a.ConversationID)
	if err != nil || c.LastInboundAt == nil {
		return false
	}
	since := s.cfg.Now().Sub(*c.LastInboundAt)
	if since <= inbox.MessagingWindow || since > inbox.HumanAgentWindow {
		return false
	}
	accounts, err := s.cfg.Store.FindAccounts(ctx)
	if err != nil {
		return false
	}
	for _, acc := range accounts {
		if acc.ID == a.AccountID && acc.HumanAgent {
			s.log.InfoContext(ctx, "outbound: the 24-hour window closed while the message waited; sending it with the HUMAN_AGENT tag",
				"outbound_id", a.ID)
			return true
		}
	}
	return false
}

// token returns the account's access token, opened. A missing one is a
// Token-class failure, like one Meta rejects.
func (s *Sender) token(ctx context.Context, accountID int64) (string, error) {
	sealed, err := s.cfg.Store.FindAccountToken(ctx, accountID)
	if err == nil && sealed == "" && s.cfg.SandboxToken != "" {
		return s.cfg.SandboxToken, nil
	}
	if inbox.ErrorCode(err) == inbox.ENOTFOUND || (err == nil && sealed == "") {
		return "", &graph.Error{Class: graph.Token, Op: "token", Message: "no access token stored for the account"}
	} else if err != nil {
		return "", err
	}
	if s.cfg.Sealer == nil {
		return "", &graph.Error{Class: graph.Token, Op: "token", Message: "INKORG_SECRET_KEY is not set, so stored access tokens cannot be decrypted"}
	}
	token, err := s.cfg.Sealer.Open(sealed)
	if err != nil {
		return "", &graph.Error{Class: graph.Token, Op: "token", Message: "stored access token cannot be decrypted with the configured keys"}
	}
	return token, nil
}

// sent records success: the platform's id, and for moderation the change
// to the comment, through the same path a webhook takes, and to its flag
// in the moderation queue.
func (s *Sender) sent(ctx context.Context, a *inbox.OutboundAction, platformID string) error {
	if !a.Kind.Reply() {
		if err := s.applyModeration(ctx, a); err != nil {
			return err
		}
	}
	s.cfg.Metrics.sent.WithLabelValues(string(a.Kind)).Inc()
	s.log.InfoContext(ctx, "outbound: sent", "outbound_id", a.ID, "kind", a.Kind, "attempts", a.Attempts)
	return s.finish(ctx, a, inbox.OutboundUpdate{ID: a.ID, From: []inbox.OutboundState{inbox.OutboundSending},
		State: inbox.OutboundSent, PlatformID: platformID})
}

// moderationEvents maps moderation kinds to the event that records them.
var moderationEvents = map[inbox.OutboundKind]inbox.EventKind{
	inbox.OutboundHideComment:   inbox.EventMessageHidden,
	inbox.OutboundUnhideComment: inbox.EventMessageUnhidden,
	inbox.OutboundDeleteComment: inbox.EventMessageDeleted,
}

func (s *Sender) applyModeration(ctx context.Context, a *inbox.OutboundAction) error {
	channel := inbox.ChannelFacebookComment
	if a.Platform == inbox.PlatformInstagram {
		channel = inbox.ChannelInstagramComment
	}
	_, err := s.cfg.Store.ApplyEvent(ctx, inbox.Event{
		Kind: moderationEvents[a.Kind], Platform: a.Platform, Channel: channel,
		AccountExternalID: a.AccountExternalID, MessageExternalID: a.TargetExternalID,
		Author: inbox.Actor{ExternalID: a.AccountExternalID}, OccurredAt: s.cfg.Now().UTC(),
	})
	if err != nil || s.cfg.Moderation == nil {
		return err
	}
	// A hide or delete made outside a decision (an agent's, the automatic
	// hide) takes the comment out of the open queue too.
	return s.cfg.Moderation.SettleModeration(ctx, a)
}

// moderationFailed puts the comment of a moderation action that failed
// for good back in the open queue with Meta's reason, so no flag says
// hidden or deleted while the comment is still there. An error leaves the
// action sending: its delivery comes again and repeats the call.
func (s *Sender) moderationFailed(ctx context.Context, a *inbox.OutboundAction, f *inbox.OutboundFailure) error {
	if a.Kind.Reply() || s.cfg.Moderation == nil {
		return nil
	}
	failed := *a
	failed.Failure = f
	return s.cfg.Moderation.ReopenModeration(ctx, &failed)
}

// failed records a failed call: a transient one is retried, an ambiguous
// reply waits for an agent, anything else fails with Meta's reason.
func (s *Sender) failed(ctx context.Context, a *inbox.OutboundAction, err error) error {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		ge = &graph.Error{Class: graph.Transient, Op: string(a.Kind), Err: err}
	}
	if a.Kind == inbox.OutboundDeleteComment && a.Attempts > 1 && ge.NoSuchObject() {
		// An earlier call whose answer was lost, or whose sender died,
		// deleted the comment: this one finds it gone.
		s.log.InfoContext(ctx, "outbound: comment already deleted by an earlier attempt", "outbound_id", a.ID, "attempts", a.Attempts)
		return s.sent(ctx, a, "")
	}
	from := []inbox.OutboundState{inbox.OutboundSending}
	u := inbox.OutboundUpdate{ID: a.ID, From: from, Failure: failure(ge)}
	switch {
	case ge.Class == graph.Transient && a.Attempts < s.cfg.MaxAttempts:
		s.cfg.Metrics.retried.WithLabelValues(string(ge.Class)).Inc()
		return s.retry(ctx, a, ge, u)
	case ge.Class == graph.Ambiguous:
		u.State = inbox.OutboundNeedsCheck
	default:
		u.State = inbox.OutboundFailed
	}
	s.cfg.Metrics.failed(a, string(ge.Class))
	s.log.WarnContext(ctx, "outbound: failed", "outbound_id", a.ID, "kind", a.Kind, "class", ge.Class,
		"code", ge.Code, "subcode", ge.Subcode, "attempts", a.Attempts)
	if ge.Class == graph.Token {
		s.tokenFailed(ctx, a)
	}
	if err := s.moderationFailed(ctx, a, u.Failure); err != nil {
		return err
	}
	return s.finish(ctx, a, u)
}

// retry puts a transiently failed action back in the queue: through the
// queue's back-off, or, when Meta named a longer wait, through the sweep.
func (s *Sender) retry(ctx context.Context, a *inbox.OutboundAction, ge *graph.Error, u inbox.OutboundUpdate) error {
	now := s.cfg.Now()
	u.State = inbox.OutboundQueued
	at := now.Add(safetyNet)
	wait := ge.RateLimit.Delay(now)
	if wait > s.cfg.MaxInlineWait {
		at = now.Add(wait)
	}
	u.NextAttemptAt = &at
	if _, err := s.cfg.Store.UpdateOutbound(ctx, u); err != nil {
		return err
	}
	if wait > s.cfg.MaxInlineWait {
		s.cfg.Metrics.deferred.Inc()
		return nil
	}
	return fmt.Errorf("outbound: action %d: %w", a.ID, ge)
}

// finish records u and tells staff.
func (s *Sender) finish(ctx context.Context, a *inbox.OutboundAction, u inbox.OutboundUpdate) error {
	after, err := s.cfg.Store.UpdateOutbound(ctx, u)
	if inbox.ErrorCode(err) == inbox.ECONFLICT {
		// The echo webhook recorded it sent meanwhile.
		return nil
	} else if err != nil {
		return err
	}
	s.publish(ctx, after)
	return nil
}

// publish sends a live event about a, scoped to its conversation's
// administration.
func (s *Sender) publish(ctx context.Context, a *inbox.OutboundAction) {
	if s.cfg.Publisher == nil {
		return
	}
	admin := ""
	if c, err := s.cfg.Store.FindConversationByID(ctx, a.ConversationID); err == nil {
		admin = c.AdministrationID
	}
	inbox.PublishOutbound(ctx, s.cfg.Publisher, a, admin)
}

// tokenFailed marks the account as needing a new token and alerts
// supervisors.
func (s *Sender) tokenFailed(ctx context.Context, a *inbox.OutboundAction) {
	if err := s.cfg.Store.SetAccountNeedsToken(ctx, a.AccountID, true); err != nil {
		s.log.ErrorContext(ctx, "outbound: cannot mark the account as needing a token", "account_id", a.AccountID, "err", err)
	}
	if s.cfg.Publisher == nil {
		return
	}
	data, _ := json.Marshal(map[string]any{
		"type": "token_invalid", "account_id": a.AccountID, "account_external_id": a.AccountExternalID,
		"sv": "Kontots åtkomsttoken är ogiltig eller har gått ut. Inget skickas från kontot förrän en administratör har kopplat det på nytt.",
		"en": "The account's access token is invalid or expired. Nothing is sent from the account until an administrator reconnects it.",
	})
	_ = s.cfg.Publisher.Publish(ctx, inbox.LiveEvent{Kind: inbox.LiveAlert, Data: data, At: s.cfg.Now().UTC()})
}

// failure is what an agent is told about ge.
func failure(ge *graph.Error) *inbox.OutboundFailure {
	x := ge.Explain()
	return &inbox.OutboundFailure{Class: string(ge.Class), SV: x.SV, EN: x.EN, Code: ge.Code, Subcode: ge.Subcode,
		Retryable: ge.Class == graph.Transient || ge.Class == graph.Token || ge.Class == graph.Ambiguous}
}

func ignoreConflict(err error) error {
	if inbox.ErrorCode(err) == inbox.ECONFLICT {
		return nil
	}
	return err
}
