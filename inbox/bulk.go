package inbox

import (
	"context"
	"slices"
)

// BulkAction is what bulk work does to each selected conversation.
type BulkAction string

// Bulk actions.
const (
	BulkAssign  BulkAction = "assign"
	BulkTag     BulkAction = "tag"
	BulkResolve BulkAction = "resolve"
	// BulkReply sends one prepared answer to each conversation, each
	// through Meta's rules and the outbound queue on its own.
	BulkReply BulkAction = "reply"
)

// MaxBulkItems is the most conversations one bulk request may act on.
const MaxBulkItems = 1000

// BulkRequest selects conversations, by ids or by a filter, and says what
// to do to each.
type BulkRequest struct {
	// IDs selects these conversations; when empty, Filter does.
	IDs []int64
	// Filter selects every conversation matching it; it must be scoped to
	// the actor (User.Scope) and is read from the first page.
	Filter *ConversationFilter
	Action BulkAction
	// AssigneeID is who BulkAssign gives the conversations to.
	AssigneeID int64
	// Tags are added by BulkTag.
	Tags []string
	// Reply is what BulkReply sends.
	Reply ReplyRequest
}

// BulkResult is what happened to one conversation.
type BulkResult struct {
	ConversationID int64 `json:"conversation_id"`
	OK             bool  `json:"ok"`
	// MessageID is the queued reply of a BulkReply.
	MessageID int64 `json:"message_id,omitempty"`
	// Code and Message say why the action failed for this conversation.
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// HeldBy is the user who holds the conversation when that is why it
	// failed, so the web UI can say so in the page's language.
	HeldBy *HeldError `json:"-"`
}

// Bulk does req.Action to every selected conversation, one by one, each
// audited as its single action is; one failing does not stop the others.
// The results are in selection order.
func (s *Service) Bulk(ctx context.Context, actor *User, req BulkRequest) ([]BulkResult, error) {
	if actor == nil {
		return nil, ruleError(EUNAUTHORIZED, "Logga in för att arbeta med ärenden.",
			"Sign in to act on conversations.")
	}
	do, err := s.bulkAction(req)
	if err != nil {
		return nil, err
	}
	ids, err := s.bulkSelection(ctx, req)
	if err != nil {
		return nil, err
	}
	results := make([]BulkResult, 0, len(ids))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, WrapError(EUNAVAILABLE, err, "The bulk request was cancelled.")
		}
		r := BulkResult{ConversationID: id}
		r.MessageID, err = do(ctx, actor, id)
		if err != nil {
			r.Code, r.Message, r.HeldBy = ErrorCode(err), ErrorMessage(err), HolderOf(err)
		} else {
			r.OK = true
		}
		results = append(results, r)
	}
	return results, nil
}

// bulkItem does the bulk action to one conversation.
type bulkItem func(ctx context.Context, actor *User, id int64) (messageID int64, err error)

// bulkAction checks req and returns what to do to each conversation.
func (s *Service) bulkAction(req BulkRequest) (bulkItem, error) {
	switch req.Action {
	case BulkAssign:
		if req.AssigneeID <= 0 {
			return nil, ruleError(EINVALID, "Ange användaren att tilldela (assignee_id).",
				"Assigning needs assignee_id.")
		}
		return func(ctx context.Context, actor *User, id int64) (int64, error) {
			_, err := s.Assign(ctx, actor, id, req.AssigneeID)
			return 0, err
		}, nil
	case BulkTag:
		if len(req.Tags) == 0 {
			return nil, ruleError(EINVALID, "Ange minst en tagg.",
				"Tagging needs at least one tag.")
		}
		return func(ctx context.Context, actor *User, id int64) (int64, error) {
			_, err := s.Tag(ctx, actor, id, req.Tags, nil)
			return 0, err
		}, nil
	case BulkResolve:
		return func(ctx context.Context, actor *User, id int64) (int64, error) {
			_, err := s.SetStatus(ctx, actor, id, StatusResolved)
			return 0, err
		}, nil
	case BulkReply:
		if req.Reply.Text == "" {
			return nil, ruleError(EINVALID, "Skriv svarets text.",
				"A bulk reply needs its text.")
		}
		return func(ctx context.Context, actor *User, id int64) (int64, error) {
			m, err := s.Reply(ctx, actor, id, req.Reply)
			if err != nil {
				return 0, err
			}
			return m.ID, nil
		}, nil
	}
	return nil, ruleError(EINVALID, "Okänd åtgärd %q; använd assign, tag, resolve eller reply.",
		"Unknown bulk action %q; use assign, tag, resolve or reply.", req.Action)
}

// bulkSelection returns the ids req selects, without duplicates, or
// EINVALID when it selects nothing or more than MaxBulkItems.
func (s *Service) bulkSelection(ctx context.Context, req BulkRequest) ([]int64, error) {
	var ids []int64
	switch {
	case len(req.IDs) > 0 && req.Filter != nil:
		return nil, ruleError(EINVALID, "Välj ärenden med id eller med ett filter, inte båda.",
			"Select conversations by ids or by a filter, not both.")
	case len(req.IDs) > 0:
		for _, id := range req.IDs {
			if id <= 0 {
				return nil, ruleError(EINVALID, "Ärendenummer är positiva heltal.",
					"Conversation ids must be positive integers.")
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	case req.Filter != nil:
		var err error
		if ids, err = s.filteredIDs(ctx, *req.Filter); err != nil {
			return nil, err
		}
	default:
		return nil, ruleError(EINVALID, "Välj ärenden med id eller med ett filter.",
			"Select conversations by ids or by a filter.")
	}
	if len(ids) > MaxBulkItems {
		return nil, ruleError(EINVALID, "Urvalet har fler än %d ärenden; begränsa det.",
			"The selection has more than %d conversations; narrow it down.", MaxBulkItems)
	}
	if len(ids) == 0 {
		return nil, ruleError(EINVALID, "Inget ärende matchar urvalet.",
			"No conversation matches the selection.")
	}
	return ids, nil
}

// BulkFilterCount is how many conversations a bulk request selecting by
// filter f would act on, counted no further than just past MaxBulkItems,
// so that staff can be asked to confirm.
func (s *Service) BulkFilterCount(ctx context.Context, f ConversationFilter) (int, error) {
	ids, err := s.filteredIDs(ctx, f)
	return len(ids), err
}

// filteredIDs pages through the conversations matching f, stopping once
// there are more than MaxBulkItems.
func (s *Service) filteredIDs(ctx context.Context, f ConversationFilter) ([]int64, error) {
	f.Limit, f.After = MaxPageSize, ""
	var ids []int64
	for {
		page, err := s.store.FindConversations(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, c := range page.Conversations {
			ids = append(ids, c.ID)
		}
		if page.Next == "" || len(ids) > MaxBulkItems {
			return ids, nil
		}
		f.After = page.Next
	}
}
