package moderation

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"inkorg/inbox"
)

// Hook returns an inbox.EventHook that puts every new citizen comment the
// classifier flags in the moderation queue. It is idempotent: a
// redelivered event flags the same comment with the same finding. The log
// names the comment and the categories, never its text.
func Hook(c *Classifier, store inbox.ModerationStore, logger *slog.Logger) inbox.EventHook {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(ctx context.Context, e inbox.Event, a inbox.Applied) error {
		if e.Kind != inbox.EventMessageCreated || e.Direction != inbox.DirectionInbound ||
			!e.Channel.Public() || strings.TrimSpace(e.Text) == "" || a.MessageID == 0 {
			return nil
		}
		f := c.Classify(e.Text, e.OccurredAt)
		if len(f.Categories) == 0 {
			return nil
		}
		created, err := store.FlagComment(ctx, &inbox.ModerationFlag{
			MessageID: a.MessageID, ConversationID: a.ConversationID, Categories: f.Categories, Rules: f.Rules,
		})
		switch code := inbox.ErrorCode(err); {
		case err == nil:
		case code == inbox.EINVALID || code == inbox.ENOTFOUND:
			logger.Error("comment not flagged for moderation", "message_id", a.MessageID, "error", err)
			return nil
		default:
			return fmt.Errorf("moderation: flag message %d: %w", a.MessageID, err)
		}
		if created {
			logger.Info("comment flagged for moderation", "conversation_id", a.ConversationID,
				"message_id", a.MessageID, "categories", f.Categories)
		}
		return nil
	}
}
