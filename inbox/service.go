package inbox

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// Service carries out staff actions on conversations: it checks that the
// actor may act and that no one else holds the conversation, changes it,
// and records who did what, when, before and after, in one store
// transaction per call.
type Service struct {
	store Store
	now   Clock
	// KnownAdministration, when set, reports whether an administration id
	// exists; routing to any other is EINVALID.
	KnownAdministration func(id string) bool
	// Outbound, when set, is the queue replies and moderation actions are
	// published on (QueueOutbound) for the sender. Without it they stay
	// queued in the store until a sweep publishes them.
	Outbound QueuePublisher
	// Publisher, when set, receives live events about outbound actions
	// (LiveOutbound).
	Publisher Publisher
	// ReplyHooks run after a reply is queued, with the conversation and
	// the reply's message.
	ReplyHooks []func(ctx context.Context, c *Conversation, m *Message)
}

// NewService returns a service on store whose times come from now (the
// wall clock when nil).
func NewService(store Store, now Clock) *Service {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	return &Service{store: store, now: now}
}

// outcome is what an action did beyond changing the conversation it was
// given.
type outcome struct {
	takeover bool
	note     *Note
}

// change is one action: it checks the actor's rights on c and changes c
// in place. It returns nil, nil when there is nothing to record.
type change func(c *Conversation) (*outcome, error)

// maxAttempts bounds how often an action is retried when the conversation
// changed between reading and writing it. A retry reads the new state and
// checks the action again on it, so a user who lost a race learns who won
// (held by another user, no longer routed); a change that does not touch
// what the action sets (a tag, a system tag from an alert) does not stop
// it.
const maxAttempts = 3

// act runs fn on conversation id as actor and saves what it did.
func (s *Service) act(ctx context.Context, actor *User, id int64, action string, fn change) (*Conversation, error) {
	var read *Conversation
	for attempt := 1; ; attempt++ {
		before, err := s.visible(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		if err := mayAct(actor, before, action); err != nil {
			return nil, err
		}
		if read == nil {
			read = before
		}
		after := cloneConversation(before)
		out, err := fn(after)
		if err != nil {
			return nil, err
		}
		w, err := s.work(actor, action, before, after, out)
		if err != nil || w == nil {
			return before, err
		}
		if err := s.overrides(ctx, read, before, w.Update); err != nil {
			return nil, err
		}
		err = s.store.SaveWork(ctx, w)
		if ErrorCode(err) == ECONFLICT && w.Update != nil && attempt < maxAttempts {
			continue
		} else if err != nil {
			return nil, err
		}
		saved, err := s.store.FindConversationByID(ctx, id)
		if err == nil {
			s.publishWork(ctx, action, before, saved)
		}
		return saved, err
	}
}

// overrides returns ECONFLICT, describing the conversation as it is now,
// when upd would set its status, administration, assignee or snooze over
// another user's change of the same made since read, the state the action
// was first tried on: of two users acting at the same moment on the same
// part of the work state, exactly one wins.
func (s *Service) overrides(ctx context.Context, read, now *Conversation, upd *ConversationUpdate) error {
	if upd == nil || read.Version == now.Version {
		return nil
	}
	if !(upd.Status != nil && now.Status != read.Status ||
		upd.AdministrationID != nil && now.AdministrationID != read.AdministrationID ||
		upd.AssigneeID != nil && now.AssigneeID != read.AssigneeID ||
		upd.SetSnooze && !sameTime(now.SnoozedUntil, read.SnoozedUntil)) {
		return nil
	}
	sv, en := "status "+string(now.Status), "status "+string(now.Status)
	if now.AdministrationID != "" {
		sv += ", förvaltning " + now.AdministrationID
		en += ", administration " + now.AdministrationID
	}
	if now.AssigneeID != 0 {
		nameSv := "användare " + strconv.FormatInt(now.AssigneeID, 10)
		nameEn := "user " + strconv.FormatInt(now.AssigneeID, 10)
		if u, err := s.store.FindUserByID(ctx, now.AssigneeID); err == nil {
			nameSv, nameEn = u.Name, u.Name
		}
		sv += ", tilldelat " + nameSv
		en += ", assigned to " + nameEn
	}
	return Errorf(ECONFLICT, "Någon annan ändrade ärendet samtidigt; det har nu %s. Titta på det igen innan du gör om åtgärden. / "+
		"Someone else changed the conversation at the same moment; it now has %s. Look at it again before you repeat the action.", sv, en)
}

// visible returns the conversation when actor may see it.
func (s *Service) visible(ctx context.Context, actor *User, id int64) (*Conversation, error) {
	return visibleIn(ctx, s.store, actor, id)
}

// CheckVisible returns the error an action by actor on conversation id
// meets first, nil when there is none: EUNAUTHORIZED without an actor,
// ENOTFOUND when there is no such conversation, EFORBIDDEN when actor may
// not see it. Every action checks this before what it is given; the API
// asks it when it cannot read an action's body at all, so that a user who
// may not act on the conversation is told so, not what is wrong with what
// they sent.
func CheckVisible(ctx context.Context, store ConversationStore, actor *User, id int64) error {
	_, err := visibleIn(ctx, store, actor, id)
	return err
}

// CheckAction is CheckVisible and then the EFORBIDDEN that refuses
// actor's role the action (ActionRoute, ActionAnswer, …) on the
// conversation, as the action itself checks first.
func CheckAction(ctx context.Context, store ConversationStore, actor *User, id int64, action string) error {
	c, err := visibleIn(ctx, store, actor, id)
	if err != nil {
		return err
	}
	return mayAct(actor, c, action)
}

// MessageVisibilityStore is what CheckMessageVisible reads.
type MessageVisibilityStore interface {
	ConversationStore
	FindMessageByID(ctx context.Context, id int64) (*Message, error)
}

// CheckMessageVisible is CheckVisible for the conversation of the message
// with messageID, and ENOTFOUND when there is no such message: the API
// asks it when it cannot read the body of a moderation request.
func CheckMessageVisible(ctx context.Context, store MessageVisibilityStore, actor *User, messageID int64) error {
	m, err := store.FindMessageByID(ctx, messageID)
	if err != nil {
		return err
	}
	return CheckVisible(ctx, store, actor, m.ConversationID)
}

// visibleIn returns conversation id from store when actor may see it.
func visibleIn(ctx context.Context, store ConversationStore, actor *User, id int64) (*Conversation, error) {
	if actor == nil {
		return nil, ruleError(EUNAUTHORIZED, "Logga in för att arbeta med ärenden.", "Sign in to act on conversations.")
	}
	c, err := store.FindConversationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanSee(c) {
		return nil, ruleError(EFORBIDDEN, "Ärendet är inte skickat till din förvaltning.", "This conversation is not routed to your administration.")
	}
	return c, nil
}

// free returns an ECONFLICT naming the holder when another user than actor
// holds c.
func (s *Service) free(ctx context.Context, actor *User, c *Conversation) error {
	if !actor.heldByOther(c) {
		return nil
	}
	holder, err := s.store.FindUserByID(ctx, c.AssigneeID)
	if ErrorCode(err) == ENOTFOUND {
		holder = &User{ID: c.AssigneeID, Name: "Another user"}
	} else if err != nil {
		return err
	}
	return heldBy(holder)
}

// work returns what the store records for an action, or nil when the
// action changed nothing.
func (s *Service) work(actor *User, action string, before, after *Conversation, out *outcome) (*Work, error) {
	return newWork(actor.ID, action, before, after, out)
}

// newWork returns what the store records for an action by actorID (0:
// the system), or nil when the action changed nothing.
func newWork(actorID int64, action string, before, after *Conversation, out *outcome) (*Work, error) {
	upd := diffConversation(before, after)
	if out == nil {
		out = &outcome{}
	}
	if upd == nil && out.note == nil {
		return nil, nil
	}
	detail := AuditDetail{Before: WorkStateOf(before), After: WorkStateOf(after), Takeover: out.takeover}
	if out.note != nil {
		out.note.ConversationID, out.note.AuthorID = before.ID, actorID
		detail.NoteKind = out.note.Kind
		for _, m := range out.note.Mentions {
			detail.Mentions = append(detail.Mentions, m.UserID)
		}
	}
	raw, err := json.Marshal(detail)
	if err != nil {
		return nil, WrapError(EINTERNAL, err, "Internal error.")
	}
	audit := &AuditEntry{ActorID: actorID, Action: action, ConversationID: before.ID, Detail: string(raw)}
	return &Work{Update: upd, Note: out.note, Audit: audit}, nil
}

// diffConversation returns the update that turns before into after, or
// nil when the work state is the same.
func diffConversation(before, after *Conversation) *ConversationUpdate {
	u := &ConversationUpdate{ID: before.ID, Version: before.Version}
	changed := false
	set := func(differs bool, apply func()) {
		if differs {
			apply()
			changed = true
		}
	}
	set(after.Status != before.Status, func() { u.Status = &after.Status })
	set(after.AssigneeID != before.AssigneeID, func() { u.AssigneeID = &after.AssigneeID })
	set(after.AdministrationID != before.AdministrationID, func() { u.AdministrationID = &after.AdministrationID })
	set(!slices.Equal(after.Tags, before.Tags), func() { u.Tags = &after.Tags })
	set(after.RouteQuestion != before.RouteQuestion, func() { u.RouteQuestion = &after.RouteQuestion })
	set(after.RoutedByID != before.RoutedByID, func() { u.RoutedByID = &after.RoutedByID })
	set(!sameTime(after.SnoozedUntil, before.SnoozedUntil), func() { u.SetSnooze, u.SnoozedUntil = true, after.SnoozedUntil })
	set(!sameTime(after.ResolvedAt, before.ResolvedAt), func() { u.SetResolved, u.ResolvedAt = true, after.ResolvedAt })
	if !changed {
		return nil
	}
	return u
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// cloneConversation returns a copy of c that actions may change freely.
func cloneConversation(c *Conversation) *Conversation {
	cp := *c
	cp.Tags = slices.Clone(c.Tags)
	return &cp
}
