package inbox

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// PresenceState is what a member of staff is doing in a conversation.
type PresenceState string

// Presence states.
const (
	PresenceViewing PresenceState = "viewing"
	PresenceTyping  PresenceState = "typing"
)

// PresenceTTL is how long a presence lasts unless it is announced again;
// clients announce about every PresenceTTL/3.
const PresenceTTL = 30 * time.Second

// Presence is one member of staff in a conversation, until a time.
type Presence struct {
	UserID int64         `json:"user_id"`
	Name   string        `json:"name"`
	State  PresenceState `json:"state"`
	Until  time.Time     `json:"until"`
}

// PresenceStore keeps who is in which conversation, shared by every
// instance, forgetting each entry at its Until.
type PresenceStore interface {
	// SetPresence records p in the conversation, replacing the user's
	// earlier entry there.
	SetPresence(ctx context.Context, conversationID int64, p Presence) error
	// FindPresence returns the entries of the conversation still valid at
	// now, ordered by user id.
	FindPresence(ctx context.Context, conversationID int64, now time.Time) ([]Presence, error)
}

// PresenceService records and announces presence.
type PresenceService struct {
	Store     ConversationStore
	Presence  PresenceStore
	Publisher Publisher // nil: no live updates
	Now       Clock
}

// Announce records that actor is in conversation id in state, tells the
// others who may see it (LivePresence), and returns who is there.
func (s *PresenceService) Announce(ctx context.Context, actor *User, id int64, state PresenceState) ([]Presence, error) {
	c, err := visibleIn(ctx, s.Store, actor, id)
	if err != nil {
		return nil, err
	}
	if state != PresenceViewing && state != PresenceTyping {
		return nil, ruleError(EINVALID, "Okänt närvaroläge %q; använd viewing eller typing.", "Unknown presence state %q; use viewing or typing.", state)
	}
	now := s.Now()
	p := Presence{UserID: actor.ID, Name: actor.Name, State: state, Until: now.Add(PresenceTTL)}
	if err := s.Presence.SetPresence(ctx, id, p); err != nil {
		return nil, err
	}
	if s.Publisher != nil {
		data, _ := json.Marshal(p)
		_ = s.Publisher.Publish(ctx, LiveEvent{Kind: LivePresence, ConversationID: id, AdministrationID: c.AdministrationID, Data: data, At: now})
	}
	return s.Presence.FindPresence(ctx, id, now)
}

// Others returns who besides actor is in conversation id now.
func (s *PresenceService) Others(ctx context.Context, actor *User, id int64) ([]Presence, error) {
	all, err := s.Presence.FindPresence(ctx, id, s.Now())
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(p Presence) bool { return p.UserID == actor.ID }), nil
}
