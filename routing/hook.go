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
	inbox.MessageStore
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
// personal identity or coordination number at once, through hide; the
// triage then says AutoHidden. Without it the triage only recommends
// hiding, with the ready private-reply text either way.
func WithAutoHide(hide Hider) HookOption {
	return func(c *hookConfig) { c.hide = hide }
}

// AutoHideReason is the reason given when a comment is hidden
// automatically.
const AutoHideReason = "Kommentaren innehöll ett personnummer och doldes automatiskt. " +
	"(The comment held a personal identity number and was hidden automatically.)"

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
		text, ok, err := hookText(ctx, store, e, a)
		if err != nil || !ok {
			return err
		}
		m := Message{Text: text, Channel: e.Channel, Account: e.AccountExternalID}
		var r *Result
		if cfg.later != nil {
			r = t.TriageWithoutSuggestions(m)
		} else if r, err = t.TriageMessage(ctx, m); err != nil {
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
		logger.Debug("message triaged", "conversation_id", a.ConversationID, "message_id", a.MessageID,
			"administration", r.Administration, "confidence", r.Confidence, "priority", r.Priority,
			"needs_human", r.NeedsHuman, "sensitive", len(r.Sensitive), "auto_hidden", r.AutoHidden)
		if cfg.later != nil && r.SuggestionsPending {
			cfg.later.Offer(a.ConversationID, text, r)
		}
		return nil
	}
}

// hookText returns the text to triage for event e, and false when e is
// not a citizen's message to triage: a new inbound message's text, or the
// stored text of an edited inbound message (the latest edit, whatever the
// order edits arrived in).
func hookText(ctx context.Context, store inbox.MessageStore, e inbox.Event, a inbox.Applied) (string, bool, error) {
	if a.MessageID == 0 {
		return "", false, nil
	}
	switch e.Kind {
	case inbox.EventMessageCreated:
		ok := e.Direction == inbox.DirectionInbound && strings.TrimSpace(e.Text) != ""
		return e.Text, ok, nil
	case inbox.EventMessageEdited:
		msgs, err := store.FindMessages(ctx, a.ConversationID)
		if err != nil {
			return "", false, fmt.Errorf("routing: read edited message %d: %w", a.MessageID, err)
		}
		for _, m := range msgs {
			if m.ID == a.MessageID {
				ok := m.Direction == inbox.DirectionInbound && !m.Deleted() && strings.TrimSpace(m.Text) != ""
				return m.Text, ok, nil
			}
		}
	}
	return "", false, nil
}

// autoHide hides the message and marks r AutoHidden. A refusal (the
// account is not connected, someone holds the conversation, the comment
// is gone) leaves the comment to an agent, with the recommendation and the
// private-reply text in the triage; an error a retry could cure is
// returned.
func autoHide(ctx context.Context, hide Hider, a inbox.Applied, r *Result, logger *slog.Logger) error {
	err := hide(ctx, a.MessageID, AutoHideReason)
	switch inbox.ErrorCode(err) {
	case "":
		r.AutoHidden = true
		return nil
	case inbox.EINVALID, inbox.ECONFLICT, inbox.EFORBIDDEN, inbox.ENOTFOUND, inbox.EUNAUTHORIZED:
		logger.Warn("comment with a personal identity number not hidden automatically; left for an agent",
			"conversation_id", a.ConversationID, "message_id", a.MessageID, "error", err)
		return nil
	}
	return fmt.Errorf("routing: hide message %d: %w", a.MessageID, err)
}
