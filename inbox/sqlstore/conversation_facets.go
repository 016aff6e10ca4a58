package sqlstore

import (
	"encoding/json"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// waitingSinceSQL computes a conversation's waiting time from its
// messages: the oldest inbound message that no outbound message at or
// after it answers. Computed rather than kept up, it comes out the same in
// whatever order the events arrive. A reply queued in inkorg answers from
// the moment it is queued (the agent has answered; the list shows how its
// sending goes), a reply that failed does not. A resolution closes what
// was written before it: a citizen who writes after it waits from their
// new message, as the SLA clock of the new question runs (see slaInputs).
// A message withdrawn (unsent or removed: deleted_at set) leaves nothing to
// answer and does not wait; one whose text retention removed still does.
const waitingSinceSQL = `(SELECT MIN(i.sent_at) FROM messages i
	WHERE i.conversation_id = conversations.id AND i.direction = 'inbound' AND i.deleted_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.conversation_id = i.conversation_id
		AND o.direction = 'outbound' AND o.delivery <> 'failed' AND o.sent_at >= i.sent_at)
	AND ` + notResolvedSinceSQL + `)`

// notResolvedSinceSQL holds for an inbound message i that no resolution of
// its conversation at or after it has closed.
const notResolvedSinceSQL = `NOT EXISTS (SELECT 1 FROM conversation_status_changes r
		WHERE r.conversation_id = i.conversation_id AND r.status = 'resolved' AND r.at >= i.sent_at)`

// triageFacets is what lists filter on from a triage, in the
// conversation's columns.
type triageFacets struct {
	Language   string `gorm:"column:triage_language"`
	Priority   string `gorm:"column:triage_priority"`
	NeedsHuman bool   `gorm:"column:triage_needs_human"`
	Sensitive  bool   `gorm:"column:triage_sensitive"`
	Tags       string `gorm:"column:triage_tags"`
}

// facetsOf returns the conversation facets of triage t.
func facetsOf(t *inbox.Triage) (triageFacets, error) {
	tags := t.Tags
	if tags == nil {
		tags = []string{}
	}
	rawTags, err := json.Marshal(tags)
	if err != nil {
		return triageFacets{}, err
	}
	return triageFacets{
		Language: t.Language, Priority: string(t.Priority), NeedsHuman: t.NeedsHuman,
		Sensitive: len(t.Sensitive) > 0, Tags: string(rawTags),
	}, nil
}

// columns returns f by column name, for an update.
func (f triageFacets) columns() map[string]any {
	return map[string]any{
		"triage_language":    f.Language,
		"triage_priority":    f.Priority,
		"triage_needs_human": f.NeedsHuman,
		"triage_sensitive":   f.Sensitive,
		"triage_tags":        f.Tags,
	}
}

// laterTriagedSQL is true for a conversation in an update when a message
// after the one whose id is its argument has a triage that is not a
// bystander's: the facets stay those of the latest such triaged message.
const laterTriagedSQL = `EXISTS (SELECT 1 FROM message_triage t WHERE t.conversation_id = conversations.id AND t.message_id > ?
	AND NOT t.bystander)`

// setForBystander adds f, a bystander's triage (see bystanderReply), to
// the update set of a conversation: its facets become the conversation's
// only when the conversation has none yet (no other message of it was
// triaged), but an urgent one raises the conversation's priority, until
// the citizen's next triaged message sets it again.
func (f triageFacets) setForBystander(set map[string]any) {
	for col, v := range f.columns() {
		if col == "triage_priority" && f.Priority == string(inbox.PriorityUrgent) {
			set[col] = v
			continue
		}
		set[col] = gorm.Expr("CASE WHEN triage_priority = '' THEN ? ELSE "+col+" END", v)
	}
}

// setUnlessLater adds f to the update set of a conversation, each
// column kept as it is when a message after msgID has a triage.
func (f triageFacets) setUnlessLater(set map[string]any, msgID int64) {
	for col, v := range f.columns() {
		set[col] = gorm.Expr("CASE WHEN "+laterTriagedSQL+" THEN "+col+" ELSE ? END", msgID, v)
	}
}
