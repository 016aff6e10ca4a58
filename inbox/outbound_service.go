package inbox

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// outboundDetail is the audit detail of an outbound action.
type outboundDetail struct {
	AuditDetail
	Key       string       `json:"idempotency_key"`
	Kind      OutboundKind `json:"kind"`
	MessageID int64        `json:"message_id,omitempty"`
	TargetID  int64        `json:"target_message_id,omitempty"`
	Reason    string       `json:"reason,omitempty"`
}

// Reply queues an answer in the conversation: a public reply or private
// reply to a comment, or a direct message. Meta's rules are checked first;
// a conversation another user holds is ECONFLICT naming them unless
// r.Takeover. Replying makes actor the holder. The returned message has
// delivery queued; the sender takes it from there.
func (s *Service) Reply(ctx context.Context, actor *User, conversationID int64, r ReplyRequest) (*Message, error) {
	r.Text = strings.TrimSpace(r.Text)
	for attempt := 1; ; attempt++ {
		q, c, err := s.prepareReply(ctx, actor, conversationID, r)
		if err != nil {
			return nil, err
		}
		err = s.store.QueueOutbound(ctx, q)
		if ErrorCode(err) == ECONFLICT && attempt < maxAttempts {
			continue
		} else if err != nil {
			return nil, err
		}
		s.dispatch(ctx, q.Action, c.AdministrationID)
		for _, hook := range s.ReplyHooks {
			hook(ctx, c, q.Message)
		}
		return q.Message, nil
	}
}

// prepareReply checks a reply and returns what the store records for it.
func (s *Service) prepareReply(ctx context.Context, actor *User, id int64, r ReplyRequest) (*QueuedOutbound, *Conversation, error) {
	c, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if err := mayAct(actor, c, ActionReply); err != nil {
		return nil, nil, err
	}
	if c.Status == StatusSpam {
		// Staff judged it spam: an answer, above all one bulk reply sent
		// to every conversation with a crisis tag, would reach the spammer.
		return nil, nil, ruleError(EINVALID, "Ärendet är markerat som skräp; öppna det igen innan du svarar.",
			"The conversation is marked as spam; reopen it before replying.")
	}
	if !r.Takeover {
		if err := s.free(ctx, actor, c); err != nil {
			return nil, nil, err
		}
	}
	account, err := s.accountOf(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	msgs, err := s.store.FindMessages(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	earlier, err := s.store.FindOutboundActions(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	now := s.now().UTC()
	rc := replyCheck{conv: c, account: account, kind: r.Kind, text: r.Text, earlier: earlier, now: now}
	switch {
	case r.Kind != ReplyDirect:
		if rc.target, err = replyTarget(c, msgs, r.ReplyToMessageID); err != nil {
			return nil, nil, err
		}
	case r.ReplyToMessageID != 0 && !c.Channel.Public():
		// A direct message goes to the thread; it answers no message of
		// its own, and the id would be dropped unread. (A direct reply in
		// a comment thread is refused as such by checkReply.)
		return nil, nil, ruleError(EINVALID, "reply_to_message_id gäller bara svar på kommentarer (public, private); ett direktmeddelande går till hela tråden. Ta bort fältet.",
			"reply_to_message_id is only for replies to comments (public, private); a direct message goes to the whole thread. Leave the field out.")
	}
	humanAgent, err := checkReply(rc)
	if err != nil {
		return nil, nil, err
	}
	a := newReplyAction(actor, c, account, rc.target, r, humanAgent, now)
	m := &Message{
		ConversationID: c.ID, Platform: c.Platform, ExternalID: a.Key, Direction: DirectionOutbound,
		AuthorExternalID: account.ExternalID, AuthorName: account.Name, Text: r.Text,
		SentAt: now, CreatedAt: now, Delivery: DeliveryQueued,
	}
	if rc.target != nil && r.Kind == ReplyPublic {
		m.ParentExternalID = rc.target.ExternalID
	}
	after := cloneConversation(c)
	takeover := actor.heldByOther(c)
	after.AssigneeID = actor.ID
	openIfNew(after)
	w, err := outboundWork(actor, ActionReply, c, after, takeover, a)
	if err != nil {
		return nil, nil, err
	}
	return &QueuedOutbound{Action: a, Message: m, Work: w}, c, nil
}

// newReplyAction returns the outbound action of a reply.
func newReplyAction(actor *User, c *Conversation, account *Account, target *Message, r ReplyRequest, humanAgent bool, now time.Time) *OutboundAction {
	a := &OutboundAction{
		Key: newIdempotencyKey(), State: OutboundQueued, ConversationID: c.ID,
		AccountID: account.ID, AccountExternalID: account.ExternalID, Platform: c.Platform,
		Text: r.Text, HumanAgent: humanAgent, ActorID: actor.ID, NextAttemptAt: sweepAfter(now),
	}
	switch r.Kind {
	case ReplyDirect:
		a.Kind, a.TargetExternalID = OutboundDirectMessage, c.ThreadKey
	case ReplyPrivate:
		a.Kind, a.TargetMessageID, a.TargetExternalID = OutboundPrivateReply, target.ID, target.ExternalID
	default:
		a.Kind, a.TargetMessageID, a.TargetExternalID = OutboundPublicReply, target.ID, target.ExternalID
	}
	return a
}

// outboundStateSV names an outbound action's state in Swedish.
var outboundStateSV = map[OutboundState]string{
	OutboundQueued: "i kö", OutboundSending: "på väg", OutboundSent: "skickad",
	OutboundFailed: "misslyckad", OutboundNeedsCheck: "okontrollerad",
}

// replyTarget returns the comment a reply answers: the message with id
// when it is given, otherwise the thread's latest comment by its citizen,
// the conversation's contact (on Instagram, which takes replies to
// top-level comments only, the latest top-level one). Another commenter's
// reply in the thread is never chosen by default: a private reply to it
// would send what was written for the citizen to a stranger.
func replyTarget(c *Conversation, msgs []*Message, id int64) (*Message, error) {
	if id != 0 {
		for _, m := range msgs {
			if m.ID == id {
				return m, nil
			}
		}
		return nil, ruleError(EINVALID, "Kommentaren %d finns inte i den här tråden.",
			"Comment %d is not in this conversation.", id)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.Direction != DirectionInbound || m.Deleted() {
			continue
		}
		if !c.WrittenByContact(m) {
			continue
		}
		if c.Platform == PlatformInstagram && m.ParentExternalID != "" {
			continue
		}
		return m, nil
	}
	return nil, nil
}

// accountOf returns the managed account of c, nil when it has none.
func (s *Service) accountOf(ctx context.Context, c *Conversation) (*Account, error) {
	if c.UnknownAccount || c.AccountID == 0 {
		return nil, nil
	}
	accounts, err := s.store.FindAccounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		if a.ID == c.AccountID {
			return a, nil
		}
	}
	return nil, nil
}

// outboundWork returns the work an outbound action records: the change to
// the conversation, if any, and the audit entry, which names the action by
// its idempotency key.
func outboundWork(actor *User, action string, before, after *Conversation, takeover bool, a *OutboundAction) (*Work, error) {
	d := outboundDetail{
		AuditDetail: AuditDetail{Before: WorkStateOf(before), After: WorkStateOf(after), Takeover: takeover},
		Key:         a.Key, Kind: a.Kind, TargetID: a.TargetMessageID, Reason: a.Reason,
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, WrapError(EINTERNAL, err, "Internal error.")
	}
	return &Work{
		Update: diffConversation(before, after),
		Audit:  &AuditEntry{ActorID: actor.ID, Action: action, ConversationID: before.ID, Detail: string(raw)},
	}, nil
}

// ModerateComment queues hiding, unhiding or deleting the comment with
// messageID on the platform, with staff's reason for the record. The
// comment changes in inkorg once the platform has done it.
func (s *Service) ModerateComment(ctx context.Context, actor *User, messageID int64, action CommentAction, reason string) (*OutboundAction, error) {
	m, err := s.store.FindMessageByID(ctx, messageID)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	for attempt := 1; ; attempt++ {
		c, err := s.visible(ctx, actor, m.ConversationID)
		if err != nil {
			return nil, err
		}
		// After who may: one who may not see the comment is told so.
		if len(reason) > MaxNoteLength {
			return nil, ruleError(EINVALID, "Motiveringen är för lång.", "The reason is too long.")
		}
		q, err := s.moderationAction(ctx, actor, c, m, action, reason)
		if err != nil {
			return nil, err
		}
		err = s.store.QueueOutbound(ctx, q)
		if ErrorCode(err) == ECONFLICT && attempt < maxAttempts {
			continue
		} else if err != nil {
			return nil, err
		}
		s.dispatch(ctx, q.Action, c.AdministrationID)
		return q.Action, nil
	}
}

var (
	moderationKinds = map[CommentAction]OutboundKind{
		CommentHide: OutboundHideComment, CommentUnhide: OutboundUnhideComment, CommentDelete: OutboundDeleteComment,
	}
	moderationAudit = map[CommentAction]string{
		CommentHide: ActionHideComment, CommentUnhide: ActionUnhideComment, CommentDelete: ActionDeleteComment,
	}
)

// RetryOutbound queues a failed action, or one that needed checking,
// again; a failed reply only for a user who may reply (CanReply). Failures the platform will repeat (a closed window, an invalid
// reply, a recipient who cannot receive) are EINVALID: they need a new
// reply, not the same one again.
func (s *Service) RetryOutbound(ctx context.Context, actor *User, actionID int64) (*OutboundAction, error) {
	a, err := s.store.FindOutboundAction(ctx, actionID)
	if err != nil {
		return nil, err
	}
	c, err := s.visible(ctx, actor, a.ConversationID)
	if err != nil {
		return nil, err
	}
	// Sending a reply again is replying: a specialist may retry the
	// department's moderation, not a reply to the citizen.
	if a.Kind.Reply() {
		if err := mayAct(actor, c, ActionReply); err != nil {
			return nil, err
		}
	}
	if err := s.free(ctx, actor, c); err != nil {
		return nil, err
	}
	if a.State != OutboundFailed && a.State != OutboundNeedsCheck {
		return nil, Errorf(ECONFLICT, "Bara misslyckade eller okontrollerade åtgärder kan skickas igen (den här är %s). / "+
			"Only failed or unchecked actions can be sent again (this one is %s).", outboundStateSV[a.State], a.State)
	}
	if a.Failure != nil && !retryableByAgent(a.Failure.Class) {
		return nil, Errorf(EINVALID, "Samma svar skulle avvisas igen: %s / The same reply would be rejected again: %s",
			a.Failure.SV, a.Failure.EN)
	}
	now := s.now().UTC()
	detail, _ := json.Marshal(map[string]any{"outbound_id": a.ID, "from": a.State})
	u := OutboundUpdate{
		ID: a.ID, From: []OutboundState{a.State}, State: OutboundQueued, NextAttemptAt: sweepAfter(now),
		Audit: &AuditEntry{ActorID: actor.ID, Action: ActionRetryOutbound, ConversationID: c.ID, Detail: string(detail)},
	}
	a, err = s.store.UpdateOutbound(ctx, u)
	if err != nil {
		return nil, err
	}
	s.dispatch(ctx, a, c.AdministrationID)
	return a, nil
}

// SweepGrace is how long a queued action waits for its queue message
// before the sender's sweep publishes it again.
const SweepGrace = time.Minute

// sweepAfter is when the sweep picks up an action queued at now whose
// queue message got lost.
func sweepAfter(now time.Time) *time.Time {
	t := now.Add(SweepGrace)
	return &t
}

// retryableByAgent reports whether an action that failed with class may
// be sent again unchanged once an agent decides so.
func retryableByAgent(class string) bool {
	switch class {
	case "outside_window", "invalid_request", "recipient_unavailable":
		return false
	}
	return true
}

// OutboundActions returns the outbound actions of a conversation actor may
// see, oldest first.
func (s *Service) OutboundActions(ctx context.Context, actor *User, conversationID int64) ([]*OutboundAction, error) {
	if _, err := s.visible(ctx, actor, conversationID); err != nil {
		return nil, err
	}
	return s.store.FindOutboundActions(ctx, conversationID)
}

// dispatch publishes a queued action for the sender and tells staff. A
// failed publish is not an error: the action is stored queued, and the
// sender's sweep publishes it again.
func (s *Service) dispatch(ctx context.Context, a *OutboundAction, administrationID string) {
	if s.Outbound != nil {
		body, _ := json.Marshal(OutboundQueueBody{ActionID: a.ID, Key: a.Key})
		_, _ = s.Outbound.Publish(ctx, QueueOutbound, OutgoingMessage{
			Key: strconv.FormatInt(a.ConversationID, 10), Body: body,
		})
	}
	PublishOutbound(ctx, s.Publisher, a, administrationID)
}

// PublishOutbound tells staff that a changed; administrationID scopes the
// event when known. A nil publisher does nothing.
func PublishOutbound(ctx context.Context, p Publisher, a *OutboundAction, administrationID string) {
	if p == nil || a == nil {
		return
	}
	data, _ := json.Marshal(a)
	_ = p.Publish(ctx, LiveEvent{
		Kind: LiveOutbound, ConversationID: a.ConversationID, AdministrationID: administrationID,
		Data: data, At: a.UpdatedAt,
	})
}
