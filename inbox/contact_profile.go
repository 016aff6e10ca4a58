package inbox

import (
	"context"
	"time"
)

// MaxProfileFetchAttempts is how often fetching a contact's public name is
// tried before it is given up; the contact then stays without a name.
const MaxProfileFetchAttempts = 5

// ProfileFetch is a contact of a private conversation (Messenger or
// Instagram Direct) whose webhooks named only their id, so their public
// name is still to be fetched.
type ProfileFetch struct {
	ContactID  int64
	Platform   Platform
	ExternalID string
	// AccountExternalID is the Page or Instagram account of a conversation
	// of the contact: ids are scoped to it, so its token asks.
	AccountExternalID string
	Attempts          int
}

// ContactProfileStore keeps what the profile fetcher needs.
type ContactProfileStore interface {
	// FindProfilesToFetch returns up to limit contacts of private
	// conversations with neither name nor username, due at now and not
	// given up, the oldest first. Contacts whose personal data was removed
	// are never returned.
	FindProfilesToFetch(ctx context.Context, now time.Time, limit int) ([]ProfileFetch, error)
	// SaveContactProfile stores a fetched name and username on the contact
	// and ends fetching it. A name or username already set (by a webhook
	// meanwhile) is kept.
	SaveContactProfile(ctx context.Context, contactID int64, name, username string) error
	// ProfileFetchFailed counts a failed fetch and puts the next try off
	// until next; after MaxProfileFetchAttempts, or for a zero next, it is
	// given up.
	ProfileFetchFailed(ctx context.Context, contactID int64, next time.Time) error
}
