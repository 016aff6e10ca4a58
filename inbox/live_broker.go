package inbox

import "context"

// LiveBroker carries live events between the instances: every instance
// publishes to it, and every connected member of staff reads from it
// through the instance they are connected to. It keeps a bounded history
// so a client that reconnects gets what it missed.
type LiveBroker interface {
	Publisher
	// Subscribe returns the events published after the event with id
	// lastID (none when lastID is empty) and then every new one, until ctx
	// ends or Close is called.
	Subscribe(ctx context.Context, lastID string) (*LiveSubscription, error)
}

// LiveSubscription is one reader of the live events.
type LiveSubscription struct {
	// Missed are the events after the subscriber's last one, oldest first.
	Missed []LiveEvent
	// Gap is true when events after lastID were dropped from the history
	// before the subscriber came back: it must reload what it shows.
	Gap bool
	// LastID is the id of the newest event before those on Events: the
	// last of Missed, lastID, or on a fresh subscription the broker's
	// newest. A client that receives nothing else resumes from it. Empty
	// when the broker could not tell.
	LastID string
	// Events delivers the new events in order. It is closed when the
	// subscription ends; also when the subscriber fell too far behind, in
	// which case it reconnects with its last id.
	Events <-chan LiveEvent
	// Close ends the subscription.
	Close func()
}

// CanReceive reports whether u may receive ev: an event naming users goes
// only to them; an event about a conversation goes to whoever may see the
// conversation; specialists receive nothing else.
func (u *User) CanReceive(ev LiveEvent) bool {
	if len(ev.UserIDs) > 0 {
		for _, id := range ev.UserIDs {
			if id == u.ID {
				return u.Role != RoleSpecialist || ev.AdministrationID == "" || u.MemberOf(ev.AdministrationID)
			}
		}
		return false
	}
	if u.Role != RoleSpecialist {
		return true
	}
	return ev.AdministrationID != "" && u.MemberOf(ev.AdministrationID)
}
