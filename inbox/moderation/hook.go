package moderation

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"inkorg/inbox"
)

// HookStore is what the moderation hook reads and writes.
type HookStore interface {
	inbox.ModerationStore
	inbox.MessageFinder
	// FlagEditedComment flags a comment edited at editedAt as FlagComment
	// does and reopens its flag when staff kept the comment before the
	// edit; it reports whether the comment is newly in the open queue.
	FlagEditedComment(ctx context.Context, f *inbox.ModerationFlag, editedAt time.Time) (bool, error)
}

// Hook returns an inbox.EventHook that puts every new or edited citizen
// comment the classifier flags in the moderation queue. An edited comment
// is judged by its stored latest text, whatever order the edits arrived
// in, and a comment staff kept before the edit goes back to the queue: a
// "keep" does not cover text written after it. The hook is idempotent: a
// redelivered event flags the same comment with the same finding, once.
// The log names the comment and the categories, never its text.
func Hook(c *Classifier, store HookStore, logger *slog.Logger) inbox.EventHook {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(ctx context.Context, e inbox.Event, a inbox.Applied) error {
		if e.Direction == inbox.DirectionOutbound || !e.Channel.Public() || a.MessageID == 0 {
			return nil
		}
		var flag func(*inbox.ModerationFlag) (bool, error)
		text, at := e.Text, e.OccurredAt
		switch e.Kind {
		case inbox.EventMessageCreated:
			if e.Direction != inbox.DirectionInbound {
				return nil
			}
			flag = func(f *inbox.ModerationFlag) (bool, error) { return store.FlagComment(ctx, f) }
		case inbox.EventMessageEdited:
			m, err := editedComment(ctx, store, a)
			if err != nil || m == nil {
				return err
			}
			text, at = m.Text, *m.EditedAt
			flag = func(f *inbox.ModerationFlag) (bool, error) { return store.FlagEditedComment(ctx, f, at) }
		default:
			return nil
		}
		if strings.TrimSpace(text) == "" {
			return nil
		}
		f := c.Classify(text, at)
		if len(f.Categories) == 0 {
			return nil
		}
		queued, err := flag(&inbox.ModerationFlag{
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
		if queued {
			logger.Info("comment flagged for moderation", "conversation_id", a.ConversationID,
				"message_id", a.MessageID, "categories", f.Categories, "edited", e.Kind == inbox.EventMessageEdited)
		}
		return nil
	}
}

// editedComment returns the stored comment an edit event changed, with
// its latest text, or nil when it is not an inbound comment still there
// and edited.
func editedComment(ctx context.Context, store inbox.MessageFinder, a inbox.Applied) (*inbox.Message, error) {
	m, err := store.FindMessageByID(ctx, a.MessageID)
	switch {
	case inbox.ErrorCode(err) == inbox.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("moderation: read edited message %d: %w", a.MessageID, err)
	}
	if m.ConversationID != a.ConversationID || m.Direction != inbox.DirectionInbound || m.Deleted() || m.EditedAt == nil {
		return nil, nil
	}
	return m, nil
}
