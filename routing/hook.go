package routing

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"inkorg/inbox"
)

// HookStore is what the triage hook reads and writes.
type HookStore interface {
	inbox.TriageStore
	inbox.MessageFinder
}

// Hider hides a public comment without waiting for an agent, as the
// system, giving reason. It must be idempotent: a redelivered event asks
// again.
type Hider func(ctx context.Context, messageID int64, reason string) error

// HookOption changes what the triage hook does besides triaging.
type HookOption func(*hookConfig)

type hookConfig struct {
	hide  Hider
	later *SuggestionFiller
}

// WithSuggestionsLater makes the hook store each triage without its
// answer-bank links, marked SuggestionsPending, and hand it to f, which
// adds them outside ingest. Without it the hook looks the links up before
// storing the triage.
func WithSuggestionsLater(f *SuggestionFiller) HookOption {
	return func(c *hookConfig) { c.later = f }
}

// WithAutoHide makes the hook hide every public comment that holds a
// personal identity, coordination or payment card number at once, through
// hide; the triage then says AutoHidden. Without it the triage only recommends
// hiding, with the ready private-reply text either way.
func WithAutoHide(hide Hider) HookOption {
	return func(c *hookConfig) { c.hide = hide }
}

// AutoHideReason is the reason given when a comment is hidden
// automatically for a personal identity or coordination number, and
// AutoHideCardReason when for a payment card number alone.
const (
	AutoHideReason = "Kommentaren innehöll ett personnummer och doldes automatiskt. " +
		"(The comment held a personal identity number and was hidden automatically.)"
	AutoHideCardReason = "Kommentaren innehöll ett kortnummer och doldes automatiskt. " +
		"(The comment held a payment card number and was hidden automatically.)"
)

// autoHideReason is the reason for hiding the comment r recommends hiding.
func autoHideReason(r *Result) string {
	if r.HasSensitive(inbox.SensitivePersonalIdentityNumber, inbox.SensitiveCoordinationNumber) {
		return AutoHideReason
	}
	return AutoHideCardReason
}

// Hook returns an inbox.EventHook that triages every inbound citizen
// message, and again the edited text of an edited one, and stores the
// result on its conversation. Triage is a pure function of the text and
// the rules in use, so running the hook again for a redelivered event
// stores the same result: the hook is idempotent. A store error that a
// retry could cure is returned, so the delivery comes round again; one that
// it could not (the store refusing the triage) is logged and dropped, as
// the message itself is kept. The log names the conversation and the
// outcome, never the text or the personal data found.
func Hook(t *Triager, store HookStore, logger *slog.Logger, opts ...HookOption) inbox.EventHook {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var cfg hookConfig
	for _, o := range opts {
		o(&cfg)
	}
	return func(ctx context.Context, e inbox.Event, a inbox.Applied) error {
		if a.Triaged && e.Triage != nil {
			// Pretriager triaged it and the store saved the triage with
			// the message.
			cfg.stored(a, e.Text, e.Triage, logger)
			return nil
		}
		text, ok, err := hookText(ctx, store, e, a)
		if err != nil || !ok {
			return err
		}
		if done, err := triagedBefore(ctx, store, e, a); err != nil || done {
			return err
		}
		r, err := cfg.triage(ctx, t, Message{Text: text, Channel: e.Channel, Account: e.AccountExternalID})
		if err != nil {
			return fmt.Errorf("routing: triage message %d: %w", a.MessageID, err)
		}
		r.MessageID = a.MessageID
		if r.HideRecommended && cfg.hide != nil {
			if err := autoHide(ctx, cfg.hide, a, r, logger); err != nil {
				return err
			}
		}
		err = store.SaveTriage(ctx, a.ConversationID, r)
		switch code := inbox.ErrorCode(err); {
		case err == nil:
		case code == inbox.EINVALID || code == inbox.ENOTFOUND:
			logger.Error("triage not stored", "conversation_id", a.ConversationID, "message_id", a.MessageID, "error", err)
			return nil
		default:
			return fmt.Errorf("routing: save triage of message %d: %w", a.MessageID, err)
		}
		cfg.stored(a, text, r, logger)
		return nil
	}
}

// Pretriager returns an inbox.Pretriage that triages a new citizen's
// message from the event, as the Hook with the same options would, before
// the store saves the message: the store then keeps the triage in the
// message's own transaction, with one write of the conversation instead
// of two, and the Hook only does what follows a stored triage (offering it
// for answer-bank links). A message the Hook is to hide automatically, an
// edit and a triage that fails (the answer bank cannot be searched) are
// left to the Hook.
func Pretriager(t *Triager, opts ...HookOption) inbox.Pretriage {
	var cfg hookConfig
	for _, o := range opts {
		o(&cfg)
	}
	return func(ctx context.Context, e *inbox.Event) {
		e.Triage = nil
		if e.Kind != inbox.EventMessageCreated || e.Direction != inbox.DirectionInbound || strings.TrimSpace(e.Text) == "" {
			return
		}
		r, err := cfg.triage(ctx, t, Message{Text: e.Text, Channel: e.Channel, Account: e.AccountExternalID})
		if err != nil || (r.HideRecommended && cfg.hide != nil) {
			return
		}
		e.Triage = r
	}
}

// triage triages m, leaving the answer-bank links for later when the
// hook fills them in later.
func (c *hookConfig) triage(ctx context.Context, t *Triager, m Message) (*Result, error) {
	if c.later != nil {
		return t.TriageWithoutSuggestions(m), nil
	}
	return t.TriageMessage(ctx, m)
}

// stored logs triage r of a.MessageID, stored, and offers it for its
// answer-bank links when they come later.
func (c *hookConfig) stored(a inbox.Applied, text string, r *Result, logger *slog.Logger) {
	logger.Debug("message triaged", "conversation_id", a.ConversationID, "message_id", a.MessageID,
		"administration", r.Administration, "confidence", r.Confidence, "priority", r.Priority,
		"needs_human", r.NeedsHuman, "sensitive", len(r.Sensitive), "auto_hidden", r.AutoHidden)
	if c.later != nil && r.SuggestionsPending {
		c.later.Offer(a.ConversationID, text, r)
	}
}

// triagedBefore reports whether e is a message stored before (a
// redelivery, or the reconciliation poll reading it again) whose triage
// is stored: triaging it again would change nothing but its triage time,
// which would count an old message as new in spike detection, and would
// hide again a comment an agent showed again. A message stored before
// without a triage (its hook failed after the message was stored) is
// triaged.
func triagedBefore(ctx context.Context, store inbox.TriageStore, e inbox.Event, a inbox.Applied) (bool, error) {
	if e.Kind != inbox.EventMessageCreated || a.Created {
		return false, nil
	}
	t, err := store.FindTriage(ctx, a.ConversationID)
	switch {
	case inbox.ErrorCode(err) == inbox.ENOTFOUND:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("routing: read triage of conversation %d: %w", a.ConversationID, err)
	}
	// The conversation's latest triaged message is this one or later.
	return t.MessageID >= a.MessageID, nil
}

// hookText returns the text to triage for event e, and false when e is
// not a citizen's message to triage: a new inbound message's text, or the
// stored text of an edited inbound message (the latest edit, whatever the
// order edits arrived in).
func hookText(ctx context.Context, store inbox.MessageFinder, e inbox.Event, a inbox.Applied) (string, bool, error) {
	if a.MessageID == 0 {
		return "", false, nil
	}
	switch e.Kind {
	case inbox.EventMessageCreated:
		ok := e.Direction == inbox.DirectionInbound && strings.TrimSpace(e.Text) != ""
		return e.Text, ok, nil
	case inbox.EventMessageEdited:
		m, err := store.FindMessageByID(ctx, a.MessageID)
		switch {
		case inbox.ErrorCode(err) == inbox.ENOTFOUND:
			return "", false, nil
		case err != nil:
			return "", false, fmt.Errorf("routing: read edited message %d: %w", a.MessageID, err)
		case m.ConversationID != a.ConversationID:
			return "", false, nil
		}
		ok := m.Direction == inbox.DirectionInbound && !m.Deleted() && strings.TrimSpace(m.Text) != ""
		return m.Text, ok, nil
	}
	return "", false, nil
}

// autoHide hides the message and marks r AutoHidden. A refusal (the
// account is not connected, someone holds the conversation, the comment
// is gone) leaves the comment to an agent, with the recommendation and the
// private-reply text in the triage; an error a retry could cure is
// returned.
func autoHide(ctx context.Context, hide Hider, a inbox.Applied, r *Result, logger *slog.Logger) error {
	err := hide(ctx, a.MessageID, autoHideReason(r))
	switch inbox.ErrorCode(err) {
	case "":
		r.AutoHidden = true
		return nil
	case inbox.EINVALID, inbox.ECONFLICT, inbox.EFORBIDDEN, inbox.ENOTFOUND, inbox.EUNAUTHORIZED:
		logger.Warn("comment with a personal identity or card number not hidden automatically; left for an agent",
			"conversation_id", a.ConversationID, "message_id", a.MessageID, "error", err)
		return nil
	}
	return fmt.Errorf("routing: hide message %d: %w", a.MessageID, err)
}
