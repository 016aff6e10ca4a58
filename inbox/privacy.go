package inbox

import (
	"context"
	"time"
)

// MessageChange is one recorded change to a message: an edit, deletion,
// hide, unhide, reaction or receipt, as the platform reported it. The
// archive keeps them all, so hidden and deleted content is never lost.
type MessageChange struct {
	ID                int64     `json:"id"`
	MessageExternalID string    `json:"message_external_id"`
	Kind              EventKind `json:"kind"`
	ActorExternalID   string    `json:"actor_external_id,omitempty"`
	// Value is the new text of an edit or the reaction of a reaction.
	Value      string    `json:"value,omitempty"`
	OccurredAt time.Time `json:"occurred_at"`
}

// ConversationRecord is everything kept about one conversation: the public
// record (allmän handling) the archive writes and a data-subject export
// hands over. Deleted messages keep their text here.
type ConversationRecord struct {
	Conversation *Conversation      `json:"conversation"`
	Messages     []*Message         `json:"messages"`
	Changes      []*MessageChange   `json:"changes"`
	Notes        []*Note            `json:"notes"`
	Triage       []*Triage          `json:"triage"`
	Audit        []*AuditEntry      `json:"audit"`
	Moderation   []*ModerationEntry `json:"moderation"`
	// Users names every staff member the record refers to, by id.
	Users map[int64]string `json:"users"`
	// ReadAt is when the store began reading the record: a message, a
	// change, a note or an action stored after it is not in the record.
	// It is not part of the record itself.
	ReadAt time.Time `json:"-"`
}

// StaffIDs returns the ids of the staff the record refers to, 0 and
// repeats included: the assignee, who routed it, and the authors of its
// notes, actions and moderation decisions.
func (r *ConversationRecord) StaffIDs() []int64 {
	ids := []int64{r.Conversation.AssigneeID, r.Conversation.RoutedByID}
	for _, n := range r.Notes {
		ids = append(ids, n.AuthorID)
	}
	for _, a := range r.Audit {
		ids = append(ids, a.ActorID)
	}
	for _, m := range r.Moderation {
		ids = append(ids, m.ActorID)
	}
	return ids
}

// ArchiveExport is one export of a period [From, To) to Location.
type ArchiveExport struct {
	ID       int64     `json:"id"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Location string    `json:"location"`
	// ManifestSHA256 is empty until the export is complete.
	ManifestSHA256 string    `json:"manifest_sha256"`
	Conversations  int       `json:"conversations"`
	Scheduled      bool      `json:"scheduled"`
	CreatedAt      time.Time `json:"created_at"`
}

// Complete reports whether the export finished with a manifest.
func (e *ArchiveExport) Complete() bool { return e.ManifestSHA256 != "" }

// RecordStore reads the public record of conversations and remembers what
// the archive exported.
type RecordStore interface {
	// FindConversationsActive returns up to limit conversations, by id
	// above afterID, without their contacts, that something happened to in
	// [from, to): a message sent or changed, or an action by staff.
	FindConversationsActive(ctx context.Context, from, to time.Time, afterID int64, limit int) ([]*Conversation, error)
	// FindConversationRecord returns the whole record of a conversation,
	// or ENOTFOUND.
	FindConversationRecord(ctx context.Context, id int64) (*ConversationRecord, error)
	// CreateArchiveExport stores an export that is starting and sets its
	// ID and CreatedAt.
	CreateArchiveExport(ctx context.Context, e *ArchiveExport) error
	// MarkArchived records that export exportID holds the conversations
	// in the state they are in the records given, as read at their ReadAt:
	// whatever was stored after that is not archived.
	MarkArchived(ctx context.Context, exportID int64, recs []*ConversationRecord) error
	// CompleteArchiveExport records an export's manifest checksum and
	// conversation count.
	CompleteArchiveExport(ctx context.Context, id int64, manifestSHA256 string, conversations int) error
	// FindArchiveExports returns the complete exports whose period
	// overlaps [from, to), oldest first.
	FindArchiveExports(ctx context.Context, from, to time.Time) ([]*ArchiveExport, error)
}
