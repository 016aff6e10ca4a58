package routing

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"inkorg/inbox"
)

// Hook returns an inbox.EventHook that triages every inbound citizen
// message and stores the result on its conversation. Triage is a pure
// function of the text, so running the hook again for a redelivered event
// stores the same result: the hook is idempotent. A store error that a
// retry could cure is returned, so the delivery comes round again; one that
// it could not (the store refusing the triage) is logged and dropped, as
// the message itself is kept. The log names the conversation and the
// outcome, never the text or the personal data found.
func Hook(t *Triager, store inbox.TriageStore, logger *slog.Logger) inbox.EventHook {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(ctx context.Context, e inbox.Event, a inbox.Applied) error {
		if e.Kind != inbox.EventMessageCreated || e.Direction != inbox.DirectionInbound ||
			strings.TrimSpace(e.Text) == "" || a.MessageID == 0 {
			return nil
		}
		r, err := t.Triage(ctx, e.Text, e.Channel)
		if err != nil {
			return fmt.Errorf("routing: triage message %d: %w", a.MessageID, err)
		}
		r.MessageID = a.MessageID
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
			"needs_human", r.NeedsHuman, "sensitive", len(r.Sensitive))
		return nil
	}
}
