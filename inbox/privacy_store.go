package inbox

import (
	"context"
	"time"
)

// PersonalDataAction is what retention or a data-subject request does to
// personal data.
type PersonalDataAction string

// Personal-data actions. Pseudonymise replaces names and platform ids with
// pseudonyms and redacts identity, payment card and phone numbers and
// e-mail addresses from texts; delete removes the texts as well. Both keep what
// statistics need: counts, times, administration, channel, status.
const (
	Pseudonymise PersonalDataAction = "pseudonymise"
	DeleteData   PersonalDataAction = "delete"
)

// Valid reports whether a is a known action.
func (a PersonalDataAction) Valid() bool { return a == Pseudonymise || a == DeleteData }

// Done is the state a conversation or contact is left in: "pseudonymised"
// or "deleted".
func (a PersonalDataAction) Done() string {
	if a == DeleteData {
		return "deleted"
	}
	return "pseudonymised"
}

// DeletedText stands in for a text whose personal data was deleted
// (gallrad).
const DeletedText = "[Gallrat]"

// Removal is one removal of personal data, done in one transaction.
type Removal struct {
	Action PersonalDataAction
	// ConversationIDs are conversations whose every citizen text, name and
	// platform id is removed; with Contact set (a removal on request), only
	// the texts of Contact and the city's, not the city's replies to another
	// citizen: others who wrote in the person's threads keep theirs.
	ConversationIDs []int64
	// Contact, when set, is a contact whose own name and ids are removed,
	// and whose messages in other conversations too; with ID 0, someone
	// without a contact row, only their messages.
	Contact *Contact
	// Scrub redacts identifiers from a text that is pseudonymised.
	Scrub func(string) string
	// Audit is recorded with the removal: one entry per conversation
	// (ConversationID set from the list) and, for a contact, one without a
	// conversation and one on each other conversation their messages were
	// removed from.
	Audit AuditEntry
	// Before, when set, is the retention cut-off: a conversation is due
	// only while its last message is before it.
	Before time.Time
	// SkipChanged leaves as they are the conversations of ConversationIDs
	// that are, when the removal runs, no longer closed, archived in their
	// current state and due (see Before), as a message or an action
	// arriving after they were selected leaves them, and lists them in
	// Skipped. Without it such a conversation, or one where Contact wrote,
	// fails the whole removal with ECONFLICT and nothing is removed.
	SkipChanged bool
	// Skipped is set by RemovePersonalData: the conversations SkipChanged
	// left as they are.
	Skipped []int64
}

// PersonalDataStore finds and removes personal data.
type PersonalDataStore interface {
	// FindRetentionCandidates returns up to limit closed (resolved or
	// spam) conversations with an id above afterID whose last message is
	// before cutoff, that still hold personal data and are archived in
	// the state they are in, by id.
	FindRetentionCandidates(ctx context.Context, cutoff time.Time, afterID int64, limit int) ([]*Conversation, error)
	// FindNotArchived returns those of ids whose current state no
	// complete archive export holds.
	FindNotArchived(ctx context.Context, ids []int64) ([]int64, error)
	// CountRawDeliveriesBefore and DeleteRawDeliveriesBefore count and
	// delete the raw webhook deliveries received before t.
	CountRawDeliveriesBefore(ctx context.Context, t time.Time) (int64, error)
	DeleteRawDeliveriesBefore(ctx context.Context, t time.Time) (int64, error)
	// DeleteRawDeliveriesMatching deletes the raw webhook deliveries whose
	// body match reports true, reading them a batch at a time, and returns
	// how many it deleted.
	DeleteRawDeliveriesMatching(ctx context.Context, match func(body []byte) bool) (int64, error)
	// FindContact returns a contact by id, or ENOTFOUND.
	FindContact(ctx context.Context, id int64) (*Contact, error)
	// FindContactsByExternalID returns the contacts with a platform id on
	// any platform; someone who only wrote in others' threads is returned
	// with ID 0.
	FindContactsByExternalID(ctx context.Context, externalID string) ([]*Contact, error)
	// FindSubjectConversations returns the ids of the conversations of a
	// contact and of those where the contact wrote, ascending.
	FindSubjectConversations(ctx context.Context, c *Contact) ([]int64, error)
	// RemovePersonalData carries out r. It removes nothing that no
	// archive holds: every conversation it changes must be closed and
	// archived in its current state when it runs (see Removal.SkipChanged).
	RemovePersonalData(ctx context.Context, r *Removal) error
}
